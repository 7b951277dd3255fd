"""The sidebar on every page: data year and dimension weights, so a weight can be dragged while
reading any page."""

from __future__ import annotations

import streamlit as st

from i18n import _
from present.weight_sets import preset_weights
from scoring.method import DEFAULT_YEAR_WINDOW, Method
from scoring.weights import same_weight
from views import state
from views.data import Dataset, dataset_or_stop
from views.sliders import fraction_slider

DIMENSION_WEIGHT_KEY = "dimension_weight_"
YEAR_KEY = "data_up_to"
REACH_SHARE_KEY = "reach_share"
WEIGHT_SCALE_TOP = 5.0
FIRST_YEAR = 2013  # the slider's first year; the scorecard over time starts here too


@st.cache_resource(max_entries=16)
def _preset_dimension_weights(token: str, preset: str, _data: Dataset) -> dict[str, float]:
    framework, catalogue_weights = _data.catalogue.framework(), _data.catalogue.dimension_weights()
    return preset_weights(preset, framework, catalogue_weights)[1].to_dict()


def preset_dimension_weights(data: Dataset) -> dict[str, float]:
    """The weight set's dimension weights before overrides (catalogue, equal per indicator, ...)."""
    return dict(_preset_dimension_weights(data.token, state.method().weight_preset, data))


def dimension_weight(data: Dataset, dimension: str) -> float:
    overrides = dict(state.method().dimension_weights)
    return overrides.get(dimension, preset_dimension_weights(data)[dimension])


def _weights_from_sliders() -> Method:
    defaults = preset_dimension_weights(dataset_or_stop())
    chosen = {d: state.widget_value(DIMENSION_WEIGHT_KEY + d) for d in defaults}
    overrides = {d: w for d, w in chosen.items() if not same_weight(w, defaults[d])}
    return state.method().with_(dimension_weights=overrides)


def reach_share(method: Method) -> float | None:
    """Reach's share of the side weights (None: the dimension weights alone decide)."""
    sides = dict(method.side_weights)
    if not sides:
        return None
    total = sides.get("reach", 1.0) + sides.get("appeal", 1.0)
    return sides.get("reach", 1.0) / total if total else 0.5


def _sides_from_slider() -> Method:
    share = state.widget_value(REACH_SHARE_KEY)
    if share == 0.5:  # the default's equal sides, so the link stays short
        return state.method().with_(side_weights=Method().side_weights)
    return state.method().with_(side_weights={"reach": share, "appeal": round(1 - share, 10)})


def _year_window_from_select() -> Method:
    chosen = state.widget_value(YEAR_KEY)
    first = min(DEFAULT_YEAR_WINDOW[0], chosen)
    return state.method().with_(year=None, year_window=(first, chosen))


def year_options(last: int) -> list[int]:
    """The slider's years: 2013 to 2025 (each scoreable: values not yet measured by a year are
    carried back, flagged), widened to any last year a link or scenario holds (every year a
    Method allows), so the slider can always show the state.

    >>> year_options(2020)[0], year_options(2020)[-1], year_options(2012)[0], year_options(2030)[-1]
    (2013, 2025, 2012, 2030)
    """
    top = DEFAULT_YEAR_WINDOW[1]
    return list(range(min(FIRST_YEAR, last), max(top, last) + 1))


def reset() -> None:
    state.set_method(Method())  # every widget showing the state follows (state.widget_key)


def draw(data: Dataset) -> None:
    method = state.method()
    st.sidebar.header(_("Scoring"))
    st.sidebar.select_slider(
        _("Data up to year"),
        options=year_options(method.year_window[1]),
        value=method.year_window[1],
        key=state.widget_key(YEAR_KEY, method.year_window[1]),
        on_change=state.on_change(_year_window_from_select),
        help=_(
            "Each indicator's latest value from 2010 up to this year; one first measured "
            "after it is carried back from its earliest value and flagged as carried."
        ),
    )
    share = reach_share(method)
    if data.side_names and share is not None:
        fraction_slider(
            st.sidebar,
            _("Reach : appeal"),
            min_value=0.0,
            max_value=1.0,
            step=0.05,
            value=share,
            key=state.widget_key(REACH_SHARE_KEY, share),
            on_change=state.on_change(_sides_from_slider),
            help=_(
                "Reach's share of the overall score; appeal has the rest. Each side's "
                "dimensions share its weight as the sliders below say."
            ),
        )
    st.sidebar.subheader(_("Dimension weights"))
    for dimension, name in data.dimension_names.items():
        weight = dimension_weight(data, dimension)
        fraction_slider(
            st.sidebar,
            name,
            min_value=0.0,
            # A link, scenario or preset may weigh a dimension more than the usual scale shows.
            max_value=max(WEIGHT_SCALE_TOP, weight),
            step=0.25,
            value=weight,
            key=state.widget_key(DIMENSION_WEIGHT_KEY + dimension, weight),
            on_change=state.on_change(_weights_from_sliders),
            help=_("Relative weight of the dimension in the overall score; 0 leaves it out."),
        )
    st.sidebar.button(_("Reset to the default method"), on_click=reset, width="stretch")
