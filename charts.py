"""Chart builders: plain tables in, plotly Figure out. No streamlit here, so exports match the screen.

Every figure has a title, an explicit template (streamlit's own template exports near-black) and a
footer line naming its sources.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

TEMPLATE = "plotly_white"
FONT = "Arial, Helvetica, sans-serif"

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SEQUENTIAL = "Viridis"
DIVERGING = "RdBu"
HIGHLIGHT, MUTED = "#D55E00", "#9AA5B1"

# Correlation colour bins (COINr/composer): > 0.9, 0.3–0.9, −0.4–0.3, < −0.4
CORRELATION_BINS = [
    (-1.0, -0.4, "#D55E00"),
    (-0.4, 0.3, "#E8E8E8"),
    (0.3, 0.9, "#56B4E9"),
    (0.9, 1.0, "#0072B2"),
]


def dimension_colours(dimensions: list[str]) -> dict[str, str]:
    return {dimension: PALETTE[i % len(PALETTE)] for i, dimension in enumerate(dimensions)}


def finish(
    fig: go.Figure, title: str, sources: str = "", subtitle: str = "", height: int = 520
) -> go.Figure:
    """Title, subtitle, source footer (wrapped, below the plot) and the house layout."""
    footer = textwrap.wrap(f"Source: {sources}", 170) if sources else []
    subtitle_lines = textwrap.wrap(subtitle, 150)
    title_text = "<br>".join([title, *(f"<sup>{line}</sup>" for line in subtitle_lines)])
    bottom = 60 + 14 * len(footer)
    fig.update_layout(
        template=TEMPLATE,
        font={"family": FONT, "size": 13},
        title={"text": title_text, "x": 0.01, "y": 0.98, "yanchor": "top"},
        margin={"l": 60, "r": 30, "t": 70 + 16 * len(subtitle_lines), "b": bottom},
        height=height + 14 * len(footer),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    if footer:
        fig.add_annotation(
            text="<br>".join(footer),
            xref="paper", yref="paper", x=0, y=0, yshift=-(bottom - 8), xanchor="left", yanchor="bottom",
            showarrow=False, font={"size": 10, "color": "#555"}, align="left",
        )  # fmt: skip
    return fig


def ranking_bars(
    contributions: pd.DataFrame,
    names: pd.Series,
    dimension_names: dict[str, str],
    title: str = "Overall score by dimension contribution",
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """Horizontal stacked bars, best at the top; `contributions` is iso3 x dimension, rows in rank order."""
    colours = dimension_colours(list(contributions.columns))
    labels = [names.get(iso3, iso3) for iso3 in contributions.index]
    fig = go.Figure()
    for dimension in contributions.columns:
        fig.add_bar(
            y=labels, x=contributions[dimension], orientation="h",
            name=dimension_names.get(dimension, dimension), marker_color=colours[dimension],
            hovertemplate="%{y}: %{x:.1f}<extra>" + dimension_names.get(dimension, dimension) + "</extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", yaxis={"autorange": "reversed"}, xaxis_title="Score (0–100)")
    return finish(fig, title, sources, subtitle, height=max(420, 22 * len(labels) + 160))


def world_map(
    scores: pd.Series,
    names: pd.Series,
    title: str,
    sources: str = "",
    subtitle: str = "",
    colorbar_title: str = "Score",
) -> go.Figure:
    """Choropleth of a per-iso3 series; countries without a value stay grey (missing, not zero)."""
    present = scores.dropna()
    fig = go.Figure(
        go.Choropleth(
            locations=present.index, z=present.to_numpy(), locationmode="ISO-3",
            text=[names.get(iso3, iso3) for iso3 in present.index],
            colorscale=SEQUENTIAL, marker_line_color="white", marker_line_width=0.3,
            colorbar={"title": colorbar_title},
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
    axes = [dimension_names.get(d, d) for d in scores.columns]
    fig = go.Figure()
    for i, (iso3, row) in enumerate(scores.iterrows()):
        fig.add_scatterpolar(
            r=[*row.to_numpy(), row.iloc[0]], theta=[*axes, axes[0]], name=names.get(iso3, iso3),
            line={"color": PALETTE[i % len(PALETTE)], "width": 3 if i == 0 else 2},
            fill="toself" if i == 0 else None, opacity=0.9,
        )  # fmt: skip
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}})
    return finish(fig, title, sources, subtitle, height=560)


def grouped_bars(
    scores: pd.DataFrame,
    names: pd.Series,
    dimension_names: dict[str, str],
    title: str,
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """Bars per dimension, one colour per country (rows of `scores`)."""
    fig = go.Figure()
    axes = [dimension_names.get(d, d) for d in scores.columns]
    for i, (iso3, row) in enumerate(scores.iterrows()):
        fig.add_bar(
            x=axes,
            y=row.to_numpy(),
            name=names.get(iso3, iso3),
            marker_color=PALETTE[i % len(PALETTE)],
        )
    fig.update_layout(barmode="group", yaxis={"title": "Score (0–100)", "range": [0, 100]})
    return finish(fig, title, sources, subtitle)


def rank_intervals(
    table: pd.DataFrame,
    names: pd.Series,
    title: str = "Rank uncertainty: nominal rank and 5–95 % interval",
    sources: str = "",
    subtitle: str = "",
    highlight: tuple[str, ...] = (),
) -> go.Figure:
    """Per country (rows in nominal-rank order): band from the 5th to the 95th percentile rank,
    a dot for the median and a diamond for the nominal rank. Columns: nominal_rank, median_rank,
    rank_p05, rank_p95."""
    labels = [names.get(iso3, iso3) for iso3 in table.index]
    colours = [HIGHLIGHT if iso3 in highlight else PALETTE[0] for iso3 in table.index]
    fig = go.Figure()
    fig.add_bar(
        y=labels, x=table["rank_p95"] - table["rank_p05"], base=table["rank_p05"], orientation="h",
        marker_color=colours, opacity=0.35, name="5–95 % interval",
        customdata=np.stack([table["rank_p05"], table["rank_p95"]], axis=-1),
        hovertemplate="%{y}: ranks %{customdata[0]:.0f}–%{customdata[1]:.0f}<extra></extra>",
    )  # fmt: skip
    fig.add_scatter(
        y=labels, x=table["median_rank"], mode="markers", name="Median rank",
        marker={"color": colours, "size": 7},
    )  # fmt: skip
    fig.add_scatter(
        y=labels, x=table["nominal_rank"], mode="markers", name="Nominal rank",
        marker={"symbol": "diamond-open", "color": "#000", "size": 9},
    )  # fmt: skip
    fig.update_layout(
        yaxis={"autorange": "reversed"}, xaxis={"title": "Rank (1 = best)"}, bargap=0.35
    )
    return finish(fig, title, sources, subtitle, height=max(420, 20 * len(labels) + 160))


def rank_changes(
    changes: pd.Series,
    names: pd.Series,
    title: str = "Rank change against the default method",
    sources: str = "",
    subtitle: str = "",
) -> go.Figure:
    """Bars of rank change (positive = moved up), largest movers first."""
    changes = changes.dropna()
    order = changes.abs().sort_values(ascending=False).index
    changes = changes.loc[order]
    fig = go.Figure(
        go.Bar(
            y=[names.get(iso3, iso3) for iso3 in changes.index], x=changes.to_numpy(), orientation="h",
            marker_color=[PALETTE[2] if change > 0 else PALETTE[5] for change in changes],
            hovertemplate="%{y}: %{x:+d} places<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(yaxis={"autorange": "reversed"}, xaxis_title="Places moved (up is positive)")
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
        go.Bar(y=list(values.index), x=values.to_numpy(), orientation="h", marker_color=PALETTE[0])
    )
    fig.update_layout(yaxis={"autorange": "reversed"}, xaxis_title=axis_title)
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
            z=correlations.to_numpy(), x=list(correlations.columns), y=list(correlations.index),
            zmin=-1, zmax=1, colorscale=colorscale, text=np.round(correlations.to_numpy(), 2),
            texttemplate="%{text}", hovertemplate="%{y} × %{x}: %{z:.2f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(yaxis={"autorange": "reversed"})
    return finish(fig, title, sources, subtitle, height=max(480, 28 * len(correlations) + 200))


def coverage_heatmap(present: pd.DataFrame, title: str, sources: str = "") -> go.Figure:
    """Countries (rows) x indicators (columns): dark where a value exists, light where it is missing."""
    fig = go.Figure(
        go.Heatmap(
            z=present.to_numpy(dtype=float), x=list(present.columns), y=list(present.index),
            colorscale=[[0, "#F2F2F2"], [1, PALETTE[0]]], showscale=False, zmin=0, zmax=1,
            hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(yaxis={"autorange": "reversed", "showticklabels": len(present) <= 60})
    return finish(fig, title, sources, height=max(480, min(1800, 8 * len(present) + 200)))


def histogram(
    values: pd.Series, title: str, axis_title: str, sources: str = "", highlight: dict | None = None
) -> go.Figure:
    """Distribution of one indicator, with optional marked countries {label: value}."""
    fig = go.Figure(go.Histogram(x=values.dropna().to_numpy(), marker_color=PALETTE[0], nbinsx=30))
    for label, value in (highlight or {}).items():
        fig.add_vline(x=value, line_color=HIGHLIGHT, annotation_text=label)
    fig.update_layout(xaxis_title=axis_title, yaxis_title="Countries", bargap=0.05)
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
            x=rows["year"], y=rows["value"], mode="lines+markers", name=names.get(iso3, iso3),
            line={"color": PALETTE[i % len(PALETTE)], "width": 3 if i == 0 else 1.5},
        )  # fmt: skip
    fig.update_layout(xaxis_title="Year", yaxis_title=axis_title)
    return finish(fig, title, sources, height=400)
