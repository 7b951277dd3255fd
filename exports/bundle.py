"""A chart as a citable package: one zip with the data behind it (CSV, rounded as the chart shows
it), metadata.json (sources with edition and licence, Method, versions, citation in CSL-JSON), a
README and the image when a browser could draw one.

The data are read from the figure's own traces, so the CSV is what the chart draws.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import plotly.graph_objects as go

from i18n import _
from present import citation as cite
from present.chart_text import plain_text

DEFAULT_DECIMALS = 1  # scores 0–100 are shown with one decimal across the app
_HOVER_FORMAT = re.compile(r"%\{(\w+):[^}]*?\.(\d+)f\}")


def shown_decimals(hovertemplate: str | None) -> dict[str, int]:
    """The decimals the hover text shows per field: '%{x:.1f}' → {'x': 1}.

    >>> shown_decimals("%{y}: %{x:.1f}<extra></extra>"), shown_decimals(None)
    ({'x': 1}, {})
    """
    return {field: int(n) for field, n in _HOVER_FORMAT.findall(hovertemplate or "")}


def rounded(value: float, decimals: int) -> float:
    """`value` as the browser writes it with `decimals` places (JavaScript's toFixed: the exact
    binary value, halves away from zero), not Python's round (halves to even).

    >>> rounded(41.25, 1), round(41.25, 1), rounded(12.45, 1)  # 12.45 is 12.4499… in binary
    (41.3, 41.2, 12.4)
    """
    if pd.isna(value):
        return float("nan")
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(float(value)).quantize(step, rounding=ROUND_HALF_UP))


def _values(trace: dict, field: str, decimals: dict[str, int]) -> pd.Series:
    values = pd.Series(list(trace.get(field, [])))
    if pd.api.types.is_numeric_dtype(values):
        places = decimals.get(field, DEFAULT_DECIMALS)
        return values.astype(float).map(lambda v: rounded(v, places))
    return values.map(plain_text)  # labels as read: "Democratic<br>credentials" is one name


def _axis_title(fig: go.Figure, axis: str, fallback: str) -> str:
    title = getattr(getattr(fig.layout, axis).title, "text", None)
    return title or fallback


def figure_table(fig: go.Figure) -> pd.DataFrame:
    """The data each trace draws, one row per point: series, label and value(s), rounded as the
    chart shows them. Bars and lines: the category and the value axis (named by the axis titles);
    radars: dimension and score; maps: ISO3, country and score."""
    frames = []
    for trace in fig.data:
        data = trace.to_plotly_json()
        decimals = shown_decimals(data.get("hovertemplate"))
        series = data.get("name") or ""
        if trace.type == "choropleth":
            frame = pd.DataFrame(
                {
                    "ISO3": _values(data, "locations", decimals),
                    _("Country"): _values(data, "text", decimals),
                    _("Score"): _values(data, "z", decimals),
                }
            )
        elif trace.type == "scatterpolar":
            frame = pd.DataFrame(
                {
                    _("Dimension"): _values(data, "theta", decimals),
                    _("Score"): _values(data, "r", decimals),
                }
            )
        elif "x" in data and "y" in data:
            horizontal = data.get("orientation") == "h"
            x_title = _axis_title(fig, "xaxis", "x")
            y_title = _axis_title(fig, "yaxis", "y")
            x, y = _values(data, "x", decimals), _values(data, "y", decimals)
            if trace.type == "bar":  # the category first, then the value
                category, value = (y, x) if horizontal else (x, y)
                names = (y_title, x_title) if horizontal else (x_title, y_title)
                names = (
                    _("Label") if names[0] in ("x", "y") else names[0],
                    _("Value") if names[1] in ("x", "y") else names[1],
                )
                frame = pd.DataFrame({names[0]: category, names[1]: value})
            else:
                frame = pd.DataFrame({x_title: x, y_title: y})
                if "text" in data and len(data["text"] or []) == len(frame):
                    frame.insert(0, _("Label"), list(data["text"]))
        else:
            continue
        if frame.empty:
            continue
        frame.insert(0, _("Series"), series)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=[_("Series")])
    return pd.concat(frames, ignore_index=True)


def figure_title(fig: go.Figure) -> str:
    return getattr(fig.layout.title, "text", None) or ""


def metadata(fig: go.Figure, name: str, cited: cite.Citation) -> dict:
    """What the zip's metadata.json holds: the chart, the versions, the Method, the sources with
    edition and licence, the link and the citation as CSL-JSON."""
    return {
        "chart": name,
        "title": figure_title(fig),
        "app_version": cited.app_version,
        "data_version": {
            "digest": cited.data_digest,
            "date": cited.data_date.isoformat() if cited.data_date else None,
        },
        "method": cited.method,
        "sources": [
            {
                "publisher": s.publisher,
                "title": s.title,
                "edition": s.edition,
                "licence": s.licence,
                "url": s.url,
            }
            for s in cited.sources
        ],
        "url": cited.url,
        "accessed": cited.accessed.isoformat(),
        "citation": [cite.csl_item(cited)],
    }


def readme(fig: go.Figure, name: str, cited: cite.Citation, files: dict[str, str]) -> str:
    """README.txt: what the package is, what each file holds, how to cite it."""
    lines = [
        figure_title(fig) or name,
        "",
        _("A chart of the Soft Power Scorecard and the data behind it."),
        "",
        _("Files:"),
        *(f"- {file}: {what}" for file, what in files.items()),
        "",
        _("Method: {method}").format(method=cited.method),
        "",
        _("How to cite:"),
        cite.plain(cited).strip(),
        "",
    ]
    return "\n".join(lines)


def chart_zip(
    fig: go.Figure,
    name: str,
    cited: cite.Citation,
    image: bytes | None = None,
    image_problem: str = "",
) -> bytes:
    """The zip: <name>.csv, metadata.json, README.txt and <name>.png when `image` is given (else
    the README says why it is missing: `image_problem`). Entries dated by the access date."""
    files = {
        f"{name}.csv": _("the data the chart draws, rounded as shown"),
        "metadata.json": _(
            "sources with edition and licence, Method, versions, citation (CSL-JSON)"
        ),
        "README.txt": _("this file"),
    }
    if image is not None:
        files[f"{name}.png"] = _("the chart as an image")
    else:
        files[f"{name}.png"] = _("not included: {reason}").format(
            reason=image_problem or _("no image could be drawn")
        )
    stamp = (cited.accessed.year, cited.accessed.month, cited.accessed.day, 0, 0, 0)
    content = {
        f"{name}.csv": figure_table(fig).to_csv(index=False).encode("utf-8"),
        "metadata.json": (
            json.dumps(metadata(fig, name, cited), ensure_ascii=False, indent=2) + "\n"
        ).encode("utf-8"),
        "README.txt": readme(fig, name, cited, files).encode("utf-8"),
    }
    if image is not None:
        content[f"{name}.png"] = image
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file, data in content.items():
            archive.writestr(zipfile.ZipInfo(file, stamp), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
