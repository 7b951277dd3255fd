"""Every chart in words: a table of the data it draws and one sentence naming its extremes.

Both are read from the finished figure, so the text alternative (WCAG 1.1.1) always matches the
picture, whichever builder drew it. Pure: a plotly Figure in, a sentence and a DataFrame out.
The sentence is worked out with numpy on every run (a few milliseconds); the table only when
asked for (`ChartText.table`), since it is shown only when its expander is opened.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from i18n import N_, _, ngettext, number, percent

KINDS = {
    "bar": N_("Bar chart"),
    "dots": N_("Dot chart"),
    "points": N_("Scatter plot"),
    "line": N_("Line chart"),
    "radar": N_("Radar chart"),
    "map": N_("Map"),
    "heatmap": N_("Heat map"),
    "waterfall": N_("Waterfall chart"),
    "histogram": N_("Histogram"),
}
_TAG = re.compile(r"<[^>]*>")


@dataclass
class ChartText:
    sentence: str
    build: Callable[[], pd.DataFrame] = field(repr=False)

    @cached_property
    def table(self) -> pd.DataFrame:
        """The data as drawn, rounded as the sentence writes it."""
        return self.build()


def plain_text(value) -> str:
    """Figure text as a reader sees it: plotly's HTML tags dropped, entities decoded.

    >>> plain_text("12. C&amp;te<br>d'Ivoire")
    "12. C&te d'Ivoire"
    """
    if value is None:
        return ""
    text = str(value)
    if "<" in text or "&" in text:
        text = html.unescape(_TAG.sub(" ", text))
    return " ".join(text.split())


def _numbers(values) -> np.ndarray:
    """Numbers as floats, missing and non-numbers as NaN."""
    if values is None:
        return np.array([], dtype=float)
    try:
        return np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        series = pd.Series(list(np.ravel(np.asarray(values, dtype=object))), dtype=object)
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


def _is_numeric(values) -> bool:
    if values is None:
        return False
    array = np.asarray(values)
    if array.dtype.kind in "iuf":
        return array.size > 0
    items = [v for v in array.ravel() if v is not None]
    return bool(items) and all(
        isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in items
    )


def _labels(values) -> list[str]:
    return [] if values is None else [plain_text(v) for v in np.ravel(np.asarray(values, object))]


def _axis_title(fig: go.Figure, axis: str) -> str:
    return plain_text(fig.layout[axis].title.text)


def decimals(values) -> int:
    """Places to write numbers of this size with: none for whole numbers, 1 from 10, 2 from 0.1,
    else 3.

    >>> decimals([3, 150]), decimals([78.25, 5.1]), decimals([0.95, -0.2]), decimals([0.004])
    (0, 1, 2, 3)
    """
    finite = np.abs(_numbers(values))
    finite = finite[np.isfinite(finite)]
    if not len(finite) or np.all(finite == np.round(finite)):
        return 0
    top = finite.max()
    return 1 if top >= 10 else 2 if top >= 0.1 else 3


class _Writer:
    """Numbers written the way the chart's value axis writes them: as percentages or plain."""

    def __init__(self, values, percent_axis: bool = False, signed: bool = False):
        self.percent_axis = percent_axis
        self.signed = signed
        self.places = decimals(_numbers(values) * (100 if percent_axis else 1))

    def __call__(self, value: float) -> str:
        write = percent if self.percent_axis else number
        text = write(value, self.places)
        return f"+{text}" if self.signed and value > 0 else text


def _extremes(labels: list[str], values, write: _Writer) -> str:
    """'highest A (v), lowest B (w)' over labelled values (the first of ties); NaN skipped."""
    values = _numbers(values)
    top, bottom = int(np.nanargmax(values)), int(np.nanargmin(values))
    return _("highest {top} ({top_value}), lowest {bottom} ({bottom_value})").format(
        top=labels[top],
        top_value=write(values[top]),
        bottom=labels[bottom],
        bottom_value=write(values[bottom]),
    )


def _heading(kind: str, fig: go.Figure) -> str:
    title = plain_text(fig.layout.title.text)
    if not title:
        return _(KINDS[kind])
    return _("{kind} “{title}”").format(kind=_(KINDS[kind]), title=title)


def _no_values(kind: str, fig: go.Figure) -> str:
    return _("{chart}: no values to show.").format(chart=_heading(kind, fig))


def _unique(name: str, taken: set[str]) -> str:
    candidate, k = name, 2
    while candidate in taken:
        candidate, k = f"{name} ({k})", k + 1
    taken.add(candidate)
    return candidate


def _rounded(table: pd.DataFrame, places: dict[str, int]) -> pd.DataFrame:
    """Rounded as the sentence writes the numbers; whole numbers without a decimal point."""
    table = table.round(places)
    whole = [c for c, p in places.items() if p == 0 and pd.api.types.is_float_dtype(table[c])]
    return table.astype({c: "Int64" for c in whole})


def _is_band(trace) -> bool:
    """A shaded interval drawn as a closed outline (fill="toself" on x-y axes): not a series."""
    return trace.type == "scatter" and trace.fill == "toself"


def _horizontal(trace) -> bool:
    """Categories on the y axis: horizontal bars, or dots placed on named rows."""
    if trace.type == "bar":
        return trace.orientation == "h"
    return trace.type == "scatter" and not _is_numeric(trace.y)


def _kind(fig: go.Figure) -> str:
    traces = [t for t in fig.data if not _is_band(t)] or list(fig.data)
    first = traces[0]
    if first.type == "scatter":
        if not (_is_numeric(first.x) and _is_numeric(first.y)):
            return "dots"
        return "line" if "lines" in (first.mode or "") else "points"
    return {
        "bar": "bar",
        "scatterpolar": "radar",
        "choropleth": "map",
        "heatmap": "heatmap",
        "waterfall": "waterfall",
        "histogram": "histogram",
    }.get(first.type, "points")


# ---- categories (bars, dots on named rows, radar): one row per category, one column per trace


def _categorical_text(fig: go.Figure, kind: str) -> ChartText:
    order: dict[str, int] = {}
    columns: dict[str, tuple[list[str], np.ndarray]] = {}
    value_columns, taken, bars = [], set(), 0
    first = next(t for t in fig.data if t.type in ("bar", "scatter", "scatterpolar"))
    horizontal = _horizontal(first)
    for trace in fig.data:
        if trace.type == "scatterpolar":
            categories, values = _labels(trace.theta), _numbers(trace.r)
            if len(categories) > 1 and categories[-1] == categories[0]:  # the closing point
                categories, values = categories[:-1], values[:-1]
        elif trace.type in ("bar", "scatter") and not _is_band(trace):
            categories, values = (
                (_labels(trace.y), _numbers(trace.x))
                if _horizontal(trace)
                else (_labels(trace.x), _numbers(trace.y))
            )
            bars += trace.type == "bar"
        else:
            continue
        for category in categories:
            order.setdefault(category, len(order))
        value_axis = "xaxis" if horizontal else "yaxis"
        name = plain_text(trace.name) or _axis_title(fig, value_axis) or _("Value")
        if trace.type == "bar" and trace.base is not None:  # an interval: from base to base + x
            base = np.broadcast_to(_numbers(trace.base), values.shape)
            columns[_unique(_("{name}: from").format(name=name), taken)] = (categories, base)
            columns[_unique(_("{name}: to").format(name=name), taken)] = (categories, base + values)
            continue
        column = _unique(name, taken)
        columns[column] = (categories, values)
        value_columns.append(column)
    grid = np.full((len(order), len(columns)), np.nan)
    for j, (categories, values) in enumerate(columns.values()):
        for category, value in zip(categories, values, strict=True):
            grid[order[category], j] = value
    names = list(columns)
    rows = list(order)
    if fig.layout.barmode in ("stack", "relative") and bars > 1:
        total = _unique(_("Total"), taken)
        picked = [names.index(c) for c in value_columns]
        sums = np.nansum(grid[:, picked], axis=1)
        sums[np.all(np.isnan(grid[:, picked]), axis=1)] = np.nan
        grid, names = np.column_stack([grid, sums]), [*names, total]
        value_columns = [total]
    value_columns = value_columns or names
    picked = [names.index(c) for c in value_columns]
    values = grid[:, picked]
    tick = fig.layout["xaxis" if horizontal else "yaxis"].tickformat or ""
    write = _Writer(values, percent_axis="%" in tick)
    if kind == "radar":
        header = _("Axis")
    else:
        header = _axis_title(fig, "yaxis" if horizontal else "xaxis") or _("Item")

    def build() -> pd.DataFrame:
        table = pd.DataFrame(grid, columns=names)
        if write.percent_axis:  # as the axis writes them: 12.5 %, not 0.125
            table = (table * 100).rename(columns=lambda c: f"{c} (%)")
        table = _rounded(table, dict.fromkeys(table.columns, write.places))
        table.insert(0, header, rows)
        return table

    if not np.isfinite(values).any():
        return ChartText(_no_values(kind, fig), build)
    if len(value_columns) == 1:
        labels = rows
    else:
        # Bars on named rows read "country, series"; radar axes and vertical groups carry one
        # trace per country: "country, dimension".
        category_first = kind != "radar" and horizontal
        labels = [
            f"{row}, {column}" if category_first else f"{column}, {row}"
            for row in rows
            for column in value_columns
        ]
    count = int(np.isfinite(values).any(axis=1).sum())
    sentence = _("{chart}, {count}: {extremes}.").format(
        chart=_heading(kind, fig),
        count=ngettext("{n} item", "{n} items", count).format(n=count),
        extremes=_extremes(labels, values.ravel(), write),
    )
    return ChartText(sentence, build)


# ---- points (x and y both numbers, no lines): one row per point


def _point_labels(trace, count: int) -> list[str]:
    for source in (trace.customdata, trace.hovertext, trace.text):
        if source is not None and not isinstance(source, str):
            array = np.asarray(source, dtype=object)
            if array.ndim == 2:
                array = array[:, 0]
            if len(array) == count:
                return _labels(array)
    return [str(k + 1) for k in range(count)]


def _points_text(fig: go.Figure) -> ChartText:
    x_name = _axis_title(fig, "xaxis") or "x"
    y_name = _axis_title(fig, "yaxis") or "y"
    traces = [t for t in fig.data if t.type == "scatter" and not _is_band(t)]
    xs = [_numbers(t.x) for t in traces]
    ys = [_numbers(t.y) for t in traces]
    labels = [label for t, x in zip(traces, xs, strict=True) for label in _point_labels(t, len(x))]
    series = [plain_text(t.name) for t, x in zip(traces, xs, strict=True) for _k in x]
    x, y = np.concatenate(xs), np.concatenate(ys)
    drawn = ~(np.isnan(x) & np.isnan(y))
    write_x, write_y = _Writer(x), _Writer(y)
    header = _("Label")

    def build() -> pd.DataFrame:
        table = pd.DataFrame({header: labels, x_name: x, y_name: y})
        if len(traces) > 1:
            table.insert(1, _("Series"), series)
        table = table[drawn].reset_index(drop=True)
        return _rounded(table, {x_name: write_x.places, y_name: write_y.places})

    if not (np.isfinite(x).any() and np.isfinite(y).any()):
        return ChartText(_no_values("points", fig), build)
    count = int(drawn.sum())
    sentence = _("{chart}, {count}: {y_axis}: {y_extremes}; {x_axis}: {x_extremes}.").format(
        chart=_heading("points", fig),
        count=ngettext("{n} point", "{n} points", count).format(n=count),
        y_axis=y_name,
        y_extremes=_extremes(labels, y, write_y),
        x_axis=x_name,
        x_extremes=_extremes(labels, x, write_x),
    )
    return ChartText(sentence, build)


# ---- lines over x (years): one row per x, one column per series


def _line_text(fig: go.Figure) -> ChartText:
    header = _axis_title(fig, "xaxis") or "x"
    traces = [t for t in fig.data if t.type == "scatter" and not _is_band(t)]
    taken: set[str] = set()
    names = [
        _unique(plain_text(t.name) or _axis_title(fig, "yaxis") or _("Value"), taken)
        for t in traces
    ]
    xs = [_numbers(t.x) for t in traces]
    steps = np.unique(np.concatenate(xs)) if xs else np.array([])
    steps = steps[np.isfinite(steps)]
    grid = np.full((len(steps), len(traces)), np.nan)
    for j, (trace, x) in enumerate(zip(traces, xs, strict=True)):
        found = np.isfinite(x)
        grid[np.searchsorted(steps, x[found]), j] = _numbers(trace.y)[found]
    whole = len(steps) and np.all(steps == np.round(steps))
    shown_steps = [int(s) if whole else s for s in steps]
    write = _Writer(grid)

    def build() -> pd.DataFrame:
        table = _rounded(pd.DataFrame(grid, columns=names), dict.fromkeys(names, write.places))
        table.insert(0, header, shown_steps)
        return table

    if not np.isfinite(grid).any():
        return ChartText(_no_values("line", fig), build)
    labels = [
        _("{series} in {x}").format(series=name, x=step) for step in shown_steps for name in names
    ]
    sentence = _("{chart}, {count} from {first} to {last}: {extremes}.").format(
        chart=_heading("line", fig),
        count=ngettext("{n} series", "{n} series", len(names)).format(n=len(names)),
        first=shown_steps[0],
        last=shown_steps[-1],
        extremes=_extremes(labels, grid.ravel(), write),
    )
    return ChartText(sentence, build)


# ---- a map: one row per country


def _map_text(fig: go.Figure) -> ChartText:
    trace = fig.data[0]
    values = _numbers(trace.z)
    names = _labels(trace.text) if trace.text is not None else _labels(trace.locations)
    value_name = plain_text(trace.colorbar.title.text) or _("Value")
    header = _("Country")
    present = np.isfinite(values)
    write = _Writer(values)

    def build() -> pd.DataFrame:
        table = pd.DataFrame({header: names, value_name: values})[present]
        return _rounded(table.reset_index(drop=True), {value_name: write.places})

    if not present.any():
        return ChartText(_no_values("map", fig), build)
    count = int(present.sum())
    sentence = _("{chart}, {count}: {extremes}.").format(
        chart=_heading("map", fig),
        count=ngettext("{n} country", "{n} countries", count).format(n=count),
        extremes=_extremes(names, values, write),
    )
    return ChartText(sentence, build)


# ---- a heat map: its grid as a table, rows as drawn


def _heatmap_text(fig: go.Figure) -> ChartText:
    trace = fig.data[0]
    rows, columns = _labels(trace.y), _labels(trace.x)
    z = _numbers(trace.z).reshape(len(rows), len(columns))
    header = _axis_title(fig, "yaxis") or _("Row")
    finite = z[np.isfinite(z)]
    write = _Writer(finite)

    def build() -> pd.DataFrame:
        table = _rounded(pd.DataFrame(z, columns=columns), dict.fromkeys(columns, write.places))
        table.insert(0, header, rows)
        return table

    chart = _heading("heatmap", fig)
    if not len(finite):
        return ChartText(_no_values("heatmap", fig), build)
    if set(np.unique(finite)) <= {0.0, 1.0}:  # a yes/no grid (which country has which value)
        sentence = _("{chart}: {filled} of {cells} cells filled.").format(
            chart=chart, filled=int(finite.sum()), cells=z.size
        )
        return ChartText(sentence, build)
    # A matrix of a set against itself (correlations): its diagonal says nothing.
    cells = z.copy()
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            if row == column:
                cells[i, j] = np.nan
    if not np.isfinite(cells).any():
        return ChartText(_no_values("heatmap", fig), build)
    labels = [f"{row} × {column}" for row in rows for column in columns]
    sentence = _("{chart}, {rows} × {columns}: {extremes}.").format(
        chart=chart,
        rows=len(rows),
        columns=len(columns),
        extremes=_extremes(labels, cells.ravel(), write),
    )
    return ChartText(sentence, build)


# ---- a waterfall: from a first value through each change to the total


def _waterfall_text(fig: go.Figure) -> ChartText:
    trace = fig.data[0]
    horizontal = trace.orientation == "h"
    labels = _labels(trace.y if horizontal else trace.x)
    values = _numbers(trace.x if horizontal else trace.y)
    measures = list(trace.measure) if trace.measure is not None else ["relative"] * len(values)
    running, drawn, totals = 0.0, [], []
    for value, measure in zip(values, measures, strict=True):
        if measure == "absolute":
            running = value
        elif measure == "relative":
            running += value
        drawn.append(running if measure == "total" else value)
        totals.append(running)
    write = _Writer(values)
    header, change, total = _("Step"), _("Value or change"), _("Running total")

    def build() -> pd.DataFrame:
        table = pd.DataFrame({header: labels, change: drawn, total: totals})
        return _rounded(table, {change: write.places, total: write.places})

    relative = [k for k, m in enumerate(measures) if m == "relative"]
    steps = values[relative]
    if not np.isfinite(steps).any():
        return ChartText(_no_values("waterfall", fig), build)
    sentence = _("{chart}, {count} from {start} to {end}: {extremes}.").format(
        chart=_heading("waterfall", fig),
        count=ngettext("{n} step", "{n} steps", len(relative)).format(n=len(relative)),
        start=write(totals[0]),
        end=write(totals[-1]),
        extremes=_extremes([labels[k] for k in relative], steps, _Writer(values, signed=True)),
    )
    return ChartText(sentence, build)


# ---- a histogram: counts per bin


def _histogram_text(fig: go.Figure) -> ChartText:
    trace = fig.data[0]
    values = _numbers(trace.x)
    values = values[np.isfinite(values)]
    count_name = _axis_title(fig, "yaxis") or _("Count")
    start, end = _("From"), _("To")

    def build() -> pd.DataFrame:
        if not len(values):
            return pd.DataFrame({start: [], end: [], count_name: []})
        # plotly picks its bins in the browser; these are numpy's, as many as the chart asks.
        counts, edges = np.histogram(values, bins=trace.nbinsx or "auto")
        places = _Writer(edges).places
        table = pd.DataFrame({start: edges[:-1], end: edges[1:], count_name: counts})
        return _rounded(table, {start: places, end: places})

    if not len(values):
        return ChartText(_no_values("histogram", fig), build)
    write = _Writer(values)
    sentence = _("{chart}, {count}: from {low} to {high}, median {median}.").format(
        chart=_heading("histogram", fig),
        count=ngettext("{n} value", "{n} values", len(values)).format(n=len(values)),
        low=write(values.min()),
        high=write(values.max()),
        median=write(float(np.median(values))),
    )
    return ChartText(sentence, build)


DESCRIBERS = {
    "bar": lambda fig: _categorical_text(fig, "bar"),
    "dots": lambda fig: _categorical_text(fig, "dots"),
    "radar": lambda fig: _categorical_text(fig, "radar"),
    "points": _points_text,
    "line": _line_text,
    "map": _map_text,
    "heatmap": _heatmap_text,
    "waterfall": _waterfall_text,
    "histogram": _histogram_text,
}


def describe(fig: go.Figure) -> ChartText:
    """The chart as one sentence naming its highest and lowest values, and as a table."""
    if not fig.data:
        sentence = _("{chart}: no values to show.").format(chart=_("Chart"))
        return ChartText(sentence, pd.DataFrame)
    return DESCRIBERS[_kind(fig)](fig)
