"""Robustness: how sure each rank is (rank intervals), how much each indicator and dimension moves
the ranking (leave one out), which choices drive the ranks, and how the indicators hang together
(correlations). Each tab opens with its answer in one sentence; the statistics behind it sit in
an expander. Everything follows the sidebar."""

import streamlit as st

from i18n import N_, _, number, percent
from indicators.names import group_name, region_name
from present import charts
from present.errors import said
from present.robustness import (
    CHOICE_WORDS,
    correlation_flags,
    correlation_matrix,
    correlation_sentence,
    cronbach_table,
    interval_rows,
    interval_sentence,
    interval_table,
    leave_one_out_bars,
    leave_one_out_sentence,
    leave_one_out_table,
    sensitivity_bars,
    sensitivity_sentence,
    spread_sentence,
    varied_words,
)
from present.tables import grid, method_summary
from scoring import limits
from scoring.aggregate import AGGREGATORS
from scoring.alternatives import Variations
from scoring.audit import correlations, cronbach_by_dimension
from scoring.impute import IMPUTERS
from scoring.normalise import NORMALISERS
from views import export_panel, state
from views.data import (
    SENSITIVITY_SAMPLES,
    UNCERTAINTY_DRAWS,
    WEIGHT_NOISE,
    dataset_or_stop,
    groups,
    leave_one_out,
    scorecard_or_stop,
    sensitivity,
    uncertainty,
)
from views.text import md

data = dataset_or_stop()
sc = scorecard_or_stop(data)
names = data.names
labels = data.picker_labels  # country pickers: names and the names people type
dimension_names = data.dimension_names
framework = data.catalogue.framework()
indicator_names = data.catalogue.indicator_names()  # in the run's language
country_groups = groups()
subtitle = method_summary(sc, dimension_names)
sources = data.catalogue.sources_line()
country_names = names.to_dict()
# ids -> names, for engine messages quoted on the page
id_names = indicator_names | dimension_names | country_names
choice_names = {
    name: _(entry.label)
    for registry in (NORMALISERS, IMPUTERS, AGGREGATORS)
    for name, entry in registry.items()
} | id_names
scored = sorted(sc.results.index, key=lambda iso3: country_names.get(iso3, iso3))
country = state.country() if state.country() in sc.results.index else None
country_name = country_names.get(country, country)


def dropped_notes(table) -> None:
    """Choices the analysis could not use, and why, in names."""
    for dropped in table.attrs.get("dropped", []):
        levels = dict.fromkeys(dropped["choice"].split(" / "))  # "geometric / geometric": once
        choice = " / ".join(choice_names.get(c, c) for c in levels)
        st.caption(
            md(
                _("Left out of {varied}: {choice} ({reason}).").format(
                    varied=_(CHOICE_WORDS[dropped["factor"]][0]),
                    choice=choice,
                    reason=said(dropped["error"], id_names),
                )
            )
        )


st.caption(subtitle)
st.selectbox(
    _("Country to follow"),
    scored,
    index=scored.index(country) if country else None,
    format_func=lambda iso3: labels.get(iso3, iso3),
    key=state.widget_key("robustness_country", country),
    on_change=state.callback(lambda: state.set_country(state.widget_value("robustness_country"))),
    placeholder=_("Choose a scored country"),
    help=_("Highlighted in the rank intervals; the sentences speak of its rank."),
)
if country is None:
    st.info(
        _(
            "{name} is not scored with these settings (too little data). Choose a scored "
            "country to follow."
        ).format(name=names.get(state.country(), state.country()))
    )

intervals_tab, loo_tab, sensitivity_tab, audit_tab = st.tabs(
    [_("Rank intervals"), _("Leave one out"), _("What drives the ranks"), _("Correlations")],
    key="robustness_tab",
    on_change="rerun",
)

# ---- Monte Carlo rank intervals (the only tab computed while another is not open)
INTERVAL_SWITCHES = {
    "imputation": N_("Also vary how missing values are filled"),
    "leave_one_out": N_("Also leave out one indicator at a time"),
    "normalisation": N_("Also vary the normalisation"),
}


@state.callback
def _set_vary() -> None:
    on = [s for s in INTERVAL_SWITCHES if state.widget_value(f"robustness_interval_{s}")]
    state.set_vary(on)


if intervals_tab.open:
    with intervals_tab:
        # The server's draw limit (SCORECARD_MAX_DRAWS) can only lower the app's draw count.
        draws = min(UNCERTAINTY_DRAWS, limits.current().max_draws)
        varied = tuple(v for v in state.vary() if v in INTERVAL_SWITCHES)
        intervals = uncertainty(
            data, draws=draws, variations=Variations.of(**dict.fromkeys(varied, True))
        )
        headline = (
            interval_sentence(intervals, country, country_name, varied)
            if country
            else spread_sentence(intervals, country_names, varied)
        )
        st.markdown(f"**{md(headline)}**")
        for column, (switch, label) in zip(
            st.columns(len(INTERVAL_SWITCHES)), INTERVAL_SWITCHES.items(), strict=True
        ):
            column.toggle(
                _(label),
                value=switch in varied,
                key=state.widget_key(f"robustness_interval_{switch}", switch in varied),
                on_change=_set_vary,
            )
        dropped_notes(intervals)
        with st.expander(_("How this is computed")):
            st.markdown(
                _(
                    "{draws} random draws (Monte Carlo). In each, every indicator and dimension "
                    "weight is multiplied by (1 + {noise} × u), u uniform in [−1, 1]; with the "
                    "switches above, each draw also picks one rule for filling missing values "
                    "from every rule the scorecard knows, leaves out one weighted indicator (or "
                    "none), or picks one normalisation, each with equal chance. The band runs "
                    "from the 5th to the 95th percentile rank over the draws (R's type 7, as the "
                    "JRC's COINr): a wide band means the rank depends on these choices, a narrow "
                    "one that it does not. Across normalisations, compare ranks, not scores."
                ).format(draws=number(draws, 0), noise=percent(WEIGHT_NOISE))
            )
        region_column, group_column = st.columns(2)
        regions = region_column.multiselect(
            _("Region"),
            sorted(data.countries["region"].dropna().unique()),
            format_func=region_name,
            key="robustness_region",
        )
        chosen_groups = group_column.multiselect(
            _("Group"),
            list(country_groups),
            format_func=lambda g: group_name(country_groups[g]),
            key="robustness_group",
        )
        members = None
        if regions:
            members = set(data.countries.loc[data.countries["region"].isin(regions), "iso3"])
        if chosen_groups:
            in_groups = set().union(*(country_groups[g]["members"] for g in chosen_groups))
            members = in_groups if members is None else members & in_groups
        matching = interval_rows(intervals, members)
        if matching.empty:
            st.info(_("No scored country matches these filters. Clear a region or group."))
        else:
            # Lazy: only the open view is drawn, so a weight move redraws the chart alone.
            chart_view, table_view = st.tabs(
                [_("Chart"), _("Table")], key="robustness_intervals_view", on_change="rerun"
            )
            if chart_view.open:
                with chart_view:
                    # Keyed by the list's length: narrower filters start the slider afresh.
                    top = st.slider(
                        _("Countries shown"), 1, max(2, len(matching)), min(30, len(matching)),
                        key=f"robustness_top_{len(matching)}",
                    )  # fmt: skip
                    rows = interval_rows(
                        intervals, members, top, always=[country] if country else []
                    )
                    fig = charts.rank_intervals(
                        rows,
                        names,
                        sources=sources,
                        subtitle=_("{subtitle} Varied: {varied}.").format(
                            subtitle=subtitle, varied=varied_words(varied)
                        ),
                        highlight=(country,) if country else (),
                    )
                    export_panel.chart(fig, "robustness_intervals", data)
            if table_view.open:
                with table_view:
                    table = interval_table(matching, data.countries).rename(columns=_)
                    st.dataframe(
                        **grid(
                            table,
                            {
                                _(column): st.column_config.NumberColumn(format="%.1f")
                                for column in [
                                    "Median rank",
                                    "5 % rank",
                                    "95 % rank",
                                    "Interval width",
                                    "Score",
                                    "Median score",
                                ]
                            },
                            _("no data"),
                        ),
                        hide_index=True,
                        placeholder=_("no data"),
                        key="robustness_interval_table",
                    )
                    export_panel.table_downloads(table, "robustness_interval_table", data)

# ---- leave one out
if loo_tab.open:
    with loo_tab:
        loo = leave_one_out(data)
        element_names = indicator_names | dimension_names
        st.markdown(f"**{md(leave_one_out_sentence(loo, element_names))}**")
        st.caption(
            _(
                "Each weighted indicator, then each dimension, removed in turn, the remaining "
                "weights rescaled: the mean number of places a country moves. A long bar means "
                "the ranking leans on that element."
            )
        )
        for level, labels, title in [
            ("dimension", dimension_names, _("Mean rank change when one dimension is removed")),
            ("indicator", indicator_names, _("Mean rank change when one indicator is removed")),
        ]:
            fig = charts.bars(
                leave_one_out_bars(loo, level, labels),
                title,
                _("Mean |rank change| (places)"),
                sources=sources,
                subtitle=subtitle,
            )
            export_panel.chart(fig, f"robustness_loo_{level}", data)
        st.dataframe(
            **grid(
                leave_one_out_table(loo, element_names).rename(columns=_),
                {_("Mean |rank change|"): st.column_config.NumberColumn(format="%.2f")},
            ),
            hide_index=True,
            key="robustness_loo_table",
        )

# ---- variance-based sensitivity indices
if sensitivity_tab.open:
    with sensitivity_tab:
        headline = st.container()
        left, right = st.columns(2)
        vary_normalisation = left.toggle(
            _("Also vary the normalisation"), value=True, key="robustness_vary_normalisation"
        )
        vary_aggregation = right.toggle(
            _("Also vary the aggregation"), value=True, key="robustness_vary_aggregation"
        )
        try:
            with st.spinner(_("Working out what drives the ranks…")):
                indices = sensitivity(
                    data,
                    country,
                    Variations.of(normalisation=vary_normalisation, aggregation=vary_aggregation),
                )
        except ValueError as error:
            st.warning(
                md(
                    _("What drives the ranks cannot be worked out: {error}.").format(
                        error=said(error, id_names)
                    )
                )
            )
        else:
            targets = {"mean absolute rank shift": _("the mean rank shift of all countries")}
            subject = _("the ranking as a whole")
            if country:
                subject = _("{name}'s rank").format(name=country_name)
                targets = {f"rank of {country}": subject} | targets
            sentence = sensitivity_sentence(indices, next(iter(targets)), subject, dimension_names)
            headline.markdown(f"**{md(sentence)}**")
            for target, label in targets.items():
                key = (
                    f"robustness_sensitivity_{'country' if target.startswith('rank') else 'shift'}"
                )
                fig = charts.grouped_hbars(
                    sensitivity_bars(indices, target, dimension_names),
                    _("What drives {target}").format(target=label),
                    _("Share of the rank's ups and downs"),
                    sources=sources,
                    subtitle=subtitle,
                )
                export_panel.chart(fig, key, data)
            dropped_notes(indices)
        with st.expander(_("How this is computed")):
            st.markdown(
                _(
                    "Variance-based sensitivity indices (Saltelli design, {samples} base "
                    "samples): every dimension weight (±{noise}) and, if chosen, the "
                    "normalisation and the aggregation are sampled together. *On its own* is "
                    "the first-order index: the share of the rank's variance the choice causes "
                    "alone; *with the other choices* is the total index, including its "
                    "interactions. Estimates near 0 can come out slightly negative. The second "
                    "chart's target is the mean absolute rank shift of all countries against "
                    "the ranking with our settings."
                ).format(samples=number(SENSITIVITY_SAMPLES, 0), noise=percent(0.25))
            )

# ---- correlations and internal consistency
if audit_tab.open:
    with audit_tab:
        pairs = correlations(sc)
        st.markdown(f"**{md(correlation_sentence(pairs))}**")
        counted = sc.framework.loc[sc.framework["weight"] > 0, "indicator"].tolist()
        fig = charts.correlation_heatmap(
            correlation_matrix(pairs, counted, indicator_names, numbered=True),
            _("Correlations between the indicators (normalised values)"),
            sources=sources,
            subtitle=subtitle,
        )
        export_panel.chart(fig, "robustness_correlations", data)
        st.caption(
            _(
                "Colours: dark blue, the two indicators say nearly the same thing (r > 0.9); "
                "light blue 0.3 to 0.9; grey −0.4 to 0.3; orange, they pull against each other "
                "(r < −0.4). Empty cells: fewer than 3 countries have both."
            )
        )
        flags = correlation_flags(pairs, indicator_names, dimension_names)
        st.markdown("**{}**".format(_("Flagged pairs")))
        if flags.empty:
            st.info(_("No pair is redundant (r > 0.9) or negative (r < −0.4)."))
        else:
            st.dataframe(
                **grid(
                    flags.rename(columns=_),
                    {_("Correlation"): st.column_config.NumberColumn(format="%.2f")},
                ),
                hide_index=True,
                key="robustness_flags",
            )
        st.markdown("**{}**".format(_("Do the indicators of each dimension measure one thing?")))
        st.dataframe(
            **grid(
                cronbach_table(cronbach_by_dimension(sc), dimension_names).rename(columns=_),
                {
                    _("Cronbach's alpha"): st.column_config.TextColumn(
                        help=_("About 0.7 or more: the indicators measure one thing together.")
                    )
                },
            ),
            hide_index=True,
            key="robustness_cronbach",
        )
        with st.expander(_("How this is computed")):
            st.markdown(
                _(
                    "r is Pearson's correlation over the countries that have both values (at "
                    "least 3). Cronbach's alpha is computed over the countries with every "
                    "counted indicator of the dimension."
                )
            )
