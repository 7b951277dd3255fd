"""The explanations on the Country scorecard and Compare pages, driven headless with AppTest: the
numbers are the engine's (each year scored on its own, the change between two scorecards), and
the choices round-trip through the URL."""

from __future__ import annotations

import math

import pytest

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from tests.app_driver import chart_figure, open_app

COUNTRY, COMPARE = "views/country.py", "views/compare.py"


@pytest.fixture(scope="module")
def score():
    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)

    def build(method: Method | None = None):
        return build_scorecard(prepared, method=method or Method(), countries=countries)

    return build


def _frame(app, column: str, index: int = 0):
    """The `index`-th table on the page with a column named `column`."""
    return [frame.value for frame in app.dataframe if column in frame.value.columns][index]


def test_the_years_table_is_each_year_scored_on_its_own(score):
    app = open_app(COUNTRY)
    years = _frame(app, "Overall rank").set_index("Year")
    assert list(years.index) == list(range(2013, 2026))
    for year in (2013, 2018, 2025):
        alone = score(Method(year_window=(2010, year))).results.loc["RUS"]
        assert years.loc[year, "Overall"] == pytest.approx(alone["overall"])
        assert years.loc[year, "Overall rank"] == alone["rank"]
        assert years.loc[year, "Reach"] == pytest.approx(alone["reach"])
    # 2013 rests on values first measured later, and says so
    assert years.loc[2013, "Carried back"].split(":")[0] != ""
    assert years.loc[2025, "Carried back"] == ""
    figure = chart_figure(app, "explain_trajectory")
    russia = next(t for t in figure["data"] if t["name"] == "Russian Federation")
    assert russia["x"] == list(range(2013, 2026))


def test_why_it_moved_adds_up_to_the_change_between_the_two_years(score):
    app = open_app(COUNTRY, **{"from": "2016", "to": "2024"})
    old = score(Method(year_window=(2010, 2016))).results.loc["RUS", "overall"]
    new = score(Method(year_window=(2010, 2024))).results.loc["RUS", "overall"]
    table = _frame(app, "Contribution")
    total = table.loc[table["Item"] == "Total: the change", "Contribution"].iloc[0]
    assert total == pytest.approx(new - old, abs=1e-9)
    parts = table.loc[table["Item"] != "Total: the change", "Contribution"]
    assert math.fsum(parts) == pytest.approx(new - old, abs=1e-9)
    waterfall = chart_figure(app, "explain_RUS_moved")["data"][0]
    assert waterfall["x"][0] == pytest.approx(old)
    assert math.fsum(waterfall["x"][1:-1]) == pytest.approx(new - old, abs=1e-9)
    # the choices stay in the URL
    assert app.query_params["from"] == "2016" and app.query_params["to"] == "2024"


def test_what_it_takes_reaches_the_target_and_its_choice_is_in_the_url(score):
    app = open_app(COUNTRY, target="25")
    plan = _frame(app, "Needed")
    assert len(plan) >= 1 and set(plan["Lever"]) <= {"policy lever", "slow outcome"}
    assert (plan["Needed"] - plan["Now"]).abs().gt(0).all()
    assert app.query_params["target"] == "25"
    assert any("Russian Federation from rank 37 to" in m.value for m in app.markdown)


def test_an_unusable_link_value_is_left_out_with_a_notice():
    app = open_app(COUNTRY, **{"from": "1850", "level": "nonsense"})
    assert any("Left out unusable settings from the link" in w.value for w in app.warning)
    assert "from" not in app.query_params


def test_compare_splits_the_gap_between_the_reference_and_another(score):
    app = open_app(COMPARE, compare="RUS,TUR,CHN", versus="CHN")
    results = score().results
    table = _frame(app, "Contribution")
    total = table.loc[table["Item"] == "Total: the change", "Contribution"].iloc[0]
    assert total == pytest.approx(
        results.loc["RUS", "overall"] - results.loc["CHN", "overall"], abs=1e-9
    )


def test_the_search_runs_when_asked():
    app = open_app(COUNTRY)
    assert not [f for f in app.dataframe if "Needed" in f.value.columns]
    assert "target" not in app.query_params
    app.button(key="explain_find").click().run()
    plan = _frame(app, "Needed")
    assert len(plan) >= 1
    assert app.query_params["target"] == "27"  # ten places above Russia's 37


def test_the_trajectory_can_sit_beside_a_group_from_the_link():
    app = open_app(COUNTRY, **{"with": "EAEU"})
    figure = chart_figure(app, "explain_trajectory")
    lines = {t["name"] for t in figure["data"] if t.get("mode") == "lines+markers"}
    # the Eurasian Economic Union's other members beside Russia
    assert lines == {"Russian Federation", "Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan"}
    assert app.query_params["with"] == "EAEU"


def test_the_years_download_always_carries_the_intervals(score):
    from scoring.uncertainty import monte_carlo
    from views.data import scorecard, shipped_dataset
    from views.explain import years_with_intervals

    data = shipped_dataset()
    table = years_with_intervals(data, scorecard(data, Method()), ["RUS", "TUR"], {})
    assert table["Country"].unique().tolist() == ["Russian Federation", "Türkiye"]
    russia = table[table["Country"] == "Russian Federation"].set_index("Year")
    assert list(russia.index) == list(range(2013, 2026))
    mc = monte_carlo(score(Method(year_window=(2010, 2018))), draws=1000, weight_noise=0.25, seed=0)
    assert (
        russia.loc[2018, ["Overall rank 5 %", "Overall rank 95 %"]].tolist()
        == mc.loc["RUS", ["p05_rank", "p95_rank"]].tolist()
    )
    assert {"Reach rank 5 %", "Appeal rank 95 %"} <= set(table.columns)
