"""Normalisers: worked examples, direction, constant indicators, and one test over the registry."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.normalise import NORMALISERS, normalise

# Worked by hand: three countries, one indicator, x = [2, 4, 10]; all-year worst 0 and best 20;
# goalposts [0, 20].
#   min_max [0, 100], goalposts 0 (COINr): (x - 2) / 8 * 100 -> 0, 25, 100
#   min_max [1, 100], goalposts 0:         (x - 2) / 8 * 99 + 1 -> 1, 25.75, 100
#   min_max [0, 100] keeping the published scale [0, 20]: x / 20 * 100 -> 10, 20, 50
#   min_max [1, 100] keeping it:           x / 20 * 99 + 1 -> 10.9, 20.8, 50.5
#   z_score (0, 1):          mean 16/3, sd sqrt(52/3)    -> -0.8006, -0.3203, 1.1209
#   percentile_rank x 100:   (rank - 1) / 2 * 100        -> 0, 50, 100
#   rank:                                                -> 1, 2, 3
#   goalposts x 100:         x / 20 * 100                -> 10, 20, 50
#   distance_to_frontier:    (x - 0) / (20 - 0) * 100    -> 10, 20, 50
X = np.array([[2.0], [4.0], [10.0]])
BOUNDS = {
    "goal_low": np.array([0.0]),
    "goal_high": np.array([20.0]),
    "worst": np.array([0.0]),
    "best": np.array([20.0]),
}


@pytest.mark.parametrize(
    "name, params, expected",
    [
        ("min_max", {"goalposts": 0}, [0, 25, 100]),
        ("min_max", {"low": 1, "goalposts": 0}, [1, 25.75, 100]),
        ("min_max", {}, [10, 20, 50]),
        ("min_max", {"low": 1}, [10.9, 20.8, 50.5]),
        ("z_score", {}, [-0.8006, -0.3203, 1.1209]),
        ("z_score", {"mean": 50, "sd": 10}, [41.994, 46.797, 61.209]),
        ("percentile_rank", {}, [0, 50, 100]),
        ("rank", {}, [1, 2, 3]),
        ("goalposts", {}, [10, 20, 50]),
        ("goalposts", {"scale": 1}, [0.1, 0.2, 0.5]),
        ("distance_to_frontier", {}, [10, 20, 50]),
    ],
)
def test_worked_example(name, params, expected):
    out = normalise(X, np.array([1.0]), name, params, **BOUNDS).ravel()
    np.testing.assert_allclose(out, expected, atol=1e-3)


@pytest.mark.parametrize(
    "name, expected",
    [
        # direction -1 flips the values (and goalposts / extremes) before normalising
        ("min_max", [90, 80, 50]),  # the published scale kept: (20 - x) / 20
        ("percentile_rank", [100, 50, 0]),
        ("rank", [3, 2, 1]),
        ("goalposts", [90, 80, 50]),  # (20 - x) / 20
        ("distance_to_frontier", [90, 80, 50]),
    ],
)
def test_direction_minus_one(name, expected):
    out = normalise(X, np.array([-1.0]), name, **BOUNDS).ravel()
    np.testing.assert_allclose(out, expected)


def test_goalposts_clip_and_fall_back_to_observed_range():
    X2 = np.array([[-5.0, 1.0], [10.0, 3.0], [30.0, 5.0]])
    out = normalise(
        X2,
        np.array([1.0, 1.0]),
        "goalposts",
        goal_low=np.array([0.0, np.nan]),
        goal_high=np.array([20.0, np.nan]),
    )
    np.testing.assert_allclose(out[:, 0], [0, 50, 100])  # clipped to the goalposts
    np.testing.assert_allclose(out[:, 1], [0, 50, 100])  # no goalposts: observed min and max


def test_missing_values_stay_missing_and_are_ignored():
    Xm = np.array([[2.0], [np.nan], [4.0], [10.0]])
    out = normalise(Xm, np.array([1.0]), "min_max").ravel()
    np.testing.assert_allclose(out, [0, np.nan, 25, 100])
    out = normalise(Xm, np.array([1.0]), "percentile_rank").ravel()
    np.testing.assert_allclose(out, [0, np.nan, 50, 100])


@pytest.mark.parametrize("name", ["min_max", "z_score", "distance_to_frontier"])
def test_constant_indicator_is_an_error_naming_it(name):
    Xc = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    with pytest.raises(ValueError) as err:
        normalise(Xc, np.ones(2), name, names=["ok", "eiti_validation_score"])
    assert str(err.value).startswith("eiti_validation_score: every country has the same value")
    assert "undefined" in str(err.value)


def test_constant_indicator_with_weight_zero_gives_missing_scores():
    Xc = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    out = normalise(Xc, np.ones(2), "min_max", active=np.array([True, False]))
    assert np.isnan(out[:, 1]).all()
    np.testing.assert_allclose(out[:, 0], [0, 50, 100])


def test_an_indicator_nobody_has_is_not_an_error():
    Xe = np.array([[1.0, np.nan], [2.0, np.nan]])
    out = normalise(Xe, np.ones(2), "min_max", names=["a", "b"])
    assert np.isnan(out[:, 1]).all()


def test_unknown_normaliser_and_parameters():
    with pytest.raises(ValueError, match="unknown normalisation 'log'"):
        normalise(X, np.ones(1), "log")
    with pytest.raises(ValueError, match="unknown parameter\\(s\\) top"):
        normalise(X, np.ones(1), "min_max", {"top": 1})


@pytest.mark.parametrize("name", sorted(NORMALISERS))
def test_every_normaliser_keeps_order_shape_and_missing(name):
    """Shared registry test: shape kept, NaN kept, non-decreasing in x, flipped by direction."""
    rng = np.random.default_rng(7)
    Xr = rng.gamma(2.0, 10.0, size=(30, 4))
    Xr[rng.random(Xr.shape) < 0.2] = np.nan
    bounds = {
        "goal_low": np.zeros(4),
        "goal_high": np.full(4, 200.0),
        "worst": np.nanmin(Xr, axis=0) - 1,
        "best": np.nanmax(Xr, axis=0) + 1,
    }
    spec = NORMALISERS[name]
    assert spec.label and spec.rule and callable(spec.function)
    for d in (1.0, -1.0):
        out = normalise(Xr, np.full(4, d), name, **bounds)
        assert out.shape == Xr.shape
        assert np.array_equal(np.isnan(out), np.isnan(Xr))
        for j in range(4):
            ok = ~np.isnan(Xr[:, j])
            order = np.argsort(d * Xr[ok, j], kind="stable")
            assert np.all(np.diff(out[ok, j][order]) >= -1e-12)


def test_min_max_keeps_a_published_scale_and_clips_to_it():
    # goalposts [0, 20] on the first column, none on the second; a constant column with a
    # published scale is defined (no spread needed), one without is not.
    X2 = np.array([[2.0, 5.0], [25.0, 5.0]])
    bounds = {"goal_low": np.array([0.0, np.nan]), "goal_high": np.array([20.0, np.nan])}
    with pytest.raises(ValueError, match="column 1: every country has the same value"):
        normalise(X2, np.array([1.0, 1.0]), "min_max", **bounds)
    out = normalise(
        X2[:, :1],
        np.array([1.0]),
        "min_max",
        goal_low=bounds["goal_low"][:1],
        goal_high=bounds["goal_high"][:1],
    )
    np.testing.assert_allclose(out.ravel(), [10, 100])  # 25 is clipped to the goalpost 20
    same = np.array([[1.0], [1.0]])
    one = normalise(
        same, np.array([1.0]), "min_max", goal_low=np.array([0.0]), goal_high=np.array([1.0])
    )
    np.testing.assert_allclose(one.ravel(), [100, 100])
    with pytest.raises(ValueError, match="goalposts is 1 .keep published scales. or 0"):
        normalise(X, np.array([1.0]), "min_max", {"goalposts": 0.5})
