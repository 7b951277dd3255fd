"""The Country scorecard's choices and figures, shared by the page and the country report:
which peers a country is compared with, and the radar against them."""

from __future__ import annotations

import pandas as pd

from i18n import N_, _
from indicators.catalogue import country_names
from present import charts
from present.tables import chart_sources, method_summary
from scoring.pipeline import resolve_countries
from scoring.profile import PEER_AVERAGE, peer_average_row, suggest_peers

CHOSEN, SUGGESTED = N_("Chosen peers"), N_("Suggested peers")


def peers_of(iso3: str, sc, countries: pd.DataFrame | None) -> tuple[str, list[str]]:
    """(kind, peers without `iso3`): "Chosen peers" resolved from the Method's peer group
    (countries, groups, regions), else "Suggested peers" (``scoring.profile.suggest_peers``)."""
    if sc.method.peer_group:
        peers = resolve_countries(sc.method.peer_group, countries, sc.prepared.iso3)
        return CHOSEN, [p for p in peers if p != iso3]
    if countries is None:
        return SUGGESTED, []
    return SUGGESTED, suggest_peers(iso3, countries, sc.results["overall"])


def radar_scores(sc, iso3: str, peers: list[str], individual: int = 0) -> pd.DataFrame:
    """The radar's rows: the country, the peers' average (when there are peers) and the first
    `individual` scored peers; columns: the dimensions the country has a score in."""
    dimensions = list(sc.prepared.dimensions)
    scores = peer_average_row(sc.results[dimensions], iso3, peers)
    if not peers:
        scores = scores.loc[[iso3]]
    shown = [p for p in peers if p in sc.results.index][:individual]
    if shown:
        scores = pd.concat([scores, sc.results.loc[shown, dimensions]])
    own = scores.loc[iso3]
    return scores[[d for d in dimensions if pd.notna(own[d])]]


def radar_figure(iso3: str, sc, catalogue, countries, peers: list[str], individual: int = 0):
    """The country against its peers' average (and `individual` peers one by one), dimensions
    without a score for the country left off: the figure of the page and of the report."""
    names = country_names(countries)
    dimension_names = catalogue.dimension_names()
    average = _("Peer average ({n})").format(n=len(peers))
    labels = pd.concat([names, pd.Series({PEER_AVERAGE: average})])
    return charts.radar(
        radar_scores(sc, iso3, peers, individual),
        labels,
        dimension_names,
        _("{country} against its peers").format(country=names.get(iso3, iso3)),
        chart_sources(sc, catalogue),
        method_summary(sc, dimension_names),
    )


def left_off_radar(sc, iso3: str) -> list[str]:
    """Dimensions (ids) the radar leaves off because the country has no score in them."""
    own = sc.results.loc[iso3, list(sc.prepared.dimensions)]
    return [d for d in own.index if pd.isna(own[d])]
