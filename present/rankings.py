"""The Rankings figures, shared by the page and ``scorecard export``: the ranking chart, the
reach-against-appeal chart and the world map, each from a scorecard and the catalogue."""

from __future__ import annotations

import pandas as pd

from i18n import N_, _
from indicators.catalogue import country_names
from present import charts
from present.tables import chart_sources, method_summary, scatter_labels

MAP_TITLE = N_("Overall soft-power score")


def ranking_rows(results: pd.DataFrame, top: int, followed: str | None = None) -> pd.DataFrame:
    """The `top` best-ranked rows (ties by overall score, then as given), and the followed
    country's row after them wherever it ranks.

    >>> r = pd.DataFrame({"rank": [2, 1, 3], "overall": [5.0, 9.0, 1.0]}, index=["B", "A", "C"])
    >>> ranking_rows(r, 2, "C").index.tolist(), ranking_rows(r, 2, "B").index.tolist()
    (['A', 'B', 'C'], ['A', 'B'])
    """
    ordered = results.sort_values(["rank", "overall"], ascending=[True, False], kind="stable")
    shown = ordered.head(top)
    if followed in ordered.index and followed not in shown.index:
        shown = pd.concat([shown, ordered.loc[[followed]]])
    return shown


def ranking_figure(sc, catalogue, countries, rows: pd.DataFrame, followed: str | None = None):
    """Dimension contributions (or overall bars where the aggregation has no additive split)
    of `rows` of ``sc.results``, in their order; the followed country outlined."""
    dimension_names = catalogue.dimension_names()
    return charts.ranking_chart(
        rows,
        sc.dimension_weights,
        sc.method.dimension_aggregation,
        country_names(countries),
        dimension_names,
        catalogue.side_names(),
        followed,
        chart_sources(sc, catalogue),
        method_summary(sc, dimension_names),
    )


def reach_appeal_figure(sc, catalogue, countries, rows: pd.DataFrame, followed: str | None):
    """Reach against appeal for `rows` of ``sc.results``, the notable countries named."""
    return charts.reach_appeal(
        rows,
        country_names(countries),
        scatter_labels(rows, followed),
        followed,
        sources=chart_sources(sc, catalogue),
        subtitle=method_summary(sc, catalogue.dimension_names()),
    )


def map_figure(sc, catalogue, countries, scores: pd.Series, title: str = MAP_TITLE):
    """A world map of one score per country (the overall score by default)."""
    return charts.world_map(
        scores,
        country_names(countries),
        _(title),
        chart_sources(sc, catalogue),
        method_summary(sc, catalogue.dimension_names()),
    )
