"""The scorecard over time: each year equals that year scored on its own, carried values are
counted, and the intervals are the Robustness page's Monte Carlo."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.method import Method
from scoring.over_time import over_time, year_method
from scoring.pipeline import build_scorecard, prepare
from scoring.uncertainty import monte_carlo

# Four countries, four indicators on two sides. Indicator s is a snapshot measured in 2022 only:
# scoring 2020 carries it back from 2022 for every country (one carried indicator each).
FRAMEWORK = pd.DataFrame(
    {
        "indicator": ["r1", "r2", "a1", "s"],
        "dimension": ["reach", "reach", "appeal", "appeal"],
        "side": ["reach", "reach", "appeal", "appeal"],
        "direction": [1, 1, 1, -1],
        "weight": [1.0, 1.0, 1.0, 1.0],
    }
)
VALUES = {
    # iso3: {(indicator, year): value}
    "FRA": {("r1", 2020): 4, ("r1", 2021): 6, ("r2", 2020): 5, ("a1", 2020): 6, ("s", 2022): 3},
    "NAM": {("r1", 2020): 1, ("r1", 2021): 1, ("r2", 2020): 2, ("a1", 2021): 3, ("s", 2022): 1},
    "RUS": {("r1", 2020): 7, ("r1", 2021): 2, ("r2", 2020): 8, ("a1", 2020): 1, ("s", 2022): 9},
    "TUR": {("r1", 2020): 3, ("r1", 2021): 3, ("r2", 2020): 4, ("a1", 2020): 4, ("s", 2022): 4},
}


@pytest.fixture(scope="module")
def prepared():
    rows = [
        (iso3, indicator, year, float(value), "")
        for iso3, cells in VALUES.items()
        for (indicator, year), value in cells.items()
    ]
    values = pd.DataFrame(rows, columns=["iso3", "indicator", "year", "value", "note"])
    return prepare(values, FRAMEWORK)


def test_each_year_is_that_year_scored_on_its_own(prepared):
    table = over_time(prepared, Method(), years=(2020, 2021, 2022), draws=200)
    for year in (2020, 2021, 2022):
        alone = build_scorecard(prepared, method=Method(year_window=(2010, year)))
        rows = table[table["year"] == year].set_index("iso3")
        results = alone.results
        assert rows["overall"].to_dict() == pytest.approx(results["overall"].to_dict())
        assert rows["rank"].to_dict() == results["rank"].astype(float).to_dict()
        assert rows["reach"].to_dict() == pytest.approx(results["reach"].to_dict())
        assert rows["appeal"].to_dict() == pytest.approx(results["appeal"].to_dict())
        mc = monte_carlo(alone, draws=200, weight_noise=0.25, seed=0)
        assert rows["rank_p05"].to_dict() == mc["p05_rank"].to_dict()
        assert rows["rank_p95"].to_dict() == mc["p95_rank"].to_dict()


def test_snapshot_values_are_carried_back_and_counted(prepared):
    table = over_time(prepared, Method(), years=(2020, 2021, 2022), draws=0)
    carried = table.set_index(["year", "iso3"])["carried"]
    # s (2022 only) is carried into 2020 and 2021; NAM's a1 (2021) is carried into 2020 too
    assert carried.loc[2020].to_dict() == {"FRA": 1, "NAM": 2, "RUS": 1, "TUR": 1}
    assert carried.loc[2021].to_dict() == {"FRA": 1, "NAM": 1, "RUS": 1, "TUR": 1}
    assert carried.loc[2022].to_dict() == {"FRA": 0, "NAM": 0, "RUS": 0, "TUR": 0}
    nam_2020 = table[(table["year"] == 2020) & (table["iso3"] == "NAM")]
    assert nam_2020["carried_indicators"].iloc[0] == "a1, s"


def test_hand_worked_year_2021(prepared):
    # 2021: r1 (latest up to 2021) FRA 6, NAM 1, RUS 2, TUR 3 -> min-max 100, 0, 20, 40
    # r2 (2020) 5, 2, 8, 4 -> 50, 0, 100, 33.3; a1 6, 3, 1, 4 -> 100, 40, 0, 60
    # s (carried from 2022, lower is better) 3, 1, 9, 4 -> 75, 100, 0, 62.5
    # reach = mean(r1, r2): FRA 75; appeal = mean(a1, s): FRA 87.5; overall = mean of the two
    # dimensions with side weights 1:1 -> FRA 81.25
    table = over_time(prepared, Method(), years=(2021,), draws=0).set_index("iso3")
    assert table.loc["FRA", ["reach", "appeal", "overall"]].tolist() == pytest.approx(
        [75.0, 87.5, 81.25]
    )
    assert table.loc["FRA", "rank"] == 1.0


def test_a_year_that_cannot_be_scored_is_listed_with_the_reason(prepared):
    # Carrying makes every year scoreable, even 1990 (all carried); a Method that cannot be scored
    # (a geometric mean of min-max scores, which include 0) fails in every year, with the reason.
    assert set(over_time(prepared, Method(), years=(1990, 2030), draws=0)["year"]) == {1990, 2030}
    failing = over_time(prepared, Method(dimension_aggregation="geometric"), years=(2020, 2021))
    assert failing.empty and list(failing.columns)[:2] == ["iso3", "year"]
    assert sorted(failing.attrs["unscored"]) == [2020, 2021]
    # The refusal itself (said in the reader's language where shown); str() is the English.
    assert "geometric mean needs positive values" in str(failing.attrs["unscored"][2020])


def test_year_method_keeps_the_first_year():
    assert year_method(Method(year_window=(2012, 2025)), 2018).year_window == (2012, 2018)
    assert year_method(Method(year_window=(2016, 2025)), 2014).year_window == (2014, 2014)
