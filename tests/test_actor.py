"""scoring.actor: an actor's dyads scored with the pipeline, a worked example by hand, the actor
comparison, trends and the `scorecard actor` command."""

import argparse

import pandas as pd
import pytest

from exports.actor_cli import register
from indicators.catalogue import load_countries
from indicators.relational import (
    DIASPORA,
    EITI_GAP,
    POSTS,
    UNGA,
    VISA_ACTOR,
    load_dyads,
    load_relational_catalogue,
)
from scoring.actor import (
    actor_scorecard,
    actor_values,
    compare_actors,
    relational_method,
    target_table,
    trend_series,
)
from scoring.method import Method


@pytest.fixture(scope="module")
def framework():
    return load_relational_catalogue().framework()


def rows(actor, indicator, year, values) -> list[dict]:
    return [
        {"actor": actor, "target": target, "indicator": indicator, "year": year,
         "value": value, "note": ""}
        for target, value in values.items()
    ]  # fmt: skip


# Worked example: actor RUS, targets KAZ, DEU, ARM, default Method (min-max 0-100, arithmetic
# means, equal dimension weights). By hand:
#   indicator (dimension)          KAZ   DEU   ARM   -> normalised KAZ, DEU, ARM
#   diaspora % (people)            13     1     4    -> 100, 0, 25
#   visa-free out (mobility)        1     0     1    -> 100, 0, 100
#   UNGA agreement (alignment)    0.8   0.5   0.7    -> 100, 0, 66.667
#   EITI gap, direction -1 (align) 100   100     0    -> 0, 0, 100  (lower gap is better)
#   posts (presence)                4     6     2    -> 50, 100, 0
# dimensions: people 100, 0, 25; mobility 100, 0, 100; alignment (100+0)/2 = 50, 0,
#   (66.667+100)/2 = 83.333; presence 50, 100, 0
# overall = mean of four: KAZ (100+100+50+50)/4 = 75; DEU (0+0+0+100)/4 = 25;
#   ARM (25+100+83.333+0)/4 = 52.083. Ranks: KAZ 1, ARM 2, DEU 3.
WORKED = pd.DataFrame(
    rows("RUS", DIASPORA, 2020, {"KAZ": 13.0, "DEU": 1.0, "ARM": 4.0})
    + rows("RUS", DIASPORA, 2010, {"KAZ": 99.0})  # an older year: the latest is used
    + rows("RUS", VISA_ACTOR, 2025, {"KAZ": 1.0, "DEU": 0.0, "ARM": 1.0})
    + rows("RUS", UNGA, 2023, {"KAZ": 0.8, "DEU": 0.5, "ARM": 0.7})
    + rows("RUS", EITI_GAP, 2024, {"KAZ": 100.0, "DEU": 100.0, "ARM": 0.0})
    + rows("RUS", POSTS, 2023, {"KAZ": 4.0, "DEU": 6.0, "ARM": 2.0})
    + rows("CHN", POSTS, 2023, {"KAZ": 9.0, "DEU": 1.0, "ARM": 5.0})
    + rows("CHN", UNGA, 2023, {"KAZ": 0.9, "DEU": 0.4, "ARM": 0.6})
)


def test_worked_example(framework):
    sc = actor_scorecard(WORKED, framework, "RUS")
    results = sc.results
    assert results.loc["KAZ", "overall"] == pytest.approx(75.0)
    assert results.loc["DEU", "overall"] == pytest.approx(25.0)
    assert results.loc["ARM", "overall"] == pytest.approx((25 + 100 + (200 / 3 + 100) / 2) / 4)
    assert results["rank"].to_dict() == {"ARM": 2, "DEU": 3, "KAZ": 1}
    assert results.loc["ARM", "alignment"] == pytest.approx((200 / 3 + 100) / 2)
    assert sc.raw.loc["KAZ", DIASPORA] == 13.0  # 2020, not 2010
    # Only the indicators and dimensions the actor has; dimensions weigh the same.
    assert set(sc.prepared.indicators) == {DIASPORA, VISA_ACTOR, UNGA, EITI_GAP, POSTS}
    assert sc.dimension_weights.to_dict() == pytest.approx(
        {"people": 0.25, "mobility": 0.25, "alignment": 0.25, "presence": 0.25}
    )


def test_the_method_carries_its_scoring_choices_not_its_weights(framework):
    method = Method(
        normalisation="rank", indicator_weights=(("rsf_press_freedom", 2.0),),
        dimension_weights=(("media_reach", 3.0),), peer_group=("EU",),
    )  # fmt: skip
    carried = relational_method(method)
    assert carried.normalisation == "rank"
    assert carried.indicator_weights == () and carried.dimension_weights == ()
    assert carried.peer_group == ()
    # The main catalogue's weight names would not fit the relational framework: still scores.
    assert actor_scorecard(WORKED, framework, "RUS", method).results["rank"].notna().all()


def test_actor_values_are_keyed_by_target():
    values = actor_values(WORKED, "CHN")
    assert list(values.columns) == ["iso3", "indicator", "year", "value", "note"]
    assert set(values["iso3"]) == {"KAZ", "DEU", "ARM"}
    assert set(values["indicator"]) == {POSTS, UNGA}


def test_unknown_actor_is_a_value_error(framework):
    with pytest.raises(ValueError, match="no relational data for actor 'USA'"):
        actor_scorecard(WORKED, framework, "USA")


def test_target_table_lists_raw_values_scores_and_rank(framework):
    sc = actor_scorecard(WORKED, framework, "RUS")
    table = target_table(sc, pd.Series({"KAZ": "Kazakhstan"}))
    assert list(table.index) == ["KAZ", "ARM", "DEU"]
    assert table.loc["KAZ", "name"] == "Kazakhstan" and table.loc["DEU", "name"] == "DEU"
    assert table.loc["DEU", POSTS] == 6.0
    assert table.loc["KAZ", "overall"] == pytest.approx(75.0)
    # RUS's dyads: one indicator each for people, mobility and presence; alignment has two
    named = target_table(sc, dimension_names={"people": "People", "mobility": "Mobility"})
    assert named["one_indicator"].tolist() == ["People, Mobility, presence"] * 3


def test_compare_actors_says_who_is_ahead(framework):
    rus = actor_scorecard(WORKED, framework, "RUS")
    chn = actor_scorecard(WORKED, framework, "CHN")
    # CHN: posts 9, 1, 5 -> 100, 0, 50; UNGA 0.9, 0.4, 0.6 -> 100, 0, 40;
    # overall = mean(presence, alignment): KAZ 100, DEU 0, ARM 45.
    duel = compare_actors(rus, chn, "RUS", "CHN")
    assert duel.loc["KAZ", "overall_CHN"] == pytest.approx(100.0)
    assert duel.loc["ARM", "gap"] == pytest.approx(52.083333 - 45.0)
    assert duel["ahead"].to_dict() == {"KAZ": "CHN", "ARM": "RUS", "DEU": "RUS"}
    assert list(duel.index) == ["DEU", "ARM", "KAZ"]  # RUS furthest ahead first


def test_trend_series_keeps_the_chosen_order():
    series = trend_series(WORKED, "RUS", DIASPORA, ["KAZ", "ARM"])
    assert series.to_dict("records") == [
        {"iso3": "KAZ", "year": 2010, "value": 99.0},
        {"iso3": "KAZ", "year": 2020, "value": 13.0},
        {"iso3": "ARM", "year": 2020, "value": 4.0},
    ]


def test_cli_writes_the_target_table(tmp_path):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    out = tmp_path / "russia.csv"
    args = parser.parse_args(["actor", "--actor", "RUS", "--out", str(out)])
    assert args.func(args) == 0
    written = pd.read_csv(out, keep_default_na=False, na_values=[""])
    catalogue = load_relational_catalogue()
    countries = load_countries()
    sc = actor_scorecard(load_dyads(catalogue, countries), catalogue.framework(), "RUS",
                         countries=countries)  # fmt: skip
    assert (written["actor"] == "RUS").all()
    first = written.iloc[0]
    assert first["rank"] == 1
    assert first["overall"] == pytest.approx(sc.results["overall"].max())
    assert set(written["iso3"]) == set(sc.raw.index)
