"""Aggregators: worked examples, missing values, positivity, Copeland, ranks."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.aggregate import (
    AGGREGATORS,
    aggregate_levels,
    copeland,
    outranking_matrix,
    rank_scores,
)

# Worked by hand: one country, items x = [20, 80, 50], weights [1, 1, 2] (shares .25 .25 .5)
#   arithmetic: .25*20 + .25*80 + .5*50                 = 50
#   geometric:  20^.25 * 80^.25 * 50^.5                 = 44.721
#   harmonic:   1 / (.25/20 + .25/80 + .5/50)           = 39.024
#   generalised p = 2: sqrt(.25*400 + .25*6400 + .5*2500) = 54.314
#   generalised p = 1: arithmetic                       = 50
ROW = np.array([[20.0, 80.0, 50.0]])
W = np.array([1.0, 1.0, 2.0])


@pytest.mark.parametrize(
    "name, p, expected",
    [
        ("arithmetic", None, 50.0),
        ("geometric", None, 44.721),
        ("harmonic", None, 39.024),
        ("generalised", 2.0, 54.314),
        ("generalised", 1.0, 50.0),
        ("generalised", 0.0, 44.721),
        ("generalised", -1.0, 39.024),
    ],
)
def test_worked_example(name, p, expected):
    out = AGGREGATORS[name].function(ROW, W, p=p)
    assert out.shape == (1,)
    assert out[0] == pytest.approx(expected, abs=1e-3)


def test_missing_items_are_dropped_and_weights_rescaled():
    # x = [20, NaN, 50], weights [1, 1, 2] -> (20 + 2*50) / 3 = 40
    X = np.array([[20.0, np.nan, 50.0], [np.nan, np.nan, np.nan]])
    out = AGGREGATORS["arithmetic"].function(X, W)
    assert out[0] == pytest.approx(40.0)
    assert np.isnan(out[1])
    g = AGGREGATORS["geometric"].function(X, W)
    assert g[0] == pytest.approx(np.exp((np.log(20) + 2 * np.log(50)) / 3))
    assert np.isnan(g[1])


def test_weight_zero_item_does_not_count_even_when_zero_valued():
    X = np.array([[0.0, 50.0]])
    assert AGGREGATORS["geometric"].function(X, np.array([0.0, 1.0]))[0] == pytest.approx(50)


@pytest.mark.parametrize("name", ["geometric", "harmonic"])
def test_non_positive_values_are_refused_with_advice(name):
    X = np.array([[0.0, 50.0], [10.0, 20.0]])
    with pytest.raises(ValueError) as err:
        AGGREGATORS[name].function(X, np.ones(2), names=["rsf", "fh"], units=["RUS", "FRA"])
    msg = str(err.value)
    assert "needs positive values" in msg and "rsf is 0 for RUS" in msg and "[1, 100]" in msg


def test_copeland_matches_coinr_outranking_rule():
    # A = [20, 80, 50], B = [30, 60, 50], C = [10, 10, 10]; weights [.25, .25, .5]
    # O[A,B] = .25 (item 2) + .5/2 (tie on item 3) = .5; A and B beat C everywhere.
    X = np.array([[20.0, 80.0, 50.0], [30.0, 60.0, 50.0], [10.0, 10.0, 10.0]])
    outrank = outranking_matrix(X, W)
    np.testing.assert_allclose(outrank, [[0, 0.5, 1], [0.5, 0, 1], [0, 0, 0]])
    np.testing.assert_allclose(copeland(X, W), [1.5, 1.5, 0])


def test_copeland_is_not_compensatory():
    # B is hugely better on one item, A slightly better on the two others: A wins under
    # Copeland, B under the arithmetic mean.
    X = np.array([[51.0, 51.0, 0.0], [50.0, 50.0, 100.0]])
    w = np.ones(3)
    assert copeland(X, w)[0] > copeland(X, w)[1]
    arith = AGGREGATORS["arithmetic"].function(X, w)
    assert arith[1] > arith[0]


def test_aggregate_levels_by_hand():
    # indicators a, b in d1 (weights 1, 3), c in d2; dimension weights d1 = 1, d2 = 3
    # country 1: a = 0, b = 100, c = 40 -> d1 = 75, d2 = 40 -> overall (75 + 3*40) / 4 = 48.75
    # country 2: a = 100, b missing, c = 0 -> d1 = 100, d2 = 0 -> overall 25
    N = np.array([[0.0, 100.0, 40.0], [100.0, np.nan, 0.0]])
    D, overall = aggregate_levels(
        N, np.array([0, 0, 1]), np.array([1.0, 3.0, 1.0]), np.array([1.0, 3.0])
    )
    np.testing.assert_allclose(D, [[75, 40], [100, 0]])
    np.testing.assert_allclose(overall, [48.75, 25])


def test_aggregate_levels_names_the_dimension_in_errors():
    N = np.array([[0.0, 100.0], [50.0, 50.0]])
    with pytest.raises(ValueError, match="^media_reach: geometric mean needs positive values"):
        aggregate_levels(
            N,
            np.array([0, 1]),
            np.ones(2),
            np.ones(2),
            "geometric",
            indicators=["a", "b"],
            dimensions=["media_reach", "eiti"],
            units=["X", "Y"],
        )


@pytest.mark.parametrize("name", sorted(AGGREGATORS))
def test_every_aggregator_loop_equals_levels_and_ignores_missing(name):
    """Shared registry test: aggregate_levels equals calling the kernel per dimension."""
    rng = np.random.default_rng(3)
    N = rng.uniform(1, 100, size=(25, 6))
    N[rng.random(N.shape) < 0.15] = np.nan
    dim_of = np.array([0, 0, 1, 1, 1, 2])
    w = rng.uniform(0.5, 2, size=6)
    spec = AGGREGATORS[name]
    assert spec.label and spec.rule
    D, _ = aggregate_levels(N, dim_of, w, np.ones(3), name, "arithmetic", indicator_power=2.0)
    for d in range(3):
        idx = dim_of == d
        np.testing.assert_allclose(D[:, d], spec.function(N[:, idx], w[idx], p=2.0))
    # a country whose values are all missing in a dimension gets NaN there
    N[0, :2] = np.nan
    D, _ = aggregate_levels(N, dim_of, w, np.ones(3), name, "arithmetic", indicator_power=2.0)
    assert np.isnan(D[0, 0])


def test_rank_scores_min_method_best_is_one():
    np.testing.assert_array_equal(
        rank_scores(np.array([50.0, 70.0, 50.0, np.nan, 10.0])), [2, 1, 2, np.nan, 4]
    )
    np.testing.assert_array_equal(rank_scores(np.array([[1.0, 2.0], [5.0, 5.0]])), [[2, 1], [1, 1]])


def test_scores_equal_but_for_float_rounding_share_a_rank_and_real_gaps_do_not():
    # 0.1 + 0.2 is 0.30000000000000004 in float64: the same score as 0.3, so one rank;
    # 50.0005 against 50 is a real (if small) difference: two ranks
    np.testing.assert_array_equal(rank_scores(np.array([0.3, 0.1 + 0.2, 0.2])), [1, 1, 3])
    np.testing.assert_array_equal(rank_scores(np.array([50.0, 50.0005])), [2, 1])


def test_the_generalised_mean_without_a_power_is_p_one_half():
    # x = [20, 80, 50], shares .25 .25 .5: (.25 sqrt 20 + .25 sqrt 80 + .5 sqrt 50)^2
    # = (1.1180 + 2.2361 + 3.5355)^2 = 6.8896^2 = 47.467
    out = AGGREGATORS["generalised"].function(np.array([[20.0, 80, 50]]), np.array([1.0, 1, 2]))
    assert out[0] == pytest.approx(47.467, abs=1e-3)
