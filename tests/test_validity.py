"""Validity: Spearman and its bootstrap interval against scipy, the external comparison on a
hand-made published table, internal consistency with alpha written out by hand, nominal
against effective weights, and what the top and bottom countries rest on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from scoring.schemas import empty_published_indices
from scoring.validity import (
    EXTERNAL_COLUMNS,
    bootstrap_interval,
    external_validity,
    face_validity,
    internal_validity,
    published_comparison,
    rank_outliers,
    spearman,
    weight_comparison,
)


# ------------------------------------------------------------------------------- Spearman
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6)),  # small ranges: many ties
        min_size=3,
        max_size=25,
    )
)
def test_spearman_is_scipys(pairs):
    x, y = (np.array(v, dtype=float) for v in zip(*pairs, strict=True))
    expected = stats.spearmanr(x, y).statistic if x.std() and y.std() else np.nan
    assert spearman(x, y) == pytest.approx(expected, nan_ok=True, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-(10**5), 10**5), min_size=2, max_size=30, unique=True))
def test_spearman_of_a_series_with_itself_is_one_and_with_its_reverse_minus_one(values):
    x = np.array(values, dtype=float)
    assert spearman(x, x) == pytest.approx(1.0)
    assert spearman(x, -x) == pytest.approx(-1.0)
    assert spearman(x, x**3 + 7) == pytest.approx(1.0)  # any increasing transform


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(-1000, 1000), min_size=5, max_size=20, unique=True),
    st.integers(0, 2**32 - 1),
)
def test_the_interval_of_monotone_data_is_the_point_one(values, seed):
    x = np.array(values, dtype=float)
    low, high = bootstrap_interval(x, 3 * x + 1, draws=200, rng=np.random.default_rng(seed))
    assert low <= spearman(x, 3 * x + 1) <= high
    assert (low, high) == (1.0, 1.0)


def test_the_bootstrap_interval_agrees_with_scipys_percentile_bootstrap():
    rng = np.random.default_rng(7)
    x = rng.normal(size=30)
    y = x + rng.normal(scale=1.0, size=30)
    low, high = bootstrap_interval(x, y, draws=4000, rng=np.random.default_rng(1))
    oracle = stats.bootstrap(
        (x, y),
        lambda a, b: stats.spearmanr(a, b).statistic,
        paired=True,
        vectorized=False,
        n_resamples=4000,
        confidence_level=0.90,
        method="percentile",
        rng=np.random.default_rng(2),
    ).confidence_interval
    # Different random resamples: the two estimates of each quantile agree to Monte Carlo error.
    assert low == pytest.approx(oracle.low, abs=0.04)
    assert high == pytest.approx(oracle.high, abs=0.04)


def test_a_wider_level_gives_a_wider_interval_from_the_same_draws():
    x = np.arange(12.0)
    y = np.array([2, 1, 4, 3, 6, 5, 8, 7, 11, 9, 10, 12.0])
    narrow = bootstrap_interval(x, y, draws=500, rng=np.random.default_rng(3), level=0.5)
    wide = bootstrap_interval(x, y, draws=500, rng=np.random.default_rng(3), level=0.95)
    assert wide[0] <= narrow[0] <= narrow[1] <= wide[1]


# ------------------------------------------------------------------------------- external
# Our scores (higher = better); W has no score, so it is never in common.
OURS = pd.DataFrame(
    {
        "overall": [90.0, 80, 70, 60, 50, 40, np.nan],
        "reach": [10.0, 20, 30, 40, 50, 60, 70],
    },
    index=pd.Index(["A", "B", "C", "D", "E", "F", "W"], name="iso3"),
)


def rows(index, edition, iso3, rank, score):
    return pd.DataFrame(
        {
            "index": index,
            "edition": edition,
            "iso3": iso3,
            "rank": pd.array(rank, dtype="Int64"),
            "score": np.array(score, dtype=float),
            "source_url": "https://example.org",
        }
    )


NAN = np.nan
PUBLISHED = pd.concat(
    [
        # Every common country has a score: compared on the score. Z is not ours; W has no
        # overall score; None (a nation without a code) is left out.
        rows(
            "Scores", 2020,
            ["A", "B", "C", "D", "E", "F", "Z", "W", None],
            [1, 2, 3, 4, 5, 6, 7, 8, 9],
            [75, 80, 60, 62, 50, 10, 5, 99, 1],
        ),
        # Ranks only: compared on minus the rank.
        rows("Ranks", 2021, ["A", "B", "C", "D", "E", "F"], [2, 1, 3, 5, 4, 6], [NAN] * 6),
        # One score missing: ranks; F has neither... and E has no rank, so it is left out.
        rows(
            "Mixed", 2022,
            ["A", "B", "C", "D", "E", "F"],
            [1, 3, 2, 4, None, 6],
            [70, 60, 65, 50, 40, NAN],
        ),
        # Four in common: too few.
        rows("Few", 2019, ["A", "B", "C", "D", "Z"], [1, 2, 3, 4, 5], [NAN] * 5),
    ],
    ignore_index=True,
)  # fmt: skip


@pytest.fixture(scope="module")
def external():
    return external_validity(OURS, PUBLISHED, draws=300, seed=4).set_index(
        ["index", "edition", "measure"]
    )


def test_external_validity_has_one_row_per_edition_and_measure(external):
    table = external_validity(OURS, PUBLISHED, draws=50)
    assert list(table.columns) == EXTERNAL_COLUMNS
    assert table[["index", "edition", "measure"]].values.tolist() == [
        ["Few", 2019, "overall"], ["Few", 2019, "reach"],
        ["Mixed", 2022, "overall"], ["Mixed", 2022, "reach"],
        ["Ranks", 2021, "overall"], ["Ranks", 2021, "reach"],
        ["Scores", 2020, "overall"], ["Scores", 2020, "reach"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    "key, common, ours, theirs, basis",
    [
        # Scores 2020, overall: A..F in common (W has no overall score, Z is not ours).
        (("Scores", 2020, "overall"), 6, [90, 80, 70, 60, 50, 40], [75, 80, 60, 62, 50, 10], "score"),
        # ... reach: W has a reach score and a published score, so it is in common.
        (("Scores", 2020, "reach"), 7, [10, 20, 30, 40, 50, 60, 70], [75, 80, 60, 62, 50, 10, 99], "score"),
        (("Ranks", 2021, "overall"), 6, [90, 80, 70, 60, 50, 40], [-2, -1, -3, -5, -4, -6], "rank"),
        # F has a rank but no score, E a score but no rank: ranks, without E.
        (("Mixed", 2022, "overall"), 5, [90, 80, 70, 60, 40], [-1, -3, -2, -4, -6], "rank"),
    ],
)  # fmt: skip
def test_n_basis_and_rho_are_worked_out_on_the_common_countries(
    external, key, common, ours, theirs, basis
):
    row = external.loc[key]
    assert row["n"] == common
    assert row["basis"] == basis
    assert row["spearman"] == pytest.approx(stats.spearmanr(ours, theirs).statistic)
    assert row["low"] <= row["high"]


def test_hand_worked_rho_for_ranks(external):
    # ours ranks A..F 1..6, published 2, 1, 3, 5, 4, 6: d = (-1, 1, 0, -1, 1, 0), sum d^2 = 4,
    # rho = 1 - 6 x 4 / (6 x 35) = 0.885714...
    assert external.loc[("Ranks", 2021, "overall"), "spearman"] == pytest.approx(1 - 24 / 210)


def test_too_few_countries_give_no_correlation_and_a_reason(external):
    row = external.loc[("Few", 2019, "overall")]
    assert row["n"] == 4
    assert np.isnan(row["spearman"]) and np.isnan(row["low"]) and np.isnan(row["high"])
    assert row["note"] == "only 4 countries in common (at least 5 needed)"
    mixed = external.loc[("Mixed", 2022, "overall")]
    assert mixed["note"] == "1 common country without a printed rank left out"
    assert external.loc[("Ranks", 2021, "overall"), "note"] == ""


def test_no_country_in_common():
    table = external_validity(OURS, rows("Far", 2020, ["X", "Y"], [1, 2], [NAN, NAN]))
    assert table["n"].tolist() == [0, 0]
    assert set(table["note"]) == {"no country in common"}


def test_the_measures_are_those_the_scores_have():
    only_overall = external_validity(OURS[["overall"]], PUBLISHED, draws=20)
    assert set(only_overall["measure"]) == {"overall"}
    three = OURS.assign(appeal=OURS["reach"][::-1].to_numpy(), rank=1, other=2.0)
    assert list(dict.fromkeys(external_validity(three, PUBLISHED, draws=20)["measure"])) == [
        "overall",
        "reach",
        "appeal",
    ]


def test_the_interval_is_seeded_and_does_not_depend_on_the_other_editions():
    a = external_validity(OURS, PUBLISHED, draws=200, seed=1)
    b = external_validity(OURS, PUBLISHED, draws=200, seed=1)
    pd.testing.assert_frame_equal(a, b)
    alone = external_validity(OURS, PUBLISHED[PUBLISHED["index"] == "Ranks"], draws=200, seed=1)
    both = a[a["index"] == "Ranks"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, both)
    other = external_validity(OURS, PUBLISHED, draws=200, seed=2)
    assert not np.allclose(other["low"].fillna(0), a["low"].fillna(0))


def test_an_empty_published_table_gives_an_empty_report():
    table = external_validity(OURS, empty_published_indices())
    assert table.empty and list(table.columns) == EXTERNAL_COLUMNS


@pytest.mark.parametrize(
    "option, message",
    [({"draws": 0}, "draws"), ({"level": 1.0}, "level"), ({"seed": -1}, "seed")],
)
def test_impossible_options_name_the_culprit(option, message):
    with pytest.raises(ValueError, match=message):
        external_validity(OURS, PUBLISHED, **option)


def test_outliers_are_the_largest_rank_differences_among_the_common_countries():
    # Ranks 2021, overall. Ours among A..F: 1..6; published: 2, 1, 3, 5, 4, 6.
    # Differences (ours - published): A -1, B +1, C 0, D -1, E +1, F 0.
    table = published_comparison(OURS, PUBLISHED, "Ranks", 2021)
    assert table["rank_difference"].to_dict() == {"A": -1, "B": 1, "C": 0, "D": -1, "E": 1, "F": 0}
    outliers = rank_outliers(OURS, PUBLISHED, "Ranks", 2021, top=3)
    assert outliers.index.tolist() == ["A", "B", "D"]  # |1| each: by iso3; C and F agree


def test_outliers_on_scores_rank_the_published_scores_among_the_common_countries():
    # Scores 2020, reach: ours A..W rank 7..1 (reach grows); published scores
    # A 75, B 80, C 60, D 62, E 50, F 10, W 99 rank 3, 2, 5, 4, 6, 7, 1.
    table = published_comparison(OURS, PUBLISHED, "Scores", 2020, "reach")
    assert table["our_rank"].to_dict() == {
        "A": 7, "B": 6, "C": 5, "D": 4, "E": 3, "F": 2, "W": 1,
    }  # fmt: skip
    assert table["published_rank"].to_dict() == {
        "A": 3, "B": 2, "C": 5, "D": 4, "E": 6, "F": 7, "W": 1,
    }  # fmt: skip
    top = rank_outliers(OURS, PUBLISHED, "Scores", 2020, "reach", top=2)
    assert top.index.tolist() == ["F", "A"]  # F -5; A +4, B +4 (A first by iso3)


# ------------------------------------------------------------------------------- internal
# Dimension A: a = 1..8, dup = 2a + 3 (r = 1 with a: collinear), against runs mostly the other
# way (its r with the dimension score is negative). Dimension B: solo, alone.
A = np.arange(1.0, 9.0)
TOY = {
    "a": A,
    "dup": 2 * A + 3,
    "against": np.array([8.0, 5.0, 7.0, 6.0, 4.0, 1.0, 3.0, 2.0]),
    "solo": np.array([3.0, 1.0, 2.0, 5.0, 4.0, 7.0, 6.0, 8.0]),
}
TOY_DIMENSIONS = {"a": "A", "dup": "A", "against": "A", "solo": "B"}


def toy_scorecard(values: dict[str, np.ndarray], weights=None):
    framework = pd.DataFrame(
        {
            "indicator": list(values),
            "name": [f"Indicator {i}" for i in values],
            "dimension": [TOY_DIMENSIONS[i] for i in values],
            "direction": 1,
            "weight": [1.0] * len(values) if weights is None else weights,
        }
    )
    rows = [
        (f"K{c}", indicator, 2020, float(v[c]), "")
        for indicator, v in values.items()
        for c in range(len(v))
        if not np.isnan(v[c])
    ]
    long = pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value", "note"])
    # every country with a value is scored: the face table is about what scores rest on
    screen_none = Method(min_coverage=0.0, min_indicator_share=0.0, min_dimension_share=0.0)
    return build_scorecard(prepare(long, framework), method=screen_none)


def min_max(x: np.ndarray) -> np.ndarray:
    return (x - np.nanmin(x)) / (np.nanmax(x) - np.nanmin(x)) * 100


def brute_alpha(columns: list[np.ndarray]) -> float:
    k = len(columns)
    item_variances = sum(np.var(c, ddof=1) for c in columns)
    return k / (k - 1) * (1 - item_variances / np.var(sum(columns), ddof=1))


@pytest.fixture(scope="module")
def toy():
    return toy_scorecard(TOY)


def test_internal_validity_alpha_correlations_and_flags(toy):
    normalised = {i: min_max(v) for i, v in TOY.items()}
    np.testing.assert_allclose(toy.normalised["against"], normalised["against"])
    dimension_a = (normalised["a"] + normalised["dup"] + normalised["against"]) / 3
    table = internal_validity(toy).set_index("indicator")
    assert table.index.tolist() == ["a", "dup", "against", "solo"]
    expected_alpha = brute_alpha([normalised["a"], normalised["dup"], normalised["against"]])
    assert table.loc["a", "alpha"] == pytest.approx(expected_alpha)
    assert np.isnan(table.loc["solo", "alpha"])  # one indicator: not defined
    for indicator in ("a", "dup", "against"):
        r = np.corrcoef(normalised[indicator], dimension_a)[0, 1]
        assert table.loc[indicator, "correlation"] == pytest.approx(r)
    assert table.loc["against", "correlation"] < 0
    assert table["flag"].to_dict() == {
        "a": "collinear",
        "dup": "collinear",
        "against": "negative",
        "solo": "",
    }
    assert table.loc["a", "partner"] == "dup" and table.loc["dup", "partner"] == "a"
    assert table.loc["a", "partner_correlation"] == pytest.approx(1.0)
    assert table.loc["solo", "partner"] == "" and table.loc["solo", "pairs"] == 8


@pytest.mark.parametrize(
    "other, collinear",
    [
        # Permutations of 1..8, so r = 1 - 6 sum d^2 / (8 x 63):
        ([2.0, 1, 4, 3, 5, 7, 6, 8], True),  # sum d^2 = 6: r = 1 - 36 / 504 = 0.9286 > 0.92
        ([3.0, 1, 2, 4, 6, 5, 7, 8], False),  # sum d^2 = 8: r = 1 - 48 / 504 = 0.9048
    ],
)
def test_collinearity_is_above_the_threshold_only(other, collinear):
    table = internal_validity(toy_scorecard({"a": A, "dup": np.array(other), "solo": TOY["solo"]}))
    flags = table.set_index("indicator")
    assert flags["flag"].to_dict() == {
        "a": "collinear" if collinear else "",
        "dup": "collinear" if collinear else "",
        "solo": "",
    }
    r = flags.loc["a", "partner_correlation"]
    assert (r == pytest.approx(1 - 36 / 504)) if collinear else np.isnan(r)


def test_weight_comparison_is_squared_correlation_with_the_overall_score(toy):
    table = weight_comparison(toy).set_index("indicator")
    # Nominal: dimension A has three indicators, B one; dimensions equal: 1/6, 1/6, 1/6, 1/2.
    assert table["nominal_weight"].tolist() == pytest.approx([1 / 6, 1 / 6, 1 / 6, 1 / 2])
    overall = toy.results["overall"].to_numpy()
    squared = {i: np.corrcoef(min_max(v), overall)[0, 1] ** 2 for i, v in TOY.items()}
    total = sum(squared.values())
    for indicator, value in squared.items():
        assert table.loc[indicator, "effective_importance"] == pytest.approx(value / total)
        assert table.loc[indicator, "ratio"] == pytest.approx(
            value / total / table.loc[indicator, "nominal_weight"]
        )
    assert table["effective_importance"].sum() == pytest.approx(1.0)
    assert table["dimension"].tolist() == ["A", "A", "A", "B"]


def test_weight_comparison_leaves_out_indicators_without_weight():
    sc = toy_scorecard(TOY, weights=[1.0, 0.0, 1.0, 1.0])
    assert weight_comparison(sc)["indicator"].tolist() == ["a", "against", "solo"]


# ------------------------------------------------------------------------------- face
def test_face_validity_counts_what_each_score_rests_on():
    nan = np.nan
    values = {
        # K0 best, K5 worst; K4 has no "dup" and no "solo" (so dimension B has no value).
        "a": np.array([6.0, 5, 4, 3, 2, 1]),
        "dup": np.array([6.0, 5, 4, 3, nan, 1]),
        "against": np.array([6.0, 5, 4, 3, 2, 1]),
        "solo": np.array([6.0, 5, 4, 3, nan, 1]),
    }
    sc = toy_scorecard(values)
    table = face_validity(sc, {"K0": "Kzero"}, top=2)
    assert table["iso3"].tolist() == ["K0", "K1", "K4", "K5"]
    assert table["end"].tolist() == ["top", "top", "bottom", "bottom"]
    assert table["rank"].tolist() == sorted(table["rank"].tolist())
    assert table["country"].tolist()[:2] == ["Kzero", "K1"]
    k4 = table.set_index("iso3").loc["K4"]
    assert (k4["indicators"], k4["of_indicators"]) == (2, 4)
    assert (k4["dimensions"], k4["of_dimensions"]) == (1, 2)
    assert k4["rests_on"] == "Indicator a; Indicator against"
    assert k4["no_value"] == "Indicator dup; Indicator solo"
    assert table.set_index("iso3").loc["K0", "indicators"] == 4
    assert table["overall"].tolist() == pytest.approx(
        sc.results["overall"].reindex(table["iso3"]).tolist()
    )


def test_face_validity_lists_each_country_once_when_there_are_few():
    table = face_validity(toy_scorecard(TOY), {}, top=15)
    assert sorted(table["iso3"]) == [f"K{c}" for c in range(8)]
    assert set(table["end"]) == {"top"}
