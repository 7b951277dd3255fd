"""Explaining a score, on the Country scorecard and Compare pages: the country over the years
beside its peers, why its score moved, what would bring it to a target rank, and why one country
outranks another. Every choice is kept in the URL (keys below), every table downloads."""

from __future__ import annotations

import streamlit as st

from present import explain_charts
from present.profile import format_score
from scoring.attribution import LEVELS, explain_change, explain_gap
from scoring.method import Method
from scoring.over_time import YEARS, over_time, year_method
from scoring.pipeline import Scorecard, build_scorecard, resolve_countries
from scoring.target import what_it_takes
from views import export_panel, state
from views.data import Dataset, groups, scorecard, shipped_dataset
from views.text import md

DRAWS = 1000
WEIGHT_NOISE = 0.25
# This view's URL keys, beside the Method's (scoring.method.QUERY_KEYS) and the app's (views.state).
FROM, TO, LEVEL, BY, TARGET, VERSUS, MEASURE, WITH = (
    "from", "to", "level", "by", "target", "versus", "measure", "with",
)  # fmt: skip
BY_CHOICES = {
    "years": "Between two years",
    "method": "This method against the default",
    "data": "Uploaded data against the shipped data",
}
LEVEL_NAMES = {"overall": "Overall", "reach": "Reach", "appeal": "Appeal"}
MEASURE_NAMES = {
    "rank": "Overall rank",
    "overall": "Overall score",
    "reach_rank": "Reach rank",
    "appeal_rank": "Appeal rank",
}
PEERS = "peers"  # the trajectory's default company: the Country page's peers
DEFAULT_FROM = 2015
MAX_LINES = 8
INTERVALS_KEY = "explain_intervals"


# ---------------------------------------------------------------------------------- URL state
def _check(key: str, text: str, known_iso3: set[str]):
    """The URL's value for `key`, or None when it cannot be used."""
    if key in (FROM, TO):
        return int(text) if text.isdigit() and int(text) in YEARS else None
    if key == TARGET:
        return int(text) if text.isdigit() and 1 <= int(text) <= 1000 else None
    if key == VERSUS:
        return text if text in known_iso3 else None
    if key == WITH:
        return text if text == PEERS or text in groups() else None
    allowed = {LEVEL: LEVELS, BY: BY_CHOICES, MEASURE: MEASURE_NAMES}[key]
    return text if text in allowed else None


def _link(data: Dataset) -> dict[str, str]:
    """This view's choices: read from the URL once per session (an unusable value is dropped
    with a notice), then kept in the session and mirrored in the URL by ``state.write_url``."""
    if state.URL_EXTRA not in st.session_state:
        params = st.session_state.get("link_params", {})
        known = set(data.countries["iso3"])
        kept, dropped = {}, []
        for key in (FROM, TO, LEVEL, BY, TARGET, VERSUS, MEASURE, WITH):
            if key in params:
                text = str(params[key]).strip()
                if _check(key, text, known) is None:
                    dropped.append(f"{key}={text[:20]}")
                else:
                    kept[key] = text
        if dropped:
            st.warning(md(f"Left out unusable settings from the link: {', '.join(dropped)}."))
        st.session_state[state.URL_EXTRA] = kept
    return st.session_state[state.URL_EXTRA]


def _get(data: Dataset, key: str, default):
    value = _link(data).get(key)
    if value is None:
        return default
    return int(value) if isinstance(default, int) else value


def _keep(key: str, widget: str, default) -> None:
    """on_change: the widget's value into the URL state (the default leaves the URL short)."""
    value = state.widget_value(widget)
    extra = st.session_state.setdefault(state.URL_EXTRA, {})
    if value == default or value is None:
        extra.pop(key, None)
    else:
        extra[key] = str(value)


def _select(data, label, options, key, default, *, format_func=str, horizontal=False, help=None):
    """A widget showing the URL state, writing back to it."""
    value = _get(data, key, default)
    value = value if value in options else default
    widget = f"explain_{key}"
    kwargs = dict(
        options=list(options),
        index=list(options).index(value),
        format_func=format_func,
        key=state.widget_key(widget, value),
        on_change=_keep,
        args=(key, widget, default),
        help=help,
    )
    if horizontal:
        return st.radio(label, horizontal=True, **kwargs)
    return st.selectbox(label, **kwargs)


# ---------------------------------------------------------------------------------- cached work
@st.cache_resource(max_entries=8, show_spinner="Scoring every year…")
def _over_time(token: str, method_key: str, draws: int, _sc: Scorecard):
    return over_time(_sc.prepared, _sc.method, YEARS, draws=draws, weight_noise=WEIGHT_NOISE)


@st.cache_resource(max_entries=32)
def _year_card(token: str, method_key: str, year: int, _sc: Scorecard) -> Scorecard:
    method = year_method(_sc.method, year)
    return build_scorecard(_sc.prepared, method=method, countries=_sc.countries)


@st.cache_resource(max_entries=32, show_spinner="Searching the smallest set of improvements…")
def _plan(token, method_key, iso3, target, policy_only, _sc, _levers):
    return what_it_takes(_sc, iso3, target, levers=_levers, policy_only=policy_only, draws=DRAWS)


def _levers(data: Dataset) -> dict[str, str]:
    frame = data.catalogue.indicators
    if "lever" not in frame:
        return {}
    return dict(zip(frame["indicator"], frame["lever"].fillna(""), strict=True))


def _labels(data: Dataset) -> dict[str, str]:
    return explain_charts.item_labels(data.catalogue.indicator_names(), data.dimension_names)


# ---------------------------------------------------------------------------------- sections
def country_section(data: Dataset, sc: Scorecard, iso3: str, peers: list[str]) -> None:
    """The Country scorecard's explanations of `iso3`: over time, why it moved, what it takes."""
    _over_the_years(data, sc, iso3, peers)
    _why_it_moved(data, sc, iso3)
    _what_it_takes(data, sc, iso3)


def compare_section(data: Dataset, sc: Scorecard, chosen: list[str]) -> None:
    """The Compare page's "why does A outrank B" for two of the compared countries."""
    if len(chosen) < 2:
        return
    names = data.names
    st.subheader("Why does one outrank the other")
    first, others = chosen[0], chosen[1:]  # the reference against one of the others
    versus = _get(data, VERSUS, others[0])
    versus = versus if versus in others else others[0]
    right, level_column = st.columns(2)
    with right:
        versus = st.selectbox(
            f"{names.get(first, first)} against",
            others,
            index=others.index(versus),
            format_func=data.picker_labels.get,
            key=state.widget_key("explain_versus", versus),
            on_change=_keep,
            args=(VERSUS, "explain_versus", others[0]),
        )
    with level_column:
        level = _level(data, sc)
    try:
        split = explain_gap(sc, first, versus, level=level)
    except ValueError as error:
        st.warning(md(error))
        return
    a, b = names.get(first, first), names.get(versus, versus)
    lead = "above" if split.change >= 0 else "below"
    st.markdown(
        md(
            f"{a} scores {format_score(split.score_to)} ({LEVEL_NAMES[level].lower()}, rank "
            f"{split.rank_to:.0f}), {abs(split.change):.1f} points {lead} {b} "
            f"({format_score(split.score_from)}, rank {split.rank_from:.0f}). Each bar is one "
            f"indicator's part of the gap, split by {split.rule}; they add up to it exactly."
        )
    )
    _split_chart_and_table(data, split, f"Why {a} and {b} differ", f"gap_{first}_{versus}")


def _level(data: Dataset, sc: Scorecard) -> str:
    levels = [lv for lv in LEVELS if lv == "overall" or lv in sc.prepared.sides]
    return _select(data, "Score", levels, LEVEL, "overall", format_func=LEVEL_NAMES.get)


def _over_the_years(data: Dataset, sc: Scorecard, iso3: str, peers: list[str]) -> None:
    names = data.names
    st.subheader(f"Score and rank, {YEARS[0]}–{YEARS[-1]}")
    country_groups = groups()
    company_options = [PEERS, *country_groups]
    measure_column, company_column, interval_column = st.columns([2, 2, 1])
    with measure_column:
        measure = _select(
            data, "Show", list(MEASURE_NAMES), MEASURE, "rank", format_func=MEASURE_NAMES.get
        )
    with company_column:
        company = _select(
            data,
            "Beside",
            company_options,
            WITH,
            PEERS,
            format_func=lambda g: "Its peers" if g == PEERS else f"{country_groups[g]['name']}",
        )
    with interval_column:
        intervals = st.toggle(
            "90 % intervals",
            key=INTERVALS_KEY,
            help=f"Monte Carlo rank intervals, {DRAWS:,} weight draws a year (±25 % on every "
            "weight); slower after each change of the method.",
        )
    table = _over_time(data.token, sc.method.to_json(), DRAWS if intervals else 0, sc)
    unscored = table.attrs.get("unscored", {})
    if unscored:
        st.info(md("Not scored: " + "; ".join(f"{y}: {why}" for y, why in unscored.items())))
    if iso3 not in set(table["iso3"]):
        st.info(md(f"{names.get(iso3, iso3)} is not scored in any year under these settings."))
        return
    if company == PEERS:
        others = list(peers)
    else:
        try:
            others = [c for c in resolve_countries([company], data.countries) if c != iso3]
        except ValueError:
            others = []
    if len(others) > MAX_LINES - 1:
        st.caption(f"Showing the first {MAX_LINES - 1} of {len(others)} countries beside it.")
    fig = explain_charts.trajectory(
        table,
        iso3,
        others[: MAX_LINES - 1],
        names,
        measure,
        f"{names.get(iso3, iso3)}: {MEASURE_NAMES[measure].lower()} by year",
        data.catalogue.sources_line(),
        "Each year scored on its own (values up to that year; an indicator first measured later "
        "is carried back, open markers)",
    )
    st.plotly_chart(
        fig, theme=None, config=export_panel.plot_config("trajectory"), key="explain_trajectory"
    )
    export_panel.chart_downloads(fig, "trajectory", data)
    indicator_names = data.catalogue.indicator_names()
    rows = explain_charts.trajectory_table(table, iso3, names, indicator_names)
    st.dataframe(
        rows.drop(columns="Country"),
        hide_index=True,
        key="explain_years",
        column_config={
            c: st.column_config.NumberColumn(
                format="%.0f" if "rank" in c or "Countries" in c else "%.1f"
            )
            for c in rows.columns[2:-1]
        },
    )
    every = [iso3, *others[: MAX_LINES - 1]]
    _years_downloads(data, sc, every, indicator_names, f"{iso3}_over_time")


def years_with_intervals(data, sc, codes, indicator_names):
    """The years of `codes` (one table, country by country) with their 90 % rank intervals."""
    table = _over_time(data.token, sc.method.to_json(), DRAWS, sc)
    rows = [
        explain_charts.trajectory_table(table, code, data.names, indicator_names) for code in codes
    ]
    return _concat(rows)


def _years_downloads(data, sc, codes, indicator_names, name) -> None:
    """CSV and Excel of the years for `codes`, always with the 90 % rank intervals: computed on
    the click (then cached), so the page does not wait for them."""

    def files() -> tuple[bytes, bytes, str]:
        rows = years_with_intervals(data, sc, codes, indicator_names)
        return export_panel.table_files(rows, name, data.catalogue)

    what = "Years with 90 % rank intervals, and the countries beside it"
    row = st.container(horizontal=True)
    row.download_button(
        f"{what} (CSV)",
        data=lambda: files()[0],
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"dl_{name}_csv",
    )
    row.download_button(
        f"{what} (Excel)",
        data=lambda: files()[1],
        file_name=f"{name}.xlsx",
        mime=export_panel.XLSX,
        on_click="ignore",
        icon=":material/download:",
        key=f"dl_{name}_xlsx",
    )


def _concat(frames):
    import pandas as pd

    return pd.concat([f for f in frames if len(f)], ignore_index=True)


def _why_it_moved(data: Dataset, sc: Scorecard, iso3: str) -> None:
    names = data.names
    name = names.get(iso3, iso3)
    st.subheader("Why did it move")
    choices = [c for c in BY_CHOICES if c != "data" or data.token != "shipped"]
    by = _select(data, "Compare", choices, BY, "years", format_func=BY_CHOICES.get, horizontal=True)
    level = _level(data, sc)
    try:
        if by == "years":
            last = sc.method.year_window[1] if sc.method.year is None else sc.method.year
            last = last if last in YEARS else YEARS[-1]
            left, right = st.columns(2)
            with left:
                first = _select(data, "From", list(YEARS), FROM, DEFAULT_FROM)
            with right:
                second = _select(data, "To", list(YEARS), TO, last)
            old = _year_card(data.token, sc.method.to_json(), first, sc)
            new = _year_card(data.token, sc.method.to_json(), second, sc)
            split = explain_change(old, new, iso3, level=level, labels=(str(first), str(second)))
        elif by == "method":
            default = Method().with_(year=sc.method.year, year_window=sc.method.year_window)
            split = explain_change(
                scorecard(data, default), sc, iso3, level=level, labels=("default", "this method")
            )
        else:
            split = explain_change(
                scorecard(shipped_dataset(), sc.method),
                sc,
                iso3,
                level=level,
                labels=("shipped", "uploaded"),
            )
    except ValueError as error:
        st.warning(md(error))
        return
    places = split.rank_change
    moved = (
        f"up {places:.0f} places"
        if places > 0
        else f"down {-places:.0f} places"
        if places
        else "unchanged"
    )
    st.markdown(
        md(
            f"{name}: {LEVEL_NAMES[level].lower()} score {format_score(split.score_from)} in "
            f"{split.label_from}, {format_score(split.score_to)} in {split.label_to} "
            f"({split.change:+.2f}); rank {split.rank_from:.0f} to {split.rank_to:.0f} ({moved})."
        )
    )
    st.caption(
        md(
            f"The change split into indicator contributions by {split.rule}; they add up to it "
            "exactly. A value carried back from a later year is marked: it cannot explain a move "
            "between two years that both carry it."
        )
    )
    _split_chart_and_table(
        data,
        split,
        f"Why {name}'s {LEVEL_NAMES[level].lower()} score moved",
        f"{iso3}_moved",
    )


def _split_chart_and_table(data: Dataset, split, title: str, name: str) -> None:
    labels = _labels(data)
    moved = split.table.loc[split.table["contribution"] != 0, "indicator"]
    fig = explain_charts.waterfall(
        split,
        labels,
        title,
        data.catalogue.sources_line([i for i in moved if i]),
        f"{split.label_from} to {split.label_to}; the score axis does not start at 0",
    )
    st.plotly_chart(fig, theme=None, config=export_panel.plot_config(name), key=f"explain_{name}")
    export_panel.chart_downloads(fig, name, data)
    table = explain_charts.attribution_table(split, labels, _levers(data), data.dimension_names)
    shown = table[(table["Contribution"] != 0) | (table["Item"] == table["Item"].iloc[-1])]
    st.dataframe(
        shown.drop(columns="indicator"),
        hide_index=True,
        placeholder="",
        key=f"explain_table_{name}",
        column_config={"Contribution": st.column_config.NumberColumn(format="%+.3f")},
    )
    export_panel.table_downloads(table, name, data, "Contributions")


def _ask() -> None:
    """The target rank into the URL state: the search runs from now on (and for the link)."""
    extra = st.session_state.setdefault(state.URL_EXTRA, {})
    extra[TARGET] = str(int(state.widget_value("explain_target")))


def _what_it_takes(data: Dataset, sc: Scorecard, iso3: str) -> None:
    names = data.names
    name = names.get(iso3, iso3)
    st.subheader("What would it take")
    if iso3 not in set(sc.iso3.astype(str)):
        st.info(md(f"{name} is not scored under these settings."))
        return
    scored = len(sc.iso3)
    rank_now = int(sc.results.loc[iso3, "rank"])
    asked = TARGET in _link(data)  # searched once asked (or opened from a link that asks)
    target = min(_get(data, TARGET, max(1, rank_now - 10)), scored)
    left, middle, right = st.columns([1, 1, 1], vertical_alignment="bottom")
    with left:
        target = st.number_input(
            "Target rank",
            min_value=1,
            max_value=scored,
            value=target,
            step=1,
            key=state.widget_key("explain_target", target),
            on_change=_ask,
        )
    with middle:
        st.button("Find the fewest improvements", on_click=_ask, key="explain_find")
    with right:
        policy_only = st.toggle(
            "Policy levers only",
            key="explain_policy_only",
            help="Only indicators a government can change by a decision (a law, joining the EITI, "
            "its visa regime...), not slow outcomes such as democratic scores.",
        )
    if not asked:
        st.caption(
            f"{name} ranks {rank_now}. Choose a rank: the search finds the fewest indicator "
            "improvements that reach it, each in its own units."
        )
        return
    target = int(target)
    try:
        plan = _plan(data.token, sc.method.to_json(), iso3, target, policy_only, sc, _levers(data))
    except ValueError as error:
        st.warning(md(error))
        return
    st.markdown(md(plan.message.replace(iso3, name, 1)))
    chance = f"Chance of rank {target} or better now: {plan.probability_now:.0%}"
    if plan.probability_after is not None and plan.reachable and len(plan.changes):
        chance += f"; with these improvements: {plan.probability_after:.0%}"
    st.markdown(md(chance + "."))
    if not len(plan.changes):
        return
    indicators = data.catalogue.indicators.set_index("indicator")
    rows = explain_charts.plan_table(
        plan, indicators["name"].to_dict(), indicators["unit"].to_dict()
    )
    st.caption(
        md(
            "Each value is the least that reaches the target together with the others (every "
            "chosen indicator moved the same share of the way to the best value observed among "
            "countries; whole-number indicators in whole steps), with every country rescored, "
            "since raising a value can move the goalposts of min-max scores. Chance: share of "
            f"{DRAWS:,} Monte Carlo weight draws (±25 %) in which it ranks {target} or better."
            + (
                f" {plan.alternatives} other sets of the same size also reach it."
                if plan.alternatives
                else ""
            )
        )
    )
    st.dataframe(rows.drop(columns="indicator"), hide_index=True, key="explain_plan")
    export_panel.table_downloads(rows, f"{iso3}_to_rank_{target}", data, "Improvements")
