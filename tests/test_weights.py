"""Weights: validation messages, rescaling, effective weights, presets, PCA."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.weights import (
    WEIGHT_PRESETS,
    apply_preset,
    correlation_importance,
    effective_weight_array,
    pca_weights,
    validate_weights,
    within_dimension,
)

INDICATORS = ["rsf_press_freedom", "fh_free_media", "eiti_status_score"]
DIMENSIONS = ["media_reach", "eiti_participation"]
DIM_OF = np.array([0, 0, 1])


@pytest.mark.parametrize(
    "w_ind, w_dim, message",
    [
        ([1, -1, 1], [1, 1], "media_reach: negative weight -1 for fh_free_media"),
        ([1, 1, np.nan], [1, 1], "eiti_participation: weight of eiti_status_score is not a number"),
        ([1, 1, 1], [0, 0], "dimension weights: all are zero"),
        ([1, 1, 1], [1, -2], "dimension weights: negative weight -2 for eiti_participation"),
        ([0, 0, 1], [1, 1], "media_reach: all indicator weights are zero"),
    ],
)
def test_impossible_weights_are_named(w_ind, w_dim, message):
    with pytest.raises(ValueError) as err:
        validate_weights(
            np.array(w_ind, float), DIM_OF, np.array(w_dim, float), INDICATORS, DIMENSIONS
        )
    assert str(err.value).startswith(message)


def test_a_dimension_with_weight_zero_may_have_zero_indicator_weights():
    validate_weights(
        np.array([0.0, 0.0, 1.0]), DIM_OF, np.array([0.0, 1.0]), INDICATORS, DIMENSIONS
    )


def test_rescaling_within_dimension_and_effective_weights():
    # a, b in d1 with weights 1, 3; c alone in d2 with weight 2; dimension weights 1, 3
    # within: .25, .75, 1; dimension shares .25, .75; effective .0625, .1875, .75
    w = np.array([1.0, 3.0, 2.0])
    np.testing.assert_allclose(within_dimension(w, DIM_OF, 2), [0.25, 0.75, 1.0])
    eff = effective_weight_array(w, DIM_OF, np.array([1.0, 3.0]))
    np.testing.assert_allclose(eff, [0.0625, 0.1875, 0.75])
    assert eff.sum() == pytest.approx(1.0)


FW = pd.DataFrame(
    {
        "indicator": ["a", "b", "z", "c"],
        "dimension": ["d1", "d1", "d1", "d2"],
        "direction": [1, 1, 1, 1],
        "weight": [2.0, 1.0, 0.0, 5.0],
    }
)


def test_simple_presets():
    w, d = apply_preset("catalogue", FW, {"d1": 1, "d2": 2})
    assert w.tolist() == [2, 1, 0, 5] and d.tolist() == [1, 2]
    w, d = apply_preset("equal_indicator", FW)  # weight-0 indicators stay out
    assert w.tolist() == [1, 1, 0, 1] and d.tolist() == [2, 1]
    w, d = apply_preset("equal_dimension", FW, {"d1": 3})
    assert w.tolist() == [1, 1, 0, 1] and d.tolist() == [1, 1]
    with pytest.raises(ValueError, match="unknown weight preset 'no_such_set'"):
        apply_preset("no_such_set", FW)
    with pytest.raises(ValueError, match="pca needs the normalised data"):
        apply_preset("pca", FW)


def test_pca_squared_loadings_of_two_perfectly_correlated_indicators_are_equal():
    # a and b move together, c is alone in d2: PC1 loadings (1/sqrt2, 1/sqrt2) -> .5, .5
    N = np.array([[0.0, 10, 0, 5], [50, 60, 0, 6], [100, 110, 0, 7], [20, 30, 0, 8]])
    w, d = pca_weights(N, np.array([0, 0, 0, 1]), np.array([1.0, 1, 0, 1]), np.ones(2))
    np.testing.assert_allclose(w, [0.5, 0.5, 0, 1.0])
    normalised = pd.DataFrame(N, columns=["a", "b", "z", "c"])
    ws, _ = apply_preset("pca", FW, normalised=normalised)
    np.testing.assert_allclose(
        ws.to_numpy(), [0.5, 0.5, 0, 5.0]
    )  # single-indicator dims keep theirs


def test_pca_weights_are_squared_loadings_worked_by_hand():
    # a = (2, 2, 0, 0), b = 10 a + 10 (so r(a, b) = 1), c = (2, 1, 1, 0):
    # centred a = (1, 1, -1, -1), c = (1, 0, 0, -1): r(a, c) = 2 / (2 * sqrt 2) = 1 / sqrt 2 = rho.
    # Correlation matrix [[1, 1, rho], [1, 1, rho], [rho, rho, 1]]; PC1 = (u, u, v) with
    # 2u + rho v = L u and 2 rho u + v = L v, so (L - 1)(L - 2) = 2 rho^2 = 1, L = (3 + sqrt 5) / 2
    # = phi^2 (phi the golden ratio), u / v = phi / sqrt 2, u^2 : u^2 : v^2 = phi^2 / 2 : phi^2 / 2 : 1.
    # Shares: phi^2 / (2 (phi^2 + 1)) = (5 + sqrt 5) / 20 = .3618 each, 1 / (phi^2 + 1) =
    # (5 - sqrt 5) / 10 = .2764 (absolute loadings instead of squares would give .3660 and .2679).
    N = np.array([[2.0, 30, 2], [2, 30, 1], [0, 10, 1], [0, 10, 0]])
    w, d = pca_weights(N, np.array([0, 0, 0]), np.ones(3), np.array([4.0]))
    root5 = np.sqrt(5)
    np.testing.assert_allclose(w, [(5 + root5) / 20, (5 + root5) / 20, (5 - root5) / 10])
    assert d.tolist() == [4.0]  # dimension weights pass through
    # Three complete cases are enough; two are not (the catalogue weights stay).
    w3, _ = pca_weights(N[[0, 1, 2]], np.array([0, 0, 0]), np.array([1.0, 2, 3]), np.ones(1))
    assert w3.tolist() != [1.0, 2.0, 3.0]
    w2, _ = pca_weights(N[[0, 2]], np.array([0, 0, 0]), np.array([1.0, 2, 3]), np.ones(1))
    assert w2.tolist() == [1.0, 2.0, 3.0]


def test_pca_gives_an_indicator_without_spread_no_weight_and_keeps_weights_without_data():
    N = np.array([[1.0, 5, 3], [2, 5, 1], [3, 5, 2], [4, 5, 9]])
    w, _ = pca_weights(N, np.array([0, 0, 0]), np.ones(3), np.ones(1))
    assert w[1] == 0 and w.sum() == pytest.approx(1)
    few = np.array([[1.0, 2.0], [np.nan, 1.0], [3.0, np.nan]])
    w, _ = pca_weights(few, np.array([0, 0]), np.array([2.0, 1.0]), np.ones(1))
    assert w.tolist() == [2.0, 1.0]


def test_correlation_importance():
    n = pd.DataFrame({"a": [0.0, 50, 100], "b": [10.0, 0, 20]}, index=["X", "Y", "Z"])
    # r(a, overall) = 1, r(b, overall) = .5 -> 1 / 1.25 and .25 / 1.25
    imp = correlation_importance(n, pd.Series([0.0, 50, 100], index=["X", "Y", "Z"]))
    np.testing.assert_allclose(imp.to_numpy(), [0.8, 0.2])


@pytest.mark.parametrize("name", sorted(WEIGHT_PRESETS))
def test_every_preset_is_described_and_gives_valid_weights(name):
    spec = WEIGHT_PRESETS[name]
    assert spec.label and spec.rule
    rng = np.random.default_rng(9)
    N = rng.uniform(0, 100, size=(20, 4))
    w, d = spec.function(N, np.array([0, 0, 0, 1]), np.array([2.0, 1, 0, 5]), np.ones(2))
    validate_weights(w, np.array([0, 0, 0, 1]), d, list("abzc"), ["d1", "d2"])
    assert w[2] == 0  # an indicator the catalogue leaves out stays out
