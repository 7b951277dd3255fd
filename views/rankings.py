"""Rankings: every scored country's overall, reach, appeal and dimension scores, as a chart, a
reach-against-appeal picture, a table and a map."""

import streamlit as st

from exports.workbook import scorecard_workbook
from i18n import N_, _, ngettext
from indicators.names import group_name, region_name
from present.rankings import map_figure, ranking_figure, ranking_rows, reach_appeal_figure
from present.tables import MISSING, grid, incoherent_dimensions, method_summary, screen_reason
from scoring.method import Method
from scoring.tables import rank_changes, thin_dimensions
from views import export_panel, language, state
from views.data import alphas, dataset_or_stop, groups, scorecard, scorecard_or_stop

data = dataset_or_stop()
sc = scorecard_or_stop(data)
default = scorecard(data, Method())
dimension_names = data.dimension_names
names = data.names
country_groups = groups()
side_names = data.side_names
followed = state.country()
TABLE_COLUMNS = {
    "name": N_("Country"),
    "rank": N_("Rank"),
    "change": N_("Change vs default"),
    "overall": N_("Overall"),
    "coverage": N_("Data coverage"),
    "indicator_count": N_("Indicators"),
    "thin": N_("Resting on one indicator"),
}
subtitle = method_summary(sc, dimension_names)
# A publication's title, cited as published in every language.
ESSAY = "Hard Questions About Soft Power: A Normative Outlook at Russia's Foreign Policy"

st.markdown(
    _(
        "Soft power, as Andrey Makarychev's essay *{essay}* frames it, is the **reach** of the "
        "channels that carry a country abroad and the **appeal** of its norms and practice. The "
        "scorecard answers which countries have both, and where reach outruns appeal, as the "
        "essay argues of Russia ([how it is built](/methodology))."
    ).format(essay=ESSAY)
)
st.caption(subtitle)
warning = incoherent_dimensions(alphas(data), dimension_names)
if warning:
    st.markdown(
        _("{warning} See [Validity](/validity) for how far to trust the ranking.").format(
            warning=warning
        )
    )

# ---- filters
left, right = st.columns(2)
regions = left.multiselect(
    _("Region"),
    sorted(data.countries["region"].dropna().unique()),
    format_func={r: region_name(r) for r in data.countries["region"].dropna().unique()}.get,
    key="filter_region",
    placeholder=_("All regions"),
)
chosen_groups = right.multiselect(
    _("Group"),
    list(country_groups),
    format_func=lambda g: group_name(country_groups[g]),
    key="filter_group",
    placeholder=_("All groups"),
)

results = sc.results.join(data.countries.set_index("iso3")[["region", "groups"]])
results["name"] = data.names  # in the reader's language
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
    st.info(_("No scored country matches these filters. Clear a region or group to see more."))
    st.stop()

# Only the open tab is drawn, so a weight change redraws one view, not three. The chart comes
# first: it is the view a briefing uses, and the table is a click away.
chart_tab, sides_tab, table_tab, map_tab = language.tabs(
    [N_("Chart"), N_("Reach and appeal"), N_("Table"), N_("Map")],
    key="rankings_view",
    on_change="rerun",
)
followed_name = names.get(followed, followed)

if chart_tab.open:
    with chart_tab:
        top = len(shown)
        if len(shown) > 10:
            top = st.slider(
                _("Countries shown"), 10, len(shown), min(30, len(shown)), key="rankings_top"
            )
        fig = ranking_figure(
            sc, data.catalogue, data.countries, ranking_rows(shown, top, followed), followed
        )
        export_panel.chart(fig, "rankings_bars", data)
        if followed in shown.index:
            st.caption(
                _("{country} (outlined) is shown wherever it ranks.").format(country=followed_name)
            )
        elif followed in sc.results.index:
            st.caption(_("{country} is outside the filters.").format(country=followed_name))
        else:
            st.caption(
                _("{country} is not scored under these settings (too little data).").format(
                    country=followed_name
                )
            )

if sides_tab.open:
    with sides_tab:
        if not side_names:
            st.info(_("This framework has no reach and appeal sides."))
        else:
            fig = reach_appeal_figure(sc, data.catalogue, data.countries, shown, followed)
            export_panel.chart(fig, "rankings_sides", data)
            st.caption(
                _(
                    "Reach: the channels that carry a country abroad. Appeal: what others find "
                    "attractive in its norms and practice. Named: the top ten overall, the five "
                    "widest gaps each way, and {country} (in orange)."
                ).format(country=followed_name)
            )

if table_tab.open:
    with table_tab:
        columns = ["name", "rank", "change", "overall", *side_names, *dimension_names]
        columns += ["coverage", "indicator_count", "thin"]
        label = {column: _(text) for column, text in TABLE_COLUMNS.items()}
        table = shown[columns].rename(columns=label | side_names | dimension_names)
        # The screen's formats are the downloads' rounding too (export_panel.table_downloads).
        column_config = {
            label["overall"]: st.column_config.ProgressColumn(
                format="%.1f", min_value=0, max_value=100
            ),
            label["coverage"]: st.column_config.NumberColumn(format="percent"),
            label["change"]: st.column_config.NumberColumn(
                help=_("Places moved against the default method (positive = up)"),
                format="%+d",
            ),
            label["indicator_count"]: st.column_config.NumberColumn(
                help=_("Weighted indicators with a value for this country")
            ),
            label["thin"]: st.column_config.TextColumn(
                help=_("Dimensions whose score rests on a single indicator: read with care")
            ),
        } | {
            name: st.column_config.NumberColumn(format="%.1f")
            for name in [*side_names.values(), *dimension_names.values()]
        }
        selection = st.dataframe(
            **grid(table, column_config),  # numbers as the reader's language writes them
            hide_index=True,
            height=560,
            on_select="rerun",
            selection_mode="single-row",
            key="rankings_table",
            placeholder=MISSING,
        )
        export_panel.table_downloads(table, "rankings_table", data, formats=column_config)
        st.download_button(
            _("Download the scorecard workbook (Excel)"),
            data=lambda: scorecard_workbook(sc, data.catalogue, data.values, data.countries),
            file_name="soft-power-scorecard.xlsx",
            mime=export_panel.XLSX,
            on_click="ignore",
            icon=":material/table_view:",
            key="rankings_workbook",
            help=_("Scores, indicator values, method, weights and sources in one workbook."),
        )
        st.caption(
            _("Select a row to open that country's scorecard. Empty dimension cells: no data.")
        )
        if selection.selection.rows:
            state.set_country(shown.index[selection.selection.rows[0]])
            st.switch_page("views/country.py")

if map_tab.open:
    with map_tab:
        fig = map_figure(sc, data.catalogue, data.countries, shown["overall"])
        export_panel.chart(fig, "rankings_map", data)

if len(sc.screened_out):
    screened = st.expander(
        ngettext(
            "{n} country not scored (too little data)",
            "{n} countries not scored (too little data)",
            len(sc.screened_out),
        ).format(n=len(sc.screened_out)),
        key="rankings_screened_out",
        on_change="rerun",
    )
    if screened.open:
        screened.dataframe(
            sc.screened_out.assign(
                country=lambda t: t["iso3"].map(names),
                reason=lambda t: t["reason"].map(screen_reason),
            )[["country", "iso3", "reason"]].rename(
                columns={"country": _("Country"), "iso3": "ISO3", "reason": _("Reason")}
            ),
            hide_index=True,
        )
