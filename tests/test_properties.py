"""Invariants of the pipeline, checked with hypothesis (derandomised: the same examples each run)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.method import Method
from scoring.normalise import normalise
from scoring.pipeline import build_scorecard

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ISO3 = [f"C{a}{b}" for a in "ABCDEFGH" for b in "ABCDEFGH"]


@st.composite
def datasets(draw, min_countries=3, max_countries=12, max_missing=0.3):
    """A framework (2-3 dimensions, 2-6 indicators, mixed directions and weights) and values."""
    n_ind = draw(st.integers(2, 6))
    n_dim = draw(st.integers(1, min(3, n_ind)))
    dim_of = [i % n_dim for i in range(n_ind)]
    framework = pd.DataFrame(
        {
            "indicator": [f"i{k}" for k in range(n_ind)],
            "dimension": [f"d{d}" for d in dim_of],
            "direction": draw(st.lists(st.sampled_from([1, -1]), min_size=n_ind, max_size=n_ind)),
            "weight": draw(st.lists(st.floats(0.1, 10), min_size=n_ind, max_size=n_ind)),
        }
    )
    n = draw(st.integers(min_countries, max_countries))
    grid = draw(
        st.lists(
            st.lists(st.integers(0, 1000), min_size=n_ind, max_size=n_ind), min_size=n, max_size=n
        )
    )
    X = np.array(grid, dtype=float)
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    missing = rng.random(X.shape) < draw(st.floats(0, max_missing))
    missing[:, 0] = False  # keep every country and indicator alive
    X[missing] = np.nan
    # every indicator needs two distinct values among the countries (else min-max is undefined)
    for j in range(n_ind):
        col = X[:, j]
        if np.unique(col[~np.isnan(col)]).size < 2:
            X[0, j], X[1, j] = 0.0, 1000.0
    rows = [
        (ISO3[c], f"i{j}", 2020, X[c, j])
        for c in range(n)
        for j in range(n_ind)
        if not np.isnan(X[c, j])
    ]
    values = pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value"])
    values["year"] = values["year"].astype("int64")
    return framework, values


def score(framework, values, method=None):
    return build_scorecard(
        values,
        framework,
        method or Method(min_coverage=0, min_indicator_share=0, min_dimension_share=0),
    )


@SETTINGS
@given(datasets(), st.floats(0.01, 100), st.floats(0.01, 100))
def test_scaling_the_weights_of_a_level_changes_nothing(data, c_ind, c_dim):
    framework, values = data
    base = score(framework, values).results
    scaled = framework.assign(weight=framework["weight"] * c_ind)
    dims = {d: 2.0 * c_dim for d in framework["dimension"].unique()}
    other = build_scorecard(
        values,
        scaled,
        Method(min_coverage=0, min_indicator_share=0, min_dimension_share=0),
        dimension_weights=dims,
    ).results
    pd.testing.assert_frame_equal(base, other, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(datasets(), st.floats(-50, 50), st.floats(1, 200))
def test_flipping_direction_mirrors_min_max_scores(data, low, span):
    framework, values = data
    params = {"low": low, "high": low + span}
    m = Method(
        min_coverage=0, min_indicator_share=0, min_dimension_share=0, normalisation_params=params
    )
    a = score(framework, values, m).normalised
    flipped = framework.assign(direction=-framework["direction"])
    b = score(flipped, values, m).normalised
    np.testing.assert_allclose(b.to_numpy(), (2 * low + span) - a.to_numpy(), atol=1e-9)


@SETTINGS
@given(datasets(), st.integers(0, 11), st.floats(0.1, 500))
def test_raising_a_value_on_a_positive_indicator_never_lowers_the_score(data, who, bump):
    framework, values = data
    framework = framework.assign(direction=1)
    countries = sorted(values["iso3"].unique())
    target = countries[who % len(countries)]
    row = (values["iso3"] == target) & (values["indicator"] == "i0")
    raised = values.copy()
    raised.loc[row, "value"] = raised.loc[row, "value"] + bump
    before = score(framework, values).results.loc[target, "overall"]
    after = score(framework, raised).results.loc[target, "overall"]
    assert after >= before - 1e-9


@SETTINGS
@given(datasets(), st.randoms(use_true_random=False))
def test_country_and_row_order_change_nothing(data, rnd):
    framework, values = data
    order = list(range(len(values)))
    rnd.shuffle(order)
    shuffled = values.iloc[order].reset_index(drop=True)
    a = score(framework, values)
    b = score(framework, shuffled)
    pd.testing.assert_frame_equal(a.results, b.results)
    pd.testing.assert_frame_equal(a.normalised, b.normalised)


METHODS = st.builds(
    Method,
    min_coverage=st.floats(0, 0.6),
    min_indicator_share=st.floats(0, 1),
    min_dimension_share=st.floats(0, 1),
    side_weights=st.sampled_from([{}, {"reach": 1, "appeal": 2}]),
    outlier_treatment=st.sampled_from(["none", "jrc"]),
    normalisation=st.sampled_from(["min_max", "percentile_rank", "rank", "z_score"]),
    indicator_aggregation=st.sampled_from(["arithmetic", "copeland"]),
    dimension_aggregation=st.sampled_from(["arithmetic", "copeland"]),
    weight_preset=st.sampled_from(["catalogue", "equal_indicator", "equal_dimension", "pca"]),
)


@SETTINGS
@given(datasets(), METHODS)
def test_the_same_method_gives_identical_results(data, method):
    framework, values = data
    again = Method.from_toml(method.to_toml())
    assert again == method
    try:
        a = score(framework, values, method)
    except ValueError as error:  # an unscoreable method fails the same way after the round trip
        with pytest.raises(ValueError) as again_error:
            score(framework, values, again)
        assert str(again_error.value) == str(error)
        return
    b = score(framework, values, again)
    pd.testing.assert_frame_equal(a.results, b.results, check_exact=True)
    pd.testing.assert_frame_equal(a.normalised, b.normalised, check_exact=True)


@SETTINGS
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=30).filter(lambda v: max(v) > min(v)),
    st.floats(-100, 100),
    st.floats(0.5, 100),
)
def test_min_max_mirror_holds_for_any_column(xs, low, span):
    X = np.array(xs)[:, None]
    params = {"low": low, "high": low + span}
    up = normalise(X, np.array([1.0]), "min_max", params)
    down = normalise(X, np.array([-1.0]), "min_max", params)
    np.testing.assert_allclose(down, 2 * low + span - up, atol=1e-7 * max(1, abs(low) + span))
