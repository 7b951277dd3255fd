"""Explaining a score, on the Country scorecard and Compare pages: the country over the years
beside its peers, why its score moved, what would bring it to a target rank, and why one country
outranks another. Every choice is kept in the URL (keys below), every table downloads."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import i18n
from i18n import N_, _, ngettext
from indicators.names import group_name
from present import explain_charts
from present.errors import said
from present.profile import format_score
from present.tables import grid
from scoring.attribution import ADDITIVE, LEVELS, OWEN, explain_change, explain_gap
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
    "years": N_("Between two years"),
    "method": N_("This method against the default"),
    "data": N_("Uploaded data against the shipped data"),
}
LEVEL_NAMES = {"overall": N_("Overall"), "reach": N_("Reach"), "appeal": N_("Appeal")}
# The level as the sentences name it ("overall score", "reach rank").
LEVEL_WORDS = {"overall": N_("overall"), "reach": N_("reach"), "appeal": N_("appeal")}
MEASURE_NAMES = {
    "rank": N_("Overall rank"),
    "overall": N_("Overall score"),
    "reach_rank": N_("Reach rank"),
    "appeal_rank": N_("Appeal rank"),
}
# How a split was made (scoring.attribution), as the sentences say it.
RULES = {
    ADDITIVE: N_("effective weight x change"),
    OWEN: N_("Owen values (Shapley over dimensions, then indicators)"),
}
# The states a split compares, as scoring.attribution is told to label them.
STATE_LABELS = {
    "default": N_("default"),
    "this method": N_("this method"),
    "shipped": N_("shipped"),
    "uploaded": N_("uploaded"),
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
            st.warning(
                md(
                    _("Left out unusable settings from the link: {settings}.").format(
                        settings=", ".join(dropped)
                    )
                )
            )
        st.session_state[state.URL_EXTRA] = kept
    return st.session_state[state.URL_EXTRA]


def _get(data: Dataset, key: str, default):
    value = _link(data).get(key)
    if value is None:
        return default
    return int(value) if isinstance(default, int) else value


@state.callback
def _keep(key: str, widget: str, default) -> None:
    """on_change: the widget's value into the URL state (the default leaves the URL short)."""
    value = state.widget_value(widget)
    extra = st.session_state.setdefault(state.URL_EXTRA, {})
    if value == default or value is None:
        extra.pop(key, None)
    else:
        extra[key] = str(value)


def _names(labels: dict[str, str]):
    """A widget's format_func showing an id's label (marked with N_) in the run's language:
    translated now, as the function may be called outside the run (and its language)."""
    return {value: _(label) for value, label in labels.items()}.get


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
@st.cache_resource(max_entries=8, show_spinner=False)
def _over_time(token: str, method_key: str, draws: int, _sc: Scorecard):
    return over_time(_sc.prepared, _sc.method, YEARS, draws=draws, weight_noise=WEIGHT_NOISE)


@st.cache_resource(max_entries=32)
def _year_card(token: str, method_key: str, year: int, _sc: Scorecard) -> Scorecard:
    method = year_method(_sc.method, year)
    return build_scorecard(_sc.prepared, method=method, countries=_sc.countries)


@st.cache_resource(max_entries=32, show_spinner=False)
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
    st.subheader(_("Why does one outrank the other"))
    first, others = chosen[0], chosen[1:]  # the reference against one of the others
    versus = _get(data, VERSUS, others[0])
    versus = versus if versus in others else others[0]
    right, level_column = st.columns(2)
    with right:
        versus = st.selectbox(
            _("{country} against").format(country=names.get(first, first)),
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
        st.warning(md(said(error, data.id_names)))
        return
    a, b = names.get(first, first), names.get(versus, versus)
    if split.change >= 0:
        sentence = _(
            "{a} scores {score_a} ({level}, rank {rank_a}), {points} points above {b} "
            "({score_b}, rank {rank_b}). Each bar is one indicator's part of the gap, split by "
            "{rule}; they add up to it exactly."
        )
    else:
        sentence = _(
            "{a} scores {score_a} ({level}, rank {rank_a}), {points} points below {b} "
            "({score_b}, rank {rank_b}). Each bar is one indicator's part of the gap, split by "
            "{rule}; they add up to it exactly."
        )
    st.markdown(
        md(
            sentence.format(
                a=a,
                b=b,
                score_a=format_score(split.score_to),
                score_b=format_score(split.score_from),
                level=_(LEVEL_WORDS[level]),
                rank_a=f"{split.rank_to:.0f}",
                rank_b=f"{split.rank_from:.0f}",
                points=i18n.number(abs(split.change), 1),
                rule=_rule(split.rule),
            )
        )
    )
    _split_chart_and_table(
        data,
        split,
        _("Why {a} and {b} differ").format(a=a, b=b),
        f"gap_{first}_{versus}",
    )


def _rule(rule: str) -> str:
    return _(RULES[rule]) if rule in RULES else rule


def _state(label: str) -> str:
    """A split's state label (a year, "default", "uploaded", ...) in the run's language."""
    return _(STATE_LABELS[label]) if label in STATE_LABELS else label


def _level(data: Dataset, sc: Scorecard) -> str:
    levels = [lv for lv in LEVELS if lv == "overall" or lv in sc.prepared.sides]
    return _select(data, _("Score"), levels, LEVEL, "overall", format_func=_names(LEVEL_NAMES))


def _over_the_years(data: Dataset, sc: Scorecard, iso3: str, peers: list[str]) -> None:
    names = data.names
    st.subheader(_("Score and rank, {first}–{last}").format(first=YEARS[0], last=YEARS[-1]))
    country_groups = groups()
    company_options = [PEERS, *country_groups]
    measure_column, company_column, interval_column = st.columns([2, 2, 1])
    with measure_column:
        measure = _select(
            data,
            _("Show"),
            list(MEASURE_NAMES),
            MEASURE,
            "rank",
            format_func=_names(MEASURE_NAMES),
        )
    with company_column:
        company = _select(
            data,
            _("Beside"),
            company_options,
            WITH,
            PEERS,
            format_func=(
                {PEERS: _("Its peers")} | {g: group_name(country_groups[g]) for g in country_groups}
            ).get,
        )
    with interval_column:
        intervals = st.toggle(
            _("90 % intervals"),
            key=INTERVALS_KEY,
            help=_(
                "Monte Carlo rank intervals, {draws} weight draws a year ({noise} on every "
                "weight); slower after each change of the method."
            ).format(draws=i18n.number(DRAWS, 0), noise="±" + i18n.percent(WEIGHT_NOISE)),
        )
    with st.spinner(_("Scoring every year…")):
        table = _over_time(data.token, sc.method.to_json(), DRAWS if intervals else 0, sc)
    unscored = table.attrs.get("unscored", {})
    if unscored:
        listed = "; ".join(f"{y}: {said(why, data.id_names)}" for y, why in unscored.items())
        st.info(md(_("Not scored: {years}").format(years=listed)))
    if iso3 not in set(table["iso3"]):
        st.info(
            md(
                _("{country} is not scored in any year under these settings.").format(
                    country=names.get(iso3, iso3)
                )
            )
        )
        return
    if company == PEERS:
        others = list(peers)
    else:
        try:
            others = [c for c in resolve_countries([company], data.countries) if c != iso3]
        except ValueError:
            others = []
    if len(others) > MAX_LINES - 1:
        st.caption(
            _("Showing the first {shown} of {n} countries beside it.").format(
                shown=MAX_LINES - 1, n=len(others)
            )
        )
    fig = explain_charts.trajectory(
        table,
        iso3,
        others[: MAX_LINES - 1],
        names,
        measure,
        _("{country}: {measure} by year").format(
            country=names.get(iso3, iso3), measure=_(MEASURE_NAMES[measure]).lower()
        ),
        data.catalogue.sources_line(),
        _(
            "Each year scored on its own (values up to that year; an indicator first measured "
            "later is carried back, open markers)"
        ),
    )
    export_panel.chart(fig, "trajectory", data, key="explain_trajectory")
    indicator_names = data.catalogue.indicator_names()
    rows = explain_charts.trajectory_table(table, iso3, names, indicator_names)
    scores = {_("Overall"), _("Reach"), _("Appeal")}
    st.dataframe(
        **grid(
            rows.drop(columns=_("Country")),
            {
                c: st.column_config.NumberColumn(format="%.1f" if c in scores else "%.0f")
                for c in rows.columns[2:-1]
            },
        ),
        hide_index=True,
        key="explain_years",
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

    what = _("Years with 90 % rank intervals, and the countries beside it")
    row = st.container(horizontal=True)
    row.download_button(
        _("{what} (CSV)").format(what=what),
        data=lambda: files()[0],
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"dl_{name}_csv",
    )
    row.download_button(
        _("{what} (Excel)").format(what=what),
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
    st.subheader(_("Why did it move"))
    choices = [c for c in BY_CHOICES if c != "data" or data.token != "shipped"]
    by = _select(
        data, _("Compare"), choices, BY, "years", format_func=_names(BY_CHOICES), horizontal=True
    )
    level = _level(data, sc)
    try:
        if by == "years":
            last = sc.method.year_window[1] if sc.method.year is None else sc.method.year
            last = last if last in YEARS else YEARS[-1]
            left, right = st.columns(2)
            with left:
                first = _select(data, _("From"), list(YEARS), FROM, DEFAULT_FROM)
            with right:
                second = _select(data, _("To"), list(YEARS), TO, last)
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
        st.warning(md(said(error, data.id_names)))
        return
    places = int(round(split.rank_change))
    if places > 0:
        moved = ngettext("up {n} place", "up {n} places", places).format(n=places)
    elif places < 0:
        moved = ngettext("down {n} place", "down {n} places", -places).format(n=-places)
    else:
        moved = _("unchanged")
    st.markdown(
        md(
            _(
                "{country}: {level} score {score_from} in {label_from}, {score_to} in {label_to} "
                "({change}); rank {rank_from} to {rank_to} ({moved})."
            ).format(
                country=name,
                level=_(LEVEL_WORDS[level]),
                score_from=format_score(split.score_from),
                label_from=_state(split.label_from),
                score_to=format_score(split.score_to),
                label_to=_state(split.label_to),
                change=("+" if split.change > 0 else "") + i18n.number(split.change, 2),
                rank_from=f"{split.rank_from:.0f}",
                rank_to=f"{split.rank_to:.0f}",
                moved=moved,
            )
        )
    )
    st.caption(
        md(
            _(
                "The change split into indicator contributions by {rule}; they add up to it "
                "exactly. A value carried back from a later year is marked: it cannot explain a "
                "move between two years that both carry it."
            ).format(rule=_rule(split.rule))
        )
    )
    _split_chart_and_table(
        data,
        split,
        _("Why {country}'s {level} score moved").format(country=name, level=_(LEVEL_WORDS[level])),
        f"{iso3}_moved",
    )


def _split_chart_and_table(data: Dataset, split, title: str, name: str) -> None:
    labels = _labels(data)
    split = replace(split, label_from=_state(split.label_from), label_to=_state(split.label_to))
    moved = split.table.loc[split.table["contribution"] != 0, "indicator"]
    fig = explain_charts.waterfall(
        split,
        labels,
        title,
        data.catalogue.sources_line([i for i in moved if i]),
        _("{a} to {b}; the score axis does not start at 0").format(
            a=split.label_from, b=split.label_to
        ),
    )
    export_panel.chart(fig, name, data, key=f"explain_{name}")
    table = explain_charts.attribution_table(split, labels, _levers(data), data.dimension_names)
    contribution, item = _("Contribution"), _("Item")
    shown = table[(table[contribution] != 0) | (table[item] == table[item].iloc[-1])]
    st.dataframe(
        **grid(
            shown.drop(columns="indicator"),
            {contribution: st.column_config.NumberColumn(format="%+.3f")},
            "",
        ),
        hide_index=True,
        placeholder="",
        key=f"explain_table_{name}",
    )
    export_panel.table_downloads(table, name, data, _("Contributions"))


@state.callback
def _ask() -> None:
    """The target rank into the URL state: the search runs from now on (and for the link)."""
    extra = st.session_state.setdefault(state.URL_EXTRA, {})
    extra[TARGET] = str(int(state.widget_value("explain_target")))


def _what_it_takes(data: Dataset, sc: Scorecard, iso3: str) -> None:
    names = data.names
    name = names.get(iso3, iso3)
    st.subheader(_("What would it take"))
    if iso3 not in set(sc.iso3.astype(str)):
        st.info(md(_("{country} is not scored under these settings.").format(country=name)))
        return
    scored = len(sc.iso3)
    rank_now = int(sc.results.loc[iso3, "rank"])
    asked = TARGET in _link(data)  # searched once asked (or opened from a link that asks)
    target = min(_get(data, TARGET, max(1, rank_now - 10)), scored)
    left, middle, right = st.columns([1, 1, 1], vertical_alignment="bottom")
    with left:
        target = st.number_input(
            _("Target rank"),
            min_value=1,
            max_value=scored,
            value=target,
            step=1,
            key=state.widget_key("explain_target", target),
            on_change=_ask,
        )
    with middle:
        st.button(_("Find the fewest improvements"), on_click=_ask, key="explain_find")
    with right:
        policy_only = st.toggle(
            _("Policy levers only"),
            key="explain_policy_only",
            help=_(
                "Only indicators a government can change by a decision (a law, joining the EITI, "
                "its visa regime...), not slow outcomes such as democratic scores."
            ),
        )
    if not asked:
        st.caption(
            _(
                "{country} ranks {rank}. Choose a rank: the search finds the fewest indicator "
                "improvements that reach it, each in its own units."
            ).format(country=name, rank=rank_now)
        )
        return
    target = int(target)
    try:
        with st.spinner(_("Searching the smallest set of improvements…")):
            plan = _plan(
                data.token, sc.method.to_json(), iso3, target, policy_only, sc, _levers(data)
            )
    except ValueError as error:
        st.warning(md(said(error, data.id_names)))
        return
    st.markdown(md(plan_sentence(plan, name)))
    now = i18n.percent(plan.probability_now)
    if plan.probability_after is not None and plan.reachable and len(plan.changes):
        chance = _(
            "Chance of rank {target} or better now: {now}; with these improvements: {after}."
        ).format(target=target, now=now, after=i18n.percent(plan.probability_after))
    else:
        chance = _("Chance of rank {target} or better now: {now}.").format(target=target, now=now)
    st.markdown(md(chance))
    if not len(plan.changes):
        return
    indicators = data.catalogue.indicators.set_index("indicator")
    rows = explain_charts.plan_table(
        plan, indicators["name"].to_dict(), indicators["unit"].to_dict()
    )
    st.caption(
        md(
            _(
                "Each value is the least that reaches the target together with the others (every "
                "chosen indicator moved the same share of the way to the best value observed "
                "among countries; whole-number indicators in whole steps), with every country "
                "rescored, since raising a value can move the goalposts of min-max scores. "
                "Chance: share of {draws} Monte Carlo weight draws ({noise}) in which it ranks "
                "{target} or better."
            ).format(
                draws=i18n.number(DRAWS, 0), noise="±" + i18n.percent(WEIGHT_NOISE), target=target
            )
            + (
                " "
                + ngettext(
                    "{n} other set of the same size also reaches it.",
                    "{n} other sets of the same size also reach it.",
                    int(plan.alternatives),
                ).format(n=plan.alternatives)
                if plan.alternatives
                else ""
            )
        )
    )
    st.dataframe(rows.drop(columns="indicator"), hide_index=True, key="explain_plan")
    export_panel.table_downloads(rows, f"{iso3}_to_rank_{target}", data, _("Improvements"))


# What scoring.target's answers say, by their English wording, for the run's language.
def plan_sentence(plan, name: str) -> str:
    """The search's answer in one sentence, naming the country."""
    return said(plan.answer, {plan.iso3: name})
