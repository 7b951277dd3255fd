"""Widgets follow the view's state by one mechanism (``views.state.widget_key``): after a reset,
a weight set, a loaded scenario or a refused choice every widget shows the state, and Streamlit's
warning about a widget with a default that is also written through Session State never fires."""

from __future__ import annotations

import logging

import pytest
from streamlit.elements.lib import policies
from streamlit.testing.v1 import AppTest

from scoring.method import Method
from tests.app_driver import open_app, widget

DUPLICATION = "was created with a default value but also had its value set"


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def warnings(monkeypatch):
    """Streamlit's duplication warnings while the test runs (it warns once per process: armed)."""
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    recorder = Recorder()
    logger = logging.getLogger(policies.__name__)
    logger.addHandler(recorder)
    yield recorder.messages
    logger.removeHandler(recorder)


def sidebar_weight(app: AppTest, label: str) -> float:
    return next(s for s in app.sidebar.slider if s.label == label).value


def test_the_warning_is_on():
    """The configuration no longer silences it (the mechanism needs no exception)."""
    from streamlit import config

    assert config.get_option("global.disableWidgetStateDuplicationWarning") is False


def test_reset_weight_set_and_refusal_leave_every_widget_on_the_state(warnings):
    app = open_app("views/method.py", dw="media_reach:3", w="rsf_press_freedom:4")
    assert sidebar_weight(app, "Media reach") == 3.0
    assert widget(app.slider, "indicator_weight_rsf_press_freedom").value == 4.0
    # A weight set replaces both: the sliders show it (equal per dimension: every counted
    # indicator 1, every dimension 1).
    widget(app.selectbox, "method_weight_set").set_value("equal_dimension").run()
    assert sidebar_weight(app, "Media reach") == 1.0
    assert widget(app.slider, "indicator_weight_rsf_press_freedom").value == 1.0
    # A choice the engine refuses snaps back to the state, with the reason.
    widget(app.number_input, "method_param_low").set_value(200.0).run()
    assert widget(app.number_input, "method_param_low").value == 0.0
    # The sidebar's reset: the default everywhere, the page's widgets too.
    widget(app.selectbox, "method_normalisation").set_value("z_score").run()
    app.sidebar.button[0].click().run()
    assert not app.exception, app.exception
    assert app.session_state["method"] == Method()
    assert widget(app.selectbox, "method_normalisation").value == "min_max"
    assert widget(app.selectbox, "method_weight_set").value == "catalogue"
    assert sidebar_weight(app, "Media reach") == 1.0
    assert not [m for m in warnings if DUPLICATION in m]


def test_moving_a_widget_keeps_its_key(warnings):
    """A widget the user moves agrees with the state it wrote, so it is not drawn anew (a
    slider being dragged by keyboard keeps its focus)."""
    app = open_app("views/method.py")
    slider = widget(app.slider, "indicator_weight_rsf_press_freedom")
    slider.set_value(2.0).run()
    assert widget(app.slider, "indicator_weight_rsf_press_freedom").key == slider.key
    assert app.query_params["w"] == "rsf_press_freedom:2"
    assert not [m for m in warnings if DUPLICATION in m]


def test_a_country_picked_elsewhere_shows_on_the_country_page(warnings):
    app = open_app("views/country.py")
    assert widget(app.selectbox, "country_select").value == "RUS"
    app.session_state["country"] = "KAZ"  # as a row picked on Rankings sets it
    app.run()
    assert widget(app.selectbox, "country_select").value == "KAZ"
    widget(app.selectbox, "country_select").set_value("ARM").run()
    assert app.session_state["country"] == "ARM"
    assert not [m for m in warnings if DUPLICATION in m]


def test_a_change_that_comes_after_its_widget_was_redrawn_is_dropped_without_an_error():
    """A browser may deliver a slider's change after an upload or a link drew the slider anew
    under another key (seen in Chromium: "st.session_state has no key 'data_up_to@1'"); the
    change is dropped and the state the page shows stands, with no traceback."""
    app = open_app("views/rankings.py")
    year = widget(app.select_slider, "data_up_to")
    # The state has moved the year's widget on to a key the session has not drawn yet.
    app.session_state["widget_keys"] = {
        **app.session_state["widget_keys"],
        "data_up_to": "data_up_to@9",
    }
    year.set_value(2020).run()
    assert not app.exception, app.exception
    assert app.session_state["method"] == Method()  # the change was dropped, not half-applied
