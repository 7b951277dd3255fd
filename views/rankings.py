"""Rankings: every scored country's overall and dimension scores, as a table, a chart and a map."""

import streamlit as st

import charts
from exports.workbook import scorecard_workbook
from scoring.method import Method
from scoring.tables import dimension_contributions, method_summary, rank_changes
from views import export_panel, state
from views.data import dataset_or_stop, groups, scorecard, scorecard_or_stop

data = dataset_or_stop()
sc = scorecard_or_stop(data)
default = scorecard(data, Method())
dimension_names = data.dimension_names
names = data.names
country_groups = groups()
subtitle = method_summary(sc, dimension_names)
sources = data.catalogue.sources_line()

st.caption(subtitle)

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
chart_tab, table_tab, map_tab = st.tabs(
    ["Chart", "Table", "Map"], key="rankings_view", on_change="rerun"
)

if chart_tab.open:
    with chart_tab:
        top = len(shown)
        if len(shown) > 10:
            top = st.slider(
                "Countries shown", 10, len(shown), min(30, len(shown)), key="rankings_top"
            )
        contributions = dimension_contributions(shown.head(top), sc.dimension_weights)
        fig = charts.ranking_bars(
            contributions, names, dimension_names, sources=sources, subtitle=subtitle
        )
        st.plotly_chart(
            fig, theme=None, config=export_panel.plot_config("rankings_bars"), key="rankings_bars"
        )
        export_panel.chart_downloads(fig, "rankings_bars", data)

if table_tab.open:
    with table_tab:
        table = shown[["name", "rank", "change", "overall", *dimension_names, "coverage"]].rename(
            columns={
                "name": "Country",
                "rank": "Rank",
                "change": "Change vs default",
                "overall": "Overall",
            }
            | {**dimension_names, "coverage": "Data coverage"}
        )
        selection = st.dataframe(
            table,
            hide_index=True,
            height=560,
            on_select="rerun",
            selection_mode="single-row",
            key="rankings_table",
            column_config={
                "Overall": st.column_config.ProgressColumn(
                    format="%.1f", min_value=0, max_value=100
                ),
                "Data coverage": st.column_config.NumberColumn(format="percent"),
                "Change vs default": st.column_config.NumberColumn(
                    help="Places moved against the default method (positive = up)", format="%+d"
                ),
            }
            | {
                name: st.column_config.NumberColumn(format="%.1f")
                for name in dimension_names.values()
            },
        )
        export_panel.table_downloads(table, "rankings_table", data)
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
        fig = charts.world_map(
            shown["overall"], names, "Overall soft-power score", sources, subtitle
        )
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
