"""Monte Carlo uncertainty: kernels against hand-worked numbers and the pipeline, statistics
against numpy, reproducibility, and the degenerate cases (zero noise)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.aggregate import aggregate_levels, rank_scores
from scoring.alternatives import Alternative, Variations, build_alternatives
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from scoring.uncertainty import (
    UncertaintySettings,
    draw_weights,
    monte_carlo,
    perturb_weights,
    quantile_type7,
    quantiles_from_counts,
    simulate,
)


# ------------------------------------------------------------------------------- toy scorecard
def toy_inputs(n_countries: int = 9, seed: int = 3):
    """Seeded values for 3 dimensions x 6 indicators (one direction -1, one weight 0)."""
    rng = np.random.default_rng(seed)
    framework = pd.DataFrame(
        {
            "indicator": ["a1", "a2", "b1", "b2", "b3", "c1"],
            "dimension": ["A", "A", "B", "B", "B", "C"],
            "direction": [1, -1, 1, 1, 1, 1],
            "weight": [1.0, 2.0, 1.0, 1.0, 0.0, 1.0],
        }
    )
    iso3 = [f"C{i:02d}" for i in range(n_countries)]
    rows = []
    for c in iso3:
        for ind in framework["indicator"]:
            if rng.random() < 0.15 and ind != "a1":
                continue  # missing: the row is absent
            rows.append((c, ind, 2020, float(np.round(rng.uniform(1, 50), 1)), ""))
    values = pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value", "note"])
    countries = pd.DataFrame(
        {
            "iso3": iso3,
            "name": iso3,
            "region": ["North" if i % 2 else "South" for i in range(n_countries)],
            "subregion": ["x"] * n_countries,
            "groups": [""] * n_countries,
        }
    )
    return values, framework, countries


@pytest.fixture(scope="module")
def toy():
    values, framework, countries = toy_inputs()
    prepared = prepare(values, framework, countries=countries)
    return build_scorecard(
        prepared,
        method=Method(min_coverage=0.0, min_indicator_share=0, min_dimension_share=0),
        countries=countries,
    )


# ------------------------------------------------------------------------------- hand examples
def test_two_weight_draws_worked_by_hand():
    # 3 countries, 2 indicators in one dimension, arithmetic mean, 2 weight draws:
    #   X = [[100, 0], [0, 100], [50, NaN]]
    #   draw 1, w = (1, 1): (100 + 0)/2 = 50, (0 + 100)/2 = 50, 50 (only value) -> ranks 1, 1, 1
    #   draw 2, w = (3, 1): (300 + 0)/4 = 75, (0 + 100)/4 = 25, 50           -> ranks 1, 3, 2
    X = np.array([[100.0, 0.0], [0.0, 100.0], [50.0, np.nan]])
    W = np.array([[1.0, 1.0], [3.0, 1.0]])
    _, scores = aggregate_levels(X, np.array([0, 0]), W, np.ones((2, 1)))
    assert scores.tolist() == [[50.0, 50.0, 50.0], [75.0, 25.0, 50.0]]
    assert rank_scores(scores).tolist() == [[1, 1, 1], [1, 3, 2]]


def test_two_dimensions_worked_by_hand():
    # dims A = {x1, x2}, B = {x3}; dimension weights (1, 3).
    # country 1: A = (20 + 80)/2 = 50, B = 10 -> (50 + 3*10)/4 = 20
    # country 2: A = 40 (x2 missing), B missing -> 40 (B dropped, weights rescaled)
    X = np.array([[20.0, 80.0, 10.0], [40.0, np.nan, np.nan]])
    _, out = aggregate_levels(X, np.array([0, 0, 1]), np.ones(3), np.array([1.0, 3.0]))
    assert out.tolist() == [20.0, 40.0]


def test_simulation_median_worked_by_hand():
    # The two draws above as a 2-draw Monte Carlo: country 2 has ranks {1, 3} -> median 2,
    # p05 = 1 + 0.05 (3 - 1) = 1.1, p95 = 2.9 (type 7); scores {50, 25} -> median 37.5.
    counts = np.array([[0, 1, 0, 1]])
    assert quantiles_from_counts(counts, [0.5, 0.05, 0.95]).round(6).tolist() == [[2.0, 1.1, 2.9]]
    srt = np.array([[25.0, 50.0]])
    assert quantile_type7(srt, np.array([2]), [0.5]).tolist() == [[37.5]]


# ------------------------------------------------------------------------------- kernel = pipeline
AGGREGATIONS = ["arithmetic", "geometric", "harmonic", "generalised"]


def _naive_mean(values, weights, rule, p=0.5):
    """COINr's weighted means, one unit at a time: the items present, weights rescaled."""
    pairs = [(x, w) for x, w in zip(values, weights, strict=True) if not np.isnan(x) and w > 0]
    if not pairs:
        return np.nan
    total = sum(w for _, w in pairs)
    if rule == "arithmetic":
        return sum(w * x for x, w in pairs) / total
    if rule == "geometric":
        return float(np.exp(sum(w * np.log(x) for x, w in pairs) / total))
    if rule == "harmonic":
        return total / sum(w / x for x, w in pairs)
    return (sum(w * x**p for x, w in pairs) / total) ** (1 / p)  # generalised


def _naive_levels(X, dim_of, w, v, ind_rule, dim_rule="arithmetic", p_ind=0.5, p_dim=0.5):
    """Overall scores by :func:`_naive_mean` at both levels (an oracle for the vectorised one)."""
    out = []
    for row in X:
        dims = [
            _naive_mean(row[dim_of == d], w[dim_of == d], ind_rule, p_ind) for d in range(len(v))
        ]
        out.append(_naive_mean(np.array(dims), v, dim_rule, p_dim))
    return np.array(out)


@pytest.mark.parametrize("ind_agg", [*AGGREGATIONS, "copeland"])
@pytest.mark.parametrize("dim_agg", AGGREGATIONS)
def test_kernel_matches_aggregate_levels(ind_agg, dim_agg):
    rng = np.random.default_rng(7)
    n, p, K = 25, 9, 3
    X = rng.uniform(1, 100, (n, p))
    X[rng.random((n, p)) < 0.3] = np.nan
    X[0, :3] = np.nan  # country 0 has nothing in dimension 0
    dim_of = np.repeat(np.arange(K), p // K)
    w = rng.uniform(0.5, 2, p)
    w[4] = 0.0  # an excluded indicator stays excluded
    W = perturb_weights(w, 20, rng)
    V = perturb_weights(rng.uniform(0.5, 2, K), 20, rng)
    kw = dict(indicator_power=0.7, dimension_power=2.0)
    _, got = aggregate_levels(X, dim_of, W, V, ind_agg, dim_agg, **kw)
    if ind_agg == "copeland":
        want = [
            aggregate_levels(X, dim_of, W[s], V[s], ind_agg, dim_agg, **kw)[1] for s in range(20)
        ]
    else:
        want = [_naive_levels(X, dim_of, W[s], V[s], ind_agg, dim_agg, 0.7, 2.0) for s in range(20)]
    np.testing.assert_allclose(got, np.array(want), rtol=1e-12, atol=1e-10)


def test_kernel_with_zero_weights_in_some_draws():
    rng = np.random.default_rng(8)
    X = rng.uniform(1, 100, (15, 6))
    X[rng.random((15, 6)) < 0.3] = np.nan
    dim_of = np.array([0, 0, 0, 1, 1, 1])
    W = rng.uniform(0.5, 2, (10, 6))
    W[::2, 0] = 0.0
    W[1::3, 3:] = 0.0  # dimension 1 switched off in some draws
    V = np.ones((10, 2))
    _, got = aggregate_levels(X, dim_of, W, V, "geometric")
    want = np.array([_naive_levels(X, dim_of, W[s], V[s], "geometric") for s in range(10)])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_nominal_scores_and_ranks_equal_the_pipeline(toy):
    k = toy.kernel
    _, scores = aggregate_levels(
        k.normalised, k.dim_of, k.indicator_weights[None, :], k.dimension_weights
    )
    scores = scores[0]
    np.testing.assert_allclose(scores, toy.overall_array, rtol=1e-12)
    ranks = rank_scores(scores)
    assert ranks.tolist() == toy.results["rank"].astype(int).tolist()


# ------------------------------------------------------------------------------- ranks
def test_row_ranks_equal_pandas_min_ranks_with_ties_and_missing():
    # Values on a 0.01 grid: ties are exact and other gaps far above the tolerance, so the
    # ranks are pandas' "min" ranks, row by row.
    rng = np.random.default_rng(1)
    Y = np.round(rng.uniform(0, 1, (200, 30)), 2)
    Y[:, 3] = Y[:, 4]
    Y[::3, 7] = np.nan
    want = pd.DataFrame(Y).rank(axis=1, method="min", ascending=False).to_numpy()
    np.testing.assert_array_equal(rank_scores(Y), want)


def test_ranks_treat_last_bit_differences_as_ties():
    y = np.array([[50.0, 50.0 + 1e-12, 40.0, 50.0 - 1e-12]])
    assert rank_scores(y).tolist() == [[1, 1, 4, 1]]
    assert rank_scores(np.array([[50.0, 50.001]])).tolist() == [[2, 1]]


@pytest.mark.parametrize(
    "gap, tied",
    [
        # tolerance 1e-9 x max(1, |score|) = 5e-8 at a score of 50
        (4e-8, True),
        (6e-8, False),
        # below 1 the tolerance stays 1e-9 (not 1e-9 x |score|)
        (0.8e-9, True),
        (1.5e-9, False),
    ],
)
def test_the_tie_tolerance_is_relative_to_the_score_and_at_least_absolute(gap, tied):
    base = 50.0 if gap > 1e-8 else 0.5
    ranks = rank_scores(np.array([base + gap, base, base / 5]))
    assert ranks.tolist() == ([1, 1, 3] if tied else [1, 2, 3])


def test_ranks_all_missing_and_constant():
    assert np.isnan(rank_scores(np.full((2, 3), np.nan))).all()
    assert rank_scores(np.full((1, 3), 7.0)).tolist() == [[1, 1, 1]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_quantiles_from_counts_equal_numpy(ranks):
    # 0 = unranked draws, left out as COINr's na.rm = TRUE
    counts = np.bincount(ranks, minlength=7)[None, :]
    got = quantiles_from_counts(counts, [0.5, 0.05, 0.95, 0.3])[0]
    sample = [r for r in ranks if r > 0]
    if not sample:
        assert np.isnan(got).all()
    else:
        np.testing.assert_allclose(got, np.quantile(sample, [0.5, 0.05, 0.95, 0.3]))


# ------------------------------------------------------------------------------- weights
def test_uniform_noise_bounds_and_zero_weights():
    rng = np.random.default_rng(0)
    W = perturb_weights(np.array([2.0, 0.0, 1.0]), 5000, rng, noise=0.3)
    assert (W[:, 1] == 0).all()
    assert W[:, 0].min() >= 1.4 and W[:, 0].max() <= 2.6
    assert W[:, 0].min() < 1.41 and W[:, 0].max() > 2.59  # the whole band is drawn
    assert abs(W[:, 0].mean() - 2.0) < 0.02


def test_dirichlet_keeps_group_totals_and_means():
    rng = np.random.default_rng(0)
    w = np.array([1.0, 3.0, 0.0, 2.0])
    groups = np.array([0, 0, 0, 1])
    W = perturb_weights(w, 20000, rng, scheme="dirichlet", concentration=20.0, groups=groups)
    np.testing.assert_allclose(W[:, :3].sum(axis=1), 4.0)
    assert (W[:, 2] == 0).all() and (W[:, 3] == 2.0).all()  # a group of one cannot move
    np.testing.assert_allclose(W[:, :2].mean(axis=0), [1.0, 3.0], rtol=0.01)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"noise": 1.0}, "weight noise"),
        ({"noise": -0.1}, "weight noise"),
        ({"scheme": "beta"}, "weight scheme"),
        ({"scheme": "dirichlet", "concentration": 0.0}, "concentration"),
    ],
)
def test_bad_weight_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        perturb_weights(np.ones(3), 2, np.random.default_rng(0), **kwargs)


# ------------------------------------------------------------------------------- simulate
def _brute_force(alts, dim_of, w_ind, w_dim, cfg):
    """Every draw through the pipeline's own aggregation and ranking, then np.quantile."""
    scores, ranks = [], []
    W, V, choice = draw_weights(cfg, w_ind, w_dim, dim_of, len(alts))
    for s in range(W.shape[0]):
        a = alts[choice[s]]
        _, o = aggregate_levels(
            a.normalised,
            dim_of,
            np.where(w_ind > 0, W[s], 0.0),
            V[s],
            a.indicator_aggregation,
            a.dimension_aggregation,
        )
        scores.append(o)
        ranks.append(rank_scores(o))
    S, R = np.array(scores), np.array(ranks)
    q = [0.5, 0.05, 0.95]
    with warnings.catch_warnings():  # the country without data: all-NaN columns
        warnings.simplefilter("ignore", RuntimeWarning)
        return (
            np.nanquantile(R, q, axis=0).T,
            np.nanmean(R, axis=0),
            np.nanquantile(S, q, axis=0).T,
            np.nanmean(S, axis=0),
        )


def _toy_alternatives():
    rng = np.random.default_rng(11)
    n, p = 14, 6
    X = rng.uniform(1, 100, (n, p))
    X[rng.random((n, p)) < 0.2] = np.nan
    X[3] = X[4]  # two identical countries: ties in every draw
    X[5] = np.nan  # a country without data: never ranked
    alts = [
        Alternative("a", X),
        Alternative("g", X, "geometric", "geometric"),
        Alternative("z", (X - np.nanmean(X, axis=0)) / np.nanstd(X, axis=0)),
    ]
    return alts, np.array([0, 0, 1, 1, 1, 2]), rng.uniform(0.5, 2, p), np.array([1.0, 2.0, 1.0])


@pytest.mark.parametrize("scheme", ["uniform", "dirichlet"])
def test_simulate_equals_brute_force(scheme):
    alts, dim_of, w_ind, w_dim = _toy_alternatives()
    cfg = UncertaintySettings(draws=300, scheme=scheme, concentration=30.0, seed=5)
    got = simulate(alts, dim_of, w_ind, w_dim, cfg)
    rq, rmean, sq, smean = _brute_force(alts, dim_of, w_ind, w_dim, cfg)
    np.testing.assert_allclose(got.rank_stats[:, :3], rq, equal_nan=True)
    np.testing.assert_allclose(got.rank_stats[:, 3], rmean, equal_nan=True)
    np.testing.assert_allclose(got.score_stats[:, :3], sq, rtol=1e-10, equal_nan=True)
    np.testing.assert_allclose(got.score_stats[:, 3], smean, rtol=1e-10, equal_nan=True)
    assert np.isnan(got.rank_stats[5]).all()
    assert got.alternative_counts.sum() == 300 and (got.alternative_counts > 50).all()


def test_draws_are_seeded_and_every_block_is_new():
    cfg = UncertaintySettings(draws=9000, seed=7)
    w_ind, w_dim, dim_of = np.array([1.0, 2.0, 0.0]), np.array([1.0, 1.0]), np.array([0, 0, 1])
    W, V, choice = draw_weights(cfg, w_ind, w_dim, dim_of, 3)
    again = draw_weights(cfg, w_ind, w_dim, dim_of, 3)
    for x, y in zip((W, V, choice), again, strict=True):
        np.testing.assert_array_equal(x, y)
    assert W.shape == (9000, 3) and V.shape == (9000, 2)
    assert not np.array_equal(W[:4096], W[4096:8192])  # the generator runs on across blocks
    other = draw_weights(UncertaintySettings(draws=9000, seed=8), w_ind, w_dim, dim_of, 3)
    assert not np.array_equal(W, other[0])
    assert (np.bincount(choice, minlength=3) > 2800).all()  # each alternative about 1/3


# ------------------------------------------------------------------------------- monte_carlo
COLUMNS = [
    "nominal_rank",
    "median_rank",
    "p05_rank",
    "p95_rank",
    "mean_rank",
    "nominal_score",
    "median_score",
    "p05_score",
    "p95_score",
    "mean_score",
]


def test_table_shape_and_nominal_equal_the_scorecard(toy):
    out = monte_carlo(toy, draws=200)
    assert list(out.columns) == COLUMNS
    assert out.index.name == "iso3" and list(out.index) == list(toy.results.index)
    assert out["nominal_rank"].tolist() == toy.results["rank"].astype(float).tolist()
    np.testing.assert_allclose(out["nominal_score"], toy.results["overall"])
    assert (out["p05_rank"] <= out["median_rank"]).all()
    assert (out["median_rank"] <= out["p95_rank"]).all()


def test_zero_noise_gives_zero_width_intervals(toy):
    out = monte_carlo(toy, draws=50, weight_noise=0.0)
    for stat in ("median", "p05", "p95", "mean"):
        np.testing.assert_array_equal(out[f"{stat}_rank"], out["nominal_rank"])
        np.testing.assert_allclose(out[f"{stat}_score"], out["nominal_score"], rtol=1e-12)
    inf = monte_carlo(toy, draws=50, scheme="dirichlet", concentration=np.inf)
    np.testing.assert_array_equal(inf["p95_rank"], inf["p05_rank"])


def test_same_seed_same_table_other_seed_other_table(toy):
    vary = Variations.of(normalisation=True)
    a = monte_carlo(toy, draws=300, seed=4, variations=vary)
    b = monte_carlo(toy, draws=300, seed=4, variations=vary)
    c = monte_carlo(toy, draws=300, seed=5, variations=vary)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_noise_widens_intervals(toy):
    narrow = monte_carlo(toy, draws=400, weight_noise=0.05)
    wide = monte_carlo(toy, draws=400, weight_noise=0.6)
    width = lambda t: (t["p95_score"] - t["p05_score"]).sum()  # noqa: E731
    assert width(wide) > 3 * width(narrow) > 0


def test_vary_choices_are_recorded_and_impossible_ones_dropped(toy):
    vary = Variations.of(normalisation=True, aggregation=True, imputation=True)
    out = monte_carlo(toy, draws=200, variations=vary)
    factors = out.attrs["factors"]
    assert factors["imputation"] == ["none", "group_mean", "group_median", "latest_earlier"]
    assert out.attrs["varied"] == ["normalisation", "aggregation", "imputation"]
    assert "z_score" in factors["normalisation"]
    # min-max to [0, 100] puts zeros in the data: geometric / harmonic means are impossible
    dropped = {d["choice"]: d["reason"] for d in out.attrs["dropped"]}
    assert (
        "geometric / geometric" in dropped and "positive values" in dropped["geometric / geometric"]
    )
    assert "aggregation" not in factors
    assert sum(out.attrs["alternative_draws"]) == 200


def test_geometric_is_kept_when_values_are_positive():
    values, framework, countries = toy_inputs()
    p = prepare(values, framework, countries=countries)
    sc = build_scorecard(
        p,
        method=Method(
            min_coverage=0.0,
            min_indicator_share=0,
            min_dimension_share=0,
            normalisation_params={"low": 1.0},
        ),
    )
    out = monte_carlo(sc, draws=100, variations=Variations(aggregations=("geometric",)))
    assert out.attrs["factors"]["aggregation"] == [
        "arithmetic / arithmetic",
        "geometric / geometric",
    ]
    assert out.attrs["dropped"] == []


def test_prepared_source_uses_the_given_method():
    values, framework, countries = toy_inputs()
    p = prepare(values, framework, countries=countries)
    m = Method(
        min_coverage=0.0,
        min_indicator_share=0,
        min_dimension_share=0,
        normalisation="percentile_rank",
    )
    out = monte_carlo(p, m, draws=20)
    sc = build_scorecard(p, method=m)
    np.testing.assert_allclose(out["nominal_score"], sc.overall_array)


def test_settings_are_validated(toy):
    with pytest.raises(ValueError, match="draws"):
        monte_carlo(toy, draws=0)
    with pytest.raises(ValueError, match="weight noise"):
        monte_carlo(toy, weight_noise=1.5)
    with pytest.raises(TypeError):
        monte_carlo(toy.normalised)


# ------------------------------------------------------------------------------- data variations
def _pipeline_oracle(prepared, countries, method, variations, draws, seed):
    """Every draw rebuilt with build_scorecard: its weights as the Method's overrides, its
    alternative's imputation, normalisation and left-out indicator (weight 0). Only the random
    draws are shared with the Monte Carlo; scores and ranks are the pipeline's own."""
    sc = build_scorecard(prepared, method=method, countries=countries)
    k = sc.kernel
    grid = build_alternatives(sc, variations)
    cfg = UncertaintySettings(draws=draws, seed=seed)
    W, V, choice = draw_weights(
        cfg, k.indicator_weights, k.dimension_weights, k.dim_of, len(grid.alternatives)
    )
    ranks = np.full((draws, len(k.iso3)), np.nan)
    for s in range(draws):
        picked = dict(grid.alternatives[choice[s]].choices)
        weights = dict(zip(k.indicators, W[s], strict=True))
        dimension_weights = dict(zip(k.dimensions, V[s], strict=True))
        if picked.get("left_out", "none") != "none":
            weights[picked["left_out"]] = 0.0
            # a dimension's only indicator left out leaves the dimension out
            for d, dimension in enumerate(k.dimensions):
                if not any(
                    weights[i] for i, j in zip(k.indicators, k.dim_of, strict=True) if j == d
                ):
                    dimension_weights[dimension] = 0.0
        m = method.with_(
            imputation=picked.get("imputation", method.imputation),
            normalisation=picked.get("normalisation", method.normalisation),
            indicator_weights=weights,
            dimension_weights=dimension_weights,
        )
        run = build_scorecard(prepared, method=m, countries=countries)
        ranks[s] = run.results["rank"].astype("Float64").reindex(k.iso3).to_numpy(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return grid, np.nanquantile(ranks, [0.5, 0.05, 0.95], axis=0).T, np.nanmean(ranks, axis=0)


@pytest.mark.parametrize(
    "variations",
    [
        Variations.of(imputation=True),
        Variations.of(leave_one_out=True),
        Variations(normalisations=("z_score", "percentile_rank"), imputations=("group_mean",)),
        Variations(imputations=("group_median",), leave_one_out=True),
    ],
    ids=["imputation registry", "one indicator left out", "normalisation x imputation", "both"],
)
def test_data_variations_equal_the_pipeline_draw_by_draw(variations):
    values, framework, countries = toy_inputs(n_countries=12, seed=5)
    prepared = prepare(values, framework, countries=countries)
    method = Method(min_coverage=0.0, min_indicator_share=0, min_dimension_share=0)
    out = monte_carlo(prepared, method, draws=160, seed=9, variations=variations)
    grid, rank_q, rank_mean = _pipeline_oracle(prepared, countries, method, variations, 160, 9)
    assert len(grid.alternatives) > 1 and not grid.dropped
    np.testing.assert_allclose(out[["median_rank", "p05_rank", "p95_rank"]], rank_q)
    np.testing.assert_allclose(out["mean_rank"], rank_mean)


def test_leaving_out_each_weighted_indicator_is_a_factor(toy):
    out = monte_carlo(toy, draws=700, seed=1, variations=Variations.of(leave_one_out=True))
    # b3 has weight 0: it is never counted, so leaving it out is no alternative
    assert out.attrs["factors"] == {"left_out": ["none", "a1", "a2", "b1", "b2", "c1"]}
    assert out.attrs["varied"] == ["leave_one_out"]
    assert len(out.attrs["alternative_draws"]) == 6 and min(out.attrs["alternative_draws"]) > 80
    fixed = monte_carlo(toy, draws=700, seed=1)
    width = lambda t: (t["p95_rank"] - t["p05_rank"]).sum()  # noqa: E731
    assert width(out) > width(fixed)


@pytest.mark.parametrize("weighted, factor", [(2, ["none", "a1", "a2"]), (1, None)])
def test_leaving_one_out_needs_two_weighted_indicators(weighted, factor):
    values, framework, countries = toy_inputs()
    framework = framework[framework["indicator"].isin(["a1", "a2"][:weighted])]
    values = values[values["indicator"].isin(framework["indicator"])]
    sc = build_scorecard(
        prepare(values, framework, countries=countries),
        method=Method(min_coverage=0.0, min_indicator_share=0, min_dimension_share=0),
    )
    grid = build_alternatives(sc, Variations.of(leave_one_out=True))
    assert grid.labelled_factors().get("left_out") == factor
