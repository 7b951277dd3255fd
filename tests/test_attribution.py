"""Why a score moved: contributions add up exactly to the change, match a hand-worked additive
case, and match a brute-force Owen value computed with the pipeline's own means."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.aggregate import aggregate_levels
from scoring.attribution import ADDITIVE, ScoreInputs, attribute, explain_change, explain_gap
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare

# Three countries, three indicators (a, b in d1; c in d2), all +1, equal weights.
#            2020: a  b  c        2021: a  b  c
#   FRA            4  5  6              8  5  6
#   NAM            1  2  3              1  2  3
#   RUS            7  8  1              7  8  1
# min-max: 2020 a: FRA (4-1)/6 = 50; 2021 a: FRA (8-1)/7 = 100, RUS (7-1)/7 = 85.714.
# FRA's d1 = mean(a, b); b is 50 both years ((5-2)/6). overall = (d1 + c) / 2, so a's effective
# weight is 1/4: FRA's change = (100 - 50) / 4 = 12.5, all of it from a.
# RUS: a falls from 100 to 85.714 (FRA raised the maximum): -14.286 / 4 = -3.571.
FRAMEWORK = pd.DataFrame(
    {
        "indicator": ["a", "b", "c"],
        "dimension": ["d1", "d1", "d2"],
        "direction": [1, 1, 1],
        "weight": [1.0, 1.0, 1.0],
    }
)
BASE = {"FRA": (4, 5, 6), "NAM": (1, 2, 3), "RUS": (7, 8, 1)}


def _values() -> pd.DataFrame:
    rows = []
    for year in (2020, 2021):
        for iso3, xs in BASE.items():
            for indicator, x in zip("abc", xs, strict=True):
                if year == 2021 and iso3 == "FRA" and indicator == "a":
                    x = 8
                rows.append((iso3, indicator, year, float(x), ""))
    return pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value", "note"])


@pytest.fixture(scope="module")
def prepared():
    return prepare(_values(), FRAMEWORK)


def _year(prepared, year, **method):
    return build_scorecard(prepared, method=Method(year=year, **method))


def test_arithmetic_change_is_the_effective_weight_times_the_change(prepared):
    old, new = _year(prepared, 2020), _year(prepared, 2021)
    fra = explain_change(old, new, "FRA", labels=("2020", "2021"))
    assert fra.rule == ADDITIVE
    assert fra.table.set_index("item")["contribution"].to_dict() == pytest.approx(
        {"a": 12.5, "b": 0.0, "c": 0.0}
    )
    rus = explain_change(old, new, "RUS")
    assert rus.table.set_index("item").loc["a", "contribution"] == pytest.approx(
        (600 / 7 - 100) / 4
    )
    assert rus.change == pytest.approx(rus.table["contribution"].sum(), abs=1e-12)


def test_the_gap_between_two_countries_adds_up(prepared):
    sc = _year(prepared, 2020)
    gap = explain_gap(sc, "FRA", "RUS")
    # FRA 2020: d1 = 50, c = 100 -> 75; RUS: d1 = (100 + 100) / 2 = 100, c = 0 -> 50
    assert (gap.score_to, gap.score_from) == pytest.approx((75.0, 50.0))
    assert gap.table.set_index("item")["contribution"].to_dict() == pytest.approx(
        {"a": (50 - 100) / 4, "b": (50 - 100) / 4, "c": (100 - 0) / 2}
    )
    assert (gap.rank_to, gap.rank_from) == (1.0, 2.0)


def test_a_weight_change_lands_on_the_weight_that_changed(prepared):
    sc = _year(prepared, 2020)
    heavier = _year(prepared, 2020, dimension_weights={"d2": 3.0})
    split = explain_change(sc, heavier, "FRA")
    # FRA: d1 = 50, d2 = 100; overall (50 + 100) / 2 = 75 -> (50 + 3 * 100) / 4 = 87.5
    assert split.change == pytest.approx(12.5)
    table = split.table
    # Rescaled to sum 1 the weights go (.5, .5) -> (.25, .75): with two dimensions either may be
    # the one that moved, but the whole change is the weights', none of it the indicators'
    weights = table.loc[table["kind"] == "dimension weight", "contribution"]
    assert weights.sum() == pytest.approx(12.5)
    assert table.loc[table["kind"] == "indicator", "contribution"].abs().max() == 0.0


def test_copeland_has_no_split(prepared):
    sc = _year(prepared, 2020)
    other = _year(prepared, 2020, dimension_aggregation="copeland")
    with pytest.raises(ValueError, match="copeland: a country's score depends on every other"):
        explain_change(sc, other, "FRA")


def test_a_country_not_scored_is_named(prepared):
    sc = _year(prepared, 2020)
    with pytest.raises(ValueError, match="DEU is not scored in 2019"):
        explain_change(sc, sc, "DEU", labels=("2019", "2020"))


# ---------------------------------------------------------------- brute force and properties
RULES = ["arithmetic", "geometric", "harmonic", "generalised"]


def _pipeline_score(n, w, V, dim_of, rules):
    """The score by the pipeline's own means (scoring.aggregate), an oracle independent of the
    attribution's evaluator."""
    ind_rule, ind_p, dim_rule, dim_p = rules
    _, overall = aggregate_levels(
        n[None, :],
        dim_of,
        w,
        V,
        ind_rule,
        dim_rule,
        indicator_power=ind_p or 0.5,
        dimension_power=dim_p or 0.5,
    )
    return float(overall[0])


def _inputs(n, w, V, dim_of, rules, label):
    ind_rule, ind_p, dim_rule, dim_p = rules
    p, K = len(n), len(V)
    return ScoreInputs(
        iso3="XXX",
        label=label,
        normalised=np.asarray(n, float),
        indicator_weights=np.asarray(w, float),
        dimension_weights=np.asarray(V, float),
        dim_of=np.asarray(dim_of),
        indicators=tuple(f"i{j}" for j in range(p)),
        dimensions=tuple(f"d{k}" for k in range(K)),
        indicator_aggregation=ind_rule,
        dimension_aggregation=dim_rule,
        indicator_power=ind_p or 0.5,
        dimension_power=dim_p or 0.5,
        score=_pipeline_score(np.asarray(n, float), np.asarray(w, float), V, dim_of, rules),
        rank=1.0,
        raw=np.asarray(n, float),
        year=np.full(p, 2020.0),
        carried=np.zeros(p, bool),
    )


def _brute_force_owen(a, b, rules_a, rules_b):
    """Owen value by its definition: the mean marginal contribution over every order of players
    in which each dimension's players come together. Players: indicators that differ, dimension
    weights that differ, and the rule when the rules differ."""
    p, K = len(a.normalised), len(a.dimension_weights)
    differs = lambda x, y: not ((x == y) or (np.isnan(x) and np.isnan(y)))  # noqa: E731
    groups = []
    for k in range(K):
        members = [
            ("i", j)
            for j in range(p)
            if a.dim_of[j] == k
            and (
                differs(a.normalised[j], b.normalised[j])
                or differs(a.indicator_weights[j], b.indicator_weights[j])
            )
        ]
        if a.dimension_weights[k] != b.dimension_weights[k]:
            members.append(("d", k))
        if members:
            groups.append(members)
    if rules_a != rules_b:
        groups.append([("r", 0)])

    def value(switched):
        n = a.normalised.copy()
        w = a.indicator_weights.copy()
        V = a.dimension_weights.copy()
        rules = rules_b if ("r", 0) in switched else rules_a
        for kind, j in switched:
            if kind == "i":
                n[j], w[j] = b.normalised[j], b.indicator_weights[j]
            elif kind == "d":
                V[j] = b.dimension_weights[j]
        return _pipeline_score(n, w, V, a.dim_of, rules)

    totals, count = {}, 0
    for group_order in itertools.permutations(groups):
        for inner in itertools.product(*(itertools.permutations(g) for g in group_order)):
            order = [player for g in inner for player in g]
            switched = set()
            before = value(switched)
            for player in order:
                switched.add(player)
                after = value(switched)
                totals[player] = totals.get(player, 0.0) + after - before
                before = after
            count += 1
    return {player: total / count for player, total in totals.items()}


rules_strategy = st.tuples(
    st.sampled_from(RULES),
    st.sampled_from([0.5, 2.0, -1.0]),
    st.sampled_from(RULES),
    st.sampled_from([0.5, 3.0, -2.0]),
).map(
    lambda r: (
        r[0],
        r[1] if r[0] == "generalised" else None,
        r[2],
        r[3] if r[2] == "generalised" else None,
    )
)


@st.composite
def two_states(draw, max_players=7):
    K = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 3)) for _ in range(K)]
    dim_of = np.repeat(np.arange(K), sizes)
    p = len(dim_of)
    value = st.floats(1.0, 100.0, allow_nan=False)

    def state():
        n = np.array([draw(value) for _ in range(p)])
        # a few missing values, never a dimension's first indicator (a mix of the two states
        # with no indicator at all has no score; the attribution refuses it with a reason)
        for k in range(K):
            idx = np.flatnonzero(dim_of == k)
            if len(idx) > 1 and draw(st.booleans()):
                n[draw(st.sampled_from(list(idx[1:])))] = np.nan
        w = np.array([draw(st.sampled_from([0.5, 1.0, 2.0])) for _ in range(p)])
        V = np.array([draw(st.sampled_from([0.5, 1.0, 3.0])) for _ in range(K)])
        return n, w, V

    # weights drawn once: state b changes them below as a person would

    n_a, w_a, V_a = state()
    n_b, w_b, V_b = state()
    # keep some values equal in both states, so that games are not all "everything moved"
    for j in range(p):
        if draw(st.booleans()):
            n_b[j] = n_a[j]
    # at most one weight changes per dimension, and one dimension weight: as a person changes
    # them (the attribution compares weights up to scale; this oracle takes them as given)
    w_b = w_a.copy()
    for k in range(K):
        if draw(st.booleans()):
            j = draw(st.sampled_from(list(np.flatnonzero(dim_of == k))))
            w_b[j] = draw(st.sampled_from([0.25, 4.0]))
    V_b = V_a.copy()
    if draw(st.booleans()):
        V_b[draw(st.integers(0, K - 1))] = draw(st.sampled_from([0.25, 5.0]))
    rules_a = draw(rules_strategy)
    rules_b = rules_a if draw(st.booleans()) else draw(rules_strategy)
    a = _inputs(n_a, w_a, V_a, dim_of, rules_a, "from")
    b = _inputs(n_b, w_b, V_b, dim_of, rules_b, "to")
    return a, b, rules_a, rules_b


@settings(max_examples=150, deadline=None)
@given(two_states())
def test_contributions_add_up_exactly_to_the_change(states):
    a, b, _, _ = states
    split = attribute(a, b)
    # the scores come from the pipeline's means: the split adds up to them, not to its own
    assert math.fsum(split.table["contribution"]) == pytest.approx(
        b.score - a.score, rel=1e-12, abs=1e-9
    )


@settings(max_examples=60, deadline=None)
@given(two_states())
def test_the_split_is_the_owen_value_by_brute_force(states):
    a, b, rules_a, rules_b = states
    split = attribute(a, b).table
    oracle = _brute_force_owen(a, b, rules_a, rules_b)
    # weights are compared up to scale within a dimension, so a weight vector that is a multiple
    # of the other is no player for the attribution; the oracle still gives it 0 (no effect)
    for (kind, j), expected in oracle.items():
        if kind == "i":
            got = split.loc[split["item"] == f"i{j}", "contribution"].iloc[0]
        elif kind == "d":
            rows = split.loc[split["item"] == f"weight of d{j}", "contribution"]
            got = rows.iloc[0] if len(rows) else 0.0
        else:
            got = split.loc[split["kind"] == "aggregation", "contribution"].iloc[0]
        assert got == pytest.approx(expected, rel=1e-7, abs=1e-7), (kind, j)


def test_a_real_year_change_adds_up_under_geometric_and_generalised_means():
    from indicators.catalogue import load_catalogue, load_countries, load_values

    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    positive = {"normalisation_params": {"low": 1.0}}
    for method in (
        Method(),
        Method(**positive, indicator_aggregation="geometric", dimension_aggregation="geometric"),
        Method(**positive, dimension_aggregation="generalised", dimension_power=-1.5),
    ):
        old = build_scorecard(prepared, method=method.with_(year_window=(2010, 2015)))
        new = build_scorecard(prepared, method=method)
        for level in ("overall", "reach", "appeal"):
            split = explain_change(old, new, "RUS", level=level)
            assert math.fsum(split.table["contribution"]) == pytest.approx(
                split.score_to - split.score_from, abs=1e-9
            )
        reported = new.results.loc["RUS", "overall"] - old.results.loc["RUS", "overall"]
        assert explain_change(old, new, "RUS").change == pytest.approx(reported, abs=1e-12)


# Methods drawn whole: two years of a small dataset scored by the pipeline, every country split.
SMALL = pd.DataFrame(
    {
        "indicator": ["a", "b", "c", "d", "e"],
        "dimension": ["d1", "d1", "d2", "d2", "d3"],
        "side": ["reach", "reach", "appeal", "appeal", "appeal"],
        "direction": [1, -1, 1, 1, -1],
        "weight": [1.0, 2.0, 1.0, 1.0, 1.0],
    }
)


@st.composite
def methods(draw):
    rules = st.sampled_from(RULES)
    return Method(
        normalisation_params={"low": 1.0},  # positive scores: every mean is defined
        indicator_aggregation=draw(rules),
        dimension_aggregation=draw(rules),
        indicator_power=draw(st.sampled_from([-2.0, 0.5, 3.0])),
        dimension_power=draw(st.sampled_from([-1.0, 0.5, 2.0])),
        indicator_weights={"a": draw(st.sampled_from([0.5, 1.0, 3.0]))},
        dimension_weights={"d3": draw(st.sampled_from([0.5, 1.0, 2.0]))},
        side_weights=draw(
            st.sampled_from([{}, {"reach": 1.0, "appeal": 1.0}, {"reach": 3.0, "appeal": 1.0}])
        ),
        min_coverage=0.0,
        min_indicator_share=0.0,
        min_dimension_share=0.0,
    )


@settings(max_examples=40, deadline=None)
@given(methods(), methods(), st.integers(0, 10_000))
def test_every_country_adds_up_under_drawn_methods(first, second, seed):
    rng = np.random.default_rng(seed)
    rows = [
        (iso3, indicator, year, float(rng.integers(0, 20)), "")
        for iso3 in ("AAA", "BBB", "CCC", "DDD", "EEE")
        for indicator in SMALL["indicator"]
        for year in (2020, 2021)
        if rng.random() > 0.15 or indicator in ("a", "c", "e")
    ]
    values = pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value", "note"])
    prepared = prepare(values, SMALL)
    try:
        old = build_scorecard(prepared, method=first.with_(year=2020))
        new = build_scorecard(prepared, method=second.with_(year=2021))
    except ValueError:  # a constant indicator in a drawn year: nothing to explain
        return
    for iso3 in set(old.iso3.astype(str)) & set(new.iso3.astype(str)):
        for level in ("overall", "reach", "appeal"):
            split = explain_change(old, new, iso3, level=level)
            assert math.fsum(split.table["contribution"]) == pytest.approx(
                split.score_to - split.score_from, rel=1e-9, abs=1e-9
            )
