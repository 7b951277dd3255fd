"""present/: one builder per table and figure. A figure shown on a page, exported by
``scorecard export`` and printed in the country report is the same object: built once through
the page (AppTest) and once through the export, the two compare equal. Small tables are worked
by hand."""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from exports import cli, report
from indicators.catalogue import CATALOGUE_FILE, country_name, country_names
from present.compare import compare_radar_figure, complete_dimensions
from present.country import peers_of, radar_scores
from present.rankings import ranking_figure, ranking_rows
from present.scenarios import scenario_table
from present.tables import chart_sources, counted_indicators
from scoring.method import Method
from scoring.pipeline import build_scorecard
from tests.app_driver import _plain, chart_figure, open_app
from tests.exports_helpers import shipped


def plain(fig) -> dict:
    """A figure as the browser receives it (JSON, typed arrays as lists)."""
    return _plain(json.loads(fig.to_json()))


def export_args(**options) -> argparse.Namespace:
    """``scorecard export`` options for a chart builder of exports.cli (the parser's defaults)."""
    args = cli.build_parser().parse_args(["export", "--chart", "ranking", "--out", "x.html"])
    return argparse.Namespace(**(vars(args) | options))


def inputs(method: Method | None = None) -> cli.Inputs:
    data = shipped()
    sc = (
        data.sc
        if method is None
        else build_scorecard(data.values, data.catalogue, method, data.countries)
    )
    return cli.Inputs(sc, data.catalogue, data.values, data.countries)


# ---- the same figure through the page and through the export
def test_rankings_page_chart_is_the_builder_s():
    """The page opens on the top 30 with the followed country (Russia) added wherever it ranks;
    the same builder with the same rows gives the same figure."""
    data = shipped()
    page = chart_figure(open_app("views/rankings.py"), "rankings_bars")
    rows = ranking_rows(data.sc.results, 30, "RUS")
    built = plain(ranking_figure(data.sc, data.catalogue, data.countries, rows, "RUS"))
    assert page["data"] == built["data"] and page["layout"] == built["layout"]


def test_ranking_export_is_the_builder_s_with_the_same_rows():
    data = shipped()
    exported = cli.CHARTS["ranking"](inputs(), export_args(top=12))
    built = ranking_figure(
        data.sc, data.catalogue, data.countries, ranking_rows(data.sc.results, 12)
    )
    assert exported.to_dict() == built.to_dict()


def test_country_radar_on_the_page_is_the_report_s(monkeypatch):
    """The report's radar (captured where the report draws it) against the page's, with the
    Method's peers as both choose them."""
    data = shipped()
    page = chart_figure(open_app("views/country.py"), "country_radar")
    drawn = []
    monkeypatch.setattr(report, "_chart_block", lambda fig, static: drawn.append(fig) or "")
    report.country_report_html("RUS", data.sc, data.catalogue, data.values, data.countries,
                               static=False)  # fmt: skip
    printed = plain(drawn[0])
    assert page["data"] == printed["data"] and page["layout"] == printed["layout"]


def test_compare_radar_on_the_page_is_the_export_s():
    data = shipped()
    codes = ["RUS", "CHN", "USA", "DEU", "TUR"]  # the page's and the command's default
    page = chart_figure(open_app("views/compare.py"), "compare_radar")
    exported = plain(cli.CHARTS["radar"](inputs(), export_args(country=codes)))
    assert page["data"] == exported["data"] and page["layout"] == exported["layout"]
    assert exported == plain(compare_radar_figure(data.sc, data.catalogue, data.countries, codes))


# ---- rows, peers and radar scores, worked by hand
def test_ranking_rows_order_ties_by_overall_and_append_the_followed_country():
    # B and C share rank 2; C has the higher overall, so it comes first. D (rank 4) is followed.
    results = pd.DataFrame(
        {"rank": [2, 1, 2, 4], "overall": [50.0, 90.0, 51.0, 10.0]}, index=list("BACD")
    )
    assert ranking_rows(results, 3, "D").index.tolist() == ["A", "C", "B", "D"]
    assert ranking_rows(results, 2, None).index.tolist() == ["A", "C"]
    assert ranking_rows(results, 2, "ZZZ").index.tolist() == ["A", "C"]


def fake_scorecard(results: pd.DataFrame, peer_group=()) -> SimpleNamespace:
    return SimpleNamespace(
        results=results,
        prepared=SimpleNamespace(dimensions=("a", "b"), iso3=np.array(results.index)),
        method=Method(peer_group=peer_group),
    )


def test_radar_scores_country_peer_average_and_individual_peers():
    # X has no b score, so b is left off. Peers Y and Z: average a = (40 + NaN) -> 40 (Z has
    # none), b = (20 + 30) / 2 = 25 (not shown: off the radar).
    results = pd.DataFrame(
        {"a": [80.0, 40.0, None], "b": [None, 20.0, 30.0]}, index=["X", "Y", "Z"]
    )
    sc = fake_scorecard(results)
    scores = radar_scores(sc, "X", ["Y", "Z"])
    assert scores.to_dict("index") == {"X": {"a": 80.0}, "peer average": {"a": 40.0}}
    assert radar_scores(sc, "X", ["Y", "Z"], individual=1).index.tolist() == [
        "X", "peer average", "Y"
    ]  # fmt: skip
    # Without peers: the country alone (no empty peer average polygon).
    assert radar_scores(sc, "Y", []).to_dict("index") == {"Y": {"a": 40.0, "b": 20.0}}


def test_chosen_peers_resolve_groups_and_leave_the_country_out():
    # countries.csv: the Eurasian Economic Union is Armenia, Belarus, Kazakhstan, Kyrgyzstan and
    # Russia (treaty of 2014, enlarged 2015).
    data = shipped()
    sc = build_scorecard(data.values, data.catalogue, Method(peer_group=("EAEU",)), data.countries)
    assert peers_of("RUS", sc, data.countries) == ("Chosen peers", ["ARM", "BLR", "KAZ", "KGZ"])
    kind, peers = peers_of("RUS", data.sc, data.countries)
    assert kind == "Suggested peers" and "RUS" not in peers and peers


def test_complete_dimensions_are_those_every_country_has():
    scores = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, None], "c": [0.0, 0.0]})
    assert complete_dimensions(scores) == ["a", "c"]


# ---- sources and names
def test_chart_sources_leave_out_indicators_with_weight_zero():
    data = shipped()
    rsf = data.catalogue.with_sources().set_index("indicator").loc["rsf_press_freedom"]
    off = inputs(Method(indicator_weights={"rsf_press_freedom": 0})).sc
    assert "rsf_press_freedom" not in counted_indicators(off)
    assert f"{rsf['publisher']} ({rsf['edition']})" in chart_sources(data.sc, data.catalogue)
    assert f"{rsf['publisher']} ({rsf['edition']})" not in chart_sources(off, data.catalogue)


def test_catalogue_names_are_the_yaml_s():
    document = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    catalogue = shipped().catalogue
    for entry in document["dimensions"]:
        assert catalogue.dimension_name(entry["id"]) == entry["name"]
    for entry in document["indicators"]:
        assert catalogue.indicator_name(entry["id"]) == entry["name"]
    assert catalogue.dimension_name("no_such_id") == "no_such_id"
    assert list(catalogue.dimension_names()) == [d["id"] for d in document["dimensions"]]


def test_country_names_come_from_the_countries_table():
    countries = pd.DataFrame({"iso3": ["NAM", "NAM", "RUS"], "name": ["Namibia", "x", "Russia"]})
    assert country_names(countries).to_dict() == {"NAM": "Namibia", "RUS": "Russia"}
    assert country_name(countries, "XKX") == "XKX"
    assert country_names(None).empty


# ---- rank change: one sign everywhere
def test_scenario_rank_change_is_positive_when_a_country_moves_up():
    # X: 1 -> 2 (down one), Y: 3 -> 1 (up two), Z scored only in B.
    compared = pd.DataFrame(
        {
            "overall_a": [90.0, 50.0, None],
            "rank_a": pd.array([1, 3, None], dtype="Int64"),
            "overall_b": [80.0, 95.0, 10.0],
            "rank_b": pd.array([2, 1, 4], dtype="Int64"),
        },
        index=pd.Index(["X", "Y", "Z"], name="iso3"),
    ).assign(overall_delta=lambda t: t["overall_b"] - t["overall_a"])
    table = scenario_table(compared, pd.Series({"X": "Ex", "Y": "Why"}))
    assert table["Country"].tolist() == ["Ex", "Why", "Z"]
    assert table["Rank change"].tolist()[:2] == [-1, 2] and pd.isna(table["Rank change"].iloc[2])


def test_rankings_change_and_scenarios_change_agree_on_the_sign():
    """The same two methods through the Rankings column (against the default) and the Scenarios
    table (A = default, B = current) give the same numbers."""
    from scoring.tables import rank_changes
    from store.scenarios import compare

    default, heavy = inputs().sc, inputs(Method(dimension_weights={"media_reach": 5})).sc
    rankings = rank_changes(heavy.results["rank"], default.results["rank"])
    scenarios = scenario_table(compare(default, heavy), pd.Series(dtype=str)).set_index("iso3")
    both = rankings.index.intersection(scenarios.index)
    assert (rankings[both] != 0).any()
    assert rankings[both].tolist() == scenarios.loc[both, "Rank change"].tolist()


# ---- one weight resolution, one comparison
def test_sliders_and_engine_resolve_a_preset_alike():
    """Equal per indicator: each dimension weighs as many counted indicators (catalogue weight
    above 0) as it has, counted here from the YAML. The sliders' nominal weights and the
    engine's rescaled ones both say so."""
    from present.weight_sets import preset_weights

    document = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    counted = pd.Series(
        [e["dimension"] for e in document["indicators"] if float(e["weight"]) > 0]
    ).value_counts()
    catalogue = shipped().catalogue
    _, sliders = preset_weights(
        "equal_indicator", catalogue.framework(), catalogue.dimension_weights()
    )
    assert sliders.to_dict() == {d: float(n) for d, n in counted[sliders.index].items()}
    engine = inputs(Method(weight_preset="equal_indicator", side_weights=())).sc
    expected = counted[engine.dimension_weights.index] / counted.sum()
    assert engine.dimension_weights.to_numpy() == pytest.approx(expected.to_numpy())


def test_a_slider_back_on_its_preset_weight_is_no_override():
    from present.weight_sets import override
    from scoring.weights import same_weight

    assert same_weight(0.1 + 0.2, 0.3)  # float noise of a slider is the same weight
    assert override([("a", 2.0)], "a", 0.1 + 0.2, 0.3) == {}
    assert override([], "a", 1.25, 1.0) == {"a": 1.25}
