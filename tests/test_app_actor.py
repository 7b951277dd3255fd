"""The Actor view, driven headless with AppTest: the table is what scoring.actor computes, the
actor round-trips through the URL, the Method's normalisation carries over, filters and the
actor comparison give the engine's numbers."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_countries
from indicators.countries import load_groups
from indicators.relational import load_dyads, load_relational_catalogue
from scoring.actor import actor_scorecard
from scoring.method import Method
from tests.app_driver import open_app

APP = "../dashboard.py"
PAGE = "views/actor.py"
TARGETS, COMPARE_TABLE = 0, 1  # dataframes in page order


def open_page(**query) -> AppTest:
    return open_app(PAGE, **query)


@pytest.fixture(scope="module")
def engine():
    catalogue = load_relational_catalogue()
    countries = load_countries()
    dyads = load_dyads(catalogue, countries)

    def score(actor: str, method: Method | None = None):
        return actor_scorecard(dyads, catalogue.framework(), actor, method, countries)

    def table(actor: str, method: Method | None = None):
        # what the page should list, in plain pandas: targets with a footprint by rank (ties by
        # code), then the targets not scored, by code
        sc = score(actor, method)
        frame = sc.raw.join(sc.results[["overall", "rank"]]).rename_axis("iso3").reset_index()
        return frame.sort_values(["rank", "iso3"], na_position="last").set_index("iso3")

    return score, table


def shown(app: AppTest):
    return app.dataframe[TARGETS].value


def test_default_actor_is_russia_and_the_table_is_the_engines(engine):
    _, table = engine
    app = open_page()
    assert app.selectbox(key="actor_pick").value == "RUS"
    expected = table("RUS")
    frame = shown(app)
    assert list(frame["ISO3"]) == list(expected.index)
    assert frame["Footprint"].tolist()[:10] == pytest.approx(expected["overall"].tolist()[:10])
    assert frame["Rank"].tolist()[:10] == expected["rank"].tolist()[:10]
    assert "Confucius Institutes in the target" in app.info[0].value  # Russia has none listed
    assert "actor" not in app.query_params  # the default stays out of the link


def test_changing_the_actor_changes_the_table_and_the_link(engine):
    _, table = engine
    app = open_page()
    before = list(shown(app)["ISO3"])
    app.selectbox(key="actor_pick").set_value("CHN").run()
    assert not app.exception
    expected = table("CHN")
    after = shown(app)
    assert list(after["ISO3"]) != before
    assert list(after["ISO3"]) == list(expected.index)
    assert "Confucius Institutes in the target" in after.columns
    assert app.query_params["actor"] == "CHN"


def test_the_link_reopens_the_actor_and_the_method(engine):
    _, table = engine
    app = open_page(actor="CHN", norm="rank")
    assert app.selectbox(key="actor_pick").value == "CHN"
    expected = table("CHN", Method(normalisation="rank"))
    frame = shown(app)
    assert frame["Footprint"].tolist()[:5] == pytest.approx(expected["overall"].tolist()[:5])
    assert app.query_params["actor"] == "CHN"
    assert app.query_params["norm"] == "rank"


def test_an_unknown_actor_in_the_link_falls_back_with_a_notice():
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["actor"] = "XYZ"
    app.run()  # the notice shows on the first page drawn
    assert any("Unknown actor code 'XYZ'" in w.value for w in app.warning)
    app.switch_page(PAGE).run()
    assert app.selectbox(key="actor_pick").value == "RUS"


def test_addressee_filter_keeps_only_group_members():
    groups = load_groups()
    post_soviet = set().union(*(groups[g]["members"] for g in ("POST_SOVIET", "CIS", "EAEU")))
    app = open_page()
    app.multiselect(key="actor_addressees").set_value(["Post-Soviet"]).run()
    targets = set(shown(app)["ISO3"])
    assert targets and targets <= post_soviet
    assert "KAZ" in targets and "DEU" not in targets


def test_comparison_counts_where_each_actor_is_ahead(engine):
    score, _ = engine
    app = open_page()
    # targets scored for both, the two actors themselves left out; ahead = the higher footprint
    rus = score("RUS").results[["overall"]].add_suffix("_RUS")
    both = rus.join(score("CHN").results[["overall"]].add_suffix("_CHN"), how="inner")
    both = both.drop(index=["RUS", "CHN"], errors="ignore").dropna()
    gap = both["overall_RUS"] - both["overall_CHN"]
    duel = both.assign(
        ahead=np.select([gap > 0, gap < 0], ["RUS", "CHN"], "tie"), gap=gap
    ).sort_values("gap", ascending=False, kind="stable")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Targets where Russian Federation is ahead"] == str(
        (duel["ahead"] == "RUS").sum()
    )
    assert metrics["Targets where China is ahead"] == str((duel["ahead"] == "CHN").sum())
    table = app.dataframe[COMPARE_TABLE].value
    assert list(table["iso3"]) == list(duel.index)
