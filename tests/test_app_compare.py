"""The Compare page, driven headless with AppTest: ranks and values are the engine's, the
selection round-trips through the URL, too few or too many countries give guidance."""

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from tests.app_driver import open_app

PAGE = "views/compare.py"
KEY = "compare_countries"
HEADLINE, RANKS, DELTAS, INDICATORS = 0, 1, 2, 3


def open_page(**query) -> AppTest:
    return open_app(PAGE, **query)


@pytest.fixture(scope="module")
def engine():
    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    sc = build_scorecard(prepared, method=Method(), countries=countries)
    return sc, catalogue, countries.set_index("iso3")["name"]


def test_the_default_comparison_shows_charts_ranks_and_values(engine):
    sc, catalogue, names = engine
    app = open_page()
    chosen = ["RUS", "CHN", "USA", "DEU", "TUR"]
    assert app.multiselect(key=KEY).value == chosen
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    # radar, bars, then the waterfall of why the first outranks the second (views/explain.py)
    assert [chart["data"][0]["type"] for chart in charts] == ["scatterpolar", "bar", "waterfall"]
    assert [trace["name"] for trace in charts[0]["data"]] == names[chosen].tolist()

    headline = app.dataframe[HEADLINE].value
    assert list(headline.columns) == ["Overall", "Reach", "Appeal"]
    assert headline.index.tolist() == names[chosen].tolist()
    for column, measure in [("Overall", "overall"), ("Reach", "reach"), ("Appeal", "appeal")]:
        assert headline[column].tolist() == sc.results.loc[chosen, measure].tolist()

    ranks = app.dataframe[RANKS].value
    assert list(ranks.columns) == names[chosen].tolist()
    reach = sc.results["reach"].rank(ascending=False, method="min").loc[chosen]
    assert ranks.loc["Reach"].tolist() == reach.astype(int).tolist()
    assert ranks.loc["Overall"].tolist() == sc.results.loc[chosen, "rank"].tolist()
    media = sc.results["media_reach"].rank(ascending=False, method="min").loc[chosen]
    assert ranks.loc["Media reach"].tolist() == media.astype(int).tolist()

    deltas = app.dataframe[DELTAS].value
    overall = sc.results["rank"]
    assert deltas.loc["Overall", "United States"] == overall["RUS"] - overall["USA"]

    values = app.dataframe[INDICATORS].value
    assert len(values) == len(catalogue.indicators)
    assert values.loc["rsf_press_freedom", "China"] == sc.raw.at["CHN", "rsf_press_freedom"]
    assert np.isnan(values.loc["eiti_validation_score", "Russian Federation"])  # no data


def test_choosing_three_countries_writes_them_to_the_url():
    app = open_page()
    app.multiselect(key=KEY).set_value(["FRA", "RUS", "KAZ"]).run()
    assert not app.exception
    assert app.query_params["compare"] == "FRA,RUS,KAZ"
    assert list(app.dataframe[RANKS].value.columns) == [
        "France",
        "Russian Federation",
        "Kazakhstan",
    ]
    assert list(app.dataframe[DELTAS].value.columns) == ["Russian Federation", "Kazakhstan"]
    assert app.subheader[0].value == "Places above France"


def test_a_link_reopens_the_comparison():
    app = open_page(compare="JPN,KOR")
    assert app.multiselect(key=KEY).value == ["JPN", "KOR"]
    assert list(app.dataframe[RANKS].value.columns) == ["Japan", "South Korea"]


@pytest.mark.parametrize("query", [{"compare": "RUS"}, {"compare": ""}])
def test_fewer_than_two_countries_give_guidance(query):
    app = open_page(**query)
    assert any("at least two countries" in info.value for info in app.info)
    assert not app.dataframe and not app.get("plotly_chart")


def test_more_than_six_countries_are_refused_with_a_message():
    app = open_page()
    seven = ["RUS", "CHN", "USA", "DEU", "TUR", "FRA", "IND"]
    app.multiselect(key=KEY).set_value(seven).run()
    assert not app.exception
    assert any("at most 6 countries" in warning.value for warning in app.warning)
    assert app.session_state["compare"] == seven[:6]
    assert len(app.dataframe[RANKS].value.columns) == 6


def test_an_unscored_country_in_the_link_is_left_out_with_a_note(engine):
    sc, _, _ = engine
    assert "ABW" not in sc.results.index
    app = open_page(compare="RUS,ABW,CHN")
    assert app.multiselect(key=KEY).value == ["RUS", "CHN"]
    assert any("Aruba" in info.value for info in app.info)


def highlighted(app: AppTest, table: int) -> set[tuple[int, int]]:
    """(row, column) of the cells the Styler marks (columns count from the first data column)."""
    styles = app.dataframe[table].proto.arrow_data.styler.styles
    return {(int(row), int(col)) for row, col in re.findall(r"_row(\d+)_col(\d+)", styles)}


def test_the_best_value_of_each_indicator_is_highlighted_taking_the_direction_into_account():
    app = open_page(compare="RUS,CHN,DEU")
    values = app.dataframe[INDICATORS].value
    columns = {name: k for k, name in enumerate(values.columns)}
    rows = {indicator: k for k, indicator in enumerate(values.index)}
    marked = highlighted(app, INDICATORS)
    # Press freedom: higher is better, Germany leads.
    assert (rows["rsf_press_freedom"], columns["Germany"]) in marked
    assert (rows["rsf_press_freedom"], columns["China"]) not in marked
    # Years of residence before naturalisation: fewer is better (direction -1).
    residence = values.loc["naturalisation_residence_years", ["Russian Federation", "Germany"]]
    best = residence.idxmin()
    assert residence.min() < residence.max()
    assert (rows["naturalisation_residence_years"], columns[best]) in marked
    # Indicators with weight 0 are shown but not judged.
    assert not any(row == rows["diaspora_turnout"] for row, _ in marked)
