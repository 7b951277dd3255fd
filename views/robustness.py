"""Robustness: how sure each rank is (Monte Carlo intervals), how much each indicator and dimension
moves the ranking (leave one out), which choices drive the ranks (sensitivity indices), and how
the indicators hang together (correlations, Cronbach's alpha). Everything follows the sidebar."""

import streamlit as st

from present import charts
from present.tables import method_summary
from scoring import limits
from scoring.audit import correlations, cronbach_by_dimension
from scoring.robustness import (
    correlation_flags,
    correlation_matrix,
    cronbach_table,
    interval_rows,
    interval_table,
    leave_one_out_bars,
    sensitivity_bars,
)
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

data = dataset_or_stop()
sc = scorecard_or_stop(data)
names = data.names
dimension_names = data.dimension_names
framework = data.catalogue.framework()
indicator_names = dict(zip(framework["indicator"], framework["name"], strict=True))
country_groups = groups()
subtitle = method_summary(sc, dimension_names)
sources = data.catalogue.sources_line()
country_names = names.to_dict()
scored = sorted(sc.results.index, key=lambda iso3: country_names.get(iso3, iso3))
country = state.country() if state.country() in sc.results.index else None


st.caption(subtitle)
st.selectbox(
    "Country to follow",
    scored,
    index=scored.index(country) if country else None,
    format_func=lambda iso3: country_names.get(iso3, iso3),
    key=state.widget_key("robustness_country", country),
    on_change=lambda: state.set_country(state.widget_value("robustness_country")),
    placeholder="Choose a scored country",
    help="Highlighted in the rank intervals; its rank is a target of the sensitivity indices.",
)
if country is None:
    st.info(
        f"{names.get(state.country(), state.country())} is not scored with these settings "
        "(too little data). Choose a scored country to follow."
    )

intervals_tab, loo_tab, sensitivity_tab, audit_tab = st.tabs(
    ["Rank intervals", "Leave one out", "Sensitivity indices", "Correlations"],
    key="robustness_tab",
    on_change="rerun",
)

# ---- Monte Carlo rank intervals (the only tab computed while another is not open)
if intervals_tab.open:
    with intervals_tab:
        # The server's draw limit (SCORECARD_MAX_DRAWS) can only lower the app's draw count.
        draws = min(UNCERTAINTY_DRAWS, limits.current().max_draws)
        intervals = uncertainty(data, draws=draws)
        st.caption(
            f"{draws:,} random weight sets: every indicator and dimension weight "
            f"multiplied by (1 + {WEIGHT_NOISE:.0%} × u), u uniform in [−1, 1]. The band runs "
            "from the 5th to the 95th percentile rank over the draws: a wide band means the rank "
            "depends on the weights, a narrow one that it does not."
        )
        region_column, group_column = st.columns(2)
        regions = region_column.multiselect(
            "Region", sorted(data.countries["region"].dropna().unique()), key="robustness_region"
        )
        chosen_groups = group_column.multiselect(
            "Group",
            list(country_groups),
            format_func=lambda g: country_groups[g]["name"],
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
            st.info("No scored country matches these filters. Clear a region or group.")
        else:
            # Lazy: only the open view is drawn, so a weight move redraws the chart alone.
            chart_view, table_view = st.tabs(
                ["Chart", "Table"], key="robustness_intervals_view", on_change="rerun"
            )
            if chart_view.open:
                with chart_view:
                    if st.session_state.get("robustness_top", 0) > len(matching):
                        st.session_state["robustness_top"] = len(matching)
                    top = st.slider(
                        "Countries shown", 1, max(2, len(matching)), min(30, len(matching)),
                        key="robustness_top",
                    )  # fmt: skip
                    rows = interval_rows(
                        intervals, members, top, always=[country] if country else []
                    )
                    fig = charts.rank_intervals(
                        rows,
                        names,
                        sources=sources,
                        subtitle=subtitle,
                        highlight=(country,) if country else (),
                    )
                    st.plotly_chart(
                        fig,
                        theme=None,
                        config=export_panel.plot_config("robustness_intervals"),
                        key="robustness_intervals",
                    )
                    export_panel.chart_downloads(fig, "robustness_intervals", data)
            if table_view.open:
                with table_view:
                    st.dataframe(
                        interval_table(matching, data.countries),
                        hide_index=True,
                        placeholder="no data",
                        key="robustness_interval_table",
                        column_config={
                            column: st.column_config.NumberColumn(format="%.1f")
                            for column in [
                                "Median rank",
                                "5 % rank",
                                "95 % rank",
                                "Interval width",
                                "Score",
                                "Median score",
                            ]
                        },
                    )
                    export_panel.table_downloads(
                        interval_table(matching, data.countries), "robustness_interval_table", data
                    )

# ---- leave one out
if loo_tab.open:
    with loo_tab:
        loo = leave_one_out(data)
        st.caption(
            "Each weighted indicator, then each dimension, removed in turn (the remaining "
            "weights rescaled): the mean number of places a country moves. A long bar means the "
            "ranking leans on that element."
        )
        for level, labels, title in [
            ("dimension", dimension_names, "Mean rank change when one dimension is removed"),
            ("indicator", indicator_names, "Mean rank change when one indicator is removed"),
        ]:
            fig = charts.bars(
                leave_one_out_bars(loo, level, labels),
                title,
                "Mean |rank change| (places)",
                sources=sources,
                subtitle=subtitle,
            )
            st.plotly_chart(
                fig,
                theme=None,
                config=export_panel.plot_config(f"robustness_loo_{level}"),
                key=f"robustness_loo_{level}",
            )
            export_panel.chart_downloads(fig, f"robustness_loo_{level}", data)
        st.dataframe(
            loo.assign(
                removed=[(indicator_names | dimension_names).get(r, r) for r in loo["removed"]]
            ).rename(
                columns={
                    "level": "Removed",
                    "removed": "Element",
                    "mean_abs_rank_change": "Mean |rank change|",
                    "max_abs_rank_change": "Largest |rank change|",
                    "compared": "Countries compared",
                    "lost": "Countries left unscored",
                }
            ),
            hide_index=True,
            key="robustness_loo_table",
            column_config={"Mean |rank change|": st.column_config.NumberColumn(format="%.2f")},
        )

# ---- variance-based sensitivity indices
if sensitivity_tab.open:
    with sensitivity_tab:
        st.caption(
            "Which uncertain input drives the ranks: every dimension weight (±25 %) and, if "
            "chosen, the normalisation and the aggregation, sampled together "
            f"({SENSITIVITY_SAMPLES:,} base samples, Saltelli design). First order: the share "
            "of the rank's variance the input causes alone; total: including its interactions. "
            "Estimates near 0 can come out slightly negative."
        )
        left, right = st.columns(2)
        vary_normalisation = left.toggle(
            "Also vary the normalisation", value=True, key="robustness_vary_normalisation"
        )
        vary_aggregation = right.toggle(
            "Also vary the aggregation", value=True, key="robustness_vary_aggregation"
        )
        try:
            with st.spinner("Computing the sensitivity indices…"):
                indices = sensitivity(
                    data,
                    country,
                    vary_normalisation=vary_normalisation,
                    vary_aggregation=vary_aggregation,
                )
        except ValueError as error:
            st.warning(f"The sensitivity indices cannot be computed: {error}.")
        else:
            targets = {"mean absolute rank shift": "the mean rank shift of all countries"}
            if country:
                targets = {f"rank of {country}": f"{names.get(country, country)}'s rank"} | targets
            for target, label in targets.items():
                fig = charts.grouped_hbars(
                    sensitivity_bars(indices, target, dimension_names),
                    f"What drives {label}",
                    "Share of the variance",
                    sources=sources,
                    subtitle=subtitle,
                )
                st.plotly_chart(
                    fig,
                    theme=None,
                    config=export_panel.plot_config(
                        f"robustness_sensitivity_{'country' if target.startswith('rank') else 'shift'}"
                    ),
                    key=f"robustness_sensitivity_{'country' if target.startswith('rank') else 'shift'}",
                )
                export_panel.chart_downloads(
                    fig,
                    f"robustness_sensitivity_{'country' if target.startswith('rank') else 'shift'}",
                    data,
                )
            for dropped in indices.attrs.get("dropped", []):
                st.caption(
                    f"Left out of the {dropped['factor']} choices: {dropped['choice']} "
                    f"({dropped['reason']})."
                )

# ---- correlations and internal consistency
if audit_tab.open:
    with audit_tab:
        pairs = correlations(sc)
        counted = sc.framework.loc[sc.framework["weight"] > 0, "indicator"].tolist()
        fig = charts.correlation_heatmap(
            correlation_matrix(pairs, counted, indicator_names, numbered=True),
            "Correlations between the indicators (normalised values)",
            sources=sources,
            subtitle=subtitle,
        )
        st.plotly_chart(
            fig,
            theme=None,
            config=export_panel.plot_config("robustness_correlations"),
            key="robustness_correlations",
        )
        export_panel.chart_downloads(fig, "robustness_correlations", data)
        st.caption(
            "Pearson r over the countries that have both values (at least 3). Colours: dark blue "
            "r > 0.9 (redundant: the two say the same thing), light blue 0.3 to 0.9, grey −0.4 "
            "to 0.3, orange r < −0.4 (negative: they pull against each other). Empty cells: "
            "fewer than 3 countries have both."
        )
        flags = correlation_flags(pairs, indicator_names, dimension_names)
        st.markdown("**Flagged pairs**")
        if flags.empty:
            st.info("No pair is redundant (r > 0.9) or negative (r < −0.4).")
        else:
            st.dataframe(
                flags,
                hide_index=True,
                key="robustness_flags",
                column_config={"Correlation": st.column_config.NumberColumn(format="%.2f")},
            )
        st.markdown("**Internal consistency per dimension**")
        st.dataframe(
            cronbach_table(cronbach_by_dimension(sc), dimension_names),
            hide_index=True,
            key="robustness_cronbach",
        )
        st.caption(
            "Cronbach's alpha over the countries with every counted indicator of the dimension: "
            "about 0.7 or more means the indicators measure one thing together."
        )
