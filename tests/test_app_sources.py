"""The Indicators and sources page, driven headless with AppTest: an indicator's definition, source,
values and coverage; the tables by dimension; the coverage heatmap; the methodology and source list
rendered from the catalogue and the current Method."""

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import DATA_DIR, load_catalogue, load_countries, load_values, read_table
from scoring.method import Method
from tests.app_driver import chart_figure, open_app


def latest_in_window(values, indicator: str, first: int = 2010, last: int = 2025) -> pd.DataFrame:
    """Oracle, in plain pandas: each country's row of its latest year in [first, last] (the
    default Method reads 2010-2025), indexed by iso3."""
    rows = values[(values["indicator"] == indicator) & values["year"].between(first, last)]
    return rows.sort_values(["iso3", "year"]).groupby("iso3").tail(1).set_index("iso3")


PAGE = "views/sources.py"


def open_page(**query) -> AppTest:
    return open_app(PAGE, **query)


@pytest.fixture(scope="module")
def shipped():
    catalogue = load_catalogue()
    countries = load_countries()
    return catalogue, countries, load_values(catalogue, countries)


@pytest.fixture(scope="module")
def page():
    return open_page()


# AppTest gives dataframes no key: each table is known by columns only it has.
TABLE_COLUMNS = {
    "sources_facts": {"Property", "Value"},
    "sources_country_table": {"ISO3", "Note"},
    "sources_dimension_table": {"iso3", "Country", "Region"},
    "sources_dimension_coverage": {"Indicator", "Countries", "Years"},
    "sources_table": {"Publisher", "Licence", "In data downloads"},
    "sources_skipped": {"loader", "file", "row", "reason"},
}


def frame(app: AppTest, key: str) -> pd.DataFrame:
    if key.startswith("sources_members_"):
        dimension = key.removeprefix("sources_members_")
        tables = [d.value for d in app.dataframe if {"Name", "Unit", "Weight"} <= set(d.value)]
        order = load_catalogue().dimensions["dimension"].tolist()
        return tables[order.index(dimension)]
    return next(d.value for d in app.dataframe if TABLE_COLUMNS[key] <= set(d.value.columns))


def markdown_text(app: AppTest) -> str:
    return "\n".join(block.value for block in app.markdown)


def test_the_first_indicator_shows_its_definition_source_and_coverage(page, shipped):
    catalogue, countries, values = shipped
    assert page.title[0].value == "Indicators and sources"
    assert [tab.label for tab in page.tabs] == [
        "Indicator",
        "Tables by dimension",
        "Coverage",
        "Methodology and sources",
    ]
    picker = page.selectbox(key="sources_indicator")
    assert picker.value == "broadcaster_languages"  # the catalogue's first
    assert picker.options[0] == "Media reach · Languages of the largest international broadcaster"
    assert len(picker.options) == len(catalogue.indicators)
    row = catalogue.with_sources().set_index("indicator").loc["broadcaster_languages"]
    text = markdown_text(page)
    for field in ("description", "proxy_for", "limits", "publisher", "title", "licence", "url"):
        assert row[field] in text, field
    assert "**In data downloads:** yes" in text  # hand-compiled facts, redistributable
    latest = latest_in_window(values, "broadcaster_languages")
    assert page.metric[0].value == f"{len(latest)} of {len(countries)}"
    # the broadcasters' facts are dated 2012 to 2025, and so are the zeros of countries without one
    assert page.metric[1].value == "2012–2025"


def test_the_country_table_histogram_and_map_hold_the_scored_values(page, shipped):
    _, countries, values = shipped
    latest = latest_in_window(values, "broadcaster_languages")
    table = frame(page, "sources_country_table").set_index("ISO3")
    assert table["Value"].to_dict() == latest["value"].to_dict()
    assert table.loc["RUS", "Value"] == 31  # Sputnik's languages, c. 2024
    assert table.loc["RUS", "Year"] == 2024
    assert table.loc["RUS", "Note"] == latest.loc["RUS", "note"]
    assert table["Value"].is_monotonic_decreasing  # direction +1: best first
    histogram = chart_figure(page, "sources_histogram")
    assert sorted(histogram["data"][0]["x"]) == sorted(latest["value"])
    marker = histogram["layout"]["shapes"][0]
    assert marker["x0"] == latest.loc["RUS", "value"]  # the state's country is marked
    world = chart_figure(page, "sources_map")
    assert dict(zip(world["data"][0]["locations"], world["data"][0]["z"], strict=True)) == (
        latest["value"].to_dict()
    )


def test_a_lower_is_better_indicator_says_so_and_lists_best_first():
    app = open_page()
    app.selectbox(key="sources_indicator").set_value("naturalisation_residence_years").run()
    facts = frame(app, "sources_facts").set_index("Property")["Value"]
    assert facts["Direction"] == "lower is better (flipped before normalising)"
    assert facts["Unit"] == "years"
    assert facts["Allowed range"] == "0 to 50"
    assert frame(app, "sources_country_table")["Value"].is_monotonic_increasing


def test_the_sidebar_year_changes_which_values_are_shown(shipped):
    _, countries, values = shipped
    # 2020 is the earliest last year the catalogue can be scored up to (GLOBALCIT's 2020 law)
    app = open_page(window="2010-2021")
    app.selectbox(key="sources_indicator").set_value("fh_total_score").run()
    latest = latest_in_window(values, "fh_total_score", 2010, 2021)
    table = frame(app, "sources_country_table").set_index("ISO3")
    assert table["Value"].to_dict() == latest["value"].to_dict()
    assert table["Year"].max() == 2021
    first, last = latest["year"].min(), latest["year"].max()
    assert (app.metric[0].value, app.metric[1].value) == (
        f"{len(latest)} of {len(countries)}",
        f"{first}–{last}",
    )
    assert latest_in_window(values, "fh_total_score")["year"].max() == 2025  # so 2021 is the window


def test_an_indicator_without_values_in_the_years_read_gives_guidance():
    app = open_page(window="2010-2022")  # RSF: the 2025 edition only
    app.selectbox(key="sources_indicator").set_value("rsf_press_freedom").run()
    assert any("No country has a value" in info.value for info in app.info)
    assert not app.get("plotly_chart") or all(
        "sources_map" not in c.proto.id for c in app.get("plotly_chart")
    )


def test_tables_by_dimension_show_each_dimension_with_values(page):
    # Formerly the "Indicators by dimension" page.
    assert page.selectbox(key="sources_dimension").options[:4] == [
        "Media reach",
        "Cultural diplomacy",
        "Visa openness",
        "Democratic credentials",
    ]
    russia = frame(page, "sources_dimension_table").set_index("iso3").loc["RUS"]
    languages = "Languages of the largest international broadcaster"
    assert russia[f"{languages} (languages)"] == 31
    assert russia[f"{languages}: year"] == 2024
    metric = next(m for m in page.metric if m.label == "Countries with at least one value")
    assert metric.value.endswith("of 250")
    coverage = frame(page, "sources_dimension_coverage")
    assert coverage["Indicator"].tolist()[0] == languages


def test_the_coverage_grid_sorts_by_coverage_or_name(page, shipped):
    catalogue, countries, values = shipped
    grid = chart_figure(page, "sources_coverage_heatmap")["data"][0]
    present = np.array(grid["z"])  # indicators (rows) x countries (columns)
    assert present.shape == (len(catalogue.indicators), len(countries))
    per_country, per_indicator = present.sum(axis=0), present.sum(axis=1)
    assert per_country.tolist() == sorted(per_country, reverse=True)
    assert per_indicator.tolist() == sorted(per_indicator, reverse=True)
    readable = values[values["year"].between(2010, 2025)]
    assert per_country[0] == readable.groupby("iso3")["indicator"].nunique().max()
    missing = np.array(grid["customdata"]) == "no data"
    assert (missing == (present == 0)).all()
    page.radio(key="sources_coverage_order").set_value("name").run()
    grid = chart_figure(page, "sources_coverage_heatmap")["data"][0]
    assert grid["x"] == sorted(grid["x"])
    assert grid["y"] == catalogue.indicators["name"].tolist()


def test_methodology_and_sources_are_rendered_from_the_catalogue_and_method(shipped):
    catalogue, _, _ = shipped
    app = open_page(norm="percentile_rank", cov="0.6")
    text = markdown_text(app)
    # the steps of this Method, as a reader of the page should find them
    for line in [
        "**Years.** Latest value 2010–2025 for each country and indicator.",
        "**Coverage threshold.** A country is scored only if the indicators it has carry at least "
        "60% of the effective weight",
        "**Missing data.** No imputation: missing values stay missing.",
        "**Outliers.** None: values are used as they are.",
        "**Normalisation.** Percentile rank: (rank - 1) / (n - 1) times scale, with scale = 100. "
        "Direction −1 flips an indicator first.",
        "**Weights.** Catalogue defaults: the catalogue's weights.",
        "**Rank.** 1 = best; tied scores share the better rank.",
    ]:
        assert line in text
    for dimension in catalogue.dimensions.itertuples():
        assert f"**{dimension.name}** (default weight {dimension.weight:g}). " in text
        members = frame(app, f"sources_members_{dimension.dimension}")
        assert set(members["Name"]) == set(
            catalogue.indicators.loc[
                catalogue.indicators["dimension"] == dimension.dimension, "name"
            ]
        )
    sources = frame(app, "sources_table")
    assert len(sources) == len(catalogue.sources)
    assert set(sources["Licence"]) == set(catalogue.sources["licence"])
    rsf = sources.set_index("Publisher").loc["Reporters Without Borders (RSF)"]
    assert rsf["In data downloads"] == "no" and rsf["Indicators"] == "Press freedom score (RSF)"
    skipped = frame(app, "sources_skipped")
    assert skipped.equals(read_table(DATA_DIR / "skipped.csv"))
    assert list(skipped.columns) == ["loader", "file", "row", "reason"]


# ---- data vintage, stale flag and the last update's change report ----

TABLE_COLUMNS["sources_vintage"] = {"Retrieved", "Latest year", "Status", "Why stale"}
TABLE_COLUMNS["sources_changes_values"] = {"change", "old", "new", "delta"}
TABLE_COLUMNS["sources_changes_coverage"] = {"countries_before", "countries_after"}
TABLE_COLUMNS["sources_changes_ranks"] = {"rank_before", "rank_after", "rank_change"}


def expected_vintage(values, max_age):
    from datetime import date

    from indicators.vintage import load_vintage, stale_indicators

    return stale_indicators(load_vintage(DATA_DIR), values, date.today(), max_age).set_index(
        "indicator"
    )


def test_the_vintage_table_and_facts_show_edition_retrieval_and_latest_year(page, shipped):
    catalogue, _, values = shipped
    expected = expected_vintage(values, 3)
    table = frame(page, "sources_vintage")
    assert len(table) == len(catalogue.indicators)
    names = catalogue.indicators.set_index("indicator")["name"]
    table = table.set_index(table["Indicator"].map({v: k for k, v in names.items()}))
    assert (table["Status"] == "stale").to_dict() == expected["stale"].to_dict()
    rsf = table.loc["rsf_press_freedom"]
    assert rsf["Edition"] == expected.loc["rsf_press_freedom", "edition"]
    assert rsf["Retrieved"] == "2025-08-08"  # the copy PROVENANCE.md names
    assert rsf["Latest year"] == "2025"
    assert table.loc["broadcaster_languages", "Retrieved"] == "unknown"  # hand-compiled
    facts = frame(page, "sources_facts").set_index("Property")["Value"]  # the first indicator
    broadcasters = table.loc["broadcaster_languages"]
    assert facts["Edition"] == broadcasters["Edition"] and facts["Latest year"] == "2025"
    assert facts["Retrieved"] == "unknown"
    assert any("No update has been applied since the data were built" in i.value for i in page.info)
    assert "uv run scorecard update-data --from-dir DIR" in page.code[0].value


def test_the_stale_flag_follows_the_age_input(shipped):
    _, _, values = shipped
    app = open_page()
    assert app.number_input(key="sources_stale_years").value == 3
    before = (frame(app, "sources_vintage")["Status"] == "stale").sum()
    app.number_input(key="sources_stale_years").set_value(1).run()
    after = (frame(app, "sources_vintage")["Status"] == "stale").sum()
    assert after == expected_vintage(values, 1)["stale"].sum()
    assert before == expected_vintage(values, 3)["stale"].sum()
    assert after > before
    app.number_input(key="sources_stale_years").set_value(50).run()
    stale = frame(app, "sources_vintage")
    assert set(stale.loc[stale["Status"] == "stale", "Why stale"]) <= {"no value"}


def test_the_latest_change_report_is_shown_with_downloads(tmp_path, monkeypatch, shipped):
    import shutil

    from indicators.changes import change_report, read_values

    catalogue, countries, _ = shipped
    old = read_values(DATA_DIR)
    new = old.copy()
    row = new.index[(new["iso3"] == "NOR") & (new["indicator"] == "rsf_press_freedom")][-1]
    new.loc[row, "value"] = 50.0
    new = new.drop(new.index[(new["iso3"] == "RUS") & (new["indicator"] == "fh_total_score")])
    report = change_report(old, new, catalogue, Method(), countries)
    shutil.copy(DATA_DIR / "vintage.csv", tmp_path / "vintage.csv")
    for table in ("values.csv", "countries.csv", "skipped.csv", "sources.csv"):
        (tmp_path / table).symlink_to(DATA_DIR / table)  # SCORECARD_DATA_DIR holds all tables
    change_report(old, old, catalogue, Method(), countries).write(
        tmp_path / "changes", "20260101T000000Z"
    )
    paths = report.write(tmp_path / "changes", "20260401T120000Z")
    monkeypatch.setenv("SCORECARD_DATA_DIR", str(tmp_path))
    app = open_page()
    assert not any("No update has been applied" in i.value for i in app.info)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Values revised"] == "1"
    assert metrics["Values removed"] == str(len(report.removed))
    shown = frame(app, "sources_changes_values")
    assert len(shown) == len(report.values)
    revised = shown[shown["change"] == "revised"].iloc[0]
    assert (revised["iso3"], revised["indicator"], revised["new"]) == (
        "NOR",
        "rsf_press_freedom",
        50,
    )
    coverage = frame(app, "sources_changes_coverage").set_index("indicator")
    assert (
        coverage.loc["fh_total_score", "countries_after"]
        == (report.coverage.set_index("indicator").loc["fh_total_score", "countries_after"])
    )
    ranks = frame(app, "sources_changes_ranks")
    assert len(ranks) == len(report.ranks)
    assert any("2026-04-01 12:00 UTC" in c.value for c in app.caption)
    labels = [b.label for b in app.get("download_button")]
    assert labels == [f"Download {path.name}" for path in paths]
