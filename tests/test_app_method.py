"""The Weights and method page, driven headless with AppTest: weight sets, indicator sliders,
method choices, an impossible combination and its fix, rank changes and effective weights."""

import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_catalogue, load_countries, load_values
from present.robustness import rank_change_table
from present.weight_sets import ESSAY_DIMENSIONS, WEIGHT_SETS
from scoring.aggregate import AGGREGATORS
from scoring.impute import IMPUTERS
from scoring.method import Method
from scoring.normalise import NORMALISERS
from scoring.pipeline import build_scorecard, prepare
from scoring.treat import TREATMENTS
from tests.app_driver import open_app, widget

PAGE = "views/method.py"


def open_page(**query) -> AppTest:
    return open_app(PAGE, **query)


@pytest.fixture(scope="module")
def engine():
    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    names = countries.set_index("iso3")["name"]

    def score(method: Method):
        return build_scorecard(prepared, method=method, countries=countries)

    return score, names


def sidebar_weights(app: AppTest) -> dict[str, float]:
    return {
        s.key.removeprefix("dimension_weight_").partition("@")[0]: s.value
        for s in app.sidebar.slider
        if s.key.startswith("dimension_weight_")
    }


def movers_table(app: AppTest):
    return next(d.value for d in app.dataframe if "Default rank" in d.value.columns)


def test_the_default_method_shows_its_choices_and_no_rank_change():
    app = open_page()
    assert app.title[0].value == "Weights and method"
    assert app.selectbox(key="method_weight_set").value == "catalogue"
    assert app.selectbox(key="method_normalisation").value == "min_max"
    assert app.number_input(key="method_param_low").value == 0.0
    assert app.number_input(key="method_param_high").value == 100.0
    assert app.slider(key="method_min_coverage").value == 0.5
    assert app.slider(key="indicator_weight_rsf_press_freedom").value == 1.0
    assert app.slider(key="indicator_weight_diaspora_turnout").value == 0.0
    assert any("same ranking as the default" in info.value for info in app.info)
    assert dict(app.query_params) == {}


@pytest.mark.parametrize(
    "key, registry",
    [
        ("method_normalisation", NORMALISERS),
        ("method_indicator_aggregation", AGGREGATORS),
        ("method_dimension_aggregation", AGGREGATORS),
        ("method_imputation", IMPUTERS),
        ("method_outlier_treatment", TREATMENTS),
        ("method_weight_set", WEIGHT_SETS),
    ],
)
def test_every_method_choice_lists_what_its_registry_holds(key, registry):
    app = open_page()
    assert app.selectbox(key=key).options == [entry.label for entry in registry.values()]


def test_the_essays_emphasis_doubles_the_four_named_dimensions(engine):
    score, names = engine
    app = open_page()
    app.selectbox(key="method_weight_set").set_value("essay_emphasis").run()
    assert not app.exception
    # twice the catalogue's weight: 1 for each, but 0.5 for diaspora alignment
    expected = dict.fromkeys(ESSAY_DIMENSIONS, 2.0) | {"diaspora_alignment": 1.0}
    assert app.query_params["dw"] == ",".join(f"{d}:{w:g}" for d, w in sorted(expected.items()))
    weights = sidebar_weights(app)
    assert {d: weights[d] for d in expected} == expected
    assert all(w == 1.0 for d, w in weights.items() if d not in expected)
    # The movers are those the engine finds against the default method.
    table = movers_table(app)
    now, default = score(Method(dimension_weights=expected)), score(Method())
    want = rank_change_table(now.results["rank"], default.results["rank"], names)
    assert len(table) == len(want) > 0
    assert table["Change"].tolist() == want["Change"].tolist()
    assert table["Country"].tolist() == want["Country"].tolist()


def test_an_indicator_slider_writes_an_override_only_where_it_differs(engine):
    score, _ = engine
    app = open_page()
    app.slider(key="indicator_weight_rsf_press_freedom").set_value(3.0).run()
    assert app.query_params["w"] == "rsf_press_freedom:3"
    weights = next(d.value for d in app.dataframe if "Effective weight" in d.value.columns)
    sc = score(Method(indicator_weights={"rsf_press_freedom": 3.0}))
    effective = sc.framework.set_index("indicator")["effective_weight"]
    assert weights["Effective weight"].to_dict() == pytest.approx(
        effective[effective > 0].to_dict()
    )
    assert weights.loc["rsf_press_freedom", "Nominal weight"] == 3.0
    app.slider(key="indicator_weight_rsf_press_freedom").set_value(1.0).run()
    assert "w" not in app.query_params


def test_effective_weights_and_correlation_importance_match_the_engine(engine):
    score, _ = engine
    app = open_page(dw="media_reach:3")
    sc = score(Method(dimension_weights={"media_reach": 3.0}))
    counted = sc.framework.loc[sc.framework["effective_weight"] > 0, "indicator"].tolist()
    # squared Pearson correlation of each indicator with the overall, shared out to sum 1
    r = sc.normalised[counted].corrwith(sc.results["overall"])
    importance = r**2 / (r**2).sum()
    table = next(d.value for d in app.dataframe if "Effective weight" in d.value.columns)
    assert table.index.tolist() == counted
    assert table["Correlation importance"].to_dict() == pytest.approx(importance.to_dict())
    assert table["Effective weight"].sum() == pytest.approx(1.0)
    # reach has half the weight, shared media 3 : culture 1 : visas 1; appeal's five dimensions
    # share the rest 1 : 1 : 1 : 0.5 (diaspora) : 1
    assert table.loc["broadcaster_languages", "Dimension share"] == pytest.approx(0.5 * 3 / 5)
    assert table.loc["rsf_press_freedom", "Dimension share"] == pytest.approx(0.5 / 4.5)
    # The chart shows the same two series.
    chart = app.get("plotly_chart")[-1].proto.spec
    assert '"Correlation importance"' in chart and '"Effective weight"' in chart


def test_a_geometric_mean_of_zero_scores_is_a_warning_with_a_fix():
    app = open_page()
    app.selectbox(key="method_indicator_aggregation").set_value("geometric").run()
    assert not app.exception
    [warning] = [w.value for w in app.warning]
    assert "geometric mean needs positive values" in warning
    assert not app.get("plotly_chart")
    app.button(key="fix_positive_range").click().run()
    assert not app.exception
    assert not app.warning
    assert app.query_params["np"] == "low:1"
    assert widget(app.number_input, "method_param_low").value == 1.0
    assert app.get("plotly_chart")


def test_all_indicators_of_a_dimension_at_zero_is_a_warning_not_a_traceback():
    app = open_page(w="vdem_electoral_democracy:0,rsf_press_freedom:0")
    app.slider(key="indicator_weight_fh_total_score").set_value(0.0).run()
    assert not app.exception
    assert any("all indicator weights are zero" in w.value for w in app.warning)
    # The sliders are still there to undo it.
    app.slider(key="indicator_weight_fh_total_score").set_value(1.0).run()
    assert not app.warning


def test_a_url_reopens_the_weight_set_and_method_choices():
    app = open_page(wp="equal_indicator", norm="z_score", dagg="generalised", dp="2")
    assert app.selectbox(key="method_weight_set").value == "equal_indicator"
    assert app.selectbox(key="method_normalisation").value == "z_score"
    assert app.number_input(key="method_param_sd").value == 1.0
    assert app.number_input(key="method_dimension_power").value == 2.0
    # Equal per indicator: each dimension weighs as many indicators as it counts.
    assert sidebar_weights(app)["cultural_diplomacy"] == 3.0
    assert sidebar_weights(app)["normative_alignment"] == 1.0


def test_pca_sliders_show_the_data_driven_weights(engine):
    score, _ = engine
    app = open_page(wp="pca")
    sc = score(Method(weight_preset="pca"))
    within = sc.framework.set_index("indicator")["weight"]
    assert app.slider(key="indicator_weight_rsf_press_freedom").value == pytest.approx(
        within["rsf_press_freedom"]
    )
    # Moving one slider overrides that indicator only.
    app.slider(key="indicator_weight_fh_total_score").set_value(2.0).run()
    assert app.query_params["w"] == "fh_total_score:2"
    assert app.query_params["wp"] == "pca"


def test_choosing_a_weight_set_clears_hand_changes_and_reset_restores_defaults():
    app = open_page(w="rsf_press_freedom:4", dw="visa_openness:0")
    assert "Changed by hand" in " ".join(c.value for c in app.caption)
    app.selectbox(key="method_weight_set").set_value("equal_dimension").run()
    assert dict(app.query_params) == {"wp": "equal_dimension"}
    assert widget(app.slider, "indicator_weight_rsf_press_freedom").value == 1.0
    assert sidebar_weights(app)["visa_openness"] == 1.0
    app.selectbox(key="method_normalisation").set_value("percentile_rank").run()
    assert app.query_params["norm"] == "percentile_rank"
    app.button(key="reset_method_page").click().run()
    assert dict(app.query_params) == {}
    assert widget(app.selectbox, "method_normalisation").value == "min_max"
    assert widget(app.selectbox, "method_weight_set").value == "catalogue"


def test_an_impossible_parameter_is_refused_with_a_notice():
    app = open_page()
    app.number_input(key="method_param_low").set_value(200.0).run()
    assert not app.exception
    assert any("low (200) must be below high (100)" in w.value for w in app.warning)
    assert widget(app.number_input, "method_param_low").value == 0.0
    assert "np" not in app.query_params


def test_a_sidebar_weight_under_a_preset_is_an_override_of_the_presets_weight():
    # Equal per indicator gives cultural diplomacy 3 (its three indicators); dragging it to 1,
    # the catalogue's value, must still count as a change from the preset.
    app = open_page(wp="equal_indicator")
    assert sidebar_weights(app)["cultural_diplomacy"] == 3.0
    next(s for s in app.sidebar.slider if s.label == "Cultural diplomacy").set_value(1.0).run()
    assert app.query_params["dw"] == "cultural_diplomacy:1"
    assert app.query_params["wp"] == "equal_indicator"
    assert sidebar_weights(app)["cultural_diplomacy"] == 1.0


def test_an_indicator_weight_beyond_the_sliders_usual_scale_is_shown_not_a_crash():
    app = open_page(**Method(indicator_weights={"rsf_press_freedom": 9.0}).to_query())
    rsf = next(s for s in app.slider if s.key == "indicator_weight_rsf_press_freedom")
    assert (rsf.value, rsf.max) == (9.0, 9.0)


def test_the_count_rule_and_the_side_weights_are_method_choices(engine):
    score, _ = engine
    app = open_page()
    assert app.slider(key="method_min_indicator_share").value == 0.5
    assert app.slider(key="method_min_dimension_share").value == 0.75
    app.slider(key="method_min_dimension_share").set_value(1.0).run()
    assert app.query_params["dshare"] == "1"
    strict = score(Method(min_dimension_share=1.0))
    assert len(strict.results) < len(score(Method()).results)
    assert all("dimensions (needs" in r for r in strict.screened_out["reason"] if "of 8" in r)
    app.toggle(key="method_side_weights").set_value(False).run()
    assert not app.exception
    assert app.query_params["sw"] == ""
    assert not [s for s in app.sidebar.slider if s.label == "Reach : appeal"]
    app.toggle(key="method_side_weights").set_value(True).run()
    assert "sw" not in app.query_params
