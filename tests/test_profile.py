"""Country profile and comparison tables on a hand-worked example (scoring/profile.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from present.profile import comparison_table, dimension_summary, rank_deltas
from scoring.method import Method
from scoring.pipeline import build_scorecard
from scoring.profile import (
    PEER_AVERAGE,
    best_in_rows,
    indicator_profile,
    peer_average_row,
    stale_flags,
    strengths_weaknesses,
    suggest_peers,
    trend_series,
)

# Four countries, three indicators in two dimensions (+ one with weight 0):
#            a (d1, +1)   b (d1, -1)   c (d2, +1)   z (d2, weight 0)
#   FRA      4 (2020)     5            6            1
#   DEU      2            3            no value     2
#   RUS      7            8            1 (2012)     3
#   NAM      no value     2            3            -
# c's newest year is 2020, so RUS's 2012 value is stale (2012 < 2020 - 5); a 2015 one would not be.
# min-max after direction:
#   a: (x - 2) / 5        -> FRA 40, DEU 0, RUS 100
#   b: (8 - x) / 6        -> FRA 50, DEU 83.3, RUS 0, NAM 100
#   c: (x - 1) / 5        -> FRA 100, RUS 0, NAM 40
# d1 = mean(a, b): FRA 45, DEU 41.7, RUS 50, NAM 100; d2 = c: FRA 100, DEU -, RUS 0, NAM 40
# overall = mean of the dimensions present: FRA 72.5, DEU 41.7, RUS 25, NAM 70
FRAMEWORK = pd.DataFrame(
    {
        "indicator": ["a", "b", "c", "z"],
        "dimension": ["d1", "d1", "d2", "d2"],
        "direction": [1, -1, 1, 1],
        "weight": [1.0, 1.0, 1.0, 0.0],
    }
)
ROWS = [
    ("FRA", "a", 2020, 4.0),
    ("FRA", "b", 2020, 5.0),
    ("FRA", "c", 2020, 6.0),
    ("FRA", "z", 2020, 1.0),
    ("DEU", "a", 2020, 2.0),
    ("DEU", "b", 2020, 3.0),
    ("DEU", "z", 2020, 2.0),
    ("RUS", "a", 2020, 7.0),
    ("RUS", "b", 2020, 8.0),
    ("RUS", "c", 2012, 1.0),
    ("RUS", "z", 2020, 3.0),
    ("NAM", "b", 2020, 2.0),
    ("NAM", "c", 2020, 3.0),
    ("RUS", "a", 2015, 6.0),  # an older value: the latest (2020) is the one used
]
COUNTRIES = pd.DataFrame(
    {
        "iso3": ["FRA", "DEU", "RUS", "NAM", "BLR"],
        "name": ["France", "Germany", "Russia", "Namibia", "Belarus"],
        "region": ["Europe", "Europe", "Europe", "Africa", "Europe"],
        "subregion": ["W", "W", "E", "S", "E"],
        "groups": ["EU;NATO", "EU;NATO", "CIS", "", "CIS"],
    }
)
INDICATORS = pd.DataFrame(
    {
        "indicator": ["a", "b", "c", "z"],
        "name": ["Alpha", "Beta", "Gamma", "Zeta"],
        "dimension": ["d1", "d1", "d2", "d2"],
        "unit": ["points", "years", "%", "share"],
        "direction": [1, -1, 1, 1],
        "publisher": ["P1", "P1", "P2", "P2"],
        "url": ["https://p1.org", "https://p1.org", "https://p2.org", "https://p2.org"],
    }
)
NAMES = COUNTRIES.set_index("iso3")["name"]
DIMENSIONS = {"d1": "Dimension one", "d2": "Dimension two"}


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=["iso3", "indicator", "year", "value"])
    return frame.assign(note="")


@pytest.fixture(scope="module")
def sc(values):
    return build_scorecard(
        values,
        FRAMEWORK,
        Method(min_coverage=0.2, min_indicator_share=0, min_dimension_share=0),
        countries=COUNTRIES,
    )


def test_the_hand_worked_scores(sc):
    np.testing.assert_allclose(
        sc.results.loc[["FRA", "DEU", "RUS", "NAM"], "overall"], [72.5, 125 / 3, 25, 70]
    )
    assert sc.results["rank"].to_dict() == {"DEU": 3, "FRA": 1, "NAM": 2, "RUS": 4}


def test_indicator_profile_of_russia_with_french_and_german_peers(sc):
    profile = indicator_profile(sc, "RUS", INDICATORS, ["FRA", "DEU", "RUS"]).set_index("indicator")
    assert profile["value"].tolist() == [7.0, 8.0, 1.0, 3.0]
    assert profile["year"].tolist() == [2020, 2020, 2012, 2020]
    np.testing.assert_allclose(profile["normalised"], [100, 0, 0, 100])
    # a: RUS best of 3; b (lower is better): RUS worst of 4; c: worst of 3; z: best of 3.
    assert profile["rank_text"].tolist() == ["1 of 3", "4 of 4", "3 of 3", "1 of 3"]
    # Peers are FRA and DEU (Russia is not its own peer); DEU has no c.
    assert profile["peer_average"].tolist() == [3.0, 4.0, 6.0, 1.5]
    assert profile.loc["c", "flags"] == "stale (2012)"
    assert profile.loc["z", "flags"] == "not counted (weight 0)"
    assert profile.loc["a", "flags"] == ""
    assert profile.loc["a", "publisher"] == "P1" and profile.loc["c", "url"] == "https://p2.org"


def test_missing_values_are_flagged_and_never_filled(sc):
    profile = indicator_profile(sc, "NAM", INDICATORS, ["FRA"]).set_index("indicator")
    assert np.isnan(profile.loc["a", "value"]) and np.isnan(profile.loc["a", "normalised"])
    assert profile.loc["a", "rank_text"] == "no data"
    assert profile.loc["a", "flags"] == "missing"


def test_imputed_values_are_flagged_imputed_not_missing(values):
    sc = build_scorecard(
        values,
        FRAMEWORK,
        Method(
            min_coverage=0.2, min_indicator_share=0, min_dimension_share=0, imputation="group_mean"
        ),
        countries=COUNTRIES,
    )
    # Germany has no c: the European mean of c (France 6, Russia 1) stands in for it.
    profile = indicator_profile(sc, "DEU", INDICATORS, []).set_index("indicator")
    assert np.isnan(profile.loc["c", "value"])  # the raw value stays missing
    assert profile.loc["c", "normalised"] == pytest.approx(50.0)  # (3.5 - 1) / 5
    assert profile.loc["c", "flags"] == "imputed"


def test_a_country_that_was_screened_out_still_has_its_raw_values(values):
    sc = build_scorecard(values, FRAMEWORK, Method(min_coverage=0.9), countries=COUNTRIES)
    assert "DEU" in set(sc.screened_out["iso3"])
    profile = indicator_profile(sc, "DEU", INDICATORS, ["FRA"]).set_index("indicator")
    assert profile.loc["a", "value"] == 2.0 and np.isnan(profile.loc["a", "normalised"])
    assert profile.loc["a", "rank_text"] == "3 of 3"


def test_a_country_without_any_value_gets_an_all_missing_profile(sc):
    profile = indicator_profile(sc, "BLR", INDICATORS, ["RUS"])
    assert profile["value"].isna().all() and (profile["rank_text"] == "no data").all()


@pytest.mark.parametrize(
    "years, stale",
    [
        ([2025, 2020, 2019], [False, False, True]),  # 2019 < 2025 - 5
        ([2010, 2010, 2005], [False, False, False]),  # exactly 5 years older is not stale
        ([2025, None, 2010], [False, False, True]),  # missing is missing, not stale
    ],
)
def test_the_stale_rule(years, stale):
    assert stale_flags(pd.DataFrame({"x": years}, dtype=float))["x"].tolist() == stale


def test_strengths_and_weaknesses_count_only_weighted_scored_indicators(sc):
    profile = indicator_profile(sc, "RUS", INDICATORS, [])
    top, bottom = strengths_weaknesses(profile, n=1)
    assert top["indicator"].tolist() == ["a"]  # z also scores 100 but has weight 0
    assert bottom["indicator"].tolist() == ["b"]  # b and c tie at 0: by name, Beta first
    top, bottom = strengths_weaknesses(profile, n=5)
    assert top["indicator"].tolist() == ["a", "b", "c"] and bottom.empty


def test_dimension_summary_ranks_among_countries_with_a_score(sc):
    summary = dimension_summary(sc.results, "FRA", ["DEU", "RUS"], sc.dimension_weights, DIMENSIONS)
    assert summary["Rank"].tolist() == ["3 of 4", "1 of 3"]
    assert summary["Dimension"].tolist() == ["Dimension one", "Dimension two"]
    np.testing.assert_allclose(summary["Peer average"], [(125 / 3 + 50) / 2, 0.0])
    np.testing.assert_allclose(summary["Weight"], [0.5, 0.5])


@pytest.mark.parametrize(
    "iso3, expected",
    [
        # Europe and a shared group: DEU (EU); ranking neighbours: NAM above, DEU below.
        ("FRA", ["DEU", "NAM"]),
        # Europe and CIS: BLR has no score, so no related peer; neighbours DEU and (none below).
        ("RUS", ["DEU"]),
        # Africa: nobody shares a group; neighbours FRA above, DEU below.
        ("NAM", ["FRA", "DEU"]),
        # Not scored: the related countries that are scored (RUS), no ranking neighbours.
        ("BLR", ["RUS"]),
        ("XXX", []),
    ],
)
def test_suggested_peers(sc, iso3, expected):
    assert suggest_peers(iso3, COUNTRIES, sc.results["overall"], neighbours=1) == expected


def test_suggested_peers_keep_the_closest_related_countries_first():
    countries = pd.DataFrame(
        {
            "iso3": ["A", "B", "C", "D"],
            "region": ["Europe"] * 4,
            "groups": ["EU", "EU", "EU", "EU"],
        }
    )
    overall = pd.Series({"A": 50.0, "B": 10.0, "C": 45.0, "D": 90.0})
    assert suggest_peers("A", countries, overall, related=2, neighbours=0) == ["C", "B"]


def test_peer_average_row_is_the_country_and_the_mean_of_the_others(sc):
    scores = peer_average_row(sc.results[["d1", "d2"]], "FRA", ["FRA", "DEU", "NAM"])
    assert list(scores.index) == ["FRA", PEER_AVERAGE]
    np.testing.assert_allclose(scores.loc[PEER_AVERAGE], [(125 / 3 + 100) / 2, 40.0])


def test_trend_series_keeps_the_country_first(values):
    series = trend_series(values, "a", ["RUS", "FRA"])
    assert series["iso3"].tolist() == ["RUS", "RUS", "FRA"]
    assert series["year"].tolist() == [2015, 2020, 2020]


def test_comparison_table_and_best_values_follow_the_direction(sc):
    table = comparison_table(sc, INDICATORS, ["RUS", "FRA", "NAM"], NAMES, DIMENSIONS)
    assert list(table.columns) == [
        "Dimension", "Indicator", "Unit", "Russia", "France", "Namibia", "Carried back"
    ]  # fmt: skip
    assert table.loc["b", ["Russia", "France", "Namibia"]].tolist() == [8.0, 5.0, 2.0]
    assert np.isnan(table.loc["a", "Namibia"])
    framework = sc.framework.set_index("indicator")
    best = best_in_rows(
        table[["Russia", "France", "Namibia"]],
        framework["direction"],
        framework["effective_weight"] > 0,
    )
    assert best.loc["a"].tolist() == [True, False, False]  # highest
    assert best.loc["b"].tolist() == [False, False, True]  # lowest: direction -1
    assert best.loc["c"].tolist() == [False, True, False]
    assert best.loc["z"].tolist() == [False, False, False]  # not counted: not highlighted


def test_rank_deltas_against_the_first_country(sc):
    ranks, deltas = rank_deltas(sc.results, ["RUS", "FRA", "DEU"], NAMES, DIMENSIONS)
    assert list(ranks.index) == ["Overall", "Dimension one", "Dimension two"]
    assert ranks["Russia"].tolist() == [4, 2, 3]
    assert ranks["Germany"].tolist()[:2] == [3, 4] and pd.isna(ranks.at["Dimension two", "Germany"])
    # Russia's rank minus each country's: France is 3 places above overall.
    assert deltas["France"].tolist() == [3, -1, 2]
    assert list(deltas.columns) == ["France", "Germany"]


def test_values_measured_after_the_window_are_flagged_as_carried(values):
    # Up to 2016: RUS's a is its 2015 value (6), within the window; FRA's a (2020 only) is carried
    # back, and so is every other 2020 value; RUS's c (2012) is not.
    early = build_scorecard(
        values,
        FRAMEWORK,
        Method(year_window=(2010, 2016), min_coverage=0.2, min_indicator_share=0,
               min_dimension_share=0),
        countries=COUNTRIES,
    )  # fmt: skip
    table = comparison_table(early, INDICATORS, ["RUS", "FRA"], NAMES, DIMENSIONS)
    assert table.loc["a", "Carried back"] == "France (2020)"
    assert table.loc["b", "Carried back"] == "Russia (2020), France (2020)"
    assert table.loc["c", "Carried back"] == "France (2020)"
    profile = indicator_profile(early, "RUS", INDICATORS, [])
    flags = profile.set_index("indicator")["flags"]
    assert flags["a"] == "" and flags["b"] == "carried back from 2020"
    assert flags["c"] == "stale (2012)"  # older than the carried 2020 values by more than 5
