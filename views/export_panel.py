"""Download panels under charts and tables: images, interactive HTML, CSV and Excel.

Nothing is rendered until a button is clicked (``st.download_button(data=callable,
on_click="ignore")``). Images need a Chrome/Chromium (kaleido); without one the panel says how to
get one, still offers HTML, and the chart's own camera button (modebar) still saves a PNG.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import i18n
from exports.bundle import chart_zip
from exports.images import (
    MEDIA_TYPES,
    NO_BROWSER_MESSAGE,
    ImageExportUnavailable,
    browser_available,
    ensure_server,
    figure_bytes,
    with_citation,
    with_definitions,
)
from exports.tables import (
    as_shown,
    csv_bytes,
    excel_bytes,
    neutralise_formulas,
    redistributable_indicators,
    redistribution_note,
    table_about,
    with_iso3,
)
from i18n import N_, _
from present import citation
from present.citation import Citation
from views import chart_alternative, cite
from views.data import Dataset, scorecard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    "png": "PNG",
    "svg": "SVG",
    "pdf": "PDF",
    "html": N_("HTML (interactive)"),
    "zip": N_("Chart + data (zip)"),
}
LAYOUTS = {"landscape": N_("Landscape (1280 × 720)"), "square": N_("Square (1080 × 1080)")}
SCALES = (1, 2, 3)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "chart"


def plot_config(name: str) -> dict:
    """``st.plotly_chart`` config: the modebar camera saves a 1280 × 720 PNG at 2x, named; maps
    read their country shapes from the app, never from a CDN."""
    return {
        "topojsonURL": "/app/static/topojson/",
        "toImageButtonOptions": {
            "format": "png",
            "filename": _slug(name),
            "width": 1280,
            "height": 720,
            "scale": 2,
        },
    }


@st.cache_resource(show_spinner=False)
def image_export_problem() -> str | None:
    """None when images can be rendered, else the message saying how to get a browser.
    Once per process: starts the kaleido browser in the background, so the first click is fast."""
    if not browser_available():
        return NO_BROWSER_MESSAGE

    def start() -> None:
        with contextlib.suppress(Exception):  # the click will report it
            ensure_server()

    threading.Thread(target=start, daemon=True, name="kaleido-start").start()
    return None


def chart_file(
    fig: go.Figure,
    fmt: str = "png",
    layout: str = "landscape",
    scale: float = 2,
    catalogue=None,
    indicator_ids: Iterable[str] | None = None,
    cited: Citation | None = None,
) -> bytes:
    """The chart as a file; with a catalogue, every indicator's definition is added below it,
    and with a citation, how to cite it below everything."""
    if catalogue is not None:
        fig = with_definitions(fig, catalogue, indicator_ids)
    if cited is not None:
        fig = with_citation(fig, citation.plain(cited))
    return figure_bytes(fig, fmt, layout, scale)


def _in_this_language(render: Callable[[], bytes]) -> Callable[[], bytes]:
    """`render`, run in this run's language: a download is served outside the run."""
    language = i18n.language()

    def rendered() -> bytes:
        before = i18n.language()
        i18n.use(language)
        try:
            return render()
        finally:
            i18n.use(before)

    return rendered


def _deferred(fig, fmt, layout, scale, catalogue, indicator_ids, cited) -> Callable[[], bytes]:
    def render() -> bytes:
        try:
            return chart_file(fig, fmt, layout, scale, catalogue, indicator_ids, cited)
        except ImageExportUnavailable as error:  # a browser that died since the check
            return str(error).encode("utf-8")

    return _in_this_language(render)


def _deferred_zip(
    fig, name, cited: Citation, layout, scale, catalogue, indicator_ids, problem: str | None
) -> Callable[[], bytes]:
    def render() -> bytes:
        image, reason = None, problem or ""
        if not problem:
            try:
                image = chart_file(fig, "png", layout, scale, catalogue, indicator_ids, cited)
            except ImageExportUnavailable as error:
                reason = str(error)
        return chart_zip(fig, _slug(name), cited, image, reason)

    return _in_this_language(render)


def embed_snippet(name: str, title: str) -> None:
    """The <iframe> that shows this chart alone on another site (charts views.embed knows)."""
    from views import embed  # it draws charts with this module's config

    link = embed.embed_link(name)
    if link is None:
        return
    st.caption(_("Embed: paste this into a web page to show the chart alone."))
    st.code(embed.iframe_snippet(link, title), language="html", wrap_lines=True)


def chart(fig: go.Figure, name: str, data: Dataset, key: str | None = None) -> None:
    """A chart as every page shows it: named for screen readers by the sentence that sums it
    up, the sentence and its table under it, then its Download menu."""
    chart_alternative.show(fig, key or name, name, theme=None, config=plot_config(name))
    chart_downloads(fig, name, data)


def chart_downloads(
    fig: go.Figure, name: str, data: Dataset, indicator_ids: Iterable[str] | None = None
) -> None:
    """A compact "Download" popover under a chart: format, layout, definitions, one button.
    Its content runs only while it is open, so the export browser starts on the first opening,
    not beside the first chart, and reruns skip the panel's widgets."""
    key = f"dl_{_slug(name)}"
    panel = st.popover(
        _("Download"), icon=":material/download:", key=f"{key}_popover", on_change="rerun"
    )
    if not panel.open:
        return
    with panel:
        problem = image_export_problem()
        fmt = st.radio(
            _("Format"),
            list(FORMATS),
            format_func=lambda f: _(FORMATS[f]),
            horizontal=True,
            key=f"{key}_format",
        )
        layout = st.radio(
            _("Layout"),
            list(LAYOUTS),
            format_func=lambda v: _(LAYOUTS[v]),
            horizontal=True,
            key=f"{key}_layout",
        )
        scale = 2
        if fmt in ("png", "zip"):
            scale = st.radio(
                _("PNG scale"),
                SCALES,
                index=1,
                format_func=lambda s: f"{s}x",
                horizontal=True,
                key=f"{key}_scale",
            )
        definitions = st.checkbox(
            _("Add full definitions"),
            key=f"{key}_definitions",
            help=_(
                "Every indicator's definition, proxy, limits, source and licence under the chart."
            ),
        )
        catalogue = data.catalogue if definitions else None
        indicators = list(indicator_ids) if indicator_ids is not None else None
        title = getattr(fig.layout.title, "text", None) or name
        if fmt == "zip":
            cited = cite.of_view(data, title, indicators)
            render = None
            if cited is None:
                st.info(_("These settings cannot be scored, so there is no data to package."))
            else:
                if problem:
                    st.caption(
                        _("No browser on the server: the zip holds no image (its README says why).")
                    )
                render = _deferred_zip(
                    fig, name, cited, layout, scale, catalogue, indicators, problem
                )
            mime = "application/zip"
        elif problem and fmt != "html":
            st.warning(
                _(
                    "{problem} Meanwhile: HTML and the zip work here, and the chart's camera "
                    "button (top right of the chart) saves a PNG."
                ).format(problem=problem),
                icon="🖼️",
            )
            render = None
        else:
            # Built while the panel is open: the click is served outside the run, without its URL.
            cited = cite.of_view(data, title, indicators)
            render = _deferred(fig, fmt, layout, scale, catalogue, indicators, cited)
            mime = MEDIA_TYPES[fmt]
        if render is not None:
            st.download_button(
                _("Download {format}").format(format=fmt.upper()),
                data=render,
                file_name=f"{_slug(name)}.{fmt}",
                mime=mime,
                on_click="ignore",
                icon=":material/download:",
                key=f"{key}_button",
            )
        embed_snippet(name, title)  # and the <iframe> that shows the chart alone elsewhere


def shareable_table(df: pd.DataFrame, catalogue) -> tuple[pd.DataFrame, str]:
    """The table without indicators whose source may not be redistributed (rows when it has an
    ``indicator`` column, else columns named by indicator id or name), and a note naming them."""
    _, blocked = redistributable_indicators(catalogue)
    if blocked.empty:
        return df, ""
    if "indicator" in df.columns:
        present = blocked[blocked["indicator"].isin(set(df["indicator"]))]
        return df[~df["indicator"].isin(set(blocked["indicator"]))], redistribution_note(present)
    labels = set(blocked["indicator"]) | set(blocked.get("name", pd.Series(dtype=str)))
    dropped = [c for c in df.columns if c in labels]
    present = blocked[blocked["indicator"].isin(dropped) | blocked["name"].isin(dropped)]
    return df.drop(columns=dropped), redistribution_note(present)


def table_export(df: pd.DataFrame, data: Dataset, formats=None) -> tuple[pd.DataFrame, str]:
    """(the table as its downloads carry it: iso3 beside the name, rounded and in percent as
    `formats` shows it, redistributable columns only; the note naming what was left out)."""
    kept, note = shareable_table(with_iso3(df), data.catalogue)
    return as_shown(kept, formats), note


def table_downloads(
    df: pd.DataFrame, name: str, data: Dataset, what: str | None = None, formats=None
) -> None:
    """CSV and Excel buttons under a table (rendered on click), side by side. The files carry
    what the screen shows: `formats` is the table's ``column_config`` (numbers rounded and
    shares as percentages by it), iso3 beside the name of a country table, and the Method and
    citation of the current scorecard."""
    key = f"dl_{_slug(name)}"
    kept, note = table_export(df, data, formats)

    try:
        sc = scorecard(data)  # cached: the page's own
    except ValueError:  # an impossible method: the table still downloads, without a Method
        sc = None
    language = i18n.language()

    def about() -> list[str]:
        # At the click, maybe outside this run: the Method and citation in the page's language.
        i18n.use(language)
        return [] if sc is None else table_about(sc, data.catalogue, name)

    row = st.container(horizontal=True)
    row.download_button(
        _("{what} (CSV)").format(what=what or _("Table")),
        data=lambda: csv_bytes(neutralise_formulas(kept), about=about()),
        file_name=f"{_slug(name)}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_csv",
    )
    row.download_button(
        _("{what} (Excel)").format(what=what or _("Table")),
        data=lambda: excel_bytes({_slug(name)[:31]: neutralise_formulas(kept)}, about=about()),
        file_name=f"{_slug(name)}.xlsx",
        mime=XLSX,
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_xlsx",
    )
    if note:
        st.caption(note)
