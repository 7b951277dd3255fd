"""Bring your own data, Actor view and Scenarios in Russian (AppTest, `lang=ru`): no English left on
any tab, the upload's rejection report in Russian with every row, column and value kept, the link
notices in Russian, and scenarios saved and loaded under the names people type.

The expected Russian texts are written out here by hand from the English ones the pages showed
before translation (tests/test_app_upload.py holds the English), not taken from the catalogue."""

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.upload_text import TEMPLATES, fields, translated
from indicators.uploads import UploadedFile
from scoring import limits
from scoring.method import Method
from store.scenarios import ScenarioStore
from tests.app_driver import open_app
from tests.untranslated import untranslated

APP = "../dashboard.py"
UPLOAD, ACTOR, SCENARIOS = "views/upload.py", "views/actor.py", "views/scenarios.py"
# tests/test_app_upload.py's broken file: Namibia's "NA", "n/a", an unknown indicator, a repeat.
BROKEN = (
    b"iso3,indicator,year,value,note\n"
    b"RUS,rsf_press_freedom,2025,24.57,\n"
    b"NA,rsf_press_freedom,2025,65.8,Namibia's ISO2 code\n"
    b"CHN,rsf_press_freedom,2025,n/a,\n"
    b"\n"
    b"USA,press_freedom,2025,57.8,\n"
    b"DEU,rsf_press_freedom,2025,88.9,\n"
    b"DEU,rsf_press_freedom,2025,88.9,\n"
)
REPEAT = "повтор (iso3, indicator, year): тот же ключ есть и в другой строке"


def english_left(app: AppTest) -> list:
    """What untranslated() finds in the page (the main area; the sidebar is every page's and is
    tested with the frame), printed so that a failure says which texts."""
    found = untranslated(app.main)
    for text, words in found:
        print(repr(text[:120]), words)
    return found


def open_upload(files: dict | None = None, **query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"lang": "ru", **query}.items():
        app.query_params[key] = value
    if files is not None:
        app.session_state["upload_files"] = files
    app.run()
    app.switch_page(UPLOAD).run()
    assert not app.exception, app.exception
    return app


def texts(elements) -> list[str]:
    """The elements' texts as a reader sees them (without md()'s Markdown escapes)."""
    return [re.sub(r"\\(.)", r"\1", element.value) for element in elements]


# ---- Bring your own data


def test_the_upload_page_without_a_file_is_all_russian():
    app = open_upload()
    assert "Загрузите файл значений, чтобы проверить его." in texts(app.info)
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels[:2] == ["Скачать шаблон значений (CSV)", "Скачать шаблон структуры (CSV)"]
    assert english_left(app) == []


def test_a_bad_upload_is_reported_in_russian_naming_each_row_column_and_value():
    app = open_upload({"values": UploadedFile("broken.csv", BROKEN)})
    failures = next(d.value for d in app.dataframe if "Причина" in d.value.columns)
    assert list(failures.columns) == ["Файл", "Строка", "Столбец", "Значение", "Причина"]
    assert failures[["Строка", "Столбец", "Значение", "Причина"]].values.tolist() == [
        [3, "iso3", "NA", "неизвестный код страны «NA»"],
        [4, "value", "n/a", "«n/a» — не число"],
        [6, "indicator", "press_freedom", "неизвестный индикатор «press_freedom»"],
        [7, "iso3", "DEU", REPEAT],
        [8, "iso3", "DEU", REPEAT],
    ]
    assert "**broken.csv**: Прочитано 6 строк: принято 1, отклонено 5." in texts(app.markdown)
    # The one accepted row: counted with Russian plural forms (1 значение, 1 страна, ...).
    assert any(
        "1 значение; 1 страна; 1 индикатор; 1 измерение; 2025 год." in text
        for text in texts(app.markdown)
    )
    # The download holds what the table shows, under the same headings.
    download = next(
        b for b in app.get("download_button") if b.proto.label == "Скачать список ошибок (CSV)"
    )
    assert download is not None
    assert english_left(app) == []


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Файл broken.csv пуст."),
        (
            b"iso3;indicator;year;value\nRUS;rsf_press_freedom;2025;24,57\n",
            "В файле broken.csv столбцы разделены точкой с запятой (;), а не запятыми.",
        ),
        (
            b"iso3,indicator,year\nRUS,rsf_press_freedom,2025\n",
            "В файле broken.csv нет столбца `value`. Нужны: `iso3`, `indicator`, `year`, "
            "`value`; в заголовке есть: `iso3`, `indicator`, `year`.",
        ),
    ],
    ids=["empty", "semicolons", "missing column"],
)
def test_an_unreadable_upload_says_why_in_russian(content, message):
    app = open_upload({"values": UploadedFile("broken.csv", content)})
    assert any(message in text for text in texts(app.error)), texts(app.error)
    assert "Ни одна строка не принята" in " ".join(texts(app.warning))
    assert english_left(app) == []


def test_a_refused_size_is_explained_in_russian_with_the_limit_and_its_variable(monkeypatch):
    monkeypatch.setenv("SCORECARD_MAX_ROWS", "2")
    limits.current.cache_clear()  # the process reads its limits once
    rows = b"".join(b"RUS,rsf_press_freedom,%d,24.5\n" % year for year in range(2000, 2020))
    try:
        app = open_upload(
            {"values": UploadedFile("long.csv", b"iso3,indicator,year,value\n" + rows)}
        )
    finally:
        limits.current.cache_clear()
    error = " ".join(texts(app.error))
    assert "В файле long.csv слишком много строк" in error, error
    assert "21 строка; предел — 2." in error and "SCORECARD_MAX_ROWS" in error, error


def test_every_reason_template_reads_back_its_own_specifics():
    """Each template, filled with sample specifics, is recognised with those specifics: the
    Russian reason can keep them. (The samples hold no text of the template itself.)"""
    for template in TEMPLATES:
        names = [part[1:-1] for part in pd.Series([template]).str.findall(r"\{\w+\}")[0]]
        sample = {name: f"<{name} {i}>" for i, name in enumerate(names)}
        assert fields(template.format(**sample)) == sample, template


def test_the_checks_reasons_all_have_a_template():
    """Every reason the contracts give for a values or framework file (scoring/ writes them in
    English) matches a template, so none reaches a Russian reader in English."""
    from indicators.catalogue import load_catalogue, load_countries
    from scoring.schemas import check_framework, check_values

    catalogue, countries = load_catalogue(), load_countries()
    values = pd.DataFrame(
        {
            "iso3": ["RUS", "NA", "RUZ", "CHN", "USA", "DEU", "DEU", "FRA", "GBR", "ITA", "ESP"],
            "indicator": ["rsf_press_freedom"] * 4 + ["press_freedom"] + ["rsf_press_freedom"] * 6,
            "year": [
                "2025",
                "2025",
                "2025",
                "2025",
                "2025",
                "2025",
                "2025",
                "20.5",
                "1700",
                "",
                "2025",
            ],
            "value": ["24.5", "65.8", "1", "n/a", "57.8", "88.9", "88.9", "1", "1", "1", "400"],
        }
    )
    framework = pd.DataFrame(
        {
            "indicator": ["good_one", "Bad-Id", "third", "fourth", "fifth"],
            "dimension": ["voice", "voice", "voice", "voice", "voice"],
            "direction": ["1", "1", "2", "1", "1"],
            "weight": ["1", "1", "1", "-1", "1e300"],
        }
    )
    reasons = list(
        check_values(values, catalogue.framework(), countries).failures["reason"]
    ) + list(check_framework(framework).failures["reason"])
    assert len(reasons) >= 10
    assert [reason for reason in reasons if fields(reason) is None] == []
    by_hand = {
        "400 is outside rsf_press_freedom's range [0, 100]": (
            "400 вне допустимого диапазона индикатора rsf_press_freedom [0, 100]"
        ),
        "1700 is outside (1990, 2030)": "1700 вне диапазона (1990, 2030)",
        "unknown country code 'RUZ' (did you mean RUS?)": (
            "неизвестный код страны «RUZ» (возможно, имелся в виду RUS?)"
        ),
        "'20.5' is not a whole number": "«20.5» — не целое число",
        "direction must be 1 or -1, not 2": "направление должно быть 1 или -1, а не 2",
        "weight -1.0 is negative": "вес -1.0 отрицателен",
    }
    import i18n

    i18n.use("ru")
    try:
        for english, russian in by_hand.items():
            assert english in reasons, (english, reasons)
            assert translated(english) == russian
    finally:
        i18n.use("en")


# ---- Actor view


def test_the_actor_view_is_all_russian_on_every_tab():
    app = open_app(ACTOR, lang="ru")
    assert [tab.label for tab in app.get("tab")] == [
        "Карта",
        "Страны-адресаты",
        "Интервалы мест",
        "Сравнение акторов",
        "Динамика",
    ]
    # The addressee groups are shown in Russian; their values stay the page's ids.
    groups = app.multiselect(key="actor_addressees")
    assert groups.options == [
        "Постсоветское пространство",
        "Незападные страны (БРИКС)",
        "Европа (ЕС)",
    ]
    groups.set_value(["Post-Soviet"]).run()
    assert not app.exception, app.exception
    targets = next(d.value for d in app.dataframe if "Присутствие" in d.value.columns)
    assert "KAZ" in set(targets["ISO3"]) and "DEU" not in set(targets["ISO3"])
    assert english_left(app) == []


# ---- Scenarios


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "scenarios.sqlite3"
    monkeypatch.setenv("SCORECARD_SCENARIOS", str(path))
    return path


def test_scenarios_save_and_load_in_russian_keep_the_typed_names(store_path):
    app = open_app(SCENARIOS, lang="ru", dw="media_reach:5")
    assert any("Сохранённых сценариев пока нет" in text for text in texts(app.info))
    name = "Медиа прежде всего (Media first)"  # typed by a person: never translated
    app.text_input(key="scenario_name").input(name)
    app.button(key="scenario_save").click().run()
    assert not app.exception, app.exception
    assert f"Текущий метод сохранён как «{name}»." in texts(app.success)
    owner = f"session:{app.session_state['scenario_session_id']}"
    assert ScenarioStore(store_path).load(owner, name) == Method(
        dimension_weights={"media_reach": 5.0}
    )
    listed = next(d.value for d in app.dataframe if "Сценарий" in d.value.columns)
    assert listed["Сценарий"].tolist() == [name]

    # Saved again without "replace": the store's refusal, in Russian, names the scenario.
    app.text_input(key="scenario_name").input(name)
    app.button(key="scenario_save").click().run()
    assert any(f"сценарий с названием '{name}' уже есть" in text for text in texts(app.warning)), (
        texts(app.warning)
    )

    # Back to the defaults, then load the saved one: the weights follow.
    app.session_state["method"] = Method()
    app.run()
    app.selectbox(key="scenario_chosen").select(name).run()
    app.button(key="scenario_load").click().run()
    assert not app.exception, app.exception
    assert f"Загружен сценарий «{name}»: теперь все страницы строят оценки по нему." in texts(
        app.success
    )
    assert app.session_state["method"] == Method(dimension_weights={"media_reach": 5.0})

    # The comparison: the current method is offered under its Russian name, saved ones as typed.
    assert app.selectbox(key="scenario_a").options == ["Текущий метод", name]
    compared = next(d.value for d in app.dataframe if "Изменение места" in d.value.columns)
    assert list(compared.columns) == [
        "Страна",
        "iso3",
        "Балл A",
        "Место A",
        "Балл B",
        "Место B",
        "Изменение балла",
        "Изменение места",
    ]
    # The one English word left is the scenario's own name, as typed.
    assert [text for text, _words in english_left(app) if name not in text] == []


# ---- link notices


def test_the_link_notices_are_in_russian_and_quote_the_link():
    app = open_app(lang="ru", country="XXX", actor="QQQ")
    warnings = texts(app.warning)
    assert any("В ссылке неизвестный код страны «XXX»; показана страна RUS." in w for w in warnings)
    assert any("В ссылке неизвестный код актора «QQQ»; показан RUS." in w for w in warnings)
