"""Compare: two to six countries side by side: overall, reach and appeal, dimension scores,
ranks and every indicator."""

import streamlit as st

from i18n import _
from present.compare import compare_bars_figure, compare_radar_figure, complete_dimensions
from present.profile import comparison_table, highlight_best, rank_deltas
from present.tables import grid, method_summary
from scoring.profile import best_in_rows
from views import explain, export_panel, state
from views.data import dataset_or_stop, scorecard_or_stop

COMPARE_KEY = "compare_countries"

data = dataset_or_stop()
sc = scorecard_or_stop(data)
names = data.names
labels = data.picker_labels  # country pickers: names and the names people type
dimension_names = data.dimension_names
subtitle = method_summary(sc, dimension_names)


@state.callback
def _choose_countries() -> None:
    chosen = state.widget_value(COMPARE_KEY)
    if len(chosen) > state.MAX_COMPARE:
        st.session_state.notices = [
            *st.session_state.get("notices", []),
            _("Compare takes at most {n} countries: kept the first {n}.").format(
                n=state.MAX_COMPARE
            ),
        ]
    state.set_compare(chosen)


st.caption(subtitle)

# ---- the countries: seeded from the state (and the URL), written back to it
scored = sorted(sc.results.index, key=lambda code: names.get(code, code))
unscored = [code for code in state.compare() if code not in sc.results.index]
compared = [code for code in state.compare() if code in sc.results.index]
chosen = st.multiselect(
    _("Countries to compare (2 to {n}; the first is the reference)").format(n=state.MAX_COMPARE),
    scored,
    default=compared,
    format_func=labels.get,
    key=state.widget_key(COMPARE_KEY, compared),
    max_selections=state.MAX_COMPARE,
    placeholder=_("Choose countries"),
    on_change=_choose_countries,
)
if unscored:
    st.info(
        _("Not scored under these settings, so left out: {countries}.").format(
            countries=", ".join(names.get(code, code) for code in unscored)
        )
    )
if len(chosen) < 2:
    st.info(_("Choose at least two countries to compare (up to six); the first is the reference."))
    st.stop()
first = names.get(chosen[0], chosen[0])
scores = sc.results.loc[chosen, list(dimension_names)]
side_names = data.side_names

# ---- the headline: overall, reach and appeal
headline = sc.results.loc[chosen, ["overall", *side_names]].rename(
    index=names, columns={"overall": _("Overall")} | side_names
)
st.dataframe(
    **grid(
        headline,
        {column: st.column_config.NumberColumn(format="%.1f") for column in headline},
    ),
    key="compare_headline",
)
export_panel.table_downloads(headline, "compare_headline", data)

# ---- dimension scores: radar and grouped bars
complete = complete_dimensions(scores)
left_off = [dimension_names[d] for d in dimension_names if d not in complete]
radar_tab, bars_tab = st.tabs([_("Radar"), _("Bars")])
with radar_tab:
    fig = compare_radar_figure(sc, data.catalogue, data.countries, chosen)
    export_panel.chart(fig, "compare_radar", data)
    if left_off:
        st.caption(
            _(
                "Left off the radar (no score for some of these countries): {dimensions}; "
                "see the bars."
            ).format(dimensions=", ".join(left_off))
        )
with bars_tab:
    fig = compare_bars_figure(sc, data.catalogue, data.countries, chosen)
    export_panel.chart(fig, "compare_bars", data)
    st.caption(_("A missing bar means no data for that dimension."))

# ---- ranks
ranks, deltas = rank_deltas(sc.results, chosen, names, side_names | dimension_names)
st.header(_("Ranks"))
st.caption(
    _(
        "Rank among all {n} scored countries (overall, reach, appeal); in a "
        "dimension, among the countries with a score there (1 = best)."
    ).format(n=len(sc.results))
)
st.dataframe(ranks, placeholder=_("no data"), key="compare_ranks")
export_panel.table_downloads(ranks, "compare_ranks", data)
st.subheader(_("Places above {country}").format(country=first))
st.caption(
    _("{country}'s rank minus each country's rank: positive = ranked above {country}.").format(
        country=first
    )
)
st.dataframe(
    deltas,
    placeholder=_("no data"),
    key="compare_deltas",
    column_config={column: st.column_config.NumberColumn(format="%+d") for column in deltas},
)

# ---- indicators
st.header(_("Indicators"))
st.caption(
    _(
        "Values as published, latest within the selected years; no data = missing. Highlighted: "
        "the best value in each counted indicator (highest, or lowest where lower is better)."
    )
)
table = comparison_table(sc, data.catalogue.with_sources(), chosen, names, dimension_names)
framework = sc.framework.set_index("indicator")
best = best_in_rows(
    table[[names.get(code, code) for code in chosen]],
    framework["direction"],
    framework["effective_weight"] > 0,
)
st.dataframe(
    highlight_best(table, best),
    hide_index=True,
    placeholder=_("no data"),
    height=35 * (len(table) + 1) + 3,
    key="compare_table",
)

explain.compare_section(data, sc, chosen)
