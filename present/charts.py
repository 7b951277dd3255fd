"""Chart builders: plain tables in, plotly Figure out. No streamlit here, so exports match the screen.

Every figure has a title, an explicit template (streamlit's own template exports near-black) and a
footer line naming its sources.
"""

from __future__ import annotations

import html
import textwrap
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol

import i18n
from i18n import N_, _, ngettext

TEMPLATE = "plotly_white"
FONT = "Arial, Helvetica, sans-serif"

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SEQUENTIAL = "Viridis"
DIVERGING = "RdBu"
HIGHLIGHT, MUTED = "#D55E00", "#9AA5B1"
BASIS_WORDS = (N_("rank"), N_("score"))  # what a published index reports (validity_scatter)

# Correlation colour bins (COINr/composer): > 0.9, 0.3–0.9, −0.4–0.3, < −0.4
CORRELATION_BINS = [
    (-1.0, -0.4, "#D55E00"),
    (-0.4, 0.3, "#E8E8E8"),
    (0.3, 0.9, "#56B4E9"),
    (0.9, 1.0, "#0072B2"),
]


def plain(text) -> str:
    """Text shown as written: plotly reads a subset of HTML (<a href>, <b>, <br>, ...) in every
    title, label, legend and hover text, so user text has its markup characters escaped.

    >>> plain('<a href="https://x.org">x</a> & y')
    '&lt;a href="https://x.org"&gt;x&lt;/a&gt; &amp; y'
    """
    return html.escape(str(text), quote=False)


def plain_labels(items) -> list[str]:
    return [plain(item) for item in items]


def dimension_colours(dimensions: list[str]) -> dict[str, str]:
    return {dimension: PALETTE[i % len(PALETTE)] for i, dimension in enumerate(dimensions)}


@cache
def separators(language: str) -> str:
    """Plotly's decimal and thousands signs (`layout.separators`) as the language writes them.

    >>> separators("en"), separators("ru")
    ('.,', ',\xa0')
    """
    locale = i18n.LOCALES.get(language, i18n.LOCALES[i18n.DEFAULT])
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def finish(
    fig: go.Figure, title: str, sources: str = "", subtitle: str = "", height: int = 520
) -> go.Figure:
    """Title and subtitle at the top, the legend below them, the source footer (wrapped) below the
    plot, in the house layout. Positions are in pixels from the edges, so screen and export match.
    All three are plain text (escaped with :func:`plain`)."""
    title, subtitle, sources = plain(title), plain(subtitle), plain(sources)
    footer = textwrap.wrap(_("Source: {sources}").format(sources=sources), 170) if sources else []
    subtitle_lines = textwrap.wrap(subtitle, 150)
    height += 14 * len(footer)
    header = 12 + 26 + 17 * len(subtitle_lines) + 8  # title, subtitle lines, gap
    bottom = 60 + 14 * len(footer)
    fig.update_layout(
        template=TEMPLATE,
        separators=separators(i18n.language()),
        font={"family": FONT, "size": 13},
        title={
            "text": title,
            "subtitle": {
                "text": "<br>".join(subtitle_lines),
                "font": {"size": 12, "color": "#52606d"},
            },
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - 12 / height,
            "yanchor": "top",
        },
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 1 - header / height,
            "yanchor": "top",
            "x": 0,
        },
        margin={"l": 60, "r": 30, "t": header + 34, "b": bottom},
        height=height,
    )
    if footer:
        # Anchored at the plot's right edge: long y labels push the plot area right, and a
        # left-anchored footer then ran off the figure.
        fig.add_annotation(
            text="<br>".join(footer),
            xref="paper", yref="paper", x=1, y=0, yshift=-(bottom - 8), xanchor="right", yanchor="bottom",
            showarrow=False, font={"size": 10, "color": "#555"}, align="left",
        )  # fmt: skip
    return fig


def _ranked_labels(results: pd.DataFrame, names: pd.Series) -> list[str]:
    """'12. Germany' for each row of a results table (rank and iso3 index)."""
    return [
        f"{int(rank)}. {names.get(iso3, iso3)}"
        for iso3, rank in zip(results.index, results["rank"], strict=True)
    ]


def ranking_bars(
    contributions: pd.DataFrame,
    labels: list[str],
    dimension_names: dict[str, str],
    title: str = N_("Overall score by dimension contribution"),
    sources: str = "",
    subtitle: str = "",
    highlight: int | None = None,
) -> go.Figure:
    """Horizontal stacked bars, best at the top; `contributions` is iso3 x dimension, rows in
    rank order, each row adding up to the overall score; `labels` name the rows. Row `highlight`
    (a position) is outlined."""
    title = _(title)
    colours = dimension_colours(list(contributions.columns))
    outline = _outline(len(labels), highlight)
    labels = plain_labels(labels)
    fig = go.Figure()
    for dimension in contributions.columns:
        label = plain(dimension_names.get(dimension, dimension))
        fig.add_bar(
            y=labels, x=contributions[dimension], orientation="h",
            name=label, marker={"color": colours[dimension], "line": outline},
            hovertemplate="%{y}: %{x:.1f}<extra>" + label + "</extra>",
        )  # fmt: skip
    fig.update_layout(
        barmode="stack", yaxis={"autorange": "reversed"}, xaxis_title=_("Score (0–100)")
    )
    return finish(fig, title, sources, subtitle, height=max(420, 22 * len(labels) + 160))


def overall_bars(
    results: pd.DataFrame,
    labels: list[str],
    side_names: dict[str, str],
    title: str = N_("Overall score"),
    sources: str = "",
    subtitle: str = "",
    highlight: int | None = None,
) -> go.Figure:
    """Bars of the overall score, best at the top, with each side's score (reach, appeal) as a
    marker: for aggregations whose overall has no additive split into dimensions."""
    labels, title, overall = plain_labels(labels), _(title), plain(_("Overall"))
    fig = go.Figure()
    fig.add_bar(
        y=labels, x=results["overall"], orientation="h", name=overall,
        marker={"color": MUTED, "line": _outline(len(labels), highlight)},
        hovertemplate="%{y}: %{x:.1f}<extra>" + overall + "</extra>",
    )  # fmt: skip
    for k, (side, name) in enumerate(side_names.items()):
        if side in results:
            fig.add_scatter(
                y=labels, x=results[side], mode="markers", name=plain(name),
                marker={"color": PALETTE[k], "size": 9, "symbol": ["diamond", "circle"][k % 2]},
                hovertemplate="%{y}: %{x:.1f}<extra>" + plain(name) + "</extra>",
            )  # fmt: skip
    fig.update_layout(yaxis={"autorange": "reversed"}, xaxis_title=_("Score (0–100)"))
    return finish(fig, title, sources, subtitle, height=max(420, 22 * len(labels) + 160))


def ranking_chart(
    rows: pd.DataFrame,
    dimension_weights: pd.Series,
    aggregation: str,
    names: pd.Series,
    dimension_names: dict[str, str],
    side_names: dict[str, str],
    followed: str | None = None,
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """The ranking as the page, the export and the report show it: `rows` of a results table in
    rank order, as dimension contributions that add up to the overall score where the
    aggregation has an additive split (arithmetic), else as overall bars with the side scores.
    The followed country's bar is outlined."""
    from scoring.tables import dimension_contributions

    labels = _ranked_labels(rows, names)
    highlight = list(rows.index).index(followed) if followed in rows.index else None
    contributions = dimension_contributions(rows, dimension_weights, aggregation)
    if contributions is not None:
        return ranking_bars(
            contributions, labels, dimension_names, sources=sources, subtitle=subtitle,
            highlight=highlight,
        )  # fmt: skip
    from present.tables import AGGREGATION_WORDS

    title = _("Overall score ({aggregation} mean: no additive split into dimensions)").format(
        aggregation=_(AGGREGATION_WORDS.get(aggregation, aggregation))
    )
    return overall_bars(rows, labels, side_names, title, sources, subtitle, highlight)


def _outline(rows: int, highlight: int | None) -> dict:
    """Bar outline that marks one row (the followed country) in black."""
    widths = [2.5 if k == highlight else 0 for k in range(rows)]
    return {"color": "#000", "width": widths}


def reach_appeal(
    results: pd.DataFrame,
    names: pd.Series,
    labelled: list[str],
    followed: str | None = None,
    title: str = N_("Reach against appeal"),
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """One dot per scored country: reach (x) against appeal (y), both 0–100, with the medians
    drawn as quadrant lines and the quadrants named. Countries in `labelled` are named; the
    followed country is drawn in the highlight colour."""
    title = _(title)
    both = results.dropna(subset=["reach", "appeal"])
    country = plain_labels(names.get(iso3, iso3) for iso3 in both.index)
    shown = set(labelled)
    colours = [HIGHLIGHT if iso3 == followed else PALETTE[0] for iso3 in both.index]
    sizes = [13 if iso3 == followed else 8 for iso3 in both.index]
    fig = go.Figure(
        go.Scatter(
            x=both["reach"], y=both["appeal"], mode="markers+text", customdata=country,
            text=[c if iso3 in shown else "" for iso3, c in zip(both.index, country, strict=True)],
            textposition="top center", textfont={"size": 10},
            marker={"color": colours, "size": sizes, "opacity": 0.8, "line": {"width": 0.5, "color": "#333"}},
            hovertemplate=plain(_("{country}: reach {reach}, appeal {appeal}")).format(
                country="%{customdata}", reach="%{x:.1f}", appeal="%{y:.1f}"
            ) + "<extra></extra>",
        )
    )  # fmt: skip
    reach_mid, appeal_mid = float(both["reach"].median()), float(both["appeal"].median())
    line = {"color": MUTED, "dash": "dot", "width": 1}
    fig.add_vline(x=reach_mid, line=line)
    fig.add_hline(y=appeal_mid, line=line)
    for text, x, y, xanchor, yanchor in [
        (N_("Reach and appeal"), 1, 1, "right", "top"),
        (N_("Appeal without reach"), 0, 1, "left", "top"),
        (N_("Reach without appeal"), 1, 0, "right", "bottom"),
        (N_("Neither"), 0, 0, "left", "bottom"),
    ]:
        fig.add_annotation(
            text=plain(_(text)), xref="paper", yref="paper", x=x, y=y, xanchor=xanchor, yanchor=yanchor,
            showarrow=False, font={"size": 11, "color": "#52606d", "style": "italic"},
        )  # fmt: skip
    fig.update_layout(
        xaxis={"title": _("Reach (0–100)"), "range": [-3, 103]},
        yaxis={"title": _("Appeal (0–100)"), "range": [-3, 103]},
        showlegend=False,
    )
    note = _("Dotted lines: the medians (reach {reach}, appeal {appeal}).").format(
        reach=i18n.number(reach_mid, 1), appeal=i18n.number(appeal_mid, 1)
    )
    return finish(fig, title, sources, f"{subtitle} {note}".strip(), height=640)


def world_map(
    scores: pd.Series,
    names: pd.Series,
    title: str,
    sources: str = "",
    subtitle: str = "",
    colorbar_title: str = N_("Score"),
) -> go.Figure:
    """Choropleth of a per-iso3 series; countries without a value stay grey (missing, not zero)."""
    colorbar_title = _(colorbar_title)
    present = scores.dropna()
    fig = go.Figure(
        go.Choropleth(
            locations=present.index, z=present.to_numpy(), locationmode="ISO-3",
            text=plain_labels(names.get(iso3, iso3) for iso3 in present.index),
            colorscale=SEQUENTIAL, marker_line_color="white", marker_line_width=0.3,
            colorbar={"title": plain(colorbar_title)},
            hovertemplate="%{text}: %{z:.1f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_geos(
        showframe=False, showcoastlines=False, showland=True, landcolor="#E8E8E8",
        projection_type="natural earth", center_lon=0, projection_rotation_lon=0,
    )  # fmt: skip
    return finish(fig, title, sources, subtitle, height=520)


def radar(
    scores: pd.DataFrame,
    names: pd.Series,
    dimension_names: dict[str, str],
    title: str,
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """One closed polygon per country (rows of `scores`, iso3 x dimension, 0–100)."""
    axes = plain_labels(dimension_names.get(d, d) for d in scores.columns)
    fig = go.Figure()
    for i, (iso3, row) in enumerate(scores.iterrows()):
        fig.add_scatterpolar(
            r=[*row.to_numpy(), row.iloc[0]], theta=[*axes, axes[0]], name=plain(names.get(iso3, iso3)),
            line={"color": PALETTE[i % len(PALETTE)], "width": 3 if i == 0 else 2},
            fill="toself" if i == 0 else None, opacity=0.9,
        )  # fmt: skip
    fig.update_layout(
        polar={
            # ticks between two axes (not over a label); room above for the legend
            "radialaxis": {"range": [0, 100], "angle": 180 / max(1, len(axes))},
            "domain": {"y": [0, 0.9]},
        }
    )
    return finish(fig, title, sources, subtitle, height=560)


def grouped_bars(
    scores: pd.DataFrame,
    names: pd.Series,
    dimension_names: dict[str, str],
    title: str,
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """Bars per dimension, one colour per country (rows of `scores`). Dimension names are set in
    at most two lines and never rotated: a rotated label reached into the source footer."""
    fig = go.Figure()
    axes = [two_lines(dimension_names.get(d, d)) for d in scores.columns]
    for i, (iso3, row) in enumerate(scores.iterrows()):
        fig.add_bar(
            x=axes,
            y=row.to_numpy(),
            name=plain(names.get(iso3, iso3)),
            marker_color=PALETTE[i % len(PALETTE)],
        )
    fig.update_layout(barmode="group", yaxis={"title": _("Score (0–100)"), "range": [0, 100]})
    fig.update_xaxes(tickangle=0)
    return finish(fig, title, sources, subtitle)


def two_lines(label: str) -> str:
    """A category label (escaped) in at most two lines, broken between words.

    >>> two_lines("Democratic credentials"), two_lines("EITI participation"), two_lines("Media")
    ('Democratic<br>credentials', 'EITI<br>participation', 'Media')
    >>> two_lines("Participation in international normative regimes <b>")
    'Participation in international<br>normative regimes &lt;b&gt;'

    """
    text = str(label)
    width = max(12, -(-len(text) // 2))  # half the label, rounded up, or 12 characters
    lines = textwrap.wrap(text, width, break_long_words=False)
    while len(lines) > 2:  # words of uneven length: widen until two lines hold them all
        width += 1
        lines = textwrap.wrap(text, width, break_long_words=False)
    return "<br>".join(plain(line) for line in lines)


def rank_intervals(
    table: pd.DataFrame,
    names: pd.Series,
    title: str = N_("Rank uncertainty: nominal rank and 5–95 % interval"),
    sources: str = "",
    subtitle: str = "",
    highlight: tuple[str, ...] = (),
) -> go.Figure:
    """Per country (rows in nominal-rank order): band from the 5th to the 95th percentile rank,
    a dot for the median and a diamond for the nominal rank. Columns: nominal_rank, median_rank,
    p05_rank, p95_rank."""
    title = _(title)
    labels = plain_labels(names.get(iso3, iso3) for iso3 in table.index)
    colours = [HIGHLIGHT if iso3 in highlight else PALETTE[0] for iso3 in table.index]
    fig = go.Figure()
    fig.add_bar(
        y=labels, x=table["p95_rank"] - table["p05_rank"], base=table["p05_rank"], orientation="h",
        marker_color=colours, opacity=0.35, name=plain(_("5–95 % interval")),
        customdata=np.stack([table["p05_rank"], table["p95_rank"]], axis=-1),
        hovertemplate=plain(_("{country}: ranks {low}–{high}")).format(
            country="%{y}", low="%{customdata[0]:.0f}", high="%{customdata[1]:.0f}"
        ) + "<extra></extra>",
    )  # fmt: skip
    fig.add_scatter(
        y=labels, x=table["median_rank"], mode="markers", name=plain(_("Median rank")),
        marker={"color": colours, "size": 7},
    )  # fmt: skip
    fig.add_scatter(
        y=labels, x=table["nominal_rank"], mode="markers", name=plain(_("Nominal rank")),
        marker={"symbol": "diamond-open", "color": "#000", "size": 9},
    )  # fmt: skip
    fig.update_layout(
        yaxis={"autorange": "reversed"}, xaxis={"title": _("Rank (1 = best)")}, bargap=0.35
    )
    return finish(fig, title, sources, subtitle, height=max(420, 20 * len(labels) + 160))


def rank_changes(
    changes: pd.Series,
    names: pd.Series,
    title: str = N_("Rank change against the default method"),
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """Bars of rank change (positive = moved up), largest movers first."""
    title = _(title)
    changes = changes.dropna()
    order = changes.abs().sort_values(ascending=False).index
    changes = changes.loc[order]
    fig = go.Figure(
        go.Bar(
            y=plain_labels(names.get(iso3, iso3) for iso3 in changes.index), x=changes.to_numpy(), orientation="h",
            marker_color=[PALETTE[2] if change > 0 else PALETTE[5] for change in changes],
            hovertemplate=plain(_("{country}: {places} places")).format(
                country="%{y}", places="%{x:+d}"
            ) + "<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(
        yaxis={"autorange": "reversed"}, xaxis_title=_("Places moved (up is positive)")
    )
    return finish(fig, title, sources, subtitle, height=max(360, 20 * len(changes) + 160))


def bars(
    values: pd.Series,
    title: str,
    axis_title: str,
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """Simple horizontal bars, largest first (leave-one-out impacts, sensitivity indices, ...)."""
    values = values.sort_values(ascending=False)
    fig = go.Figure(
        go.Bar(
            y=plain_labels(values.index), x=values.to_numpy(), orientation="h",
            marker_color=PALETTE[0],
        )
    )  # fmt: skip
    fig.update_layout(yaxis={"autorange": "reversed"}, xaxis_title=plain(axis_title))
    return finish(fig, title, sources, subtitle, height=max(360, 24 * len(values) + 160))


def correlation_heatmap(
    correlations: pd.DataFrame, title: str, sources: str = "", subtitle: str = ""
) -> go.Figure:
    """Correlations coloured by the bins analysts read them in (redundant > 0.9, negative < −0.4)."""
    colorscale = []
    for low, high, colour in CORRELATION_BINS:
        colorscale += [[(low + 1) / 2, colour], [(high + 1) / 2, colour]]
    fig = go.Figure(
        go.Heatmap(
            z=correlations.to_numpy(), x=plain_labels(correlations.columns),
            y=plain_labels(correlations.index),
            zmin=-1, zmax=1, colorscale=colorscale,
            text=[["" if np.isnan(r) else f"{r:.2f}" for r in row] for row in correlations.to_numpy(float)],
            texttemplate="%{text}", hovertemplate="%{y} × %{x}: %{z:.2f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(yaxis={"autorange": "reversed"})
    return finish(fig, title, sources, subtitle, height=max(480, 28 * len(correlations) + 200))


def histogram(
    values: pd.Series, title: str, axis_title: str, sources: str = "", highlight: dict | None = None
) -> go.Figure:
    """Distribution of one indicator, with optional marked countries {label: value}."""
    fig = go.Figure(go.Histogram(x=values.dropna().to_numpy(), marker_color=PALETTE[0], nbinsx=30))
    for label, value in (highlight or {}).items():
        fig.add_vline(x=value, line_color=HIGHLIGHT, annotation_text=plain(label))
    fig.update_layout(xaxis_title=plain(axis_title), yaxis_title=_("Countries"), bargap=0.05)
    return finish(fig, title, sources, height=380)


def trend(
    series: pd.DataFrame,
    names: pd.Series,
    title: str,
    axis_title: str,
    sources: str = "",
) -> go.Figure:
    """Lines over years: `series` has columns iso3, year, value; the first country is emphasised."""
    fig = go.Figure()
    for i, (iso3, rows) in enumerate(series.groupby("iso3", sort=False)):
        fig.add_scatter(
            x=rows["year"], y=rows["value"], mode="lines+markers", name=plain(names.get(iso3, iso3)),
            line={"color": PALETTE[i % len(PALETTE)], "width": 3 if i == 0 else 1.5},
        )  # fmt: skip
    fig.update_layout(xaxis_title=_("Year"), yaxis_title=plain(axis_title))
    return finish(fig, title, sources, height=400)


def grouped_hbars(
    table: pd.DataFrame,
    title: str,
    axis_title: str,
    sources: str = "",
    subtitle: str = "",
    percent: bool = False,
) -> go.Figure:
    """Horizontal bars, one colour per column of `table` (rows are the items, top to bottom in the
    given order): effective weight vs correlation importance, first-order vs total index, ..."""
    fig = go.Figure()
    number = ".1%" if percent else ".3f"
    for i, column in enumerate(table.columns):
        fig.add_bar(
            y=plain_labels(table.index), x=table[column].to_numpy(dtype=float), orientation="h",
            name=plain(column), marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate="%{y}: %{x:" + number + "}<extra>" + plain(column) + "</extra>",
        )  # fmt: skip
    fig.update_layout(
        barmode="group",
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": plain(axis_title), "tickformat": ".0%" if percent else None},
    )
    rows = len(table) * max(1, len(table.columns))
    return finish(fig, title, sources, subtitle, height=max(380, 11 * rows + 200))


def coverage_grid(
    present: pd.DataFrame, title: str, sources: str = "", subtitle: str = ""
) -> go.Figure:
    """Which country has which indicator: `present` is countries (rows) x indicators (columns) of
    booleans, drawn with the indicators as rows (their names readable) and the countries as
    columns (named on hover); blue = a value, light grey = no data. Order is kept as given."""
    grid = present.T
    status = np.where(grid.to_numpy(dtype=bool), plain(_("has a value")), plain(_("no data")))
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(dtype=float), x=plain_labels(grid.columns), y=plain_labels(grid.index),
            customdata=status, colorscale=[[0, "#E8E8E8"], [1, PALETTE[0]]], showscale=False,
            zmin=0, zmax=1, ygap=1, hovertemplate="%{x} · %{y}: %{customdata}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(
        yaxis={"autorange": "reversed", "automargin": False},
        xaxis={
            "showticklabels": len(grid.columns) <= 40,
            "title": _("Countries (hover for names)"),
        },
    )
    fig = finish(fig, title, sources, subtitle, height=max(360, 24 * len(grid) + 160))
    # Room for the indicator names; the footer starts at the figure's left edge, not the plot's.
    left = min(380, 7 * max((len(str(name)) for name in grid.index), default=0) + 20)
    fig.update_layout(margin_l=left)
    fig.update_annotations(xshift=-(left - 10))
    return fig


def scenario_scatter(
    table: pd.DataFrame,
    names: pd.Series,
    label_a: str,
    label_b: str,
    sources: str = "",
    subtitle: str = "",
    labelled: int = 12,
) -> go.Figure:
    """Rank in scenario A (x) against rank in B (y), one dot per country scored in both (`table`:
    rank_a, rank_b by iso3). On the dotted diagonal: same rank; below it (green): the country
    climbs in B; above it (orange): it falls. The `labelled` largest movers are named."""
    from scoring.tables import rank_changes

    both = table.dropna(subset=["rank_a", "rank_b"])
    moved = rank_changes(both["rank_b"], both["rank_a"]).astype(float)  # positive = climbs
    colours = [PALETTE[2] if d > 0 else PALETTE[5] if d < 0 else MUTED for d in moved]
    top = set(moved.abs().sort_values(ascending=False, kind="stable").head(labelled).index)
    top = {iso3 for iso3 in top if moved[iso3] != 0}
    country = plain_labels(names.get(iso3, iso3) for iso3 in both.index)
    fig = go.Figure(
        go.Scatter(
            x=both["rank_a"].astype(float), y=both["rank_b"].astype(float), mode="markers+text",
            text=[c if iso3 in top else "" for iso3, c in zip(both.index, country, strict=True)],
            textposition="top center", textfont={"size": 10}, customdata=country,
            marker={"color": colours, "size": 8, "line": {"width": 0.5, "color": "#333"}},
            hovertemplate=plain(_("{country}: rank {a} → {b}")).format(
                country="%{customdata}", a="%{x}", b="%{y}"
            ) + "<extra></extra>",
        )
    )  # fmt: skip
    last = float(max(both["rank_a"].max(), both["rank_b"].max())) if len(both) else 1.0
    fig.add_shape(
        type="line", x0=1, y0=1, x1=last, y1=last, line={"color": MUTED, "dash": "dot", "width": 1}
    )
    fig.update_layout(
        xaxis={"title": plain(_("Rank in {scenario} (1 = best)").format(scenario=label_a))},
        yaxis={
            "title": plain(_("Rank in {scenario} (1 = best)").format(scenario=label_b)),
            "scaleanchor": "x",
        },
        showlegend=False,
    )
    title = _("Ranks: {a} against {b}").format(a=label_a, b=label_b)
    return finish(fig, title, sources, subtitle, height=620)


def validity_scatter(
    table: pd.DataFrame,
    names: pd.Series,
    label: str,
    labelled=(),
    sources: str = "",
    subtitle: str = "",
    measure: str = N_("Overall score"),
    spearman: float | None = None,
) -> go.Figure:
    """Our score (x) against a published index edition (y), one dot per country in common
    (`table` from scoring.validity.published_comparison: ours, published, basis, our_rank,
    published_rank). On the published rank the y axis runs from 1 at the top, so agreement
    reads as a rising cloud either way. The countries in `labelled` (the largest rank
    disagreements) are named and drawn in the highlight colour."""
    basis = str(table["basis"].iloc[0]) if len(table) else "score"
    measure = _(measure)
    marked = set(labelled)
    country = plain_labels(names.get(iso3, iso3) for iso3 in table.index)
    shown = [iso3 in marked for iso3 in table.index]
    fig = go.Figure(
        go.Scatter(
            x=table["ours"].astype(float), y=table["published"].astype(float), mode="markers+text",
            text=[c if on else "" for c, on in zip(country, shown, strict=True)],
            textposition="top center", textfont={"size": 11},
            marker={"color": [HIGHLIGHT if on else PALETTE[0] for on in shown], "size": 9,
                    "line": {"width": 0.5, "color": "#333"}},
            customdata=np.stack(
                [country, table["our_rank"].astype(int), table["published_rank"].astype(int)], axis=-1
            ) if len(table) else None,
            hovertemplate=plain(_(
                "{country}: {measure} {ours} ({our_rank} here), published {basis} {theirs} "
                "({their_rank} there)"
            )).format(
                country="%{customdata[0]}", measure=plain(measure.lower()), ours="%{x:.1f}",
                our_rank="%{customdata[1]}", basis=plain(_(basis)), theirs="%{y}",
                their_rank="%{customdata[2]}",
            ) + "<extra></extra>",
        )
    )  # fmt: skip
    y_title = _("Published rank (1 = best)") if basis == "rank" else _("Published score")
    fig.update_layout(
        xaxis={"title": plain(_("{measure} here (0–100)").format(measure=measure))},
        yaxis={"title": plain(y_title), "autorange": "reversed" if basis == "rank" else True},
        showlegend=False,
    )
    title = _("{measure} against {index}").format(measure=measure, index=label)
    if spearman is not None and not np.isnan(spearman):
        title += " " + ngettext(
            "(Spearman {rho}, {n} country)", "(Spearman {rho}, {n} countries)", len(table)
        ).format(rho=i18n.number(spearman, 2), n=len(table))
    return finish(fig, title, sources, subtitle, height=560)
