"""The Robustness page, driven headless with AppTest: rank intervals, leave-one-out bars,
sensitivity indices and the correlation audit, each equal to what scoring/ computes."""

import math
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from indicators.catalogue import load_catalogue, load_countries, load_values
from present.robustness import correlation_matrix
from scoring.alternatives import Variations
from scoring.audit import correlations, cronbach_by_dimension
from scoring.impute import IMPUTERS
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare
from scoring.sensitivity import leave_one_out, variance_sensitivity
from scoring.uncertainty import monte_carlo
from tests.app_driver import chart_figure
from views.data import SENSITIVITY_SAMPLES, UNCERTAINTY_DRAWS, WEIGHT_NOISE

APP = "../dashboard.py"
PAGE = "views/robustness.py"


def open_page(tab: str | None = None, view: str | None = None, **query) -> AppTest:
    """The page with an analysis tab (and, in Rank intervals, the Chart or Table view) open."""
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if tab:
        app.session_state["robustness_tab"] = tab
    if view:
        app.session_state["robustness_intervals_view"] = view
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


@pytest.fixture(scope="module")
def engine():
    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    framework = catalogue.framework()
    return (
        lambda method: build_scorecard(prepared, method=method, countries=countries),
        dict(zip(framework["indicator"], framework["name"], strict=True)),
    )


def test_rank_intervals_table_is_the_monte_carlo_of_the_current_method(engine):
    score, _ = engine
    app = open_page(view="Table", dw="media_reach:3")
    assert app.title[0].value == "Robustness"
    sc = score(Method(dimension_weights={"media_reach": 3.0}))
    expected = monte_carlo(sc, draws=UNCERTAINTY_DRAWS, weight_noise=WEIGHT_NOISE, seed=0)
    table = app.dataframe[0].value
    assert len(table) == len(expected)
    assert table["Median rank"].to_dict() == pytest.approx(expected["median_rank"].to_dict())
    assert table["5 % rank"].to_dict() == pytest.approx(expected["p05_rank"].to_dict())
    assert table["95 % rank"].to_dict() == pytest.approx(expected["p95_rank"].to_dict())
    assert table["Rank"].tolist() == sorted(table["Rank"].tolist())


def test_the_interval_chart_shows_the_top_countries_and_highlights_the_followed_one():
    app = open_page(country="KAZ")
    assert app.selectbox(key="robustness_country").value == "KAZ"
    spec = chart_figure(app, "robustness_intervals")
    band = spec["data"][0]
    labels = band["y"]
    assert len(labels) == 31  # the top 30, plus Kazakhstan further down
    assert labels[-1] == "Kazakhstan"
    assert band["marker"]["color"][-1] == "#D55E00"
    assert set(band["marker"]["color"][:-1]) == {"#0072B2"}
    # Only the open view is drawn: the table waits for its tab.
    assert not app.dataframe


def test_a_sidebar_weight_move_updates_the_intervals(engine):
    score, _ = engine
    app = open_page(view="Table")
    before = app.dataframe[0].value["Median rank"].copy()
    next(s for s in app.sidebar.slider if s.label == "EITI participation").set_value(4.0).run()
    assert not app.exception
    after = app.dataframe[0].value["Median rank"]
    expected = monte_carlo(
        score(Method(dimension_weights={"eiti_participation": 4.0})),
        draws=UNCERTAINTY_DRAWS,
        weight_noise=WEIGHT_NOISE,
        seed=0,
    )
    assert after.to_dict() == pytest.approx(expected["median_rank"].to_dict())
    assert not np.allclose(before.to_numpy(), after.reindex(before.index).to_numpy())


def test_filters_narrow_the_intervals_and_an_empty_match_gives_guidance():
    app = open_page(view="Table")
    app.multiselect(key="robustness_group").set_value(["CIS"]).run()
    table = app.dataframe[0].value
    assert set(table.index) <= {"ARM", "AZE", "BLR", "KAZ", "KGZ", "MDA", "RUS", "TJK", "UZB"}
    assert "RUS" in table.index
    app.multiselect(key="robustness_region").set_value(["Oceania"]).run()
    assert not app.exception
    assert any("No scored country matches" in info.value for info in app.info)


def test_an_unscored_country_in_the_link_gives_guidance(engine):
    score, _ = engine
    app = open_page(country="HKG")
    assert any("Hong Kong" in info.value and "not scored" in info.value for info in app.info)
    assert app.get("plotly_chart")  # the intervals still show
    # No country followed: the sentence speaks of all of them, its figures from the engine.
    expected = monte_carlo(score(Method()), draws=UNCERTAINTY_DRAWS, weight_noise=WEIGHT_NOISE)
    width = expected["p95_rank"] - expected["p05_rank"]
    widest = load_countries().set_index("iso3").at[width.idxmax(), "name"]
    assert app.markdown[0].value.replace("\\", "") == (
        "**If the weights were any reasonable choice rather than ours, half of the countries "
        f"would stay within a band of {math.ceil(width.median())} places in 90 of 100 cases; "
        f"{widest}'s band, the widest, spans {math.ceil(width.max())}.**"
    )


def test_leave_one_out_bars_are_the_engines(engine):
    score, names = engine
    app = open_page("Leave one out")
    assert [t.label for t in app.tabs] == [
        "Rank intervals",
        "Leave one out",
        "What drives the ranks",
        "Correlations",
    ]
    loo = leave_one_out(score(Method()))
    indicators = loo[loo["level"] == "indicator"]
    spec = chart_figure(app, "robustness_loo_indicator")
    shown = dict(zip(spec["data"][0]["y"], spec["data"][0]["x"], strict=True))
    expected = {
        names[r]: v
        for r, v in zip(indicators["removed"], indicators["mean_abs_rank_change"], strict=True)
    }
    assert shown == pytest.approx(expected)
    assert len(chart_figure(app, "robustness_loo_dimension")["data"][0]["y"]) == 8
    # Only the open tab is computed: no interval chart here.
    assert not any("robustness_intervals" in c.proto.id for c in app.get("plotly_chart"))


def test_sensitivity_indices_are_the_engines_for_the_followed_country(engine):
    score, _ = engine
    app = open_page("What drives the ranks", country="RUS")
    indices = variance_sensitivity(
        score(Method()), country="RUS", n=SENSITIVITY_SAMPLES, weight_noise=WEIGHT_NOISE, seed=0
    )
    spec = chart_figure(app, "robustness_sensitivity_country")
    first = dict(zip(spec["data"][0]["y"], spec["data"][0]["x"], strict=True))
    rows = indices[indices["target"] == "rank of RUS"].set_index("input")
    assert first["Normalisation"] == pytest.approx(rows.loc["normalisation", "first_order"])
    assert first["Weight of Media reach"] == pytest.approx(
        rows.loc["weight: media_reach", "first_order"]
    )
    assert "Russia" in spec["layout"]["title"]["text"]
    app.toggle(key="robustness_vary_normalisation").set_value(False).run()
    spec = chart_figure(app, "robustness_sensitivity_shift")
    assert "Normalisation" not in spec["data"][0]["y"]


def test_correlations_flags_and_cronbach_are_the_audits(engine):
    score, names = engine
    app = open_page("Correlations")
    sc = score(Method())
    pairs = correlations(sc)
    counted = sc.framework.loc[sc.framework["weight"] > 0, "indicator"].tolist()
    expected = correlation_matrix(pairs, counted, names, numbered=True)
    spec = chart_figure(app, "robustness_correlations")
    z = np.array(spec["data"][0]["z"], dtype=float)
    assert spec["data"][0]["y"] == list(expected.index)
    np.testing.assert_allclose(z, expected.to_numpy(), equal_nan=True)
    flagged = pairs[pairs["flag"] != ""]
    tables = {tuple(d.value.columns): d.value for d in app.dataframe}
    flags = next((t for cols, t in tables.items() if "Flag" in cols), None)
    if flagged.empty:
        assert any("No pair is redundant" in info.value for info in app.info)
    else:
        assert len(flags) == len(flagged)
    alpha = next(t for cols, t in tables.items() if "Cronbach's alpha" in cols)
    audit = cronbach_by_dimension(sc)
    assert alpha["Indicators counted"].tolist() == audit["indicators"].tolist()
    defined = audit["alpha"].notna()
    assert alpha.loc[defined.to_numpy(), "Cronbach's alpha"].tolist() == [
        f"{a:.2f}" for a in audit.loc[defined, "alpha"]
    ]
    assert all(
        text.startswith("not defined")
        for text in alpha.loc[~defined.to_numpy(), "Cronbach's alpha"]
    )


# ------------------------------------------------------------------------------- plain words
ORDINAL = r"(\d+)(?:st|nd|rd|th)"


def test_the_intervals_open_with_the_followed_countrys_band_in_words(engine):
    score, _ = engine
    app = open_page(country="RUS")
    expected = monte_carlo(score(Method()), draws=UNCERTAINTY_DRAWS, weight_noise=WEIGHT_NOISE)
    sentence = app.markdown[0].value
    found = re.search(
        rf"If the weights were any reasonable choice rather than ours, Russian Federation would rank "
        rf"between {ORDINAL} and {ORDINAL} in 90 of 100 cases \({ORDINAL} with ours\)",
        sentence.replace("\\", ""),
    )
    assert found, sentence
    low, high, nominal = (int(x) for x in found.groups())
    # rounded outwards, so that at least 90 of 100 draws fall inside
    assert low == math.floor(expected.loc["RUS", "p05_rank"])
    assert high == math.ceil(expected.loc["RUS", "p95_rank"])
    assert nominal == expected.loc["RUS", "nominal_rank"]


def test_varying_the_data_is_a_switch_kept_in_the_link(engine):
    score, _ = engine
    app = open_page(view="Table")
    app.toggle(key="robustness_interval_imputation").set_value(True).run()
    assert not app.exception, app.exception
    assert app.query_params["vary"] == "imputation"
    expected = monte_carlo(
        score(Method()),
        draws=UNCERTAINTY_DRAWS,
        weight_noise=WEIGHT_NOISE,
        variations=Variations(imputations=tuple(IMPUTERS)),
    )
    table = app.dataframe[0].value
    for column, stat in [("Median rank", "median"), ("5 % rank", "p05"), ("95 % rank", "p95")]:
        assert table[column].to_dict() == pytest.approx(expected[f"{stat}_rank"].to_dict())
    assert "the weights and the filling of missing values were" in app.markdown[0].value


def test_a_link_can_ask_to_leave_out_indicators_and_unknown_choices_give_a_notice():
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["vary"] = "leave_one_out,colour"
    app.run()
    assert any("colour" in warning.value for warning in app.warning)  # on the first page
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    assert app.toggle(key="robustness_interval_leave_one_out").value is True
    assert app.toggle(key="robustness_interval_imputation").value is False
    assert "which indicators count were" in app.markdown[0].value
    assert app.query_params["vary"] == "leave_one_out"


def _page_text(app: AppTest) -> str:
    """Every text the page shows: markdown, captions, notes, tables and chart labels."""
    parts = [
        e.value for kind in ("markdown", "caption", "info", "warning") for e in getattr(app, kind)
    ]
    for frame in app.dataframe:
        table = frame.value
        parts += [str(c) for c in table.columns]
        parts += [str(v) for v in table.astype(str).to_numpy().ravel()]
    for chart in app.get("plotly_chart"):
        parts.append(chart.proto.spec)
    return "\n".join(parts).replace("\\", "")  # markdown escapes, as in media\_reach


@pytest.mark.parametrize(
    "tab", ["Rank intervals", "Leave one out", "What drives the ranks", "Correlations"]
)
def test_no_indicator_or_dimension_id_on_the_page(tab):
    catalogue = load_catalogue()
    ids = [*catalogue.framework()["indicator"], *catalogue.dimensions["dimension"]]
    app = open_page(tab, view="Table", vary="imputation,leave_one_out,normalisation")
    text = _page_text(app)
    assert len(text) > 1000
    shown = [i for i in ids if i in text]
    assert not shown, shown


def test_choices_left_out_are_named_with_the_reason_in_names():
    # min-max to [0, 100] puts zeros in the data: the geometric and harmonic means drop out
    app = open_page("What drives the ranks")
    notes = [c.value.replace("\\", "") for c in app.caption if c.value.startswith("Left out")]
    assert len(notes) == 2, notes
    assert notes[0].startswith("Left out of the aggregation: Geometric mean (Media reach:")
    assert "for Afghanistan" in notes[0]
