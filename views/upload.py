"""Bring your own data: upload values (and optionally a framework), see every rejected cell with its
reason, and score the accepted rows on every page of this session."""

import re

import streamlit as st

import i18n
from exports.tables import csv_bytes
from i18n import _
from indicators.upload_text import translated
from indicators.uploads import (
    FRAMEWORK_OPTIONAL,
    FRAMEWORK_REQUIRED,
    VALUES_OPTIONAL,
    VALUES_REQUIRED,
    UploadCheck,
    UploadedFile,
    check_upload,
    framework_template,
    upload_token,
    values_template,
)
from present.errors import said
from present.tables import grid
from scoring.method import DEFAULT_YEAR_WINDOW, Method
from views import sidebar
from views.data import Dataset, scorecard, shipped_dataset
from views.text import md

# Session keys: the files last uploaded (kept across pages, unlike the uploader widgets), the
# dataset every page uses (views.data.dataset_or_stop), and a counter that empties the uploaders.
FILES, DATASET, ROUND = "upload_files", "uploaded_dataset", "upload_round"
EXCEL_AND_CSV = ["csv", "xlsx"]


@st.cache_resource(max_entries=4, show_spinner=False)
def checked(
    token: str,
    names: tuple[str, ...],
    lang: str,
    _values: UploadedFile,
    _framework: UploadedFile | None,
) -> UploadCheck:
    # Keyed by the names too: the report quotes them, and a session that uploads the same bytes
    # under other names must not see the names another session used. By the language: the
    # report is written in it.
    shipped = shipped_dataset()
    return check_upload(
        _values, _framework, shipped.catalogue, shipped.countries, DEFAULT_YEAR_WINDOW
    )


@st.cache_resource(max_entries=4, show_spinner=False)
def failures_shown(token: str, names: tuple[str, ...], lang: str, _report: UploadCheck):
    """The report's failures with the checks' reasons (written in English by scoring/) in the
    reader's language; kept, as a file can have 200,000 of them."""
    failures = _report.failures()
    if lang == i18n.DEFAULT:
        return failures
    return failures.assign(reason=failures["reason"].map(translated))


# The columns a file must or may have: named as written in the file, so shown as code.
COLUMNS = re.compile(
    r"(?<![\w\\`])("
    + "|".join(dict.fromkeys(VALUES_REQUIRED + VALUES_OPTIONAL + FRAMEWORK_REQUIRED
                             + FRAMEWORK_OPTIONAL))
    + r")(?![\w`]|\\_|\.\w)"
)  # fmt: skip


def shown(text: object) -> str:
    """A file's problem as shown: as written (md), the column names it quotes as code."""
    return COLUMNS.sub(r"`\1`", md(text))


def keep_file(kind: str, key: str):
    """Uploader callback: remember the file's name and bytes (or forget it when removed)."""

    def callback() -> None:
        files = dict(st.session_state.get(FILES, {}))
        upload = st.session_state.get(key)
        if upload is None:
            files.pop(kind, None)
        else:
            files[kind] = UploadedFile(upload.name, upload.getvalue())
        st.session_state[FILES] = files

    return callback


def use_shipped_data() -> None:
    st.session_state.pop(DATASET, None)
    st.session_state.pop(FILES, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    sidebar.reset()


def switch_to(dataset: Dataset | None, notice: str) -> None:
    """Make every page use `dataset` (None: the shipped data) from the next run on."""
    if dataset is None:
        st.session_state.pop(DATASET, None)
    else:
        st.session_state[DATASET] = dataset
    sidebar.reset()  # weights and overrides name the old data's indicators and dimensions
    st.session_state.notices = [*st.session_state.get("notices", []), notice]
    st.rerun()


shipped = shipped_dataset()
files = st.session_state.get(FILES, {})
active = st.session_state.get(DATASET)
upload_round = st.session_state.get(ROUND, 0)

st.caption(
    _(
        "Score your own values with this app's methods. Your files are checked with the same "
        "rules as the shipped data and stay in this browser session: nothing is saved."
    )
)
if active is not None:
    uploaded = " + ".join(file.name for file in files.values()) or _("your files")
    st.success(
        _("Every page now uses your uploaded data: {files}.").format(files=md(uploaded)), icon="📤"
    )
    st.button(_("Use the shipped data again"), on_click=use_shipped_data, key="upload_use_shipped")
else:
    st.info(_("Every page uses the shipped data. Upload a values file to score yours instead."))

# ---- templates
st.subheader(_("1. Start from a template"))
values_column, framework_column = st.columns(2)
with values_column:
    st.markdown(
        _(
            "**Values** (long format): {required}, optional {optional}. One row per country, "
            "indicator and year; `iso3` is the ISO 3166 alpha-3 code."
        ).format(
            required=f"`{', '.join(VALUES_REQUIRED)}`", optional=f"`{', '.join(VALUES_OPTIONAL)}`"
        )
    )
    st.download_button(
        _("Download the values template (CSV)"),
        values_template(shipped.values),
        file_name="values_template.csv",
        mime="text/csv",
        key="upload_values_template",
    )
with framework_column:
    st.markdown(
        _(
            "**Framework** (optional): {required}, optional {optional}. Without one, the values "
            "must use the catalogue's indicator ids; with one, your own ids, dimensions, "
            "directions (1 or -1) and weights."
        ).format(
            required=f"`{', '.join(FRAMEWORK_REQUIRED)}`",
            optional=f"`{', '.join(FRAMEWORK_OPTIONAL)}`",
        )
    )
    st.download_button(
        _("Download the framework template (CSV)"),
        framework_template(shipped.catalogue),
        file_name="framework_template.csv",
        mime="text/csv",
        key="upload_framework_template",
    )
with st.expander(_("Indicator ids and country codes you can use")):
    ids, codes = st.columns([3, 2])
    # The ids are what a file must hold (shown as written); the headings are the reader's.
    indicator_headings = {
        "indicator": _("Indicator id"),
        "name": _("Name"),
        "dimension": _("Dimension id"),
        "unit": _("Unit"),
        "direction": _("Direction"),
        "range_low": _("Lowest possible"),
        "range_high": _("Highest possible"),
    }
    indicators = shipped.catalogue.indicators[list(indicator_headings)].assign(
        name=lambda t: t["indicator"].map(shipped.catalogue.indicator_names())
    )  # names through the catalogue's accessor, which speaks the reader's language
    ids.dataframe(
        indicators.rename(columns=indicator_headings), hide_index=True, key="upload_indicator_ids"
    )
    countries = shipped.countries[["iso3"]].assign(
        name=lambda t: t["iso3"].map(shipped.names).fillna(t["iso3"])
    )
    codes.dataframe(
        countries.rename(columns={"iso3": "ISO3", "name": _("Country")}),
        hide_index=True,
        key="upload_country_codes",
    )

# ---- upload
st.subheader(_("2. Upload your files"))
values_key, framework_key = f"upload_values_{upload_round}", f"upload_framework_{upload_round}"
st.file_uploader(
    _("Values file (CSV or Excel .xlsx)"),
    type=EXCEL_AND_CSV,
    key=values_key,
    on_change=keep_file("values", values_key),
    help=_("Read as text: 'n/a' or 'NA' in a number column is reported, not turned into a gap."),
)
st.file_uploader(
    _("Framework file (optional, CSV or Excel .xlsx)"),
    type=EXCEL_AND_CSV,
    key=framework_key,
    on_change=keep_file("framework", framework_key),
)
if "values" not in files:
    if active is not None:
        switch_to(None, _("Your values file was removed: every page uses the shipped data again."))
    st.info(_("Upload a values file to check it.") if not files else _("Now add the values file."))
    st.stop()
values_file, framework_file = files["values"], files.get("framework")
uploaded_names = tuple(file.name if file else "" for file in (values_file, framework_file))
with st.spinner(_("Checking your files…")):
    report = checked(
        upload_token([values_file, framework_file]),
        uploaded_names,
        i18n.language(),
        values_file,
        framework_file,
    )

# ---- the checks
st.subheader(_("3. What the checks found"))
st.caption(
    _("Checked files: {files}").format(
        files=md(", ".join(file.name for file in (framework_file, values_file) if file))
    )
)
for file in (report.framework, report.values):
    if file is None:
        continue
    if file.problem:
        st.error(shown(file.problem))
    else:
        st.markdown(f"**{md(file.where)}**: {file.accounting()}")
failures = failures_shown(report.token, uploaded_names, i18n.language(), report)
if len(failures):
    headings = {
        "file": _("File"),
        "line": _("Line"),
        "column": _("Column"),
        "value": _("Value"),
        "reason": _("Reason"),
    }
    shown_failures = failures.rename(columns=headings)
    st.container(key="upload_failures").dataframe(
        **grid(
            shown_failures,
            {
                headings["line"]: st.column_config.NumberColumn(
                    format="%d", help=_("Line of the CSV file, or row of the Excel sheet")
                ),
                headings["reason"]: st.column_config.TextColumn(width="large"),
            },
        ),
        hide_index=True,
    )
    st.download_button(
        _("Download the failures (CSV)"),
        # The English file keeps the column ids scripts read; another language's, its headings.
        csv_bytes(
            failures if i18n.language() == i18n.DEFAULT else shown_failures, bom=False
        ),  # cells quote the file: no formulas
        file_name="upload_failures.csv",
        mime="text/csv",
        key="upload_failures_download",
    )
elif not (report.values.problem or (report.framework and report.framework.problem)):
    st.success(_("Every row passed the checks."))

# ---- what is used
st.subheader(_("4. What the app uses"))
if report.usable:
    if active is None or active.token != report.token:
        dataset = Dataset(report.catalogue, shipped.countries, report.values_used, report.token)
        switch_to(dataset, _("New data: the scoring settings were reset to the defaults."))
    st.markdown(
        _("Every page now scores the accepted rows: {summary}").format(summary=md(report.notes[0]))
    )
    try:
        scorecard(active, Method())
    except ValueError as error:
        st.warning(
            _("The accepted rows cannot be scored with the default method: {error}").format(
                error=md(said(error, active.id_names if active else None))
            )
        )
    for note in report.notes[1:]:
        st.caption(md(note))
    st.caption(
        _("Rejected rows are left out, not repaired. Fix them in your file and upload it again.")
    )
else:
    if active is not None:
        switch_to(None, _("Nothing in your upload was accepted: every page uses the shipped data."))
    st.warning(_("No row was accepted, so every page keeps using the shipped data."))
