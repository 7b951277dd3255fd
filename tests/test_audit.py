"""Audit: correlation flags and bins on constructed data, Cronbach's alpha by hand, indicator
statistics with the treatment rule's definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.audit import (
    CORRELATION_BINS,
    correlation_bin,
    correlation_flag,
    correlations,
    cronbach_alpha,
    cronbach_by_dimension,
    indicator_score_correlations,
    indicator_statistics,
    pairwise_pearson,
)
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from scoring.treat import kurt, skew


# ------------------------------------------------------------------------------- bins and flags
@pytest.mark.parametrize(
    "r, bin_, flag",
    [
        (1.0, "> 0.9", "redundant"),
        (0.9000001, "> 0.9", "redundant"),
        (0.9, "0.3 to 0.9", ""),
        (0.3, "0.3 to 0.9", ""),
        (0.2999, "-0.4 to 0.3", ""),
        (-0.4, "-0.4 to 0.3", ""),
        (-0.4001, "< -0.4", "negative"),
        (-1.0, "< -0.4", "negative"),
        (np.nan, None, ""),
    ],
)
def test_bins_and_flags(r, bin_, flag):
    assert correlation_bin(r) == bin_
    assert correlation_flag(r) == flag


# ------------------------------------------------------------------------------- pearson
def test_pairwise_pearson_hand_example():
    # pairs where both present: x = [1, 2, 3], y = [2, 4, 7]: r = 5 / sqrt(2 * 12.667) = 0.99340
    X = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 7.0], [np.nan, 1.0]])
    r, n = pairwise_pearson(X)
    assert r[0, 1] == pytest.approx(5 / np.sqrt(2 * 38 / 3))
    assert n.tolist() == [[3, 3], [3, 4]]


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        np.float64,
        (12, 4),
        # values on a grid (as data are): denormal-size values would underflow when squared
        elements=st.one_of(st.integers(-8000, 8000).map(lambda v: v / 8), st.just(np.nan)),
    )
)
def test_pairwise_pearson_equals_pandas(X):
    r, _ = pairwise_pearson(X)
    want = pd.DataFrame(X).corr(min_periods=3).to_numpy()
    # pandas gives +-1 or garbage for near-constant pairs; compare where both are well defined
    ok = ~np.isnan(r) & ~np.isnan(want)
    np.testing.assert_allclose(r[ok], want[ok], atol=1e-7)


def test_constant_column_gives_nan():
    X = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    r, _ = pairwise_pearson(X)
    assert np.isnan(r[0, 1])


# ------------------------------------------------------------------------------- on a scorecard
@pytest.fixture(scope="module")
def audit_toy():
    # a: 1..8; dup = 2a + 3 (r = +1: redundant); flip = a with direction -1, so its normalised
    # values run the other way (r = -1: negative); noise: unrelated; solo alone in dimension D.
    a = np.arange(1.0, 9.0)
    cols = {
        "a": a,
        "dup": 2 * a + 3,
        "flip": a.copy(),
        "noise": np.array([5.0, 1.0, 4.0, 4.0, 2.0, 8.0, 1.0, 3.0]),
        "solo": np.array([3.0, 1.0, 2.0, 5.0, 4.0, 7.0, 6.0, 8.0]),
    }
    framework = pd.DataFrame(
        {
            "indicator": list(cols),
            "dimension": ["A", "A", "B", "B", "D"],
            "direction": [1, 1, -1, 1, 1],
            "weight": [1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    rows = [(f"K{c}", ind, 2020, float(v[c]), "") for ind, v in cols.items() for c in range(8)]
    values = pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value", "note"])
    return build_scorecard(
        prepare(values, framework),
        method=Method(min_coverage=0.0, min_indicator_share=0, min_dimension_share=0),
    )


def test_correlation_flags_on_constructed_data(audit_toy):
    out = correlations(audit_toy).set_index(["indicator_a", "indicator_b"])
    assert len(out) == 10  # 5 indicators: 5 * 4 / 2 unordered pairs
    assert out.loc[("a", "dup"), "correlation"] == pytest.approx(1.0)
    assert out.loc[("a", "dup"), "flag"] == "redundant"
    assert out.loc[("a", "dup"), "bin"] == CORRELATION_BINS[0]
    assert bool(out.loc[("a", "dup"), "within"])
    assert out.loc[("a", "flip"), "correlation"] == pytest.approx(-1.0)
    assert out.loc[("a", "flip"), "flag"] == "negative"
    assert out.loc[("a", "flip"), "bin"] == "< -0.4"
    assert not bool(out.loc[("a", "flip"), "within"])
    assert out.loc[("a", "flip"), "pairs"] == 8
    # on raw values (before the direction flip) the same pair is redundant
    raw = correlations(audit_toy, stage="raw").set_index(["indicator_a", "indicator_b"])
    assert raw.loc[("a", "flip"), "flag"] == "redundant"
    assert isinstance(out["bin"].dtype, pd.CategoricalDtype)
    assert list(out["bin"].cat.categories) == list(CORRELATION_BINS)


def test_indicator_against_scores(audit_toy):
    out = indicator_score_correlations(audit_toy).set_index(["indicator", "score"])
    assert set(out.index.get_level_values("score")) == {"A", "B", "D", "overall"}
    assert out.loc[("solo", "D"), "correlation"] == pytest.approx(1.0)  # D is solo itself
    assert bool(out.loc[("a", "A"), "own"]) and not bool(out.loc[("a", "B"), "own"])
    assert out.loc[("a", "A"), "flag"] == "redundant"


def test_cronbach_worked_by_hand():
    # a = [1, 2, 3, 4], b = [2, 2, 4, 4], c = [1, 3, 3, 5] (sample variances 5/3, 4/3, 8/3)
    # total t = [4, 7, 10, 13], var 15 -> alpha = 3/2 (1 - (17/3) / 15) = 42/45 = 0.9333
    # a fifth row with a missing value is not a complete case and is left out.
    X = np.array([[1, 2, 1], [2, 2, 3], [3, 4, 3], [4, 4, 5], [9, np.nan, 0]], dtype=float)
    assert cronbach_alpha(X) == pytest.approx(42 / 45)
    assert np.isnan(cronbach_alpha(X[:, :1]))  # one item
    assert np.isnan(cronbach_alpha(X[:1]))  # one complete row


def test_cronbach_by_dimension(audit_toy):
    out = cronbach_by_dimension(audit_toy).set_index("dimension")
    # A: a and dup are perfectly correlated -> alpha 1 (on the normalised data, both 0..100)
    assert out.loc["A", "alpha"] == pytest.approx(1.0)
    assert out.loc["A", "indicators"] == 2 and out.loc["A", "complete"] == 8
    assert np.isnan(out.loc["D", "alpha"])


def test_indicator_statistics():
    # COINr's outlier example: 1..10, 30, 100 fails the rule (|skew| > 2 and kurtosis > 3.5)
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    cols = {"tail": x, "flat": np.r_[[5.0] * 4, 1.0, 2.0, 3.0, 4.0, 6.0, 7.0, 0.0, 0.0]}
    framework = pd.DataFrame(
        {
            "indicator": list(cols),
            "dimension": ["A", "A"],
            "direction": [1, 1],
            "weight": [1.0, 1.0],
        }
    )
    rows = [
        (f"K{c:02d}", ind, 2020, float(v[c]), "")
        for ind, v in cols.items()
        for c in range(12)
        if not (ind == "flat" and c >= 10)  # two countries lack "flat"
    ]
    values = pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value", "note"])
    sc = build_scorecard(
        prepare(values, framework),
        method=Method(min_coverage=0.0, min_indicator_share=0, min_dimension_share=0),
    )
    out = indicator_statistics(sc)
    assert out.loc["tail", "outlier"] and not out.loc["flat", "outlier"]
    assert out.loc["tail", "skew"] == pytest.approx(skew(x))
    assert skew(x) > 2 and kurt(x) > 3.5
    assert out.loc["tail", "kurtosis"] == pytest.approx(kurt(x))
    assert out.loc["tail", ["min", "max", "mean"]].tolist() == [1.0, 100.0, 185 / 12]
    assert out.loc["flat", "availability"] == pytest.approx(10 / 12)
    assert out.loc["flat", "n"] == 10
    assert out.loc["flat", "mode_share"] == pytest.approx(4 / 10)
    assert out.loc["tail", "mode_share"] == pytest.approx(1 / 12)


def test_unknown_stage_is_refused(audit_toy):
    with pytest.raises(ValueError, match="stage"):
        correlations(audit_toy, stage="cooked")
