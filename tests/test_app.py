"""The app on the shipped data, driven headless with Streamlit's AppTest (no browser)."""

import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from tests.app_driver import open_app, rankings_table


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
