"""Country scorecard: one country's overall and dimension scores, its indicators with sources and
flags, its strengths and weaknesses, and how it compares with its peers, now and over the years."""

import streamlit as st

from exports.report import country_report_html, country_report_pdf
from present import charts
from present.country import left_off_radar, peers_of, radar_figure
from present.profile import dimension_summary, format_score, format_value
from present.robustness import rank_change_note
from present.tables import method_summary
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

data = dataset_or_stop()
sc = scorecard_or_stop(data)
names = data.names
country_groups = groups()
dimension_names = data.dimension_names
indicators = data.catalogue.with_sources()
regions = sorted(data.countries["region"].dropna().unique())
subtitle = method_summary(sc, dimension_names)
iso3 = state.country()
name = names.get(iso3, iso3)


def peer_label(token: str) -> str:
    if token in country_groups:
        return f"{country_groups[token]['name']} (group)"
    if token in regions:
        return f"{token} (region)"
    return names.get(token, token)


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
    "Country",
    countries,
    index=countries.index(iso3) if iso3 in countries else None,
    format_func=names.get,
    key=state.widget_key(
        COUNTRY_KEY, iso3 if iso3 in countries else None
    ),  # follow the state, e.g. a row picked on Rankings
    on_change=_choose_country,
)
right.multiselect(
    "Peer group: countries, groups or regions",
    peer_options,
    default=chosen_peers,
    format_func=peer_label,
    key=state.widget_key(PEERS_KEY, chosen_peers),
    on_change=state.on_change(
        lambda: state.method().with_(peer_group=tuple(state.widget_value(PEERS_KEY)))
    ),
    placeholder="Suggested peers",
    help="Leave empty for suggested peers: countries of the same region that share a group "
    "(EU, CIS, BRICS, ...), the closest in overall score first (up to 6), plus the two "
    "countries ranked just above and the two just below.",
)
peer_kind, peers = peers_of(iso3, sc, data.countries)
if peers:
    st.caption(f"{peer_kind} ({len(peers)}): {', '.join(names.get(p, p) for p in peers)}.")
else:
    st.info(f"No peers for {name}: choose countries or a group above to compare with.")

# ---- headline
profile = indicator_profile(sc, iso3, indicators, peers)
scored = iso3 in sc.results.index
if scored:
    row = sc.results.loc[iso3]
    interval = uncertainty(data).loc[iso3]
    within = peer_ranks(sc, [iso3, *peers])
    overall, *sides, rank = st.columns(2 + len(data.side_names))
    overall.metric("Overall score", f"{row['overall']:.1f}")
    for column, (side, side_name) in zip(sides, data.side_names.items(), strict=True):
        side_rank = int(sc.results[side].rank(ascending=False, method="min")[iso3])
        column.metric(
            side_name,
            f"{row[side]:.1f}",
            help=f"{side_rank} of {len(sc.results)} on {side_name.lower()}. "
            + data.catalogue.sides.set_index("side").at[side, "description"],
        )
    default_ranks = scorecard(data, Method()).results["rank"]
    rank.metric(
        "Rank",
        f"{int(row['rank'])} of {len(sc.results)}",
        delta=rank_change_note(rank_changes(sc.results["rank"], default_ranks)[iso3]),
    )
    band, coverage, count, among = st.columns(4)
    band.metric(
        "Rank, 5–95 % interval",
        f"{interval['p05_rank']:.0f}–{interval['p95_rank']:.0f}",
        help="Ranks in 1,000 Monte Carlo draws with ±25 % random noise on every weight.",
    )
    coverage.metric(
        "Data coverage",
        f"{row['coverage']:.0%}",
        help="Share of the total weight carried by the indicators this country has.",
    )
    count.metric(
        "Indicators",
        f"{int(row['indicator_count'])} of {int((sc.indicator_weight_array > 0).sum())}",
        help="Weighted indicators with a value for this country.",
    )
    among.metric("Rank among peers", f"{within[iso3]} of {len(within)}")
else:
    reasons = sc.screened_out.set_index("iso3")["reason"]
    reason = reasons.get(iso3, "no indicator has a value in the selected years")
    st.warning(
        f"{name} is not scored under these settings: {reason}. "
        "Its indicator values are listed below as they are.",
        icon="⚠️",
    )

# ---- the country report: one page with the headline, dimensions, indicators and sources
intervals = uncertainty(data)
report, report_pdf, _ = st.columns([1, 1, 3])
report.download_button(
    "Country report (HTML)",
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
    "Country report (PDF)",
    data=lambda: country_report_pdf(
        iso3, sc, data.catalogue, data.values, data.countries, intervals
    ),
    file_name=f"country-report-{iso3}.pdf",
    mime="application/pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
    key="country_report_pdf",
    disabled=export_panel.image_export_problem() is not None,
    help=export_panel.image_export_problem() or "A4, printable.",
)

# ---- dimensions: radar against the peers, and the table
if scored:
    st.subheader("Dimensions")
    dimensions = dimension_summary(
        sc.results,
        iso3,
        peers,
        sc.dimension_weights,
        dimension_names,
        sc.dimension_counts.loc[iso3],
    )
    formats = {
        "Weight": st.column_config.NumberColumn(format="percent"),
        "Score": st.column_config.NumberColumn(format="%.1f"),
        "Peer average": st.column_config.NumberColumn(format="%.1f"),
    }
    st.dataframe(
        dimensions,
        hide_index=True,
        placeholder="no data",
        key="country_dimensions",
        column_config=formats,
    )
    export_panel.table_downloads(dimensions, "country_dimensions", data, formats=formats)
    st.caption(
        "Scores 0–100; rank among the countries with a score in that dimension. Indicators: "
        "how many the score rests on; one indicator only is a thin score, read it with care."
    )
    individually = st.checkbox(
        f"Show peers individually on the radar (up to {MAX_LINES - 2})", key="country_radar_peers"
    )
    individual = MAX_LINES - 2 if individually else 0
    fig = radar_figure(iso3, sc, data.catalogue, data.countries, peers, individual)
    st.plotly_chart(
        fig, theme=None, config=export_panel.plot_config("country_radar"), key="country_radar"
    )
    export_panel.chart_downloads(fig, "country_radar", data)
    if left_off := [dimension_names[d] for d in left_off_radar(sc, iso3)]:
        st.caption(f"Left off the radar (no score for {name}): {md(', '.join(left_off))}.")

    # ---- strengths and weaknesses
    strengths, weaknesses = strengths_weaknesses(profile)
    columns = {
        "name": "Indicator",
        "dimension": "Dimension",
        "normalised": "Score",
        "rank_text": "Rank",
    }
    score_column = {"Score": st.column_config.NumberColumn(format="%.1f")}
    st.subheader("Strengths and weaknesses")
    st.caption("The five best and five worst counted indicators by normalised score (0–100).")
    for title, rows, key in [
        ("Strengths", strengths, "country_strengths"),
        ("Weaknesses", weaknesses, "country_weaknesses"),
    ]:
        st.markdown(f"#### {title}")
        st.dataframe(
            rows[list(columns)].rename(columns=columns).replace({"Dimension": dimension_names}),
            hide_index=True,
            placeholder="no data",
            key=key,
            column_config=score_column,
        )

# ---- indicators, one tab per dimension
st.subheader("Indicators")
st.caption(
    "Value: the latest within the selected years, as published (no data = missing, never "
    "filled). Rank: among the countries with a value (1 = best, direction taken into "
    "account); not applicable where the question does not arise for the country (see the "
    "Methodology). Peer average: mean value of the peers that have one. Flags: imputed, treated "
    f"(outlier), stale (more than {STALE_AFTER_YEARS} years older than the newest value of that "
    "indicator), carried back (first measured after the chosen years), not counted (weight 0)."
)
table_columns = {
    "name": "Indicator",
    "value": "Value",
    "unit": "Unit",
    "year": "Year",
    "normalised": "Score",
    "rank_text": "Rank",
    "peer_average": "Peer average",
    "flags": "Flags",
    "publisher": "Publisher",
    "url": "Source",
}
tabs = st.tabs(list(dimension_names.values()))
for tab, (dimension, dimension_name) in zip(tabs, dimension_names.items(), strict=True):
    with tab:
        if scored:
            summary = dimensions.loc[dimension]
            st.markdown(
                f"**{dimension_name}**: score {format_score(summary['Score'])}, "
                f"rank {summary['Rank']}, peer average {format_score(summary['Peer average'])}."
            )
        table = profile.loc[profile["dimension"] == dimension, list(table_columns)]
        st.dataframe(
            table.rename(columns=table_columns)
            .style.format(format_value, subset=["Value", "Peer average"])
            .format("{:.1f}", subset=["Score"])
            .format("{:.0f}", subset=["Year"]),
            hide_index=True,
            placeholder="no data",
            key=f"country_indicators_{dimension}",
            column_config={
                "Indicator": st.column_config.TextColumn(width=230),
                "Value": st.column_config.Column(width=60),
                "Unit": st.column_config.TextColumn(width=90),
                "Year": st.column_config.Column(width=55),
                "Score": st.column_config.Column(width=55, help="Normalised score, 0–100"),
                "Rank": st.column_config.TextColumn(width=85),
                "Peer average": st.column_config.Column(width=85),
                "Flags": st.column_config.TextColumn(width=90),
                "Publisher": st.column_config.TextColumn(width=130),
                "Source": st.column_config.LinkColumn(
                    display_text=r"https?://(?:www\.)?([^/]+)", width=105
                ),
            },
        )

export_panel.table_downloads(
    profile[["indicator", *table_columns]].rename(columns=table_columns),
    "country_indicators",
    data,
    "All indicators",
)

# ---- one indicator over the years
st.subheader("Over the years")
with_years = trend_indicators(data.values, list(profile["indicator"]))
indicator_names = data.catalogue.indicator_names()
if with_years:
    indicator = st.selectbox(
        "Indicator over time",
        with_years,
        index=with_years.index(default_trend(data.values, iso3, with_years, DEFAULT_TREND)),
        format_func=indicator_names.get,
        key=TREND_KEY,
    )
    lines = [iso3, *peers][:MAX_LINES]
    series = trend_series(data.values, indicator, lines)
    if iso3 not in set(series["iso3"]):
        st.info(f"No values of this indicator for {name}: choose another one.")
    else:
        unit = indicators.set_index("indicator").at[indicator, "unit"]
        fig = charts.trend(
            series,
            names,
            f"{indicator_names[indicator]}: {name} and peers",
            unit,
            data.catalogue.sources_line([indicator]),
        )
        st.plotly_chart(
            fig, theme=None, config=export_panel.plot_config("country_trend"), key="country_trend"
        )
        export_panel.chart_downloads(fig, "country_trend", data)
        if len(peers) > MAX_LINES - 1:
            st.caption(f"Showing the first {MAX_LINES - 1} of {len(peers)} peers.")

explain.country_section(data, sc, iso3, peers)
