"""What would it take: checked against brute force on small hand-made cases, and shown to reach
the target when the answer is applied to the values and everything is scored again."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from scoring.target import what_it_takes


def _framework(n_indicators: int, dimensions=None, directions=None) -> pd.DataFrame:
    names = [f"i{j}" for j in range(n_indicators)]
    return pd.DataFrame(
        {
            "indicator": names,
            "dimension": dimensions or ["d"] * n_indicators,
            "direction": directions or [1] * n_indicators,
            "weight": [1.0] * n_indicators,
        }
    )


def _values(table: dict[str, list[float]], year=2020) -> pd.DataFrame:
    rows = [
        (iso3, f"i{j}", year, float(x), "")
        for iso3, xs in table.items()
        for j, x in enumerate(xs)
        if not np.isnan(x)
    ]
    return pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value", "note"])


def _rank(table, framework, iso3):
    """Scored from scratch (values -> prepare -> build): independent of the search's shortcut."""
    sc = build_scorecard(prepare(_values(table), framework), method=Method())
    return int(sc.results.loc[iso3, "rank"])


def test_the_worked_example_moves_the_goalpost():
    # A (10, 0), B (5, 10), C (0, 5): scores A 50, B 75, C 25. C to 1st: y alone is not enough
    # (C 50 against B 75); x alone is, because C was x's minimum: above 5, B becomes the minimum
    # and C = ((x - 5) / 5 * 100 + 50) / 2 >= 50 = A = B needs x >= 7.5, in whole steps 8.
    table = {"A": [10, 0], "B": [5, 10], "C": [0, 5]}
    framework = _framework(2)
    sc = build_scorecard(prepare(_values(table), framework), method=Method())
    plan = what_it_takes(sc, "C", 1, draws=0)
    assert plan.reachable and plan.values == {"i0": 8.0}
    assert plan.rank_after == 1 and plan.score_after == pytest.approx(55.0)
    assert _rank({**table, "C": [8, 5]}, framework, "C") == 1
    assert _rank({**table, "C": [7, 5]}, framework, "C") > 1  # one step less is not enough


def _brute_force(table, framework, iso3, target, directions):
    """Fewest indicators, and for each feasible set the least common share of the gap, by trying
    every whole value between the country's own and the best observed."""
    own = np.array(table[iso3], dtype=float)
    values = np.array(list(table.values()), dtype=float)
    signed = values * directions
    best = np.nanmax(signed, axis=0) * directions
    can = [
        j
        for j in range(len(own))
        if not np.isnan(own[j]) and (best[j] - own[j]) * directions[j] > 0
    ]
    for size in range(1, len(can) + 1):
        found = {}
        for chosen in itertools.combinations(can, size):
            ranges = [np.arange(own[j], best[j] + directions[j], directions[j])[1:] for j in chosen]
            for combo in itertools.product(*ranges):
                changed = own.copy()
                changed[list(chosen)] = combo
                if _rank({**table, iso3: list(changed)}, framework, iso3) <= target:
                    found[chosen] = True
                    break
        if found:
            return size, set(found)
    return None, set()


@pytest.mark.parametrize("seed", range(30))
def test_agrees_with_brute_force_and_reaches_the_target_when_applied(seed):
    rng = np.random.default_rng(seed)
    n_countries, n_indicators = int(rng.integers(4, 7)), int(rng.integers(2, 4))
    directions = [int(d) for d in rng.choice([1, -1], n_indicators)]
    framework = _framework(n_indicators, directions=directions)
    names = [f"C{k}" for k in range(n_countries)]
    table = {c: [float(x) for x in rng.integers(0, 6, n_indicators)] for c in names}
    for j in range(n_indicators):  # min-max needs two different values in every column
        if len({row[j] for row in table.values()}) == 1:
            table[names[0]][j] += 1.0
    sc = build_scorecard(prepare(_values(table), framework), method=Method())
    ranks = sc.results["rank"]
    iso3 = str(ranks.idxmax())  # the last-placed country
    target = int(rng.integers(1, ranks[iso3])) if ranks[iso3] > 1 else 1
    plan = what_it_takes(sc, iso3, target, draws=0)
    size, feasible_sets = _brute_force(table, framework, iso3, target, np.array(directions))
    if size is None:
        assert not plan.reachable
        return
    assert plan.reachable, plan.message
    chosen = tuple(sorted(int(name[1:]) for name in plan.values))
    assert len(chosen) == size and chosen in feasible_sets
    applied = list(table[iso3])
    for name, value in plan.values.items():
        applied[int(name[1:])] = value
        # within the observed range, in whole steps (all values here are whole)
        column = [row[int(name[1:])] for row in table.values()]
        assert min(column) <= value <= max(column) and value == int(value)
    assert _rank({**table, iso3: applied}, framework, iso3) <= target


def test_the_least_value_is_found_for_one_indicator():
    # Continuous values. i0: A 0, B 0.5, C 0.1, D 0.2 -> 0, 100, 20, 40; i1: A 1, B 0.3, C 0.6,
    # D 0.2 -> 100, 12.5, 50, 0. Scores A 50, B 56.25, C 35, D 20. For C to rank 2 it must reach
    # A's 50. i0 alone (max stays B's 0.5, min A's 0): (x / 0.5 * 100 + 50) / 2 >= 50 -> x >= 0.25,
    # a share (0.25 - 0.1) / 0.4 = 0.375 of its gap; i1 alone: (20 + (y - 0.2) / 0.8 * 100) / 2
    # >= 50 -> y >= 0.84, a share 0.6. So i0, at 0.25.
    table = {"A": [0.0, 1.0], "B": [0.5, 0.3], "C": [0.1, 0.6], "D": [0.2, 0.2]}
    framework = _framework(2)
    sc = build_scorecard(prepare(_values(table), framework), method=Method())
    assert sc.results["rank"].to_dict() == {"A": 2, "B": 1, "C": 3, "D": 4}
    plan = what_it_takes(sc, "C", 2, draws=0)
    assert list(plan.values) == ["i0"]
    assert plan.values["i0"] == pytest.approx(0.25, abs=1e-5)
    assert _rank({**table, "C": [plan.values["i0"], 0.6]}, framework, "C") == 2
    assert _rank({**table, "C": [0.25 - 1e-3, 0.6]}, framework, "C") == 3


def test_out_of_reach_and_already_there_say_so():
    table = {"A": [10, 10], "B": [5, 5], "C": [0, 0]}
    framework = _framework(2)
    sc = build_scorecard(prepare(_values(table), framework), method=Method())
    assert what_it_takes(sc, "A", 2, draws=0).message == "A already ranks 1, at or above 2."
    # C at the best value on both ties A at 100: rank 1 is in reach
    assert what_it_takes(sc, "C", 1, draws=0).reachable
    with pytest.raises(ValueError, match="target rank: must be from 1 to 3, got 4"):
        what_it_takes(sc, "C", 4)
    with pytest.raises(ValueError, match="ZZZ is not scored"):
        what_it_takes(sc, "ZZZ", 1)


def test_policy_levers_only_and_the_probability():
    table = {"A": [10, 10, 10], "B": [6, 6, 6], "C": [0, 0, 0]}
    framework = _framework(3)
    sc = build_scorecard(prepare(_values(table), framework), method=Method())
    levers = {"i0": "outcome", "i1": "policy", "i2": "policy"}
    plan = what_it_takes(sc, "C", 2, levers=levers, policy_only=True, draws=500)
    assert set(plan.values) <= {"i1", "i2"} and plan.rank_after <= 2
    assert set(plan.changes["lever"]) == {"policy"}
    # now C is last in every draw (all its values are the minimum); after, it is at 2 or better
    # in most draws
    assert plan.probability_now == 0.0
    assert 0.0 < plan.probability_after <= 1.0


def test_on_the_shipped_data_the_answer_reaches_the_target_when_applied():
    from indicators.catalogue import load_catalogue, load_countries, load_values

    catalogue = load_catalogue()
    countries = load_countries()
    values = load_values(catalogue, countries)
    sc = build_scorecard(prepare(values, catalogue, countries=countries), method=Method())
    levers = dict(
        zip(catalogue.indicators["indicator"], catalogue.indicators["lever"], strict=True)
    )
    plan = what_it_takes(sc, "RUS", 20, levers=levers, draws=200)
    assert plan.reachable and plan.rank_after <= 20 < plan.rank_now
    assert set(plan.changes["lever"]) <= {"policy", "outcome"}
    # apply to the long values table, in the year each value was read from, and score afresh
    changed = values.copy()
    for row in plan.changes.itertuples():
        at = (
            (changed["iso3"] == "RUS")
            & (changed["indicator"] == row.indicator)
            & (changed["year"].astype(int) == int(row.year))
        )
        assert at.sum() == 1
        changed.loc[at, "value"] = row.value_needed
    again = build_scorecard(prepare(changed, catalogue, countries=countries), method=Method())
    assert again.results.loc["RUS", "rank"] <= 20


def test_a_scale_of_few_levels_moves_to_a_level():
    # 24 countries on a 0 / 50 / 100 status (as EITI's) and a continuous indicator; Z is last on
    # both. Any status Z needs is one of the three levels, never a value between them.
    table = {f"C{k:02d}": [float(50 * (k % 3)), float(k)] for k in range(24)}
    table["ZZZ"] = [0.0, 0.0]
    framework = _framework(2)
    sc = build_scorecard(prepare(_values(table), framework), method=Method())
    for target in (5, 12, 20):
        plan = what_it_takes(sc, "ZZZ", target, draws=0)
        assert plan.reachable
        if "i0" in plan.values:
            assert plan.values["i0"] in (50.0, 100.0)
        applied = [plan.values.get("i0", 0.0), plan.values.get("i1", 0.0)]
        assert _rank({**table, "ZZZ": applied}, framework, "ZZZ") <= target
