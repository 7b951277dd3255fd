"""The Country scorecard page, driven headless with AppTest: the numbers are those the scoring
engine computes, the country and the peers round-trip through the URL, a screened-out country
says why and still shows its values."""

import base64
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_catalogue, load_countries, load_values
from indicators.countries import load_groups
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from scoring.uncertainty import monte_carlo
from tests.app_driver import open_app

PAGE = "views/country.py"
# Tables in page order: dimensions, strengths, weaknesses, then one per dimension.
DIMENSIONS, STRENGTHS, WEAKNESSES, FIRST_INDICATORS = 0, 1, 2, 3


def open_page(**query) -> AppTest:
    return open_app(PAGE, **query)


@pytest.fixture(scope="module")
def engine():
    catalogue = load_catalogue()
    countries = load_countries()
    values = load_values(catalogue, countries)
    prepared = prepare(values, catalogue, countries=countries)

    def score(method: Method | None = None):
        return build_scorecard(prepared, method=method or Method(), countries=countries)

    return score, catalogue, countries, values


def numbers(array) -> list[float]:
    """A plotly 7 figure array: a list, or a typed array {dtype, bdata (base64)}."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def overall_rank_among(sc, iso3s) -> pd.Series:
    """Rank by overall score among the given countries that were scored (1 = best, ties share
    the better rank), in plain pandas."""
    overall = sc.results.loc[sc.results.index.isin(set(iso3s)), "overall"]
    return overall.rank(ascending=False, method="min").astype(int)


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def test_the_headline_is_what_the_engine_computes(engine):
    score, _, countries, _ = engine
    sc = score()
    app = open_page()
    assert app.header[0].value == "Russian Federation"
    row = sc.results.loc["RUS"]
    # the rank interval as the page states it: 1,000 draws, ±25 % noise on every weight
    interval = monte_carlo(sc, draws=1000, weight_noise=0.25, seed=0)
    # the peers the page names, and Russia's rank by overall among them and itself
    caption = next(c.value for c in app.caption if c.value.startswith("Suggested peers ("))
    by_name = countries.set_index("name")["iso3"]
    peers = [by_name[name] for name in caption.split(": ", 1)[1].removesuffix(".").split(", ")]
    assert caption.startswith(f"Suggested peers ({len(peers)}): ")
    within = overall_rank_among(sc, ["RUS", *peers])
    weighted = sc.framework.loc[sc.framework["effective_weight"] > 0, "indicator"]
    present = int(sc.raw.loc["RUS", weighted].notna().sum())
    assert metrics(app) == {
        "Overall score": f"{row['overall']:.1f}",
        "Reach": f"{row['reach']:.1f}",
        "Appeal": f"{row['appeal']:.1f}",
        "Indicators": f"{present} of {len(weighted)}",
        "Rank": f"{int(row['rank'])} of {len(sc.results)}",
        "Rank, 5–95 % interval": "{:.0f}–{:.0f}".format(
            *interval.loc["RUS", ["p05_rank", "p95_rank"]]
        ),
        "Data coverage": f"{row['coverage']:.0%}",
        "Rank among peers": f"{within['RUS']} of {len(within)}",
    }


def test_dimension_table_and_indicator_tables_match_the_scorecard(engine):
    score, catalogue, countries, _ = engine
    sc = score()
    app = open_page(country="DEU")
    assert app.header[0].value == "Germany"
    dimensions = app.dataframe[DIMENSIONS].value.set_index("Dimension")
    np.testing.assert_allclose(
        dimensions["Score"].to_numpy(dtype=float),
        sc.results.loc["DEU", list(catalogue.dimensions["dimension"])].to_numpy(dtype=float),
    )
    assert dimensions.loc["Media reach", "Rank"].endswith(f"of {len(sc.results)}")
    media = app.dataframe[FIRST_INDICATORS].value.set_index("Indicator")
    broadcaster = "Languages of the largest international broadcaster"
    assert media.loc[broadcaster, "Value"] == sc.raw.at["DEU", "broadcaster_languages"]
    # democratic credentials is the fourth tab (media, culture, visas, democracy)
    democracy = app.dataframe[FIRST_INDICATORS + 3].value.set_index("Indicator")
    assert (
        democracy.loc["Press freedom score (RSF)", "Value"] == sc.raw.at["DEU", "rsf_press_freedom"]
    )
    assert democracy.loc["Press freedom score (RSF)", "Year"] == 2025
    assert (
        democracy.loc["Press freedom score (RSF)", "Publisher"] == "Reporters Without Borders (RSF)"
    )
    assert democracy.loc["Press freedom score (RSF)", "Source"].startswith("https://rsf.org")
    assert [tab.label for tab in app.tabs] == catalogue.dimensions["name"].tolist()


def test_strengths_and_weaknesses_are_the_top_and_bottom_five(engine):
    score, catalogue, countries, _ = engine
    sc = score()
    # Russia's normalised scores on the counted indicators, best first (ties by name): the first
    # five are its strengths; of the rest, the five lowest its weaknesses
    counted = sc.framework.loc[sc.framework["effective_weight"] > 0, "indicator"]
    names = catalogue.indicators.set_index("indicator")["name"]
    scores = pd.DataFrame({"name": names[counted], "score": sc.normalised.loc["RUS", counted]})
    ordered = scores.dropna().sort_values(["score", "name"], ascending=[False, True])
    rest = ordered.iloc[5:].sort_values(["score", "name"])
    app = open_page()
    assert app.dataframe[STRENGTHS].value["Indicator"].tolist() == ordered["name"][:5].tolist()
    assert app.dataframe[WEAKNESSES].value["Indicator"].tolist() == rest["name"][:5].tolist()


def test_choosing_a_country_updates_the_state_and_the_url():
    app = open_page()
    app.selectbox(key="country_select").set_value("KAZ").run()
    assert not app.exception
    assert app.header[0].value == "Kazakhstan"
    assert app.query_params["country"] == "KAZ"
    assert app.session_state["country"] == "KAZ"


def test_a_chosen_peer_group_goes_into_the_method_and_the_url(engine):
    score, _, _, _ = engine
    app = open_page()
    app.multiselect(key="method_country_peers").set_value(["CIS"]).run()
    assert not app.exception
    assert app.session_state["method"].peer_group == ("CIS",)
    assert app.query_params["peers"] == "CIS"
    caption = next(c.value for c in app.caption if c.value.startswith("Chosen peers"))
    assert caption.startswith("Chosen peers (8): Armenia, Azerbaijan, Belarus")  # CIS minus Russia
    sc = score(Method(peer_group=("CIS",)))
    within = overall_rank_among(sc, load_groups()["CIS"]["members"])
    assert metrics(app)["Rank among peers"] == f"{within['RUS']} of {len(within)}"


def test_a_link_with_peers_reopens_them():
    app = open_page(country="FRA", peers="EU")
    assert app.multiselect(key="method_country_peers").value == ["EU"]
    caption = next(c.value for c in app.caption if c.value.startswith("Chosen peers"))
    assert caption.startswith("Chosen peers (26)")  # the EU without France


def test_the_radar_shows_the_country_against_its_peer_average():
    app = open_page()
    radar = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert [trace["name"] for trace in radar["data"]] == ["Russian Federation", "Peer average (10)"]
    app.checkbox(key="country_radar_peers").check().run()
    radar = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert len(radar["data"]) == 2 + 6


def test_the_trend_defaults_to_electoral_democracy_with_the_country_first(engine):
    _, _, _, values = engine
    app = open_page()
    assert app.selectbox(key="country_trend_indicator").value == "vdem_electoral_democracy"
    trend = json.loads(app.get("plotly_chart")[1].proto.spec)
    assert trend["data"][0]["name"] == "Russian Federation"
    russia = values[(values["iso3"] == "RUS") & (values["indicator"] == "vdem_electoral_democracy")]
    assert numbers(trend["data"][0]["y"]) == russia.sort_values("year")["value"].tolist()
    assert len(trend["data"]) == 8  # the country and the first 7 of its 10 peers


def test_a_screened_out_country_says_why_and_still_lists_its_values(engine):
    score, _, _, _ = engine
    sc = score()
    reason = sc.screened_out.set_index("iso3").at["ABW", "reason"]
    app = open_page(country="ABW")
    assert app.header[0].value == "Aruba"
    assert any(reason in warning.value for warning in app.warning)
    assert not app.metric
    titles = [
        json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in app.get("plotly_chart")
    ]
    assert not any("against its peers" in title for title in titles)
    # Its one indicator with values (foreign students hosted, cultural diplomacy, the second
    # tab; no dimension or strengths tables before it) is listed; the rest say no data.
    culture = app.dataframe[1].value.set_index("Indicator")
    assert culture.loc["Foreign students hosted", "Value"] == pytest.approx(
        sc.raw.at["ABW", "inbound_students"]
    )
    assert culture.loc["World Heritage properties", "Rank"] == "no data"


def test_the_trend_opens_on_an_indicator_the_country_has(engine):
    _, _, _, values = engine
    monaco = values[values["iso3"] == "MCO"]
    assert "vdem_electoral_democracy" not in set(monaco["indicator"])
    app = open_page(country="MCO")
    chosen = app.selectbox(key="country_trend_indicator").value
    assert monaco[monaco["indicator"] == chosen]["year"].nunique() >= 2
    trend = json.loads(app.get("plotly_chart")[-1].proto.spec)
    assert trend["data"][0]["name"] == "Monaco"


def test_the_rank_shows_its_change_against_the_default_method(engine):
    score, *_ = engine
    app = open_page(dw="media_reach:4")
    now = score(Method(dimension_weights={"media_reach": 4.0})).results["rank"]
    before = score().results["rank"]
    moved = int(before["RUS"] - now["RUS"])  # positive = up
    rank = next(m for m in app.metric if m.label == "Rank")
    assert moved != 0  # the weights chosen move Russia, so the delta is shown
    places = "place" if abs(moved) == 1 else "places"
    assert rank.proto.delta == f"{moved:+d} {places} against the default method"
    default = next(m for m in open_page().metric if m.label == "Rank")
    assert not default.proto.delta  # the default method itself: no change to show
