"""The app on the shipped data, driven headless with Streamlit's AppTest (no browser)."""

import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from tests.app_driver import chart_figure, open_app, rankings_table


def run_app(page: str | None = None, **query) -> AppTest:
    return open_app(page, **query)


@pytest.fixture(scope="module")
def prepared():
    catalogue = load_catalogue()
    countries = load_countries()
    return prepare(load_values(catalogue, countries), catalogue, countries=countries), countries


def expected_ranks(prepared, method: Method):
    data, countries = prepared
    return build_scorecard(data, method=method, countries=countries).results["rank"]


def slider(app: AppTest, label: str):
    return next(widget for widget in app.sidebar.slider if widget.label == label)


def test_rankings_list_every_scored_country_in_rank_order(prepared):
    app = run_app()
    assert app.title[0].value == "Rankings"
    table = rankings_table(app)
    ranks = expected_ranks(prepared, Method())
    assert len(table) == len(ranks)
    assert table["Rank"].tolist() == sorted(ranks.tolist())
    assert table["Rank"].to_dict() == ranks.loc[table.index].to_dict()


def test_moving_a_dimension_weight_reranks_as_the_scoring_engine_says(prepared):
    app = run_app()
    slider(app, "Migrant integration").set_value(5.0).run()
    assert not app.exception
    table = rankings_table(app)
    method = Method(dimension_weights={"migrant_integration": 5.0})
    assert table["Rank"].to_dict() == expected_ranks(prepared, method).loc[table.index].to_dict()
    assert app.query_params["dw"] == "migrant_integration:5"
    # The default ranking differs, so the change column is not all zero.
    assert (table["Change vs default"].fillna(0) != 0).any()


def test_a_copied_url_reopens_the_same_weights(prepared):
    app = run_app(dw="media_reach:3,eiti_participation:0")
    assert slider(app, "Media reach").value == 3.0
    assert slider(app, "EITI participation").value == 0.0
    method = Method(dimension_weights={"media_reach": 3, "eiti_participation": 0})
    table = rankings_table(app)
    assert table["Rank"].to_dict() == expected_ranks(prepared, method).loc[table.index].to_dict()


@pytest.mark.parametrize(
    "query, notice",
    [
        ({"dw": "soft_power:2"}, "unknown dimension"),
        ({"w": "rsf_press_freedom:-1"}, "negative weight"),
        ({"norm": "magic"}, "unknown choice 'magic'"),
        ({"country": "XXX"}, "Unknown country code 'XXX'"),
    ],
)
def test_a_tampered_url_falls_back_to_defaults_with_a_notice(query, notice):
    app = run_app(**query)
    assert any(notice in warning.value for warning in app.warning), [w.value for w in app.warning]
    assert app.title[0].value == "Rankings"


def test_the_start_up_warm_up_leaves_the_first_page_nothing_to_compute(monkeypatch):
    from views import data

    calls = {"load_values": 0, "build_scorecard": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    for name in calls:
        monkeypatch.setattr(data, name, counted(name, getattr(data, name)))
    data._shipped.clear()
    data._scorecard.clear()

    data.warm_up()
    assert calls == {"load_values": 1, "build_scorecard": 1}
    # What the Rankings page asks for on a first visit is served from the warm caches.
    data.scorecard(data.shipped_dataset(), Method())
    assert calls == {"load_values": 1, "build_scorecard": 1}


def test_a_link_may_weigh_a_dimension_beyond_the_sliders_usual_scale(prepared):
    app = run_app(dw="media_reach:7.5")  # the scale is 0-5; a wider one must not break the page
    media = slider(app, "Media reach")
    assert (media.value, media.max) == (7.5, 7.5)
    assert slider(app, "Migrant integration").max == 5.0
    table = rankings_table(app)
    method = Method(dimension_weights={"media_reach": 7.5})
    assert table["Rank"].to_dict() == expected_ranks(prepared, method).loc[table.index].to_dict()


# ---- the landing chart, reach and appeal (Framework 2)
def bar_sums(figure: dict) -> dict[str, float]:
    """Row label -> the sum of its stacked bars, read from the figure."""
    sums: dict[str, float] = {}
    for trace in figure["data"]:
        for label, x in zip(trace["y"], trace["x"], strict=True):
            sums[label] = sums.get(label, 0.0) + x
    return sums


def label(rank, name) -> str:
    return f"{int(rank)}. {name}"


def test_the_landing_chart_adds_up_to_the_overall_and_keeps_russia_wherever_it_ranks(prepared):
    app = run_app()
    figure = chart_figure(app, "rankings_bars")
    results = build_scorecard(prepared[0], method=Method(), countries=prepared[1]).results
    names = prepared[1].set_index("iso3")["name"]
    top = results.sort_values("rank").head(30)
    rows = [*top.index, "RUS"] if "RUS" not in top.index else list(top.index)
    expected = {label(results.at[c, "rank"], names[c]): results.at[c, "overall"] for c in rows}
    assert bar_sums(figure) == pytest.approx(expected)
    russia = label(results.at["RUS", "rank"], "Russian Federation")
    position = figure["data"][0]["y"].index(russia)
    assert position == rows.index("RUS")
    # the followed country's bars are outlined, the others not
    widths = figure["data"][0]["marker"]["line"]["width"]
    assert [k for k, width in enumerate(widths) if width > 0] == [position]


def test_the_followed_country_joins_the_chart_below_the_top(prepared):
    results = build_scorecard(prepared[0], method=Method(), countries=prepared[1]).results
    low = results.sort_values("rank").index[-1]  # the last-ranked country, followed
    app = run_app(country=low)
    figure = chart_figure(app, "rankings_bars")
    assert len(figure["data"][0]["y"]) == 31
    names = prepared[1].set_index("iso3")["name"]
    assert figure["data"][0]["y"][-1] == label(results.at[low, "rank"], names[low])


def test_under_a_geometric_mean_the_chart_shows_the_overall_unsplit(prepared):
    app = run_app(dagg="geometric", np="low:1")
    figure = chart_figure(app, "rankings_bars")
    method = Method(dimension_aggregation="geometric", normalisation_params={"low": 1})
    results = build_scorecard(prepared[0], method=method, countries=prepared[1]).results
    names = prepared[1].set_index("iso3")["name"]
    bars, reach, appeal = figure["data"]
    assert (bars["type"], bars["name"]) == ("bar", "Overall")
    shown = dict(zip(bars["y"], bars["x"], strict=True))
    top = results.sort_values("rank").head(30)
    assert shown == pytest.approx(
        {label(r["rank"], names[c]): r["overall"] for c, r in top.iterrows()}
        | {label(results.at["RUS", "rank"], names["RUS"]): results.at["RUS", "overall"]}
    )
    assert dict(zip(reach["y"], reach["x"], strict=True))[bars["y"][0]] == pytest.approx(
        results.sort_values("rank")["reach"].iloc[0]
    )
    assert appeal["name"] == "Appeal"


def test_reach_against_appeal_names_the_followed_country(prepared):
    app = run_app()
    app.session_state["rankings_view"] = "Reach and appeal"
    app.run()
    figure = chart_figure(app, "rankings_sides")
    results = build_scorecard(prepared[0], method=Method(), countries=prepared[1]).results
    dots = figure["data"][0]
    points = dict(zip(dots["customdata"], zip(dots["x"], dots["y"], strict=True), strict=True))
    assert points["Russian Federation"] == pytest.approx(
        (results.at["RUS", "reach"], results.at["RUS", "appeal"])
    )
    assert "Russian Federation" in dots["text"]
    assert len(dots["x"]) == len(results)
    medians = [shape for shape in figure["layout"]["shapes"]]
    assert {round(s["x0"], 6) for s in medians if s["type"] == "line"} >= {
        round(results["reach"].median(), 6)
    }


def test_the_table_shows_reach_appeal_indicator_count_and_thin_dimensions(prepared):
    app = run_app()
    table = rankings_table(app)
    sc = build_scorecard(prepared[0], method=Method(), countries=prepared[1])
    russia = table.set_index("Country").loc["Russian Federation"]
    assert russia["Reach"] == pytest.approx(sc.results.at["RUS", "reach"])
    assert russia["Appeal"] == pytest.approx(sc.results.at["RUS", "appeal"])
    counted = sc.framework.loc[sc.framework["effective_weight"] > 0, "indicator"]
    assert russia["Indicators"] == sc.raw.loc["RUS", counted].notna().sum()
    # normative alignment has one indicator by design, so it is always named
    assert "Normative alignment" in russia["Resting on one indicator"]


def test_the_reach_appeal_slider_moves_the_side_weights(prepared):
    app = run_app()
    slider(app, "Reach : appeal").set_value(0.75).run()
    assert not app.exception
    assert app.query_params["sw"] == "appeal:0.25,reach:0.75"
    method = Method(side_weights={"reach": 0.75, "appeal": 0.25})
    table = rankings_table(app)
    assert table["Rank"].to_dict() == expected_ranks(prepared, method).loc[table.index].to_dict()
    slider(app, "Reach : appeal").set_value(0.5).run()
    assert "sw" not in app.query_params  # back to the default's equal sides


def test_the_methodology_page_renders_the_catalogue():
    app = run_app("views/methodology.py")
    text = "\n".join(block.value for block in app.markdown)
    catalogue = load_catalogue()
    assert "Hard Questions About Soft Power" in text
    assert text.count("*A missing value means*") == len(catalogue.indicators)
    assert text.count("*Direction*") == len(catalogue.indicators)
    assert "## Decisions against the first framework" in text


def test_rankings_warn_of_dimensions_whose_indicators_do_not_hang_together(prepared):
    from scoring.audit import cronbach_by_dimension

    app = run_app()
    sc = build_scorecard(prepared[0], method=Method(), countries=prepared[1])
    alphas = cronbach_by_dimension(sc)
    weak = alphas[alphas["alpha"] < 0.5]
    assert len(weak)  # on the shipped data: visa openness and diaspora alignment
    caption = next(m.value for m in app.markdown if m.value.startswith("Read with care"))
    dimensions = load_catalogue().dimensions
    names = dict(zip(dimensions["dimension"], dimensions["name"], strict=True))
    for dimension, alpha in zip(weak["dimension"], weak["alpha"], strict=True):
        assert f"{names[dimension]} (" in caption and f"{alpha:.2f})" in caption
