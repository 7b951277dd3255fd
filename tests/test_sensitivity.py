"""Variance-based sensitivity (own Saltelli/Jansen estimators against analytic indices) and
leave-one-out rank changes on a toy worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.alternatives import Variations
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from scoring.sensitivity import (
    leave_one_out,
    saltelli_sample,
    sobol_indices,
    variance_sensitivity,
)


def sobol_analysis(model, d, n=1000, *, seed=0, names=None, bootstrap=0):
    """Sample U(0, 1)^d in the Saltelli design, run the vectorised ``model``, estimate."""
    rng = np.random.default_rng(seed)
    X = saltelli_sample(n, d, rng)
    out = sobol_indices(np.asarray(model(X), dtype=float), n, d, bootstrap=bootstrap, rng=rng)
    out.index = pd.Index(list(names) if names else [f"x{i + 1}" for i in range(d)], name="input")
    return out


# ------------------------------------------------------------------------------- design
def test_saltelli_design_layout():
    X = saltelli_sample(5, 3, np.random.default_rng(0))
    A, B = X[:5], X[5:10]
    assert X.shape == (25, 3)
    for i in range(3):
        ABi = X[(2 + i) * 5 : (3 + i) * 5]
        assert (ABi[:, i] == B[:, i]).all()
        others = [j for j in range(3) if j != i]
        assert (ABi[:, others] == A[:, others]).all()
    assert not np.array_equal(A, B)


def test_saltelli_design_is_seeded():
    a = saltelli_sample(10, 2, np.random.default_rng(3))
    b = saltelli_sample(10, 2, np.random.default_rng(3))
    assert np.array_equal(a, b)


# ------------------------------------------------------------------------------- analytic indices
def test_linear_model_indices():
    # Y = x1 + 2 x2 + 3 x3, x ~ U(0, 1): V_i = a_i^2 / 12, so S_i = ST_i = a_i^2 / 14
    out = sobol_analysis(lambda X: X @ np.array([1.0, 2.0, 3.0]), 3, 20000, seed=1)
    expected = np.array([1, 4, 9]) / 14
    np.testing.assert_allclose(out["first_order"], expected, atol=0.02)
    np.testing.assert_allclose(out["total_order"], expected, atol=0.02)
    assert out.attrs["variance"] == pytest.approx(14 / 12, rel=0.03)


def ishigami(X, a=7.0, b=0.1):
    Z = -np.pi + 2 * np.pi * X
    return np.sin(Z[:, 0]) + a * np.sin(Z[:, 1]) ** 2 + b * Z[:, 2] ** 4 * np.sin(Z[:, 0])


def test_ishigami_indices():
    # Analytic (Ishigami & Homma 1990; Saltelli et al. 2010, a = 7, b = 0.1):
    a, b, pi = 7.0, 0.1, np.pi
    V1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    V2 = a**2 / 8
    V13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    V = V1 + V2 + V13
    first = [V1 / V, V2 / V, 0.0]  # 0.3139, 0.4424, 0
    total = [(V1 + V13) / V, V2 / V, V13 / V]  # 0.5576, 0.4424, 0.2437
    out = sobol_analysis(ishigami, 3, 2**15, seed=2, names=["x1", "x2", "x3"])
    np.testing.assert_allclose(out["first_order"], first, atol=0.03)
    np.testing.assert_allclose(out["total_order"], total, atol=0.03)
    assert list(out.index) == ["x1", "x2", "x3"]


def test_bootstrap_bounds_bracket_the_estimate():
    out = sobol_analysis(ishigami, 3, 4000, seed=3, bootstrap=200)
    for col in ("first_order", "total_order"):
        assert (out[f"{col}_q05"] <= out[col] + 1e-12).all()
        assert (out[col] <= out[f"{col}_q95"] + 1e-12).all()


def test_constant_output_gives_nan():
    out = sobol_analysis(lambda X: np.zeros(len(X)), 2, 50)
    assert out[["first_order", "total_order"]].isna().all().all()


def test_wrong_number_of_outputs_is_refused():
    with pytest.raises(ValueError, match="expected 40 outputs"):
        sobol_indices(np.zeros(39), 10, 2)


# ------------------------------------------------------------------------------- toy scorecards
def _scorecard(rows, framework, method=None):
    values = pd.DataFrame(
        [(c, i, 2020, float(v), "") for c, i, v in rows],
        columns=["iso3", "indicator", "year", "value", "note"],
    )
    return build_scorecard(
        prepare(values, framework),
        method=method or Method(min_coverage=0.0, min_indicator_share=0, min_dimension_share=0),
    )


@pytest.fixture(scope="module")
def loo_toy():
    # Countries X, Y, Z; dimension A = {a}, B = {b1, b2}; values already span 0..100, so
    # min-max leaves them as they are:
    #          a    b1   b2 |  A     B              overall (A + B) / 2   rank
    #   X    100     0   20 | 100   (0 + 20)/2 = 10    55                 2
    #   Y      0   100    0 |   0   (100 + 0)/2 = 50   25                 3
    #   Z     50    50  100 |  50   (50 + 100)/2 = 75  62.5               1
    # without b2: B = b1 -> X 50, Y 50, Z 50: all rank 1 -> |changes| 1, 2, 0: mean 1, max 2
    # without b1: B = b2 -> X 60, Y 0, Z 75: ranks 2, 3, 1 -> no change
    # without a (= without A): overall = B -> X 10, Y 50, Z 75: ranks 3, 2, 1 -> mean 2/3, max 1
    # without B: overall = A -> X 100, Y 0, Z 50: ranks 1, 3, 2 -> mean 2/3, max 1
    framework = pd.DataFrame(
        {
            "indicator": ["a", "b1", "b2"],
            "dimension": ["A", "B", "B"],
            "direction": [1, 1, 1],
            "weight": [1.0, 1.0, 1.0],
        }
    )
    table = {"X": (100, 0, 20), "Y": (0, 100, 0), "Z": (50, 50, 100)}
    rows = [
        (c, i, v) for c, vals in table.items() for i, v in zip(["a", "b1", "b2"], vals, strict=True)
    ]
    return _scorecard(rows, framework)


def test_loo_toy_nominal(loo_toy):
    assert loo_toy.results["overall"].tolist() == [55.0, 25.0, 62.5]
    assert loo_toy.results["rank"].tolist() == [2, 3, 1]


def test_leave_one_out_worked_by_hand(loo_toy):
    out = leave_one_out(loo_toy).set_index(["level", "removed"])
    expected = {
        ("indicator", "a"): (2 / 3, 1),
        ("indicator", "b1"): (0.0, 0),
        ("indicator", "b2"): (1.0, 2),
        ("dimension", "A"): (2 / 3, 1),
        ("dimension", "B"): (2 / 3, 1),
    }
    assert list(out.index) == list(expected)
    for key, (mean, biggest) in expected.items():
        assert out.loc[key, "mean_abs_rank_change"] == pytest.approx(mean)
        assert out.loc[key, "max_abs_rank_change"] == biggest
    assert (out["compared"] == 3).all() and (out["lost"] == 0).all()


def test_leave_one_out_equals_rebuilding_without_each_element(sa_toy):
    # Oracle: the pipeline itself with the element's weight set to 0.
    out = leave_one_out(sa_toy).set_index(["level", "removed"])
    nominal = sa_toy.results["rank"].astype(float)
    for (level, removed), row in out.iterrows():
        key = "indicator_weights" if level == "indicator" else "dimension_weights"
        rebuilt = build_scorecard(
            sa_toy.prepared, method=sa_toy.method.with_(**{key: {removed: 0.0}})
        )
        change = (rebuilt.results["rank"].astype(float) - nominal).abs()
        assert row["mean_abs_rank_change"] == pytest.approx(change.mean()), removed
        assert row["max_abs_rank_change"] == change.max(), removed
        assert row["compared"] == len(change)


def test_leave_one_out_counts_countries_that_lose_their_score():
    framework = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "dimension": ["A", "B"],
            "direction": [1, 1],
            "weight": [1.0, 1.0],
        }
    )
    rows = [
        ("X", "a", 1),
        ("Y", "a", 2),
        ("Z", "a", 3),
        ("X", "b", 5),
        ("Y", "b", 4),
        ("W", "b", 1),
    ]
    out = leave_one_out(_scorecard(rows, framework)).set_index("removed")
    assert out.loc["a", "lost"] == 1  # Z only has a
    assert out.loc["b", "lost"] == 1  # W only has b
    assert out.loc["a", "compared"] == 3


@pytest.fixture(scope="module")
def sa_toy():
    rng = np.random.default_rng(4)
    framework = pd.DataFrame(
        {
            "indicator": ["a1", "a2", "b1", "b2", "c1", "c2"],
            "dimension": ["A", "A", "B", "B", "C", "C"],
            "direction": [1, 1, 1, -1, 1, 1],
            "weight": [1.0] * 6,
        }
    )
    rows = [
        (f"K{c:02d}", ind, np.round(rng.uniform(1, 100), 1))
        for c in range(20)
        for ind in framework["indicator"]
    ]
    return _scorecard(rows, framework)


def test_variance_sensitivity_structure_and_seed(sa_toy):
    kw = dict(
        country="K03", n=256, variations=Variations(normalisations=("min_max", "z_score")), seed=1
    )
    out = variance_sensitivity(sa_toy, **kw)
    inputs = ["weight: A", "weight: B", "weight: C", "normalisation"]
    assert out["target"].unique().tolist() == ["rank of K03", "mean absolute rank shift"]
    assert out["input"].tolist() == inputs * 2
    assert out.attrs["runs"] == 256 * (len(inputs) + 2)
    pd.testing.assert_frame_equal(out, variance_sensitivity(sa_toy, **kw))
    total = out.set_index(["target", "input"])["total_order"]
    assert (total > 0).all()


def test_identical_alternatives_have_zero_indices(sa_toy):
    # No goalposts in the framework: the goalposts normaliser falls back to min-max, so the
    # two normalisation "choices" give the same matrix and can explain nothing (COINr's test).
    out = variance_sensitivity(
        sa_toy, n=200, variations=Variations(normalisations=("min_max", "goalposts")), seed=2
    )
    norm = out[out["input"] == "normalisation"]
    assert (norm["first_order"].abs() < 1e-12).all()
    assert (norm["total_order"].abs() < 1e-12).all()
    weights = out[out["input"].str.startswith("weight")]
    assert (weights["total_order"] > 0.05).all()


def test_variance_sensitivity_refuses_unknown_country(sa_toy):
    with pytest.raises(ValueError, match="ZZZ"):
        variance_sensitivity(sa_toy, country="ZZZ", n=16)


def test_dimension_weights_vary_by_the_noise_on_both_sides():
    # X = (100, 0) and Y = (0, 100) on dimensions A and B weighted 1 and 1.2. X ranks 1st when
    # 1 (1 + 0.25 (2u - 1)) > 1.2 (1 + 0.25 (2v - 1)), i.e. 0.5 u - 0.6 v > 0.15, u, v ~ U(0, 1):
    # p = integral_0^(7/12) (0.7 - 1.2 v) dv = 0.2042; its rank is 1 or 2, variance p (1 - p).
    framework = pd.DataFrame(
        {"indicator": ["a", "b"], "dimension": ["A", "B"], "direction": [1, 1], "weight": [1.0, 1]}
    )
    rows = [("X", "a", 100), ("X", "b", 0), ("Y", "a", 0), ("Y", "b", 100)]
    method = Method(
        min_coverage=0.0,
        min_indicator_share=0,
        min_dimension_share=0,
        dimension_weights={"A": 1.0, "B": 1.2},
    )
    out = variance_sensitivity(
        _scorecard(rows, framework, method), country="X", n=8000, variations=None, seed=3
    )
    p = 0.7 * 7 / 12 - 0.6 * (7 / 12) ** 2
    assert out.attrs["variance"]["rank of X"] == pytest.approx(p * (1 - p), abs=0.01)
