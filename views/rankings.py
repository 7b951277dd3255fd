"""Rankings: every scored country's overall, reach, appeal and dimension scores, as a chart, a
reach-against-appeal picture, a table and a map."""

import streamlit as st

from exports.workbook import scorecard_workbook
from present.rankings import map_figure, ranking_figure, ranking_rows, reach_appeal_figure
from present.tables import MISSING, incoherent_dimensions, method_summary
from scoring.method import Method
from scoring.tables import rank_changes, thin_dimensions
from views import export_panel, state
from views.data import alphas, dataset_or_stop, groups, scorecard, scorecard_or_stop

data = dataset_or_stop()
sc = scorecard_or_stop(data)
default = scorecard(data, Method())
dimension_names = data.dimension_names
names = data.names
country_groups = groups()
side_names = data.side_names
followed = state.country()
subtitle = method_summary(sc, dimension_names)

st.markdown(
    "Soft power, as Andrey Makarychev's essay *Hard Questions About Soft Power: A Normative "
    "Outlook at Russia's Foreign Policy* frames it, is the **reach** of the channels that carry a "
    "country abroad and the **appeal** of its norms and practice. The scorecard answers which "
    "countries have both, and where reach outruns appeal, as the essay argues of Russia "
    "([how it is built](/methodology))."
)
st.caption(subtitle)
warning = incoherent_dimensions(alphas(data), dimension_names)
if warning:
    st.caption(f"{warning} See [Validity](/validity) for how far to trust the ranking.")

# ---- filters
left, right = st.columns(2)
regions = left.multiselect(
    "Region", sorted(data.countries["region"].dropna().unique()), key="filter_region"
)
chosen_groups = right.multiselect(
    "Group",
    list(country_groups),
    format_func=lambda g: country_groups[g]["name"],
    key="filter_group",
)

results = sc.results.join(data.countries.set_index("iso3")[["name", "region", "groups"]])
results["change"] = rank_changes(results["rank"], default.results["rank"])
results["thin"] = thin_dimensions(sc.single_indicator, dimension_names)
shown = results
if regions:
    shown = shown[shown["region"].isin(regions)]
if chosen_groups:
    members = set().union(*(country_groups[g]["members"] for g in chosen_groups))
    shown = shown[shown.index.isin(members)]
shown = shown.sort_values("rank")

if shown.empty:
    st.info("No scored country matches these filters. Clear a region or group to see more.")
    st.stop()

# Only the open tab is drawn, so a weight change redraws one view, not three. The chart comes
# first: it is the view a briefing uses, and the table is a click away.
chart_tab, sides_tab, table_tab, map_tab = st.tabs(
    ["Chart", "Reach and appeal", "Table", "Map"], key="rankings_view", on_change="rerun"
)
followed_name = names.get(followed, followed)

if chart_tab.open:
    with chart_tab:
        top = len(shown)
        if len(shown) > 10:
            top = st.slider(
                "Countries shown", 10, len(shown), min(30, len(shown)), key="rankings_top"
            )
        fig = ranking_figure(
            sc, data.catalogue, data.countries, ranking_rows(shown, top, followed), followed
        )
        st.plotly_chart(
            fig, theme=None, config=export_panel.plot_config("rankings_bars"), key="rankings_bars"
        )
        export_panel.chart_downloads(fig, "rankings_bars", data)
        if followed in shown.index:
            st.caption(f"{followed_name} (outlined) is shown wherever it ranks.")
        elif followed in sc.results.index:
            st.caption(f"{followed_name} is outside the filters.")
        else:
            st.caption(f"{followed_name} is not scored under these settings (too little data).")

if sides_tab.open:
    with sides_tab:
        if not side_names:
            st.info("This framework has no reach and appeal sides.")
        else:
            fig = reach_appeal_figure(sc, data.catalogue, data.countries, shown, followed)
            st.plotly_chart(
                fig,
                theme=None,
                config=export_panel.plot_config("rankings_sides"),
                key="rankings_sides",
            )
            export_panel.chart_downloads(fig, "rankings_sides", data)
            st.caption(
                "Reach: the channels that carry a country abroad. Appeal: what others find "
                "attractive in its norms and practice. Named: the top ten overall, the five "
                f"widest gaps each way, and {followed_name} (in orange)."
            )

if table_tab.open:
    with table_tab:
        columns = ["name", "rank", "change", "overall", *side_names, *dimension_names]
        columns += ["coverage", "indicator_count", "thin"]
        table = shown[columns].rename(
            columns={
                "name": "Country",
                "rank": "Rank",
                "change": "Change vs default",
                "overall": "Overall",
                "coverage": "Data coverage",
                "indicator_count": "Indicators",
                "thin": "Resting on one indicator",
            }
            | side_names
            | dimension_names
        )
        # The screen's formats are the downloads' rounding too (export_panel.table_downloads).
        column_config = {
            "Overall": st.column_config.ProgressColumn(format="%.1f", min_value=0, max_value=100),
            "Data coverage": st.column_config.NumberColumn(format="percent"),
            "Change vs default": st.column_config.NumberColumn(
                help="Places moved against the default method (positive = up)", format="%+d"
            ),
            "Indicators": st.column_config.NumberColumn(
                help="Weighted indicators with a value for this country"
            ),
            "Resting on one indicator": st.column_config.TextColumn(
                help="Dimensions whose score rests on a single indicator: read with care"
            ),
        } | {
            name: st.column_config.NumberColumn(format="%.1f")
            for name in [*side_names.values(), *dimension_names.values()]
        }
        selection = st.dataframe(
            table,
            hide_index=True,
            height=560,
            on_select="rerun",
            selection_mode="single-row",
            key="rankings_table",
            placeholder=MISSING,
            column_config=column_config,
        )
        export_panel.table_downloads(table, "rankings_table", data, formats=column_config)
        st.download_button(
            "Download the scorecard workbook (Excel)",
            data=lambda: scorecard_workbook(sc, data.catalogue, data.values, data.countries),
            file_name="soft-power-scorecard.xlsx",
            mime=export_panel.XLSX,
            on_click="ignore",
            icon=":material/table_view:",
            key="rankings_workbook",
            help="Scores, indicator values, method, weights and sources in one workbook.",
        )
        st.caption("Select a row to open that country's scorecard. Empty dimension cells: no data.")
        if selection.selection.rows:
            state.set_country(shown.index[selection.selection.rows[0]])
            st.switch_page("views/country.py")

if map_tab.open:
    with map_tab:
        fig = map_figure(sc, data.catalogue, data.countries, shown["overall"])
        st.plotly_chart(
            fig,
            theme=None,
            config={"topojsonURL": "/app/static/topojson/"}
            | export_panel.plot_config("rankings_map"),
            key="rankings_map",
        )
        export_panel.chart_downloads(fig, "rankings_map", data)

if len(sc.screened_out):
    screened = st.expander(
        f"{len(sc.screened_out)} countries not scored (too little data)",
        key="rankings_screened_out",
        on_change="rerun",
    )
    if screened.open:
        screened.dataframe(
            sc.screened_out.assign(country=lambda t: t["iso3"].map(names))[
                ["country", "iso3", "reason"]
            ],
            hide_index=True,
        )
