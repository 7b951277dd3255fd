"""The build turns a folder of publisher files into validated, reproducible tables; the shipped tables
pass the same contracts."""

import shutil

import pandas as pd
import pytest

from indicators import build
from indicators.catalogue import DATA_DIR, load_catalogue, load_countries, load_values, read_table
from indicators.countries import build_countries
from indicators.loaders import registry
from scoring.schemas import validate_countries

ESSAY_DIMENSIONS = [
    "media_reach",
    "migrant_integration",
    "eiti_participation",
    "diaspora_alignment",
]


def test_build_writes_every_table(built):
    assert sorted(path.name for path in built.iterdir()) == [
        "countries.csv",
        "dyads.csv",
        "published_indices.csv",
        "skipped.csv",
        "sources.csv",
        "values.csv",
        "vintage.csv",
    ]


def test_build_is_byte_for_byte_reproducible(sources, built, tmp_path):
    build.build(sources, tmp_path)
    for table in built.iterdir():
        assert (tmp_path / table.name).read_bytes() == table.read_bytes(), table.name


def test_every_loader_contributes_values(built):
    values = read_table(built / "values.csv")
    catalogue = load_catalogue()
    emitted = set(values["indicator"])
    assert emitted == set(catalogue.indicators["indicator"])
    assert list(values.columns) == ["iso3", "indicator", "year", "value", "note"]


def test_skipped_rows_name_their_loader_and_reason(built):
    skipped = read_table(built / "skipped.csv")
    assert list(skipped.columns) == ["loader", "file", "row", "reason"]
    assert skipped["reason"].notna().all()
    assert set(skipped["loader"]) >= {"vdem", "voeten", "lowy", "undesa", "worldbank"}


def test_build_refuses_values_that_break_the_catalogue(sources, tmp_path, monkeypatch):
    def out_of_range(_sources):
        from indicators.loaders import LoadResult, tidy

        return LoadResult(
            tidy([{"iso3": "RUS", "indicator": "rsf_press_freedom", "year": 2025, "value": 240.0}])
        )

    rsf = registry.LOADERS["rsf"]
    monkeypatch.setitem(registry.LOADERS, "rsf", registry.Loader("rsf", out_of_range, rsf.folders))
    assert build.main(["--sources", str(sources), "--out", str(tmp_path)]) == 2
    assert not (tmp_path / "values.csv").exists()


def test_build_writes_the_published_indices_table(built):
    text = (built / "published_indices.csv").read_bytes().decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == "index,edition,iso3,rank,score,source_url"
    assert "\r" not in text and text.endswith("\n")
    # Rank and score as published, empty where the row has none (fixture rows, sorted).
    assert lines[1].startswith("Anholt-Ipsos Nation Brands Index,2022,AUT,16,,")
    assert lines[2].startswith("Brand Finance Global Soft Power Index,2021,RUS,,50.5,")
    assert len(lines) == 1 + 8 + 1  # header, eight rows, the final newline


def test_published_indices_file_missing_is_a_clear_error(sources, tmp_path, capsys):
    partial = tmp_path / "sources"
    shutil.copytree(sources, partial)
    shutil.rmtree(partial / "published-soft-power-indices")
    assert build.main(["--sources", str(partial), "--out", str(tmp_path / "out")]) == 2
    assert "published_soft_power_indices.csv" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_missing_sources_folder_is_a_clear_error(tmp_path, capsys):
    assert build.main(["--sources", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


# ---- the shipped tables ----


@pytest.fixture(scope="module")
def shipped():
    catalogue = load_catalogue()
    countries = load_countries()
    return catalogue, countries, load_values(catalogue, countries)


def test_shipped_values_pass_their_contract_and_cover_every_indicator(shipped):
    catalogue, _, values = shipped
    assert set(values["indicator"]) == set(catalogue.indicators["indicator"])
    assert values["year"].min() >= 2010


def test_at_least_150_countries_have_every_essay_dimension_but_eiti(shipped):
    catalogue, _, values = shipped
    dimension = values["indicator"].map(catalogue.framework().set_index("indicator")["dimension"])
    countries = values.assign(dimension=dimension).groupby("dimension")["iso3"].nunique()
    for essay_dimension in ESSAY_DIMENSIONS:
        # EITI: only the countries on the EITI record (members, former members, supporters and
        # Russia's declined outreach); the rest are not applicable or unknown.
        assert countries[essay_dimension] >= (
            70 if essay_dimension == "eiti_participation" else 150
        )


@pytest.mark.parametrize(
    "iso3, indicator, year, value",
    [
        ("NOR", "rsf_press_freedom", 2025, 92.31),
        ("RUS", "rsf_press_freedom", 2025, 24.57),
        ("RUS", "passport_visa_free", 2025, 117),
        ("DEU", "diplomatic_posts", 2023, 217),
        ("RUS", "eiti_status_score", 2024, 0),
        ("SEN", "eiti_validation_score", 2021, 93),
        ("RUS", "mipex_access_nationality", 2019, 43.75),
    ],
)
def test_shipped_values_match_the_publishers(shipped, iso3, indicator, year, value):
    values = shipped[2].set_index(["iso3", "indicator", "year"])["value"]
    assert values.loc[(iso3, indicator, year)] == pytest.approx(value)


def test_readme_sources_table_is_rendered_from_the_catalogue():
    readme = (DATA_DIR.parent / "README.md").read_text()
    table = build.sources_markdown(load_catalogue())
    assert build.with_sources_table(readme, table) == readme


def test_shipped_sources_table_matches_the_catalogue():
    shipped = read_table(DATA_DIR / "sources.csv")
    expected = load_catalogue().sources.astype(str)
    pd.testing.assert_frame_equal(shipped.astype(str), expected.reset_index(drop=True))


def test_values_are_rounded_to_six_decimals():
    # derived shares carry float noise: six decimals keep a millionth and make the bytes repeat
    catalogue = load_catalogue()
    countries = validate_countries(build_countries())
    values = pd.DataFrame(
        {"iso3": ["RUS"], "indicator": ["rsf_press_freedom"], "year": [2025],
         "value": [45.1234564999], "note": [""]}
    )  # fmt: skip
    assert build.curate(values, catalogue, countries)["value"].tolist() == [45.123456]
