"""Actor view: one actor's soft-power footprint in every other country (relational scorecard)."""

from pathlib import Path

import streamlit as st

import i18n
from i18n import N_, _
from indicators.catalogue import Catalogue, data_dir, load_countries
from indicators.relational import DIASPORA, UNGA, load_dyads, load_relational_catalogue
from present import charts
from present.errors import said
from present.tables import grid, method_summary
from scoring.actor import (
    actor_scorecard,
    actors,
    compare_actors,
    relational_method,
    target_table,
    trend_series,
)
from scoring.method import Method
from scoring.schemas import ContractError
from scoring.uncertainty import monte_carlo
from views import export_panel, state
from views.data import (
    UNCERTAINTY_DRAWS,
    WEIGHT_NOISE,
    broken_data_message,
    dataset_or_stop,
    groups,
)

# Addressee groups of the essay, as filters over the targets.
ADDRESSEES = {
    N_("Post-Soviet"): ("POST_SOVIET", "CIS", "EAEU"),
    N_("Non-Western (BRICS)"): ("BRICS",),
    N_("Europe (EU)"): ("EU",),
}


@st.cache_resource(show_spinner=False)  # the spinner's words would be fixed in one language
def _relational(folder: str) -> tuple[Catalogue, object]:
    catalogue = load_relational_catalogue()
    tables = Path(folder)
    return catalogue, load_dyads(catalogue, load_countries(tables), tables / "dyads.csv")


def relational() -> tuple[Catalogue, object]:
    with st.spinner(_("Loading the relational data…")):  # shown only if it takes 0.5 s
        return _relational(str(data_dir()))


@st.cache_resource(max_entries=32)
def scorecard(actor: str, method_key: str, _method: Method):
    catalogue, dyads = relational()
    countries = dataset_or_stop().countries
    return actor_scorecard(dyads, catalogue.framework(), actor, _method, countries)


@st.cache_resource(max_entries=16)
def intervals(actor: str, method_key: str, _method: Method):
    sc = scorecard(actor, method_key, _method)
    table = monte_carlo(sc, draws=UNCERTAINTY_DRAWS, weight_noise=WEIGHT_NOISE, seed=0)
    return table


data = dataset_or_stop()
names = data.names
labels = data.picker_labels  # country pickers: names and the names people type
all_groups = groups()
try:
    catalogue, dyads = relational()
except ContractError as error:
    st.error(
        broken_data_message(
            _("The relational data (dyads.csv)"),
            _("failed validation ({error}).").format(error=error),
        )
    )
    st.dataframe(error.failures.astype(str), hide_index=True)
    st.stop()
except (OSError, ValueError) as error:
    st.error(
        broken_data_message(
            _("The relational data (dyads.csv)"),
            _("could not be read: {error}.").format(error=error),
        )
    )
    st.stop()
indicator_names = catalogue.indicator_names()
dimension_names = catalogue.dimension_names()
id_names = indicator_names | dimension_names | names.to_dict()  # for engine messages
known_actors = actors(dyads)
method = relational_method(state.method())
method_key = method.to_json()

st.caption(
    _(
        "An actor's footprint in every other country: diaspora, mobility, UN votes, EITI "
        "distance, diplomatic posts and (China only) Confucius Institutes, scored with the same "
        "engine as the rankings. Normalisation, aggregation and coverage rules follow the "
        "Method; the relational dimensions weigh the same (the sidebar's weights are the main "
        "scorecard's)."
    )
)

# ---- the actor
if state.actor() not in known_actors:
    st.warning(
        _("No relational data for {actor}; showing {default}.").format(
            actor=names.get(state.actor(), state.actor()), default=names.get("RUS", "RUS")
        )
    )
    state.set_actor("RUS")
shown_actor = state.actor() if state.actor() in known_actors else known_actors[0]
actor = st.selectbox(
    _("Actor"),
    known_actors,
    index=known_actors.index(shown_actor),
    format_func=lambda iso3: f"{names.get(iso3, iso3)} ({iso3})",
    key=state.widget_key("actor_pick", shown_actor),
    on_change=state.callback(lambda: state.set_actor(state.widget_value("actor_pick"))),
)
state.set_actor(actor)
try:
    sc = scorecard(actor, method_key, method)
except ValueError as error:
    st.warning(
        _("This actor cannot be scored with these settings: {error}.").format(
            error=said(error, id_names)
        )
    )
    st.stop()
subtitle = method_summary(sc, dimension_names)
used = list(sc.prepared.indicators)
sources = catalogue.sources_line(used)
missing = [indicator_names[i] for i in catalogue.indicators["indicator"] if i not in used]
if missing:
    st.info(
        _("No data for {actor} on: {indicators}. Scored without them.").format(
            actor=names.get(actor, actor), indicators=", ".join(missing)
        )
    )

# ---- filters
chosen = st.multiselect(
    _("Addressee group"), list(ADDRESSEES), key="actor_addressees",
    format_func={group: _(group) for group in ADDRESSEES}.get,  # translated now, not when called
    help=_("Targets in any of the chosen groups (post-Soviet = former Soviet republics, CIS, "
           "EAEU)."),
)  # fmt: skip
table = target_table(sc, names, dimension_names)
if chosen:
    members = set().union(*(all_groups[g]["members"] for name in chosen for g in ADDRESSEES[name]))
    table = table[table.index.isin(members)]
if table.empty:
    st.info(_("No target in these groups has data for this actor. Clear a group to see more."))
    st.stop()

map_tab, table_tab, intervals_tab, compare_tab, trend_tab = st.tabs(
    [_("Map"), _("Targets"), _("Rank intervals"), _("Compare actors"), _("Trends")]
)

with map_tab:
    fig = charts.world_map(
        table["overall"],
        names,
        _("Footprint of {actor} by target country").format(actor=names.get(actor, actor)),
        sources,
        subtitle,
        colorbar_title=_("Footprint"),
    )
    export_panel.chart(fig, "actor_map", data)
    st.caption(_("Grey: no footprint score (no data, or too little data to score)."))

with table_tab:
    footprint, coverage = _("Footprint"), _("Data coverage")
    shown = table.reset_index().rename(
        columns={"iso3": "ISO3", "name": _("Target"), "overall": footprint, "rank": _("Rank"),
                 "coverage": coverage, "indicator_count": _("Indicators"),
                 "one_indicator": _("Resting on one indicator")} | indicator_names
        | dimension_names
    )  # fmt: skip
    formats = {
        footprint: st.column_config.ProgressColumn(format="%.1f", min_value=0, max_value=100),
        coverage: st.column_config.NumberColumn(format="percent"),
    } | {name: st.column_config.NumberColumn(format="%.1f") for name in dimension_names.values()}
    st.dataframe(
        **grid(shown, formats, _("no data")),
        hide_index=True,
        height=520,
        placeholder=_("no data"),
        key="actor_table",
    )
    export_panel.table_downloads(shown, "actor_table", data)
    st.caption(
        _(
            "Rank 1 = the actor's largest footprint. Indicator columns are the values used "
            "(latest year in the Method's window); dimension columns are scores 0–100."
        )
    )

with intervals_tab:
    uncertainty = intervals(actor, method_key, method)
    top = uncertainty[uncertainty.index.isin(table.index)].sort_values("nominal_rank").head(30)
    fig = charts.rank_intervals(
        top,
        names,
        title=_("Rank uncertainty: nominal rank and 5–95 % interval"),
        sources=sources,
        subtitle=subtitle,
    )
    export_panel.chart(fig, "actor_intervals", data)
    st.caption(
        _(
            "{draws} draws with ±{noise} noise on every weight; the 30 targets with the largest "
            "footprint shown."
        ).format(draws=UNCERTAINTY_DRAWS, noise=i18n.percent(WEIGHT_NOISE))
    )

with compare_tab:
    others = [code for code in known_actors if code != actor]
    rival_default = "CHN" if actor != "CHN" else "RUS"
    rival = st.selectbox(
        _("Compare with actor"), others, index=others.index(rival_default) if rival_default in others else 0,
        format_func=lambda iso3: f"{names.get(iso3, iso3)} ({iso3})", key="actor_rival",
    )  # fmt: skip
    try:
        rival_sc = scorecard(rival, method_key, method)
    except ValueError as error:
        st.warning(
            _("{actor} cannot be scored with these settings: {error}.").format(
                actor=names.get(rival, rival), error=said(error, id_names)
            )
        )
        st.stop()
    duel = compare_actors(sc, rival_sc, actor, rival)
    duel = duel[duel.index.isin(table.index)]
    if duel.empty:
        st.info(_("No target is scored for both actors. Choose another actor or clear the groups."))
    else:
        a_name, b_name = names.get(actor, actor), names.get(rival, rival)
        ahead = duel["ahead"].value_counts()
        left, right = st.columns(2)
        left.metric(
            _("Targets where {actor} is ahead").format(actor=a_name), int(ahead.get(actor, 0))
        )
        right.metric(
            _("Targets where {actor} is ahead").format(actor=b_name), int(ahead.get(rival, 0))
        )
        bars = duel.head(15).pipe(lambda d: d[[f"overall_{actor}", f"overall_{rival}"]])
        bars = bars.set_axis([a_name, b_name], axis=1)
        bars.index = [names.get(iso3, iso3) for iso3 in bars.index]
        fig = charts.grouped_hbars(
            bars,
            _("Where {first} is furthest ahead of {second}").format(first=a_name, second=b_name),
            _("Footprint (0–100)"),
            sources,
            subtitle,
        )
        export_panel.chart(fig, "actor_compare_chart", data)
        target, gap, ahead_of = _("Target"), _("Gap"), _("Ahead")
        rank_a, rank_b = (_("Rank ({actor})").format(actor=code) for code in (actor, rival))
        st.dataframe(
            **grid(
                duel.reset_index().assign(target=lambda d: d["iso3"].map(names),
                                          ahead=lambda d: d["ahead"].replace({"tie": _("tie")})).rename(
                    columns={"target": target, f"overall_{actor}": a_name, f"overall_{rival}": b_name,
                             f"rank_{actor}": rank_a, f"rank_{rival}": rank_b,
                             "gap": gap, "ahead": ahead_of}
                )[[target, "iso3", a_name, b_name, rank_a, rank_b, gap, ahead_of]],
                {a_name: st.column_config.NumberColumn(format="%.1f"),
                 b_name: st.column_config.NumberColumn(format="%.1f"),
                 gap: st.column_config.NumberColumn(format="%+.1f")},
                _("no data"),
            ),
            hide_index=True, placeholder=_("no data"), key="actor_compare_table",
        )  # fmt: skip

with trend_tab:
    scored = [iso3 for iso3 in table.index if iso3 != actor]
    picked = st.multiselect(
        _("Targets"), scored, default=scored[:5], key="actor_trend_targets",
        format_func=lambda iso3: labels.get(iso3, iso3),
    )  # fmt: skip
    if not picked:
        st.info(_("Choose one or more targets to see the trends."))
    axes = [(DIASPORA, _("% of the target's population")), (UNGA, _("Share of votes"))]
    for indicator, axis in axes:
        series = trend_series(dyads, actor, indicator, picked)
        if series.empty:
            st.info(
                _("No data on “{indicator}” for {actor}.").format(
                    indicator=indicator_names[indicator], actor=names.get(actor, actor)
                )
            )
            continue
        fig = charts.trend(
            series,
            names,
            f"{indicator_names[indicator]}: {names.get(actor, actor)}",
            axis,
            catalogue.sources_line([indicator]),
        )
        export_panel.chart(fig, f"actor_trend_{indicator}", data)
    if picked:
        st.caption(_("A chosen target without a line has no data for that indicator."))
