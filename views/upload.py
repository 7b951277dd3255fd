"""Bring your own data: upload values (and optionally a framework), see every rejected cell with its
reason, and score the accepted rows on every page of this session."""

import streamlit as st

from exports.tables import csv_bytes
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
from scoring.method import DEFAULT_YEAR_WINDOW, Method
from views import sidebar
from views.data import Dataset, scorecard, shipped_dataset
from views.text import md

# Session keys: the files last uploaded (kept across pages, unlike the uploader widgets), the
# dataset every page uses (views.data.dataset_or_stop), and a counter that empties the uploaders.
FILES, DATASET, ROUND = "upload_files", "uploaded_dataset", "upload_round"
EXCEL_AND_CSV = ["csv", "xlsx"]


@st.cache_resource(max_entries=4, show_spinner="Checking your files…")
def checked(
    token: str, names: tuple[str, ...], _values: UploadedFile, _framework: UploadedFile | None
) -> UploadCheck:
    # Keyed by the names too: the report quotes them, and a session that uploads the same bytes
    # under other names must not see the names another session used.
    shipped = shipped_dataset()
    return check_upload(
        _values, _framework, shipped.catalogue, shipped.countries, DEFAULT_YEAR_WINDOW
    )


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
    "Score your own values with this app's methods. Your files are checked with the same rules as "
    "the shipped data and stay in this browser session: nothing is saved."
)
if active is not None:
    uploaded = " + ".join(file.name for file in files.values()) or "your files"
    st.success(f"Every page now uses your uploaded data: {md(uploaded)}.", icon="📤")
    st.button("Use the shipped data again", on_click=use_shipped_data, key="upload_use_shipped")
else:
    st.info("Every page uses the shipped data. Upload a values file to score yours instead.")

# ---- templates
st.subheader("1. Start from a template")
values_column, framework_column = st.columns(2)
with values_column:
    st.markdown(
        f"**Values** (long format): `{', '.join(VALUES_REQUIRED)}`, optional "
        f"`{', '.join(VALUES_OPTIONAL)}`. One row per country, indicator and year; `iso3` is the "
        "ISO 3166 alpha-3 code."
    )
    st.download_button(
        "Download the values template (CSV)",
        values_template(shipped.values),
        file_name="values_template.csv",
        mime="text/csv",
        key="upload_values_template",
    )
with framework_column:
    st.markdown(
        f"**Framework** (optional): `{', '.join(FRAMEWORK_REQUIRED)}`, optional "
        f"`{', '.join(FRAMEWORK_OPTIONAL)}`. Without one, the values must use the catalogue's "
        "indicator ids; with one, your own ids, dimensions, directions (1 or -1) and weights."
    )
    st.download_button(
        "Download the framework template (CSV)",
        framework_template(shipped.catalogue),
        file_name="framework_template.csv",
        mime="text/csv",
        key="upload_framework_template",
    )
with st.expander("Indicator ids and country codes you can use"):
    ids, codes = st.columns([3, 2])
    ids.dataframe(
        shipped.catalogue.indicators[
            ["indicator", "name", "dimension", "unit", "direction", "range_low", "range_high"]
        ],
        hide_index=True,
        key="upload_indicator_ids",
    )
    codes.dataframe(
        shipped.countries[["iso3", "name"]], hide_index=True, key="upload_country_codes"
    )

# ---- upload
st.subheader("2. Upload your files")
values_key, framework_key = f"upload_values_{upload_round}", f"upload_framework_{upload_round}"
st.file_uploader(
    "Values file (CSV or Excel .xlsx)",
    type=EXCEL_AND_CSV,
    key=values_key,
    on_change=keep_file("values", values_key),
    help="Read as text: 'n/a' or 'NA' in a number column is reported, not turned into a gap.",
)
st.file_uploader(
    "Framework file (optional, CSV or Excel .xlsx)",
    type=EXCEL_AND_CSV,
    key=framework_key,
    on_change=keep_file("framework", framework_key),
)
if "values" not in files:
    if active is not None:
        switch_to(None, "Your values file was removed: every page uses the shipped data again.")
    st.info("Upload a values file to check it." if not files else "Now add the values file.")
    st.stop()
values_file, framework_file = files["values"], files.get("framework")
uploaded_names = tuple(file.name if file else "" for file in (values_file, framework_file))
report = checked(
    upload_token([values_file, framework_file]), uploaded_names, values_file, framework_file
)

# ---- the checks
st.subheader("3. What the checks found")
st.caption(
    "Checked files: " + md(", ".join(file.name for file in (framework_file, values_file) if file))
)
for file in (report.framework, report.values):
    if file is None:
        continue
    if file.problem:
        st.error(md(file.problem))
    else:
        st.markdown(f"**{md(file.where)}**: {file.accounting()}")
failures = report.failures()
if len(failures):
    st.container(key="upload_failures").dataframe(
        failures,
        hide_index=True,
        column_config={
            "file": "File",
            "line": st.column_config.NumberColumn(
                "Line", format="%d", help="Line of the CSV file, or row of the Excel sheet"
            ),
            "column": "Column",
            "value": "Value",
            "reason": st.column_config.TextColumn("Reason", width="large"),
        },
    )
    st.download_button(
        "Download the failures (CSV)",
        csv_bytes(report.failures(), bom=False),  # cells quote the file: no formulas
        file_name="upload_failures.csv",
        mime="text/csv",
        key="upload_failures_download",
    )
elif not (report.values.problem or (report.framework and report.framework.problem)):
    st.success("Every row passed the checks.")

# ---- what is used
st.subheader("4. What the app uses")
if report.usable:
    if active is None or active.token != report.token:
        dataset = Dataset(report.catalogue, shipped.countries, report.values_used, report.token)
        switch_to(dataset, "New data: the scoring settings were reset to the defaults.")
    st.markdown("Every page now scores the accepted rows: " + md(report.notes[0]))
    try:
        scorecard(active, Method())
    except ValueError as error:
        st.warning(f"The accepted rows cannot be scored with the default method: {md(error)}")
    for note in report.notes[1:]:
        st.caption(md(note))
    st.caption(
        "Rejected rows are left out, not repaired. Fix them in your file and upload it again."
    )
else:
    if active is not None:
        switch_to(None, "Nothing in your upload was accepted: every page uses the shipped data.")
    st.warning("No row was accepted, so every page keeps using the shipped data.")
