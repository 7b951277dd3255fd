"""The Compare figures, shared by the page and ``scorecard export --chart radar|bars``: two to
six countries' dimension scores as a radar and as grouped bars."""

from __future__ import annotations

import pandas as pd

from i18n import N_, _
from indicators.catalogue import country_names
from present import charts
from present.tables import chart_sources, method_summary

#: The countries Compare and ``scorecard export --chart radar|bars`` open on; the first is the
#: reference.
DEFAULT_COMPARE = ("RUS", "CHN", "USA", "DEU", "TUR")
RADAR_TITLE = N_("Dimension scores")
BARS_TITLE = N_("Dimension scores side by side")


def complete_dimensions(scores: pd.DataFrame) -> list[str]:
    """Dimensions every compared country has a score in: the radar's axes (a polygon cannot
    skip a corner).

    >>> complete_dimensions(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, None]}))
    ['a']
    """
    return [d for d in scores.columns if scores[d].notna().all()]


def _scores(sc, codes: list[str]) -> pd.DataFrame:
    return sc.results.loc[list(codes), list(sc.prepared.dimensions)]


def compare_radar_figure(sc, catalogue, countries, codes: list[str]):
    """One polygon per country over the dimensions all of them have a score in."""
    scores = _scores(sc, codes)
    dimension_names = catalogue.dimension_names()
    return charts.radar(
        scores[complete_dimensions(scores)],
        country_names(countries),
        dimension_names,
        _(RADAR_TITLE),
        chart_sources(sc, catalogue),
        method_summary(sc, dimension_names),
    )


def compare_bars_figure(sc, catalogue, countries, codes: list[str]):
    """Grouped bars per dimension, one colour per country; a missing bar is no data."""
    dimension_names = catalogue.dimension_names()
    return charts.grouped_bars(
        _scores(sc, codes),
        country_names(countries),
        dimension_names,
        _(BARS_TITLE),
        chart_sources(sc, catalogue),
        method_summary(sc, dimension_names),
    )
