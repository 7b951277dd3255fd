"""Scenarios: save the current method under a name, load it back, compare two side by side, and
share or reproduce it."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import streamlit as st

import i18n
from exports.reproduce import method_file, reproduce_snippet
from i18n import N_, _
from present import charts
from present.errors import said
from present.scenarios import RANK_CHANGE_HELP, column, scenario_table
from present.tables import grid, method_summary
from scoring.method import Method
from scoring.pipeline import check_references
from store.scenarios import (
    ScenarioError,
    ScenarioStore,
    compare,
    default_location,
    scenario_query,
)
from views import export_panel, language, state
from views.data import dataset_or_stop, scorecard
from views.text import file_name, md

CURRENT = N_("Current method")  # an option value (not translated); shown by shown_name
SESSION_KEY = "scenario_session_id"
MAX_TEAM_KEY = 200
TOML = "application/toml"

# Translated while the page runs: a format_func may also be called outside the run.
current_label = _(CURRENT)
data = dataset_or_stop()
framework = data.catalogue.framework()
names = data.names
dimension_names = data.dimension_names


@st.cache_resource(show_spinner=False)
def store_at(location: str) -> ScenarioStore:
    return ScenarioStore(location)


def store() -> ScenarioStore:
    # Read on every run: SCORECARD_DATABASE_URL, else SCORECARD_SCENARIOS, else the default file.
    return store_at(default_location())


def team_key_problem(team: str) -> str | None:
    """Why a team key cannot be used, never quoting it (it is typed in a password field)."""
    if len(team) > MAX_TEAM_KEY:
        return _("it has {count} characters; at most {most}").format(
            count=i18n.number(len(team), 0), most=MAX_TEAM_KEY
        )
    for position, char in enumerate(team, start=1):
        if not char.isprintable():
            return _(
                "it contains a control or invisible character ({code}) at position {position}"
            ).format(code=f"U+{ord(char):04X}", position=position)
    return None


def owner() -> str:
    team = st.session_state.get("scenario_team_key", "").strip()
    if team:
        if problem := team_key_problem(team):
            raise ScenarioError(
                _("The team key cannot be used: {problem}.").format(problem=problem)
            )
        return f"team:{team}"
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = uuid.uuid4().hex
    return f"session:{st.session_state[SESSION_KEY]}"


def report(action, success) -> None:
    """Run a store action from a callback; its outcome is shown on the next run. `success` is
    called for the message: callbacks run before the page, so the language is set here first."""
    i18n.use(language.current())
    try:
        action()
    except ScenarioError as error:
        st.session_state.scenario_message = ("warning", str(error))
    else:
        st.session_state.scenario_message = ("success", success())


def save() -> None:
    name = st.session_state.scenario_name
    overwrite = st.session_state.scenario_overwrite
    report(
        lambda: store().save(owner(), name, state.method(), overwrite=overwrite),
        lambda: _("Saved the current method as “{name}”.").format(name=name.strip()),
    )


def load(name: str) -> None:
    def apply() -> None:
        method = store().load(owner(), name, framework)
        try:
            check_references(method, data.countries)
        except ValueError as error:
            raise ScenarioError(
                _(
                    "“{name}” does not fit this data ({error}); the current method is unchanged."
                ).format(name=name, error=said(error, data.id_names))
            ) from None
        state.set_method(method)  # every widget showing the state follows (state.widget_key)

    report(apply, lambda: _("Loaded “{name}”: every page now scores with it.").format(name=name))


def rename(old: str) -> None:
    new = st.session_state.scenario_new_name
    report(
        lambda: store().rename(owner(), old, new),
        lambda: _("Renamed “{old}” to “{new}”.").format(old=old, new=new.strip()),
    )


def delete(name: str) -> None:
    report(lambda: store().delete(owner(), name), lambda: _("Deleted “{name}”.").format(name=name))


def import_file() -> None:
    upload = st.session_state.scenario_upload
    if upload is None:
        i18n.use(language.current())
        st.session_state.scenario_message = ("info", _("Choose a TOML file to import first."))
        return
    name = st.session_state.scenario_import_name.strip() or None
    report(
        lambda: store().import_toml(owner(), name, upload.getvalue(), framework),
        lambda: _("Imported “{file}”.").format(file=upload.name),
    )


def changes(method: Method) -> str:
    return "; ".join(f"{k} = {v}" for k, v in method.to_query().items()) or _("none (the default)")


def download_current_method(label: str, key: str) -> None:
    method = state.method()  # a plain value for the download callable
    st.download_button(
        label,
        data=lambda: method_file(method),
        file_name="method.toml",
        mime=TOML,
        on_click="ignore",
        key=key,
        icon=":material/download:",
    )


def shown_name(choice: str) -> str:
    """An option as shown: the current method in the run's language, saved names as typed."""
    return current_label if choice == CURRENT else choice


def method_of(choice: str) -> Method:
    return state.method() if choice == CURRENT else store().load(owner(), choice, framework)


st.caption(
    _(
        "A scenario is a named scoring method (weights, years, normalisation, aggregation, ...). "
        "Scenarios are private to this browser session unless you type a team key: everyone who "
        "types the same key shares the same list. Do not use a key others could guess."
    )
)
st.text_input(
    _("Team key (optional)"),
    key="scenario_team_key",
    type="password",  # no max_chars: Streamlit would cut a longer key silently
    help=_("Leave empty to keep scenarios to this session (they are lost when it ends)."),
)
try:
    owner_key = owner()
except ScenarioError as error:
    st.warning(md(error) + " " + _("Change or clear it to see the scenarios."))
    st.stop()
current = state.method()  # a plain value for the download callables
if message := st.session_state.pop("scenario_message", None):
    getattr(st, message[0])(md(message[1]))  # messages quote scenario and file names

try:
    saved = store().list(owner())
except ScenarioError as error:
    # A damaged or unreadable store: say so, keep the current method within reach, touch nothing.
    st.error(
        _("Saved scenarios are unavailable.")
        + f" {md(error)}\n\n"
        + _(
            "Your current method is not affected: it is in this page's link and the other pages "
            "work as usual. To keep it, copy the link or download the method below."
        )
    )
    download_current_method(
        _("Download the current method (TOML)"), "scenario_method_toml_unavailable"
    )
    st.stop()
saved_names = [s.name for s in saved]

# ---- save the current method
st.header(_("Save the current method"))
try:
    st.caption(method_summary(scorecard(data), dimension_names))
except ValueError as error:
    st.warning(
        _("The current method cannot score the data: {error}").format(
            error=said(error, data.id_names)
        )
    )
name_column, overwrite_column, button_column = st.columns([3, 1, 1], vertical_alignment="bottom")
name_column.text_input(_("Scenario name"), key="scenario_name", max_chars=80)
overwrite_column.checkbox(_("Replace if it exists"), key="scenario_overwrite")
button_column.button(_("Save"), on_click=save, key="scenario_save", icon=":material/save:")

# ---- saved scenarios
st.header(_("Saved scenarios"))
if not saved:
    st.info(_("No saved scenarios yet: set the weights and method, then save them above."))
else:
    st.dataframe(
        [
            {
                _("Scenario"): s.name,
                _("Changes from the default method"): changes(s.method)
                if s.method
                else _("unusable: {problem}").format(problem=s.problem),
                _("Saved"): s.updated[:16].replace("T", " "),
            }
            for s in saved
        ],
        hide_index=True,
        key="scenario_list",
    )
    chosen = st.selectbox(_("Scenario"), saved_names, key="scenario_chosen")
    load_column, delete_column, export_column = st.columns(3)
    load_column.button(
        _("Load"), on_click=load, args=(chosen,), key="scenario_load", icon=":material/upload:"
    )
    delete_column.button(
        _("Delete"),
        on_click=delete,
        args=(chosen,),
        key="scenario_delete",
        icon=":material/delete:",
    )
    export_column.download_button(
        _("Export as TOML"),
        data=lambda: store().export_toml(owner_key, chosen),
        file_name=file_name(chosen, ".toml"),
        mime=TOML,
        on_click="ignore",
        key="scenario_export",
        icon=":material/download:",
    )
    new_column, rename_column = st.columns([3, 1], vertical_alignment="bottom")
    new_column.text_input(_("New name"), key="scenario_new_name", max_chars=80)
    rename_column.button(_("Rename"), on_click=rename, args=(chosen,), key="scenario_rename")

with st.expander(_("Import a scenario file (TOML)")):
    st.file_uploader(_("Scenario file"), type=["toml"], key="scenario_upload")
    st.text_input(
        _("Name (optional)"),
        key="scenario_import_name",
        help=_("Empty: the name written in the file."),
    )
    st.button(_("Import"), on_click=import_file, key="scenario_import")

# ---- compare two scenarios
st.header(_("Compare two scenarios"))
options = [CURRENT, *saved_names]
left, right = st.columns(2)
first = left.selectbox(_("Scenario A"), options, key="scenario_a", format_func=shown_name)
second = right.selectbox(
    _("Scenario B"),
    options,
    index=min(1, len(options) - 1),
    key="scenario_b",
    format_func=shown_name,
)
if len(options) < 2:
    st.info(_("Save a scenario to compare it with the current method."))
else:
    try:
        sc_a, sc_b = scorecard(data, method_of(first)), scorecard(data, method_of(second))
    except (ScenarioError, ValueError) as error:
        st.warning(
            _("These scenarios cannot be compared: {error}").format(
                error=md(said(error, data.id_names))
            )
        )
        st.stop()
    table = compare(sc_a, sc_b)
    sources = data.catalogue.sources_line()
    fig = charts.scenario_scatter(table, names, shown_name(first), shown_name(second), sources)
    export_panel.chart(fig, "scenario_scatter", data)
    shown = scenario_table(table, names)
    st.dataframe(
        **grid(
            shown,
            {
                column("overall_a"): st.column_config.NumberColumn(format="%.1f"),
                column("overall_b"): st.column_config.NumberColumn(format="%.1f"),
                column("overall_delta"): st.column_config.NumberColumn(format="%+.1f"),
                column("rank_change"): st.column_config.NumberColumn(
                    format="%+d", help=_(RANK_CHANGE_HELP)
                ),
            },
            "no data",
        ),
        hide_index=True,
        placeholder="no data",
        key="scenario_compare",
    )
    st.caption(
        _("A: {first}. B: {second}. Empty cells: not scored in that scenario.").format(
            first=md(shown_name(first)), second=md(shown_name(second))
        )
    )
    export_panel.table_downloads(shown, "scenario_compare", data)

# ---- share and reproduce
st.header(_("Share"))
share = st.selectbox(_("Scenario to share"), options, key="scenario_share", format_func=shown_name)
try:
    query = urlencode(scenario_query(method_of(share)))
except (ScenarioError, ValueError) as error:
    st.warning(md(said(error, data.id_names)))
else:
    base = (st.context.url or "").split("?")[0]
    base = base.removesuffix("scenarios").removesuffix("/") + "/" if base else "/"
    st.code(f"{base}{'?' + query if query else ''}", language=None)
    st.caption(
        _(
            "The link carries the method itself, not a reference to the saved scenario: anyone "
            "who opens it sees the same scores."
        )
    )

with st.expander(_("Reproduce this (current method)")):
    st.code(reproduce_snippet(current), language="python")
    download_current_method(_("Download the method (TOML)"), "scenario_method_toml")
