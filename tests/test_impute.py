"""Imputers: group mean/median, latest earlier value, flags and the registry."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.impute import IMPUTERS, ImputeContext

# Worked by hand: countries A, B, C in group 0 and D in group 1; two indicators.
#   indicator 1: A 10, B NaN, C 30, D NaN -> B gets mean(10, 30) = 20, median 20; D no donor
#   indicator 2: A 1, B 2, C NaN, D 7     -> C gets mean(1, 2) = 1.5, median 1.5
X = np.array([[10.0, 1.0], [np.nan, 2.0], [30.0, np.nan], [np.nan, 7.0]])
GROUPS = np.array([0, 0, 0, 1])


@pytest.mark.parametrize("name", ["group_mean", "group_median"])
def test_group_imputation_by_hand(name):
    out, flags, years = IMPUTERS[name].function(X, ImputeContext(groups=GROUPS))
    np.testing.assert_allclose(out, [[10, 1], [20, 2], [30, 1.5], [np.nan, 7]])
    np.testing.assert_array_equal(flags, [[0, 0], [1, 0], [0, 1], [0, 0]])
    assert np.isnan(years).all()


def test_group_median_differs_from_mean():
    Xs = np.array([[1.0], [2.0], [9.0], [np.nan]])
    mean = IMPUTERS["group_mean"].function(Xs, ImputeContext(groups=np.zeros(4, int)))[0]
    median = IMPUTERS["group_median"].function(Xs, ImputeContext(groups=np.zeros(4, int)))[0]
    assert mean[3, 0] == pytest.approx(4.0) and median[3, 0] == pytest.approx(2.0)


def test_countries_without_a_group_are_not_imputed():
    out, flags, _ = IMPUTERS["group_mean"].function(
        X, ImputeContext(groups=np.array([0, -1, 0, 1]))
    )
    assert np.isnan(out[1, 0]) and not flags[1, 0]


def test_group_imputation_needs_groups():
    with pytest.raises(ValueError, match="needs the countries table"):
        IMPUTERS["group_mean"].function(X, ImputeContext())


def test_latest_earlier_takes_the_latest_year_before():
    years = np.array([2015, 2017, 2020])
    cube = np.full((3, 2, 1), np.nan)
    cube[0, 0, 0] = 1.0  # country 0: 2015
    cube[1, 0, 0] = 2.0  # country 0: 2017 (latest before 2020)
    cube[2, 1, 0] = 9.0  # country 1: only 2020, not earlier
    Xs = np.array([[np.nan], [np.nan]])
    out, flags, src = IMPUTERS["latest_earlier"].function(
        Xs, ImputeContext(cube=cube, years=years, before=2020)
    )
    assert out[0, 0] == 2.0 and flags[0, 0] and src[0, 0] == 2017
    assert np.isnan(out[1, 0]) and not flags[1, 0]


def test_latest_earlier_never_overwrites_present_values():
    years = np.array([2010])
    cube = np.array([[[5.0]]])
    out, flags, _ = IMPUTERS["latest_earlier"].function(
        np.array([[1.0]]), ImputeContext(cube=cube, years=years, before=2020)
    )
    assert out[0, 0] == 1.0 and not flags.any()


@pytest.mark.parametrize("name", sorted(IMPUTERS))
def test_every_imputer_keeps_present_values_and_flags_exactly_the_filled_cells(name):
    rng = np.random.default_rng(1)
    Xr = rng.uniform(0, 10, size=(12, 3))
    Xr[rng.random(Xr.shape) < 0.3] = np.nan
    cube = rng.uniform(0, 10, size=(2, 12, 3))
    ctx = ImputeContext(
        groups=np.arange(12) % 3, cube=cube, years=np.array([2000, 2001]), before=2002
    )
    spec = IMPUTERS[name]
    assert spec.label and spec.rule
    out, flags, _ = spec.function(Xr, ctx)
    present = ~np.isnan(Xr)
    np.testing.assert_array_equal(out[present], Xr[present])
    np.testing.assert_array_equal(flags, np.isnan(Xr) & ~np.isnan(out))
