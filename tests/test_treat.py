"""Outlier treatment: COINr's skew/kurtosis, winsorisation and log fallback, and the report."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from scoring.treat import (
    TREATMENTS,
    check_skew_kurt,
    kurt,
    log_ct,
    skew,
    treat_indicator,
    treat_jrc,
    winsorise,
)

COINR_EXAMPLE = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]  # COINr's Treat vignette data


def test_skew_and_kurtosis_are_the_sample_adjusted_type_2_definitions():
    rng = np.random.default_rng(0)
    for _ in range(5):
        x = rng.lognormal(size=40)
        assert skew(x) == pytest.approx(scipy.stats.skew(x, bias=False))
        assert kurt(x) == pytest.approx(scipy.stats.kurtosis(x, bias=False))  # excess kurtosis
    assert skew(COINR_EXAMPLE) == pytest.approx(3.0632, abs=1e-4)
    assert kurt(COINR_EXAMPLE) == pytest.approx(9.7414, abs=1e-4)


def test_missing_values_are_ignored_and_too_few_points_are_undefined():
    x = np.r_[COINR_EXAMPLE, np.nan]
    assert skew(x) == pytest.approx(skew(COINR_EXAMPLE))
    assert np.isnan(kurt(np.array([1.0, 2.0, 3.0])))
    # kurtosis divides by (n - 2)(n - 3): with 3 values it is undefined, whatever their shape
    assert np.isnan(kurt(np.array([1.0, 2.0, 10.0])))
    assert treat_indicator(np.array([1.0, 2.0, 10.0]))[1] == "not checked"
    assert check_skew_kurt(np.array([1.0, 2.0, 3.0])) is None
    assert check_skew_kurt(np.full(10, 4.0)) is None


def test_pass_rule_is_skew_or_kurtosis_within_threshold():
    assert check_skew_kurt(COINR_EXAMPLE) is False  # |skew| 3.06 >= 2 and kurt 9.74 >= 3.5
    assert check_skew_kurt(np.arange(20.0)) is True


def test_coinr_example_winsorises_one_high_point():
    # 100 -> 30 (the next highest): skew 1.71 < 2 -> passes after one point.
    x, n, mask, ok = winsorise(COINR_EXAMPLE)
    assert (n, ok) == (1, True)
    assert x[-1] == 30.0 and mask.tolist() == [False] * 11 + [True]
    out, action, detail, m = treat_indicator(COINR_EXAMPLE)
    assert action == "winsorised"
    assert "winsorised 1 highest point(s)" in detail and "skew 3.06" in detail


def test_negative_skew_winsorises_the_lowest_points():
    x = -COINR_EXAMPLE
    out, action, detail, mask = treat_indicator(x)
    assert action == "winsorised" and out[-1] == -30.0 and "lowest" in detail


def test_winsorising_at_most_five_points_then_log_of_the_original():
    # ten extreme values among 60 ones: five winsorisations are not enough -> log_CT of the
    # original values (which passes: the report says so)
    x = np.r_[np.ones(60), 2.0, 3.0, np.arange(1.0, 11.0) * 1000]
    xw, n, _, ok = winsorise(x)
    assert n == 5 and not ok
    out, action, detail, mask = treat_indicator(x)
    assert action == "log"
    np.testing.assert_allclose(out, np.log(x - 1 + 0.01 * (10000 - 1)))
    assert check_skew_kurt(out) is True and "(still outside the thresholds)" not in detail
    assert mask.all() and "log-transformed" in detail


def test_log_ct_formula():
    np.testing.assert_allclose(log_ct(np.array([0.0, 1.0, 100.0])), np.log([1.0, 2.0, 101.0]))


def test_report_names_every_indicator():
    X = np.c_[COINR_EXAMPLE, np.arange(12.0), np.r_[np.full(10, np.nan), 1.0, 2.0]]
    out, mask, report = treat_jrc(X, ["outlier", "fine", "sparse"])
    assert report["indicator"].tolist() == ["outlier", "fine", "sparse"]
    assert report["action"].tolist() == ["winsorised", "none", "not checked"]
    assert mask[:, 0].sum() == 1 and not mask[:, 1:].any()
    np.testing.assert_array_equal(out[:, 1], X[:, 1])
    assert "fewer than 4 values" in report.loc[2, "detail"]


@pytest.mark.parametrize("name", sorted(TREATMENTS))
def test_every_treatment_keeps_shape_missing_and_reports(name):
    rng = np.random.default_rng(2)
    X = rng.lognormal(0, 2, size=(40, 3))
    X[rng.random(X.shape) < 0.1] = np.nan
    spec = TREATMENTS[name]
    assert spec.label and spec.rule
    out, mask, report = spec.function(X, ["a", "b", "c"])
    assert out.shape == X.shape and np.array_equal(np.isnan(out), np.isnan(X))
    assert list(report.columns) == ["indicator", "action", "detail"] and len(report) == 3


# Each case sits just inside or just outside one threshold of the rule (|skew| >= 2 and
# kurtosis >= 3.5), so moving a threshold changes the verdict. Skew and kurtosis are checked with
# scipy (bias=False: the same type 2 definitions), not with the functions under test.
THRESHOLD_CASES = [
    # skew 2.065 and kurtosis 3.925: both at or over -> treated (a kurtosis threshold of 4 passes it)
    ([1.0, 2, 3, 4, 5, 6, 7, 24, 45], (2.0, 2.2), (3.5, 4.0), "winsorised"),
    # kurtosis 3.473, just under 3.5, though skew 2.03 is over -> left alone
    ([0.0, 93, 171, 0, 0, 1, 2, 9, 2], (2.0, 2.1), (3.4, 3.5), "none"),
    # skew 2.167, just over 2 (kurtosis 4.91) -> treated
    ([1.0, 2, 3, 4, 5, 9, 25], (2.0, 2.2), (4.5, 5.0), "winsorised"),
    # skew 1.905, just under 2 (kurtosis 4.58) -> left alone
    ([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 20], (1.8, 2.0), (4.5, 5.0), "none"),
]


@pytest.mark.parametrize("x, skew_range, kurt_range, action", THRESHOLD_CASES)
def test_each_threshold_decides_near_its_edge(x, skew_range, kurt_range, action):
    x = np.array(x)
    assert skew_range[0] < scipy.stats.skew(x, bias=False) < skew_range[1]
    assert kurt_range[0] < scipy.stats.kurtosis(x, bias=False) < kurt_range[1]
    assert check_skew_kurt(x) is (action == "none")
    assert treat_indicator(x)[1] == action


def test_the_kurtosis_threshold_case_winsorises_its_top_point():
    # 45 -> 24: x = 1..7, 24, 24 has skew 1.43 (scipy) < 2, so one winsorisation is enough
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 24, 45])
    assert scipy.stats.skew(np.r_[x[:-1], 24.0], bias=False) == pytest.approx(1.434, abs=0.001)
    out, action, detail, mask = treat_indicator(x)
    assert out.tolist() == [1.0, 2, 3, 4, 5, 6, 7, 24, 24] and mask.sum() == 1
    assert "winsorised 1 highest point(s)" in detail
