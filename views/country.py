"""Country scorecard: one country's overall and dimension scores, its indicators with sources and
flags, its strengths and weaknesses, and how it compares with its peers, now and over the years."""

import streamlit as st
from pandas import isna

import i18n
from exports.report import country_report_html, country_report_pdf
from i18n import N_, _, ngettext
from indicators.names import group_name, region_name
from present import charts
from present.country import left_off_radar, peers_of, radar_figure
from present.profile import dimension_summary, flags_text, format_score, format_value, rank_text
from present.tables import grid, method_summary, screen_reason
from scoring.method import Method
from scoring.pipeline import peer_ranks
from scoring.profile import (
    STALE_AFTER_YEARS,
    default_trend,
    indicator_profile,
    strengths_weaknesses,
    trend_indicators,
    trend_series,
)
from scoring.tables import rank_changes
from views import explain, export_panel, state
from views.data import dataset_or_stop, groups, scorecard, scorecard_or_stop, uncertainty
from views.text import md

COUNTRY_KEY = "country_select"
PEERS_KEY = "method_country_peers"  # "method_": the sidebar's reset forgets it with the Method
TREND_KEY = "country_trend_indicator"
DEFAULT_TREND = "vdem_electoral_democracy"
MAX_LINES = 8  # the country and up to 7 peers: one colour each from charts.PALETTE
TABLE_COLUMNS = {
    "name": N_("Indicator"),
    "value": N_("Value"),
    "unit": N_("Unit"),
    "year": N_("Year"),
    "normalised": N_("Score"),
    "rank_text": N_("Rank"),
    "peer_average": N_("Peer average"),
    "flags": N_("Flags"),
    "publisher": N_("Publisher"),
    "url": N_("Source"),
}

data = dataset_or_stop()
sc = scorecard_or_stop(data)
names = data.names
labels = data.picker_labels  # country pickers: names and the names people type
country_groups = groups()
dimension_names = data.dimension_names
indicators = data.catalogue.with_sources()
regions = sorted(data.countries["region"].dropna().unique())
subtitle = method_summary(sc, dimension_names)
iso3 = state.country()
name = names.get(iso3, iso3)


def peer_label(token: str) -> str:
    if token in country_groups:
        return _("{name} (group)").format(name=group_name(country_groups[token]))
    if token in regions:
        return _("{name} (region)").format(name=region_name(token))
    return labels.get(token, token)


def rank_change_note(change) -> str | None:
    """The rank change against the default method (positive = up) as a metric's delta."""
    if change is None or isna(change) or not change:  # no default rank, or unmoved
        return None
    places = int(change)
    return ngettext(
        "{places:+d} place against the default method",
        "{places:+d} places against the default method",
        abs(places),
    ).format(places=places)


@state.callback
def _choose_country() -> None:
    state.set_country(state.widget_value(COUNTRY_KEY))


st.header(name)
st.caption(subtitle)

# ---- country and peers: both live in the state (and so in the URL)
countries = sorted(names.index, key=lambda code: names[code])
peer_options = [*country_groups, *regions, *countries]
chosen_peers = [p for p in sc.method.peer_group if p in peer_options]
left, right = st.columns([1, 2])
left.selectbox(
    _("Country"),
    countries,
    index=countries.index(iso3) if iso3 in countries else None,
    format_func=labels.get,
    placeholder=_("Choose a country"),
    key=state.widget_key(
        COUNTRY_KEY, iso3 if iso3 in countries else None
    ),  # follow the state, e.g. a row picked on Rankings
    on_change=_choose_country,
)
right.multiselect(
    _("Peer group: countries, groups or regions"),
    peer_options,
    default=chosen_peers,
    format_func={token: peer_label(token) for token in peer_options}.get,
    key=state.widget_key(PEERS_KEY, chosen_peers),
    on_change=state.on_change(
        lambda: state.method().with_(peer_group=tuple(state.widget_value(PEERS_KEY)))
    ),
    placeholder=_("Suggested peers"),
    help=_(
        "Leave empty for suggested peers: countries of the same region that share a group "
        "(EU, CIS, BRICS, ...), the closest in overall score first (up to 6), plus the two "
        "countries ranked just above and the two just below."
    ),
)
peer_kind, peers = peers_of(iso3, sc, data.countries)
if peers:
    st.caption(
        "{kind} ({n}): {peers}.".format(
            kind=_(peer_kind), n=len(peers), peers=", ".join(names.get(p, p) for p in peers)
        )
    )
else:
    st.info(
        _("No peers for {country}: choose countries or a group above to compare with.").format(
            country=name
        )
    )

# ---- headline
profile = indicator_profile(sc, iso3, indicators, peers)
scored = iso3 in sc.results.index
if scored:
    row = sc.results.loc[iso3]
    interval = uncertainty(data).loc[iso3]
    within = peer_ranks(sc, [iso3, *peers])
    overall, *sides, rank = st.columns(2 + len(data.side_names))
    overall.metric(_("Overall score"), format_score(row["overall"]))
    for column, (side, side_name) in zip(sides, data.side_names.items(), strict=True):
        side_rank = int(sc.results[side].rank(ascending=False, method="min")[iso3])
        column.metric(
            side_name,
            format_score(row[side]),
            help=_("{rank} of {n} on {side}.").format(
                rank=side_rank, n=len(sc.results), side=side_name.lower()
            )
            + " "
            + _(data.catalogue.sides.set_index("side").at[side, "description"]),
        )
    default_ranks = scorecard(data, Method()).results["rank"]
    rank.metric(
        _("Rank"),
        _("{rank} of {n}").format(rank=int(row["rank"]), n=len(sc.results)),
        delta=rank_change_note(rank_changes(sc.results["rank"], default_ranks)[iso3]),
    )
    band, coverage, count, among = st.columns(4)
    band.metric(
        _("Rank, 5–95 % interval"),
        f"{interval['p05_rank']:.0f}–{interval['p95_rank']:.0f}",
        help=_(
            "Ranks in {draws} Monte Carlo draws with {noise} random noise on every weight."
        ).format(draws=i18n.number(1000, 0), noise="±" + i18n.percent(0.25)),
    )
    coverage.metric(
        _("Data coverage"),
        i18n.percent(row["coverage"]),
        help=_("Share of the total weight carried by the indicators this country has."),
    )
    count.metric(
        _("Indicators"),
        _("{rank} of {n}").format(
            rank=int(row["indicator_count"]), n=int((sc.indicator_weight_array > 0).sum())
        ),
        help=_("Weighted indicators with a value for this country."),
    )
    among.metric(_("Rank among peers"), _("{rank} of {n}").format(rank=within[iso3], n=len(within)))
else:
    reasons = sc.screened_out.set_index("iso3")["reason"]
    reason = screen_reason(reasons.get(iso3, _("no indicator has a value in the selected years")))
    st.warning(
        _(
            "{country} is not scored under these settings: {reason}. "
            "Its indicator values are listed below as they are."
        ).format(country=name, reason=reason),
        icon="⚠️",
    )

# ---- the country report: one page with the headline, dimensions, indicators and sources
intervals = uncertainty(data)
report, report_pdf, _blank = st.columns([1, 1, 3])
report.download_button(
    _("Country report (HTML)"),
    data=lambda: country_report_html(
        iso3, sc, data.catalogue, data.values, data.countries, intervals
    ),
    file_name=f"country-report-{iso3}.html",
    mime="text/html",
    on_click="ignore",
    icon=":material/description:",
    key="country_report_html",
)
report_pdf.download_button(
    _("Country report (PDF)"),
    data=lambda: country_report_pdf(
        iso3, sc, data.catalogue, data.values, data.countries, intervals
    ),
    file_name=f"country-report-{iso3}.pdf",
    mime="application/pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
    key="country_report_pdf",
    disabled=export_panel.image_export_problem() is not None,
    help=export_panel.image_export_problem() or _("A4, printable."),
)

# ---- dimensions: radar against the peers, and the table
if scored:
    st.subheader(_("Dimensions"))
    dimensions = dimension_summary(
        sc.results,
        iso3,
        peers,
        sc.dimension_weights,
        dimension_names,
        sc.dimension_counts.loc[iso3],
    )
    formats = {
        _("Weight"): st.column_config.NumberColumn(format="percent"),
        _("Score"): st.column_config.NumberColumn(format="%.1f"),
        _("Peer average"): st.column_config.NumberColumn(format="%.1f"),
    }
    st.dataframe(
        **grid(dimensions, formats, _("no data")),
        hide_index=True,
        placeholder=_("no data"),
        key="country_dimensions",
    )
    export_panel.table_downloads(dimensions, "country_dimensions", data, formats=formats)
    st.caption(
        _(
            "Scores 0–100; rank among the countries with a score in that dimension. Indicators: "
            "how many the score rests on; one indicator only is a thin score, read it with care."
        )
    )
    individually = st.checkbox(
        _("Show peers individually on the radar (up to {n})").format(n=MAX_LINES - 2),
        key="country_radar_peers",
    )
    individual = MAX_LINES - 2 if individually else 0
    fig = radar_figure(iso3, sc, data.catalogue, data.countries, peers, individual)
    export_panel.chart(fig, "country_radar", data)
    if left_off := [dimension_names[d] for d in left_off_radar(sc, iso3)]:
        st.caption(
            _("Left off the radar (no score for {country}): {dimensions}.").format(
                country=name, dimensions=md(", ".join(left_off))
            )
        )

    # ---- strengths and weaknesses
    strengths, weaknesses = strengths_weaknesses(profile)
    columns = {
        "name": _("Indicator"),
        "dimension": _("Dimension"),
        "normalised": _("Score"),
        "rank_text": _("Rank"),
    }
    score_column = {_("Score"): st.column_config.NumberColumn(format="%.1f")}
    st.subheader(_("Strengths and weaknesses"))
    st.caption(_("The five best and five worst counted indicators by normalised score (0–100)."))
    for title, rows, key in [
        (_("Strengths"), strengths, "country_strengths"),
        (_("Weaknesses"), weaknesses, "country_weaknesses"),
    ]:
        st.markdown(f"#### {title}")
        shown_rows = rows[list(columns)].assign(rank_text=rows["rank_text"].map(rank_text))
        st.dataframe(
            **grid(
                shown_rows.rename(columns=columns).replace({_("Dimension"): dimension_names}),
                score_column,
                _("no data"),
            ),
            hide_index=True,
            placeholder=_("no data"),
            key=key,
        )

# ---- indicators, one tab per dimension
st.subheader(_("Indicators"))
st.caption(
    _(
        "Value: the latest within the selected years, as published (no data = missing, never "
        "filled). Rank: among the countries with a value (1 = best, direction taken into "
        "account); not applicable where the question does not arise for the country (see the "
        "Methodology). Peer average: mean value of the peers that have one. Flags: imputed, "
        "treated (outlier), stale (more than {years} years older than the newest value of that "
        "indicator), carried back (first measured after the chosen years), not counted "
        "(weight 0)."
    ).format(years=STALE_AFTER_YEARS)
)
table_columns = {column: _(label) for column, label in TABLE_COLUMNS.items()}
tabs = st.tabs(list(dimension_names.values()))
for tab, (dimension, dimension_name) in zip(tabs, dimension_names.items(), strict=True):
    with tab:
        if scored:
            summary = dimensions.loc[dimension]
            st.markdown(
                _("**{dimension}**: score {score}, rank {rank}, peer average {average}.").format(
                    dimension=dimension_name,
                    score=format_score(summary[_("Score")]),
                    rank=summary[_("Rank")],
                    average=format_score(summary[_("Peer average")]),
                )
            )
        table = profile.loc[profile["dimension"] == dimension, list(table_columns)]
        table = table.assign(
            rank_text=table["rank_text"].map(rank_text), flags=table["flags"].map(flags_text)
        )
        column = table_columns.get
        st.dataframe(
            table.rename(columns=table_columns)
            .style.format(format_value, subset=[column("value"), column("peer_average")])
            .format(format_score, subset=[column("normalised")])
            .format("{:.0f}", subset=[column("year")]),
            hide_index=True,
            placeholder=_("no data"),
            key=f"country_indicators_{dimension}",
            column_config={
                column("name"): st.column_config.TextColumn(width=230),
                column("value"): st.column_config.Column(width=60),
                column("unit"): st.column_config.TextColumn(width=90),
                column("year"): st.column_config.Column(width=55),
                column("normalised"): st.column_config.Column(
                    width=55, help=_("Normalised score, 0–100")
                ),
                column("rank_text"): st.column_config.TextColumn(width=85),
                column("peer_average"): st.column_config.Column(width=85),
                column("flags"): st.column_config.TextColumn(width=90),
                column("publisher"): st.column_config.TextColumn(width=130),
                column("url"): st.column_config.LinkColumn(
                    display_text=r"https?://(?:www\.)?([^/]+)", width=105
                ),
            },
        )

export_panel.table_downloads(
    profile[["indicator", *table_columns]].rename(columns=table_columns),
    "country_indicators",
    data,
    _("All indicators"),
)

# ---- one indicator over the years
st.subheader(_("Over the years"))
with_years = trend_indicators(data.values, list(profile["indicator"]))
indicator_names = data.catalogue.indicator_names()
if with_years:
    indicator = st.selectbox(
        _("Indicator over time"),
        with_years,
        index=with_years.index(default_trend(data.values, iso3, with_years, DEFAULT_TREND)),
        format_func=indicator_names.get,
        key=TREND_KEY,
    )
    lines = [iso3, *peers][:MAX_LINES]
    series = trend_series(data.values, indicator, lines)
    if iso3 not in set(series["iso3"]):
        st.info(
            _("No values of this indicator for {country}: choose another one.").format(country=name)
        )
    else:
        unit = indicators.set_index("indicator").at[indicator, "unit"]
        fig = charts.trend(
            series,
            names,
            _("{indicator}: {country} and peers").format(
                indicator=indicator_names[indicator], country=name
            ),
            _(unit),
            data.catalogue.sources_line([indicator]),
        )
        export_panel.chart(fig, "country_trend", data)
        if len(peers) > MAX_LINES - 1:
            st.caption(
                _("Showing the first {shown} of {n} peers.").format(
                    shown=MAX_LINES - 1, n=len(peers)
                )
            )

explain.country_section(data, sc, iso3, peers)
