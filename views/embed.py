"""One chart alone, for an ``<iframe>``: ``?embed=true&chart=<name>`` (Streamlit hides its own
menu and footer for ``embed=true``; dashboard.py then draws no sidebar and no navigation).
The chart's title, the chart, its sources and a link back to the full view in the same state.
Chart names are those of ``scorecard export --chart``, plus the Country page's radar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import plotly.graph_objects as go
import streamlit as st

import i18n
from exports.bundle import figure_title
from i18n import N_, _
from present.chart_text import describe
from present.compare import compare_bars_figure, compare_radar_figure
from present.country import peers_of, radar_figure
from present.errors import said
from present.rankings import MAP_TITLE, map_figure, ranking_figure, ranking_rows
from present.tables import chart_sources
from views import cite, export_panel, language, state
from views.data import Dataset, scorecard_or_stop
from views.text import md

QUERY = "chart"
RANKING_TOP = 30  # as the Rankings page opens


@dataclass(frozen=True)
class EmbedChart:
    label: str  # what the chart is, for the list of names (N_, translated where shown)
    page: str  # url_path of the page that shows it
    panel: str  # the name of its download panel on that page (views.export_panel)
    build: Callable[[Dataset, object], go.Figure]


def _ranking(data: Dataset, sc) -> go.Figure:
    followed = state.country()
    rows = ranking_rows(sc.results, min(RANKING_TOP, len(sc.results)), followed)
    return ranking_figure(sc, data.catalogue, data.countries, rows, followed)


def _map(data: Dataset, sc) -> go.Figure:
    return map_figure(sc, data.catalogue, data.countries, sc.results["overall"], MAP_TITLE)


def _country_radar(data: Dataset, sc) -> go.Figure:
    iso3 = state.country()
    if iso3 not in sc.results.index:
        raise ValueError(
            _("{country} is not scored under these settings.").format(
                country=data.names.get(iso3, iso3)
            )
        )
    _kind, peers = peers_of(iso3, sc, data.countries)
    return radar_figure(iso3, sc, data.catalogue, data.countries, peers)


def _compared(sc) -> list[str]:
    codes = [c for c in state.compare() if c in sc.results.index]
    if not codes:
        raise ValueError(_("None of the countries to compare is scored under these settings."))
    return codes


def _compare_radar(data: Dataset, sc) -> go.Figure:
    return compare_radar_figure(sc, data.catalogue, data.countries, _compared(sc))


def _compare_bars(data: Dataset, sc) -> go.Figure:
    return compare_bars_figure(sc, data.catalogue, data.countries, _compared(sc))


CHARTS = {
    "ranking": EmbedChart(N_("Rankings chart"), "", "rankings_bars", _ranking),
    "map": EmbedChart(N_("World map"), "", "rankings_map", _map),
    "country-radar": EmbedChart(N_("Country radar"), "country", "country_radar", _country_radar),
    "radar": EmbedChart(N_("Compare radar"), "compare", "compare_radar", _compare_radar),
    "bars": EmbedChart(N_("Compare bars"), "compare", "compare_bars", _compare_bars),
}
BY_PANEL = {chart.panel: name for name, chart in CHARTS.items()}


def full_view_link(chart: EmbedChart, current_path: str) -> str:
    """The same view without embedding: the chart's page, the URL's state, no chart entry."""
    query = {k: v for k, v in st.query_params.to_dict().items() if k != QUERY}
    return cite.page_address(query, chart.page, current_path)


def embed_link(panel: str) -> str | None:
    """The address that shows the chart of download panel `panel` (on this page) alone; None
    when that chart cannot be embedded."""
    name = BY_PANEL.get(panel)
    if name is None:
        return None
    return cite.page_address(st.query_params.to_dict() | {"embed": "true", QUERY: name})


def iframe_snippet(src: str, title: str) -> str:
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="720" '
        'style="border:0" loading="lazy"></iframe>'
    )


def draw(data: Dataset, name: str, current_path: str) -> None:
    """The embedded chart, or the list of names when `name` is not one of them."""
    language.tell_the_browser(i18n.language())  # views.language.draw does it for the full app
    chart = CHARTS.get(name)
    if chart is None:
        st.error(
            _("There is no chart called “{name}” to embed. Use one of: {names}.").format(
                name=md(name), names=", ".join(f"`{n}`" for n in CHARTS)
            )
        )
        st.table({_("Name"): list(CHARTS), _("Chart"): [_(c.label) for c in CHARTS.values()]})
        return
    sc = scorecard_or_stop(data)
    try:
        fig = chart.build(data, sc)
    except ValueError as error:
        st.warning(md(said(error, data.id_names)))
        fig = None
    if fig is not None:
        st.subheader(md(figure_title(fig) or _(chart.label)))
        st.plotly_chart(
            fig,
            theme=None,
            config=export_panel.plot_config(chart.panel),
            key=f"embed_{name}",
            alt=describe(fig).sentence,
        )
        sources = md(chart_sources(sc, data.catalogue))
        st.caption(_("Sources: {sources}").format(sources=sources))
    st.link_button(
        _("Open the full view"), full_view_link(chart, current_path), icon=":material/open_in_new:"
    )
