"""Names in Russian: the catalogue's prose, country, group and region names, and the names people
type into the country pickers."""

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import i18n
from indicators.catalogue import (
    CATALOGUE_FILE,
    SOURCES_FILE,
    TEXT_FIELDS,
    country_names,
    load_catalogue,
    load_countries,
)
from indicators.countries import GROUPS_FILE, load_groups
from indicators.names import finds, group_name, picker_labels, region_name
from indicators.relational import RELATIONAL_FILE, load_relational_catalogue
from scoring.schemas import ContractError
from tests.app_driver import open_app
from tests.untranslated import english_words

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN_WORD = re.compile(r"[A-Za-z]{4,}")


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.use("en")


def _entries(path: Path, tables):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for table in tables:
        for entry in document.get(table) or []:
            yield table, entry


@pytest.mark.parametrize(
    "path, tables",
    [(CATALOGUE_FILE, tuple(TEXT_FIELDS)), (RELATIONAL_FILE, ("dimensions", "indicators"))],
)
def test_every_english_text_of_the_catalogue_has_russian_text(path, tables):
    missing, not_russian = [], []
    for table, entry in _entries(path, tables):
        russian = entry.get("ru") or {}
        for field in TEXT_FIELDS[table][1]:
            if not str(entry.get(field) or "").strip():
                continue
            text = str(russian.get(field) or "")
            if not text.strip():
                missing.append((table, entry.get("id", entry.get("what")), field))
            # Units like "% of population" have few letters; everything else is Cyrillic prose.
            elif not CYRILLIC.search(text) and not re.fullmatch(r"[\d\W=]*", text):
                not_russian.append((table, entry.get("id"), field, text))
    assert missing == []
    assert not_russian == []


def test_every_group_has_a_russian_name():
    groups = yaml.safe_load(GROUPS_FILE.read_text(encoding="utf-8"))
    assert all(CYRILLIC.search(group["ru"]["name"]) for group in groups.values())
    assert [g for g, group in groups.items() if english_words(group["ru"]["name"])] == []


@pytest.mark.parametrize(
    "path, tables",
    [(CATALOGUE_FILE, tuple(TEXT_FIELDS)), (RELATIONAL_FILE, ("dimensions", "indicators"))],
)
def test_the_russian_catalogue_leaves_no_english_words(path, tables):
    # The pages' own check (tests/untranslated.py): publishers' names and acronyms may stay.
    left = [
        (entry.get("id", entry.get("what")), field, english_words(text))
        for _, entry in _entries(path, tables)
        for field, text in (entry.get("ru") or {}).items()
        if english_words(text)
    ]
    assert left == []


def _without_russian(source: Path, target: Path, indicator: str, field: str) -> Path:
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    entry = next(e for e in document["indicators"] if e["id"] == indicator)
    del entry["ru"][field]
    target.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return target


def test_the_loader_refuses_a_missing_translation_naming_the_entry_and_field(tmp_path):
    broken = _without_russian(
        CATALOGUE_FILE, tmp_path / "catalogue.yaml", "world_heritage_sites", "limits"
    )
    with pytest.raises(ContractError) as raised:
        load_catalogue(broken, SOURCES_FILE)
    failures = raised.value.failures
    assert failures[["row", "column"]].values.tolist() == [["world_heritage_sites", "ru.limits"]]
    assert "world_heritage_sites: limits has no 'ru' translation" in failures["reason"].iloc[0]


def test_the_loader_refuses_a_translated_field_the_entry_does_not_have(tmp_path):
    document = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    document["dimensions"][0]["ru"]["rationle"] = "опечатка в имени поля"
    broken = tmp_path / "catalogue.yaml"
    broken.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContractError) as raised:
        load_catalogue(broken, SOURCES_FILE)
    assert raised.value.failures[["row", "column"]].values.tolist() == [
        ["media_reach", "ru.rationle"]
    ]


def test_the_relational_loader_refuses_a_missing_translation_too(tmp_path):
    broken = _without_russian(
        RELATIONAL_FILE, tmp_path / "relational.yaml", "rel_eiti_gap", "proxy_for"
    )
    with pytest.raises(ContractError) as raised:
        load_relational_catalogue(broken, SOURCES_FILE)
    assert raised.value.failures[["row", "column"]].values.tolist() == [
        ["rel_eiti_gap", "ru.proxy_for"]
    ]


def test_a_group_without_its_russian_name_is_refused_by_name(tmp_path):
    groups = yaml.safe_load(GROUPS_FILE.read_text(encoding="utf-8"))
    del groups["BALTIC"]["ru"]
    broken = tmp_path / "groups.yaml"
    broken.write_text(yaml.safe_dump(groups, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="BALTIC"):
        load_groups(broken)


def test_one_catalogue_object_follows_the_language_of_each_run():
    catalogue = load_catalogue()
    # Expected texts as written in indicators/catalogue.yaml.
    i18n.use("ru")
    assert catalogue.dimension_names()["media_reach"] == "Медийный охват"
    assert catalogue.side_names() == {"reach": "Охват", "appeal": "Привлекательность"}
    assert catalogue.indicator_name("rsf_press_freedom") == "Свобода прессы (RSF)"
    heritage = catalogue.indicators.set_index("indicator").loc["world_heritage_sites"]
    assert heritage["unit"] == "объекты"
    assert heritage["absence_rationale"].startswith("Список полон")
    assert catalogue.decisions["decision"].iloc[0] == "перенесён"
    assert (
        catalogue.framework()["name"].iloc[0]
        == "Languages of the largest international broadcaster"
    )
    i18n.use("en")
    assert catalogue.dimension_names()["media_reach"] == "Media reach"
    assert catalogue.indicators.set_index("indicator").at["world_heritage_sites", "unit"] == (
        "properties"
    )
    assert catalogue.decisions["decision"].iloc[0] == "moved"


def test_the_relational_catalogue_follows_the_language():
    catalogue = load_relational_catalogue()
    i18n.use("ru")
    assert catalogue.dimension_names()["presence"] == "Дипломатическое присутствие"
    assert (
        catalogue.indicator_name("rel_confucius_institutes")
        == "Институты Конфуция в целевой стране"
    )


def test_every_country_has_a_cyrillic_name_in_russian():
    countries = load_countries()
    i18n.use("ru")
    names = country_names(countries)
    assert set(names.index) == set(countries["iso3"])
    assert [iso3 for iso3, name in names.items() if not CYRILLIC.search(name)] == []
    assert [iso3 for iso3, name in names.items() if LATIN_WORD.search(name)] == []
    # The short names a Russian reader expects, not pycountry's official forms.
    expected = {
        "RUS": "Россия",
        "TWN": "Тайвань",
        "KOR": "Южная Корея",
        "PRK": "КНДР",
        "IRN": "Иран",
        "SYR": "Сирия",
        "LAO": "Лаос",
        "VEN": "Венесуэла",
        "BOL": "Боливия",
        "TZA": "Танзания",
        "MDA": "Молдова",
        "VNM": "Вьетнам",
        "TUR": "Турция",
        "CIV": "Кот-д'Ивуар",
        "XKX": "Косово",
        "USA": "США",
        "GBR": "Великобритания",
    }
    assert {iso3: names[iso3] for iso3 in expected} == expected


def test_english_names_stay_the_tables_own():
    countries = load_countries()
    names = country_names(countries)
    assert names.to_dict() == countries.set_index("iso3")["name"].to_dict()


def test_an_uploaded_code_without_a_russian_name_keeps_its_own():
    i18n.use("ru")
    names = country_names(pd.DataFrame({"iso3": ["RUS", "ZZZ"], "name": ["Russia", "Zedland"]}))
    assert names.to_dict() == {"RUS": "Россия", "ZZZ": "Zedland"}


def _subsequence(typed: str, label: str) -> bool:
    # Oracle for `finds`: the typed characters in order, anything between, any case.
    pattern = ".*".join(re.escape(c) for c in typed)
    return re.search(pattern, label, flags=re.IGNORECASE | re.DOTALL) is not None


TYPED = {
    "en": {
        "Turkey": "TUR",
        "Türkiye": "TUR",
        "Russia": "RUS",
        "Russian Federation": "RUS",
        "Iran": "IRN",
        "Iran, Islamic Republic of": "IRN",
        "Syria": "SYR",
        "Syrian Arab Republic": "SYR",
        "South Korea": "KOR",
        "Korea, Republic of": "KOR",
        "Laos": "LAO",
        "Lao People's Democratic Republic": "LAO",
        "Ivory Coast": "CIV",
        "Côte d'Ivoire": "CIV",
    },
    "ru": {
        "Турция": "TUR",
        "Турецкая Республика": "TUR",
        "Россия": "RUS",
        "Российская Федерация": "RUS",
        "Иран": "IRN",
        "Сирия": "SYR",
        "Сирийская Арабская Республика": "SYR",
        "Южная Корея": "KOR",
        "Республика Корея": "KOR",
        "Лаос": "LAO",
        "Лаосская Народно-Демократическая Республика": "LAO",
        "Кот-д'Ивуар": "CIV",
        "Берег Слоновой Кости": "CIV",
    },
}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_names_people_type_find_their_country_in_the_picker_labels(lang):
    i18n.use(lang)
    labels = picker_labels(country_names(load_countries()))
    for typed, iso3 in TYPED[lang].items():
        assert _subsequence(typed, labels[iso3]), (typed, labels[iso3])
        assert finds(typed, labels[iso3]) == _subsequence(typed, labels[iso3])
    # Labels gain brackets only where a typed name is missing: most stay the plain name.
    assert labels["FRA"] == ("France" if lang == "en" else "Франция")
    assert sum("(" in label for label in labels.values()) < 40


def test_finds_agrees_with_a_subsequence_oracle():
    labels = ["Türkiye (Turkey)", "Russian Federation", "Южная Корея (Республика Корея)", "Chad"]
    typed = ["turkey", "tk", "Russia", "rf", "Ю К", "корея", "dach", "", "Chad "]
    for label in labels:
        for text in typed:
            assert finds(text, label) == _subsequence(text, label), (text, label)


def test_group_and_region_names_follow_the_language():
    groups = load_groups()
    assert group_name(groups["BALTIC"]) == "Baltic states"
    assert region_name("Southern Asia") == "Southern Asia"
    i18n.use("ru")
    assert group_name(groups["BALTIC"]) == "Страны Балтии"
    assert region_name("Southern Asia") == "Южная Азия"
    assert region_name("Atlantis") == "Atlantis"  # not a region the table writes


def _options(app, label_text):
    widgets = [w for w in [*app.selectbox, *app.multiselect] if w.label == label_text]
    assert widgets, f"no picker labelled {label_text!r}"
    return widgets[0].options


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_country_pages_picker_offers_the_typed_names(lang):
    app = open_app("views/country.py", lang=lang)
    pickers = [w for w in app.selectbox if w.key and "country" in w.key]
    assert pickers, [w.key for w in app.selectbox]
    options = pickers[0].options
    for typed in TYPED[lang]:
        assert [o for o in options if _subsequence(typed, o)], typed
    wanted = "Türkiye (Turkey)" if lang == "en" else "Турция (Турецкая Республика)"
    assert wanted in options
    # Choosing the label sets the country: the widget's value is still the ISO3 code.
    pickers[0].select("TUR").run()
    assert not app.exception
    assert app.query_params["country"] == "TUR"
    shown = "Türkiye" if lang == "en" else "Турция"
    assert shown in [h.value for h in app.header]


def test_the_compare_pages_picker_offers_the_typed_names_in_russian():
    app = open_app("views/compare.py", lang="ru")
    pickers = [w for w in app.multiselect if w.key and "compare" in w.key]
    assert pickers, [w.key for w in app.multiselect]
    options = pickers[0].options
    for typed in ("Южная Корея", "Турция", "Россия", "Берег Слоновой Кости"):
        assert [o for o in options if _subsequence(typed, o)], typed


def test_a_narrowed_catalogue_keeps_its_translations():
    from indicators.uploads import narrowed

    catalogue = load_catalogue()
    small = narrowed(catalogue, ["rsf_press_freedom"], ["mine.csv"], keep_sources=False)
    i18n.use("ru")
    assert small.indicator_names() == {"rsf_press_freedom": "Свобода прессы (RSF)"}
    i18n.use("en")
    assert small.indicator_names() == {"rsf_press_freedom": "Press freedom score (RSF)"}


def test_the_rankings_filters_name_regions_and_groups_in_russian():
    app = open_app("views/rankings.py", lang="ru")
    region = next(w for w in app.multiselect if w.key == "filter_region")
    group = next(w for w in app.multiselect if w.key == "filter_group")
    assert {"Европа", "Африка", "Азия"} <= set(region.options)
    assert "Страны Балтии" in group.options
    assert [o for o in [*region.options, *group.options] if english_words(o)] == []
    region.select("Europe").run()  # the value is still the table's own region
    assert not app.exception
    assert app.multiselect(key="filter_region").value == ["Europe"]


def test_sources_show_the_projects_own_words_in_russian_and_keep_the_data_english():
    catalogue = load_catalogue()
    i18n.use("ru")
    # Expected texts as written in indicators/sources.yaml.
    assert catalogue.sources_line(["diplomatic_posts"]) == (
        "Lowy Institute (2023 (выпуски 2016, 2017, 2021, 2023))"
    )
    shown = catalogue.with_sources().set_index("indicator")
    assert shown.at["broadcaster_languages", "publisher"].startswith("Страницы самих вещателей")
    assert shown.at["rsf_press_freedom", "title"] == "World Press Freedom Index 2025"  # a title
    # The data tables (sources.csv, vintage.csv) are written from `sources`: always English.
    english = catalogue.sources.set_index("source")
    assert english.at["lowy_gdi", "edition"] == "2023 (editions 2016, 2017, 2021, 2023)"
    assert "ru" not in catalogue.sources.columns


def test_a_source_translation_of_an_unknown_field_is_refused(tmp_path):
    sources = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))
    sources[0]["ru"] = {"editon": "2025"}
    broken = tmp_path / "sources.yaml"
    broken.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContractError) as raised:
        load_catalogue(CATALOGUE_FILE, broken)
    assert raised.value.failures[["row", "column"]].values.tolist() == [
        [sources[0]["id"], "ru.editon"]
    ]
