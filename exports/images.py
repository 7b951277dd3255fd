"""Charts to files: PNG, SVG, PDF through kaleido (headless Chromium), HTML without a browser.

One kaleido browser serves the whole process: started on the first static export
(``kaleido.start_sync_server``, about 2 s), reused afterwards (about 0.3–0.5 s per image on two
cores). Renders are serialised with a lock, so Streamlit's session threads can share it.

Sizes are logical pixels (CSS px); ``scale`` multiplies the PNG's pixels (2 = sharp on slides and
high-density screens); SVG and PDF are vector and ignore it:

* ``landscape``: 1280 x 720, 16:9, a slide or a report page (PNG 2560 x 1440 at scale 2);
* ``square``: 1080 x 1080, social media posts (PNG 2160 x 2160 at scale 2).

The figure's own title, subtitle and source footer (``charts.finish``) travel with it; the plot
area takes what is left. A PNG is always the layout's size x scale (the name is the size):
:func:`with_definitions` adds the indicator definitions below the footer, taking their room
from the plot, and a long ranking's labels shrink to fit (:func:`fitted`).

Maps render offline: kaleido reads the Natural Earth geometry shipped in ``static/topojson``
(``pio.defaults.topojson``), and HTML exports embed it (``window.PlotlyGeoAssets``).
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import textwrap
import threading
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

import plotly.graph_objects as go
import plotly.io as pio

import i18n
from i18n import _

ROOT = Path(__file__).resolve().parent.parent
TOPOJSON_DIR = ROOT / "static" / "topojson"
#: kaleido's topojson setting: a folder URL ending in "/", holding world_110m.json.
TOPOJSON_URL = TOPOJSON_DIR.as_uri() + "/"

Format = Literal["png", "svg", "pdf", "html"]
Layout = Literal["landscape", "square"]
FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "html")
#: Export canvas per layout: (width, height) in logical pixels.
LAYOUTS: dict[str, tuple[int, int]] = {"landscape": (1280, 720), "square": (1080, 1080)}
MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
}
#: Seconds kaleido waits for one render before giving up.
RENDER_TIMEOUT = 60

NO_BROWSER_MESSAGE = (
    "Image export (PNG, SVG, PDF) needs Chrome or Chromium, and none was found. "
    "Install one (Debian/Ubuntu: `sudo apt-get install chromium`) or set the environment "
    "variable BROWSER_PATH to its executable, then restart. HTML export works without it."
)

_DEFINITION_FONT = 10
_DEFINITION_LINE = 13  # px per line of definitions
_DEFINITION_WRAP = 165  # characters per line: fits 1080 px at 10 px Arial

_server_lock = threading.Lock()
_render_lock = threading.Lock()
_server_started = False


class ImageExportUnavailable(RuntimeError):
    """No Chrome/Chromium to render with; the message says how to get one."""


def browser_path() -> str | None:
    """The Chrome/Chromium kaleido would use: ``BROWSER_PATH`` if it is executable, else the
    first Chromium-family browser on PATH (or in choreographer's download folder), else None."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        found = shutil.which(explicit)
        return found if found else None
    try:
        from choreographer.browsers.chromium import Chromium

        return Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 (best effort; fall back to PATH)
        return shutil.which("chromium") or shutil.which("google-chrome")


def browser_available() -> bool:
    return browser_path() is not None


def _configure_plotly() -> None:
    """Offline maps and no per-call warning about HTTP headers (ignored by a running server)."""
    if pio.defaults.topojson is None:
        pio.defaults.topojson = TOPOJSON_URL
    if hasattr(pio.defaults, "headers"):
        pio.defaults.headers = None


def ensure_server() -> None:
    """Start the process's kaleido browser once (thread-safe); raise ImageExportUnavailable
    without a browser. Cheap after the first call."""
    global _server_started
    if _server_started and _server_alive():
        return
    with _server_lock:
        if _server_started and _server_alive():
            return
        path = browser_path()
        if path is None:
            raise ImageExportUnavailable(NO_BROWSER_MESSAGE)
        import kaleido

        _configure_plotly()
        if _server_started:  # the browser died: start a fresh one
            kaleido.stop_sync_server(silence_warnings=True)
        # The server constructs its browser in a thread: a missing browser would hang every
        # later call, hence the check above. mathjax=False: no CDN request (no LaTeX used).
        kaleido.start_sync_server(
            silence_warnings=True, path=path, mathjax=False, timeout=RENDER_TIMEOUT
        )
        _server_started = True


def stop_server() -> None:
    """Close the kaleido browser if this module started it (command-line runs call this before
    exiting, so Chromium's profile folder is removed cleanly)."""
    global _server_started
    with _server_lock:
        if not _server_started:
            return
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _server_started = False


def _server_alive() -> bool:
    try:
        import kaleido

        server = kaleido._global_server
        if not server.is_running():
            return False
        thread = getattr(server, "_thread", None)
        return thread is None or thread.is_alive()
    except Exception:  # noqa: BLE001 (private attribute: assume alive if it moved)
        return True


def canvas_size(fig: go.Figure, layout: Layout | tuple[int, int] = "landscape") -> tuple[int, int]:
    """(width, height) in logical px: exactly the layout's size, whatever the figure holds, so a
    "landscape 1280 x 720" PNG at scale 2 is 2560 x 1440 pixels (:func:`fitted` makes a taller
    figure and added definitions fit inside).

    >>> canvas_size(go.Figure(), "square"), canvas_size(go.Figure(layout={"height": 1500}))
    ((1080, 1080), (1280, 720))
    """
    if isinstance(layout, tuple):
        width, height = layout
    elif layout in LAYOUTS:
        width, height = LAYOUTS[layout]
    else:
        raise ValueError(f"layout: unknown choice {layout!r} (known: {', '.join(LAYOUTS)})")
    return int(width), int(height)


#: Smallest and largest font (px) of a category axis's labels when rows are fitted to a canvas.
_MIN_LABEL_FONT, _MAX_LABEL_FONT = 7, 13
#: Least height (px) the plot keeps; with more around it, the drawing is made larger and scaled
#: down, so the file still has the layout's pixels.
_MIN_PLOT = 220


def fitted(fig: go.Figure, width: int, height: int) -> tuple[go.Figure, int, int]:
    """(a copy of `fig` laid out to be drawn at `width` x `height`, the drawing's logical width
    and height). The figure's height becomes the drawing's; the title and legend keep their
    distance in px from the top (``finish`` places them as fractions of the height); a
    horizontal bar chart's country labels shrink to fit their rows. When title, footer and
    definitions leave the plot less than _MIN_PLOT px, the drawing is larger in the canvas's
    proportions (16:9 stays 16:9) and :func:`figure_bytes` scales it down to the canvas.

    >>> # 60 + 700 + 220 = 980 px high at least: 109 steps of 16 x 9 px
    >>> fitted(go.Figure(layout={"height": 932, "margin": {"t": 60, "b": 700}}), 1280, 720)[1:]
    (1744, 981)
    """
    out = go.Figure(fig)
    margin = out.layout.margin
    around = (margin.t if margin.t is not None else 100) + (margin.b or 80)
    if height - around < _MIN_PLOT:
        unit = math.gcd(width, height)
        steps = math.ceil((around + _MIN_PLOT) / (height // unit))
        width, height = width // unit * steps, height // unit * steps
    own = out.layout.height or height
    if own != height:
        for part in (out.layout.title, out.layout.legend):
            if part.yref == "container" and part.y is not None:
                part.y = 1 - (1 - part.y) * own / height
    out.update_layout(width=width, height=height)
    rows = max((len(t.y) for t in out.data if t.type == "bar" and t.orientation == "h" and
                t.y is not None), default=0)  # fmt: skip
    if rows:
        size = int((height - around) / rows * 0.75)
        out.update_yaxes(tickfont={"size": max(_MIN_LABEL_FONT, min(_MAX_LABEL_FONT, size))})
    return out, width, height


def figure_bytes(
    fig: go.Figure,
    fmt: Format = "png",
    layout: Layout | tuple[int, int] = "landscape",
    scale: float = 2,
) -> bytes:
    """The figure as a file: PNG/SVG/PDF (kaleido; ImageExportUnavailable without a browser) or
    standalone interactive HTML (plotly.js and map geometry inlined; no browser needed). A PNG
    has exactly the layout's size x `scale` in pixels (2560 x 1440 for landscape at 2x)."""
    if fmt not in FORMATS:
        raise ValueError(f"format: unknown choice {fmt!r} (known: {', '.join(FORMATS)})")
    width, height = canvas_size(fig, layout)
    fig, drawn_width, drawn_height = fitted(fig, width, height)
    if fmt == "html":
        return figure_html(fig, height=drawn_height).encode("utf-8")
    ensure_server()
    pixels = scale * width / drawn_width  # a larger drawing is scaled down to the canvas
    with _render_lock:
        return _watched(
            lambda: pio.to_image(
                fig,
                format=fmt,
                width=drawn_width,
                height=drawn_height,
                scale=pixels if fmt == "png" else 1,
            )
        )


def _watched(render):
    """Run `render` (a kaleido call) but give up when kaleido's server thread dies (a browser
    that fails to start or crashes would otherwise block the caller forever) or after
    RENDER_TIMEOUT + 30 s; the next export starts a fresh browser."""
    outcome: dict = {}
    done = threading.Event()

    def run():
        try:
            outcome["value"] = render()
        except BaseException as error:  # noqa: BLE001 (handed to the caller)
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, daemon=True, name="export-render").start()
    deadline = time.monotonic() + RENDER_TIMEOUT + 30
    while not done.wait(0.25):
        alive = _server_alive()
        if not alive or time.monotonic() > deadline:
            reason = "stopped" if not alive else f"gave no image in {RENDER_TIMEOUT + 30} s"
            raise ImageExportUnavailable(
                f"Image export failed: the browser ({browser_path()}) {reason}. "
                "Check that it is a working Chrome/Chromium (or set BROWSER_PATH to one)."
            )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


_GEO_TRACES = {"choropleth", "scattergeo"}


def figure_svg(fig: go.Figure, layout: Layout | tuple[int, int] = "landscape") -> str:
    """SVG text (one ``<svg>`` root with a viewBox), ready to inline in HTML."""
    return figure_bytes(fig, "svg", layout).decode("utf-8")


# ----------------------------------------------------------------------------- HTML
@cache
def _topojson_text() -> str:
    return (TOPOJSON_DIR / "world_110m.json").read_text(encoding="utf-8")


def uses_geo(fig: go.Figure) -> bool:
    """True if any trace draws on a geo subplot (choropleth, scattergeo)."""
    return any(trace.type in _GEO_TRACES for trace in fig.data)


def geo_assets_script(fig: go.Figure) -> str:
    """A ``<script>`` defining ``window.PlotlyGeoAssets`` with the shipped world geometry, so
    plotly.js draws maps without fetching cdn.plot.ly; empty when the figure has no map. Must
    come before plotly.js (which keeps an existing PlotlyGeoAssets)."""
    if not uses_geo(fig):
        return ""
    # The geometry is our own shipped file; "</" is escaped so it cannot close the script.
    data = _topojson_text().replace("</", "<\\/")
    return f'<script>window.PlotlyGeoAssets={{topojson:{{"world_110m":{data}}}}};</script>'


def figure_div(
    fig: go.Figure, include_plotlyjs: bool = True, height: int | None = None, div_id=None
) -> str:
    """An HTML fragment (``<div>`` + scripts) for one interactive figure; the page-level
    pieces (geo assets) come from :func:`geo_assets_script`."""
    fig = go.Figure(fig)
    fig.update_layout(width=None, autosize=True)
    if height is not None:
        fig.update_layout(height=height)
    return pio.to_html(
        fig,
        include_plotlyjs=include_plotlyjs,
        full_html=False,
        default_width="100%",
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )


def _plain_title(fig: go.Figure) -> str:
    text = fig.layout.title.text or "Chart"
    first = text.split("<br>")[0]
    return html.unescape(_strip_tags(first)).strip() or "Chart"


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]*>", "", text)


def figure_html(fig: go.Figure, height: int | None = None) -> str:
    """A standalone interactive page: plotly.js inlined once, the shipped map geometry for
    maps, the figure's own title, subtitle and footer; opens offline."""
    title = html.escape(_plain_title(fig))
    body = figure_div(fig, include_plotlyjs=True, height=height)
    return (
        f'<!DOCTYPE html>\n<html lang="{i18n.language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        "<style>body{margin:0;font-family:Arial,Helvetica,sans-serif;background:#fff}</style>\n"
        f"{geo_assets_script(fig)}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# ----------------------------------------------------------------------------- definitions
def definition_lines(catalogue, indicator_ids: Iterable[str] | None = None) -> list[str]:
    """One paragraph per indicator: name (unit): description; proxy for; limits; source and
    licence (from ``catalogue.with_sources()``), in catalogue order."""
    table = catalogue.with_sources()
    if indicator_ids is not None:
        wanted = list(dict.fromkeys(indicator_ids))
        table = table[table["indicator"].isin(wanted)]
    lines = []
    for row in table.to_dict("records"):
        parts = [f"{row['name']} ({row['unit']}): {row['description']}"]
        if _text(row.get("proxy_for")):
            parts.append(_("Proxy for: {text}").format(text=row["proxy_for"]))
        if _text(row.get("limits")):
            parts.append(_("Limits: {text}").format(text=row["limits"]))
        source = ", ".join(
            _text(row.get(key)) for key in ("publisher", "title", "edition") if _text(row.get(key))
        )
        if source:
            parts.append(
                _("Source: {source}. Licence: {licence}").format(
                    source=source, licence=_text(row.get("licence"))
                )
            )
        lines.append(" ".join(p if p.endswith(".") else p + "." for p in parts))
    return lines


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def with_definitions(
    fig: go.Figure, catalogue, indicator_ids: Iterable[str] | None = None
) -> go.Figure:
    """A copy of `fig` with the indicators' full definitions under the source footer: the
    figure grows by their height on screen; exported, the canvas keeps the layout's size and
    the plot gives up the room (:func:`fitted`)."""
    return _with_note(fig, _("Definitions"), definition_lines(catalogue, indicator_ids))


def with_citation(fig: go.Figure, citation: str) -> go.Figure:
    """A copy of `fig` with how to cite it (``present.citation.plain``) under everything else,
    so that a chart pasted into a briefing carries its reference."""
    return _with_note(fig, _("Cite as"), [citation] if citation else [])


def _with_note(fig: go.Figure, heading: str, paragraphs: Iterable[str]) -> go.Figure:
    """A copy of `fig` with `paragraphs` under a bold `heading` below the plot, the bottom
    margin (and a set height) grown by their wrapped height."""
    out = go.Figure(fig)
    wrapped: list[str] = []
    for paragraph in paragraphs:
        wrapped += textwrap.wrap(html.escape(paragraph, quote=False), _DEFINITION_WRAP)
    if not wrapped:
        return out
    extra = _DEFINITION_LINE * (len(wrapped) + 1) + 16
    margin_b = out.layout.margin.b if out.layout.margin.b is not None else 80
    out.update_layout(margin={"b": margin_b + extra})
    if out.layout.height is not None:
        out.update_layout(height=out.layout.height + extra)
    out.add_annotation(
        text=f"<b>{html.escape(heading)}</b><br>" + "<br>".join(wrapped),
        xref="paper", yref="paper", x=0, y=0, yshift=-(margin_b + extra - 8),
        xanchor="left", yanchor="bottom", showarrow=False, align="left",
        font={"size": _DEFINITION_FONT, "color": "#333"},
    )  # fmt: skip
    return out
