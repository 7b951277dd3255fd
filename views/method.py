"""Weights and method: start from a weight set, adjust indicator weights and method choices, and
see what that does to the ranking and to each indicator's real weight."""

import streamlit as st

from i18n import _, ngettext
from indicators.names import group_name
from present import charts
from present.errors import said
from present.provenance import GROUP_WORDS, PARAMETER_WORDS
from present.robustness import rank_change_table
from present.tables import grid, method_summary
from present.weight_sets import (
    ESSAY_EMPHASIS,
    WEIGHT_SETS,
    apply_weight_set,
    changes_phrase,
    custom_changes,
    nominal_weights,
    override,
    positive_range_fix,
    preset_weights,
    weight_set_of,
    weights_table,
)
from scoring.aggregate import AGGREGATORS
from scoring.impute import IMPUTERS
from scoring.method import GROUP_COLUMNS, Method
from scoring.normalise import NORMALISERS
from scoring.treat import TREATMENTS
from scoring.weights import correlation_importance
from views import export_panel, sidebar, state
from views.data import dataset_or_stop, groups, scorecard
from views.sliders import fraction_slider
from views.text import md

data = dataset_or_stop()
catalogue = data.catalogue
framework = catalogue.framework()
units = catalogue.indicators.set_index("indicator")["unit"]  # in the run's language
catalogue_dimension_weights = catalogue.dimension_weights()
dimension_names = data.dimension_names
indicator_names = catalogue.indicator_names()
names = data.names
country_groups = groups()
method = state.method()
try:
    sc, problem = scorecard(data), None
except ValueError as error:
    sc, problem = None, said(error, data.id_names)


def changes(**fields: str):
    """Callback: the Method with some fields taken from widgets (field -> widget key)."""
    return state.on_change(
        lambda: state.method().with_(**{f: state.widget_value(k) for f, k in fields.items()})
    )


def set_indicator_weight(indicator: str, base: float):
    """Callback of an indicator slider: an override where it differs from the weight set."""
    key = f"indicator_weight_{indicator}"
    return state.on_change(
        lambda: state.method().with_(
            indicator_weights=override(
                state.method().indicator_weights, indicator, state.widget_value(key), base
            )
        )
    )


def choose_weight_set() -> Method:
    return apply_weight_set(
        state.method(), state.widget_value("method_weight_set"), catalogue_dimension_weights
    )


if sc is not None:
    st.caption(method_summary(sc, dimension_names))
st.markdown(
    _(
        "Every choice here changes the scores on every page and is kept in the link. "
        "Dimension weights are in the sidebar, so they can be moved while reading any page."
    )
)

# ---- weight set
st.subheader(_("Weight set"))
left, right = st.columns([3, 1], vertical_alignment="bottom")
current_set = weight_set_of(method, catalogue_dimension_weights)
left.selectbox(
    _("Start from the weight set"),
    list(WEIGHT_SETS),
    index=list(WEIGHT_SETS).index(current_set),
    format_func=lambda name: _(WEIGHT_SETS[name].label),
    key=state.widget_key("method_weight_set", current_set),
    on_change=state.on_change(choose_weight_set),
    help=_("Choosing a set clears the indicator and dimension weights changed by hand."),
)
right.button(
    _("Reset all weights and choices"),
    on_click=sidebar.reset,
    key="reset_method_page",
    width="stretch",
    help=_("Back to the default method (the catalogue's weights and the default choices)."),
)
hand_changes = changes_phrase(*custom_changes(method, catalogue_dimension_weights))
st.caption(
    f"**{_(WEIGHT_SETS[current_set].label)}**: {_(WEIGHT_SETS[current_set].rule)}."
    + (
        " " + _("Changed by hand on top of it: {changes}.").format(changes=hand_changes)
        if hand_changes
        else ""
    )
)
if current_set == ESSAY_EMPHASIS:
    st.info(
        _(
            "The essay's emphasis: Makarychev's essay argues that Russia's soft power rests on "
            "media reach, migrant integration, EITI participation and diaspora alignment. This "
            "set gives each of those four dimensions twice its catalogue weight, the others "
            "keep theirs. It is stored as dimension weights, so the link shows it as `dw=`."
        )
    )

# ---- indicator weights
st.subheader(_("Indicator weights"))
st.caption(
    _(
        "Relative weight of each indicator within its dimension: weights are rescaled to sum "
        "to 1 inside each dimension; 0 leaves an indicator out. The sliders start from the "
        "weight set."
    )
)
base_indicator_weights, _dimension_weights = preset_weights(
    method.weight_preset,
    framework,
    catalogue_dimension_weights,
    sc.normalised if sc is not None else None,
)
nominal = nominal_weights(base_indicator_weights, method.indicator_weights)
overridden = dict(method.indicator_weights)
columns = st.columns(2)
for position, (dimension, dimension_name) in enumerate(dimension_names.items()):
    members = framework[framework["dimension"] == dimension]
    counted_label = ngettext(
        "{dimension} ({n} indicator)", "{dimension} ({n} indicators)", len(members)
    ).format(dimension=dimension_name, n=len(members))
    with columns[position % 2].expander(counted_label):
        for indicator in members.itertuples():
            key = f"indicator_weight_{indicator.indicator}"
            weight = float(nominal[indicator.indicator])
            fraction_slider(
                st,
                md(indicator_names[indicator.indicator]),
                min_value=0.0,
                max_value=max(sidebar.WEIGHT_SCALE_TOP, weight),  # as the sidebar's
                step=0.25,
                value=weight,
                key=state.widget_key(key, weight),
                on_change=set_indicator_weight(
                    indicator.indicator, float(base_indicator_weights[indicator.indicator])
                ),
                help=(
                    _("Unit: {unit}; higher is better.")
                    if indicator.direction > 0
                    else _("Unit: {unit}; lower is better.")
                ).format(unit=md(units[indicator.indicator]))
                + (" " + _("Changed by hand.") if indicator.indicator in overridden else ""),
            )

# ---- method choices
st.subheader(_("Method"))
normalise_column, aggregate_column, data_column = st.columns(3)
with normalise_column:
    st.selectbox(
        _("Normalisation"),
        list(NORMALISERS),
        index=list(NORMALISERS).index(method.normalisation),
        format_func=lambda name: _(NORMALISERS[name].label),
        key=state.widget_key("method_normalisation", method.normalisation),
        on_change=state.on_change(
            lambda: state.method().with_(
                normalisation=state.widget_value("method_normalisation"), normalisation_params=()
            )
        ),
    )
    st.caption(_("Rule: {rule}.").format(rule=_(NORMALISERS[method.normalisation].rule)))
    for parameter, value in method.normalisation_settings.items():
        st.number_input(
            _("{method}: {parameter}").format(
                method=_(NORMALISERS[method.normalisation].label),
                parameter=_(PARAMETER_WORDS.get(parameter, parameter)),
            ),
            step=1.0,
            value=float(value),
            key=state.widget_key(f"method_param_{parameter}", float(value)),
            on_change=state.on_change(
                lambda: state.method().with_(
                    normalisation_params={
                        p: state.widget_value(f"method_param_{p}")
                        for p in state.method().normalisation_settings
                    }
                )
            ),
        )
with aggregate_column:
    for level, field, label in [
        ("indicator", "indicator_aggregation", _("Aggregation of indicators within a dimension")),
        (
            "dimension",
            "dimension_aggregation",
            _("Aggregation of dimensions into the overall score"),
        ),
    ]:
        st.selectbox(
            label,
            list(AGGREGATORS),
            index=list(AGGREGATORS).index(getattr(method, field)),
            format_func=lambda name: _(AGGREGATORS[name].label),
            key=state.widget_key(f"method_{field}", getattr(method, field)),
            on_change=changes(**{field: f"method_{field}"}),
        )
        chosen = AGGREGATORS[getattr(method, field)]
        st.caption(_("Rule: {rule}.").format(rule=_(chosen.rule)))
        if chosen.uses_power:
            st.number_input(
                _("Power p of the indicator-level generalised mean")
                if level == "indicator"
                else _("Power p of the dimension-level generalised mean"),
                step=0.25,
                value=getattr(method, f"{level}_power"),
                key=state.widget_key(f"method_{level}_power", getattr(method, f"{level}_power")),
                on_change=changes(**{f"{level}_power": f"method_{level}_power"}),
            )
with data_column:
    st.selectbox(
        _("Missing values"),
        list(IMPUTERS),
        index=list(IMPUTERS).index(method.imputation),
        format_func=lambda name: _(IMPUTERS[name].label),
        key=state.widget_key("method_imputation", method.imputation),
        on_change=changes(imputation="method_imputation"),
        help=_("Imputed values are flagged on every page."),
    )
    if IMPUTERS[method.imputation].uses_groups:
        group_options = [*GROUP_COLUMNS, *country_groups]
        impute_group = method.impute_group if method.impute_group in group_options else "region"
        st.selectbox(
            _("Impute within"),
            group_options,
            index=group_options.index(impute_group),
            format_func=lambda g: (
                group_name(country_groups[g]) if g in country_groups else _(GROUP_WORDS.get(g, g))
            ),
            key=state.widget_key("method_impute_group", impute_group),
            on_change=changes(impute_group="method_impute_group"),
        )
    st.selectbox(
        _("Outlier treatment"),
        list(TREATMENTS),
        index=list(TREATMENTS).index(method.outlier_treatment),
        format_func=lambda name: _(TREATMENTS[name].label),
        key=state.widget_key("method_outlier_treatment", method.outlier_treatment),
        on_change=changes(outlier_treatment="method_outlier_treatment"),
    )
    st.caption(_("Rule: {rule}.").format(rule=_(TREATMENTS[method.outlier_treatment].rule)))
    # The coverage rules: by weight share, then by count (Method.min_indicator_share).
    for field, label, explained in [
        (
            "min_coverage",
            _("Minimum data coverage to be scored"),
            _("Share of the effective weight a country's indicators must carry to be scored."),
        ),
        (
            "min_indicator_share",
            _("Minimum share of the indicators (by count)"),
            _(
                "A country needs values for at least this share of the weighted indicators, "
                "whatever their weights."
            ),
        ),
        (
            "min_dimension_share",
            _("Minimum share of the dimensions (by count)"),
            _(
                "A country needs a value in at least this share of the weighted dimensions, "
                "and on both reach and appeal."
            ),
        ),
    ]:
        fraction_slider(
            st,
            label,
            min_value=0.0,
            max_value=1.0,
            step=0.05,
            value=getattr(method, field),
            key=state.widget_key(f"method_{field}", getattr(method, field)),
            on_change=changes(**{field: f"method_{field}"}),
            help=explained,
        )
    if data.side_names:
        by_sides = bool(method.side_weights)
        st.toggle(
            _("Reach and appeal weigh as the sidebar sets"),
            value=by_sides,
            key=state.widget_key("method_side_weights", by_sides),
            on_change=state.on_change(
                lambda: state.method().with_(
                    side_weights=Method().side_weights
                    if state.widget_value("method_side_weights")
                    else {}
                )
            ),
            help=_(
                "On (default): the sidebar's reach : appeal share decides, and each side's "
                "dimensions share it. Off: the dimension weights alone decide, so a side weighs "
                "as much as its dimensions together."
            ),
        )

# ---- an impossible combination: the engine's reason, and a way out
if problem is not None:
    st.warning(
        _("These settings cannot be scored: {problem}.").format(problem=problem),
        icon="⚠️",
    )
    fix = positive_range_fix(method)
    if fix is not None:
        st.button(
            _("Normalise with min-max to [1, 100] instead"),
            on_click=state.on_change(lambda: fix),
            key="fix_positive_range",
            help=_("Geometric, harmonic and generalised means need values above 0."),
        )
    st.stop()

subtitle = method_summary(sc, dimension_names)
sources = catalogue.sources_line()

# ---- rank changes against the default method
st.subheader(_("Rank changes against the default method"))
default = scorecard(data, Method())
movers = rank_change_table(sc.results["rank"], default.results["rank"], names)
moved = movers["Change"].notna()
if movers.empty:
    st.info(_("These settings give the same ranking as the default method."))
else:
    largest = int(movers["Change"].abs().max())
    st.caption(
        ngettext(
            "{moved} of {scored} scored countries moved (largest move: {largest} place).",
            "{moved} of {scored} scored countries moved (largest move: {largest} places).",
            largest,
        ).format(moved=int(moved.sum()), scored=len(sc.results), largest=largest)
        + (
            " "
            + ngettext(
                "{n} country is scored under only one of the two methods.",
                "{n} countries are scored under only one of the two methods.",
                int((~moved).sum()),
            ).format(n=int((~moved).sum()))
            if (~moved).any()
            else ""
        )
    )
    chart_tab, table_tab = st.tabs([_("Chart"), _("Table")])
    with chart_tab:
        top = st.slider(
            _("Countries shown"), 1, max(2, int(moved.sum())), min(25, max(1, int(moved.sum()))),
            key="weights_movers_top",
        )  # fmt: skip
        fig = charts.rank_changes(
            movers.loc[moved, "Change"].head(top), names, sources=sources, subtitle=subtitle
        )
        export_panel.chart(fig, "weights_rank_changes", data)
    with table_tab:
        change = st.column_config.NumberColumn(
            help=_("Places moved against the default method (positive = up)"), format="%+d"
        )
        st.dataframe(
            **grid(movers.rename(columns=_), {_("Change"): change}, "—"),
            hide_index=True,
            placeholder="—",
            key="weights_rank_change_table",
        )

# ---- nominal and effective weights
st.subheader(_("Nominal and effective weights"))
counted = sc.framework.loc[sc.framework["effective_weight"] > 0, "indicator"].tolist()
importance = correlation_importance(sc.normalised[counted], sc.results["overall"])
weights = weights_table(sc.framework, nominal, importance, indicator_names, dimension_names)
shown_weights = weights.loc[counted].rename(columns=_)
st.caption(
    _(
        "Nominal weight: as set. Effective weight: its share within the dimension times the "
        "dimension's share, i.e. its nominal share of the overall score. Correlation "
        "importance: the squared correlation of the indicator with the overall score, as a "
        "share of the total; it shows what actually drives the ranking."
    )
)
excluded = [indicator_names[i] for i in framework["indicator"] if i not in counted]
if excluded:
    st.caption(_("Left out (weight 0): {indicators}.").format(indicators=md("; ".join(excluded))))
chart_tab, table_tab = st.tabs([_("Chart"), _("Table")])
with chart_tab:
    fig = charts.grouped_hbars(
        shown_weights.set_index(_("Indicator"))[
            [_("Effective weight"), _("Correlation importance")]
        ],
        _("Effective weight and correlation importance per indicator"),
        _("Share of the overall score"),
        sources=sources,
        subtitle=subtitle,
        percent=True,
    )
    export_panel.chart(fig, "weights_effective_chart", data)
with table_tab:
    share = st.column_config.NumberColumn(format="percent")
    formats = {
        _("Nominal weight"): st.column_config.NumberColumn(format="%.2f"),
        _("Share within dimension"): share,
        _("Dimension share"): share,
        _("Effective weight"): share,
        _("Correlation importance"): share,
        _("Importance minus effective"): st.column_config.NumberColumn(
            format="percent",
            help=_("Positive: the indicator drives the ranking more than its weight says."),
        ),
    }
    st.dataframe(**grid(shown_weights, formats), hide_index=True, key="weights_effective_table")
    export_panel.table_downloads(shown_weights, "weights_effective_table", data, formats=formats)
