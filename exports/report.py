"""Country report: one self-contained HTML page (or an A4 PDF) profiling a country's soft power.

The Country scorecard page on paper, built by the page's own builders (``present.country``:
peers, radar; ``present.profile``: the dimension table) on the same rules (``scoring.profile``):
peers are the Method's peer group or else the suggested peers; an indicator's rank is among the
countries with a value; strengths and weaknesses are the five highest and lowest counted
normalised scores.

Contents: name, overall score and rank (with the 5–95 % rank interval when an uncertainty table
is given), dimension scores, ranks and peer averages, a radar against the peer average, strengths
and weaknesses, every indicator's value, unit, year, normalised score, rank, flags and source per
dimension, the analyst's notes, the method (summary, settings, TOML) and the sources with their
licences.

Self-contained: CSS inline, charts inline as SVG (kaleido) or, without a browser, as interactive
plotly HTML with plotly.js included once. The page makes no network request. Every piece of
text that can come from a user (country names, indicator and dimension names of an uploaded
framework, value notes, the analyst's notes) goes through ``html.escape``; only http(s) URLs
become links.

Values of sources marked not redistributable are shown (a report is a rendered profile, like the
app's page), not handed out as data; the sources table says which sources they are.
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

import i18n
from exports import images
from exports.images import (
    NO_BROWSER_MESSAGE,
    ImageExportUnavailable,
    figure_div,
    figure_svg,
    geo_assets_script,
)
from exports.workbook import sources_table
from i18n import N_, _
from indicators.catalogue import country_names
from present.citation import for_scorecard, plain
from present.country import peers_of, radar_figure
from present.profile import dimension_summary, format_score, format_value
from present.tables import method_summary, weight_percent
from scoring.profile import (
    dimension_ranks,
    indicator_profile,
    strengths_weaknesses,
)

#: Chart canvas in the report (logical px); scaled to the page width.
CHART_SIZE = (900, 560)
PDF_TIMEOUT = 90  # seconds

CSS = """
*{box-sizing:border-box}
body{font-family:Arial,Helvetica,sans-serif;color:#1f2933;margin:0;background:#fff;font-size:14px;
line-height:1.45;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:960px;margin:0 auto;padding:24px 28px}
h1{font-size:28px;margin:0 0 2px}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #0072B2;
padding-bottom:3px;break-after:avoid}h3{font-size:15px;margin:18px 0 6px;break-after:avoid}
.kicker{color:#52606d;margin:0 0 14px}
.headline{display:flex;gap:14px;flex-wrap:wrap;margin:10px 0}
.stat{border:1px solid #d9e2ec;border-radius:6px;padding:8px 12px;flex:1 1 0;min-width:130px}
.stat b{display:block;font-size:24px}.stat span{color:#52606d;font-size:12px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:13px}
th,td{border-bottom:1px solid #e4e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f5f7fa;font-weight:bold}td.n,th.n{text-align:right;white-space:nowrap}
tr{break-inside:avoid}
.bar{background:#e4e7eb;height:10px;width:120px;border-radius:2px;display:inline-block}
.bar i{background:#0072B2;height:10px;display:block;border-radius:2px}
.cols{display:flex;gap:24px;flex-wrap:wrap}.cols>div{flex:1 1 380px}
figure{margin:18px 0 8px;break-inside:avoid}figure svg{width:100%;height:auto;display:block}
.muted{color:#52606d;font-size:12px}.notes{white-space:pre-wrap;border-left:3px solid #E69F00;
padding:6px 10px;background:#fffaf0}
pre{background:#f5f7fa;padding:8px;font-size:11px;white-space:pre-wrap;break-inside:avoid}
a{color:#0b5394}
@page{size:A4;margin:12mm}
@media print{main{padding:0;max-width:none}figure svg{max-height:105mm}}
"""


def e(value) -> str:
    """HTML-escaped text of any value (quotes too).

    >>> e('<script>alert("1")</script>')
    '&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;'
    """
    return html.escape("" if value is None else str(value), quote=True)


def link(url, text=None) -> str:
    """An ``<a>`` for http(s) URLs; anything else (javascript:, data:) stays plain text.

    >>> link("javascript:alert(1)", "x"), link("https://a.org/?q=1&r=2", "A")
    ('x', '<a href="https://a.org/?q=1&amp;r=2">A</a>')
    """
    url_text = "" if url is None or pd.isna(url) else str(url).strip()
    label = e(text if text is not None else url_text)
    if re.match(r"^https?://", url_text, flags=re.IGNORECASE):
        return f'<a href="{e(url_text)}">{label}</a>'
    return label


# ----------------------------------------------------------------------------- content
def value_notes(values: pd.DataFrame | None, iso3: str) -> dict[tuple[str, int], str]:
    """(indicator, year) -> the value's note, for one country."""
    if values is None or "note" not in values:
        return {}
    own = values[(values["iso3"] == iso3) & values["note"].notna()]
    return {(str(r.indicator), int(r.year)): str(r.note) for r in own.itertuples() if str(r.note)}


def uncertainty_row(iso3: str, table: pd.DataFrame | None) -> dict | None:
    """{p05, p95, median, draws} of `iso3` in a ``monte_carlo`` table; None without one."""
    if table is None:
        return None
    frame = table.set_index("iso3") if "iso3" in table.columns else table
    if iso3 not in frame.index:
        return None
    row = frame.loc[iso3]

    def pick(*names):
        for name in names:
            if name in row.index and pd.notna(row[name]):
                return float(row[name])
        return None

    out = {
        "p05": pick("p05_rank"),
        "p95": pick("p95_rank"),
        "median": pick("median_rank"),
        "draws": table.attrs.get("draws"),
    }
    return out if out["p05"] is not None and out["p95"] is not None else None


def _chart_block(fig, static: bool) -> str:
    if static:
        svg = figure_svg(fig, CHART_SIZE)
        svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
        # Scale with the page: keep the viewBox, drop the fixed size of the root element only.
        svg = re.sub(
            r"^<svg([^>]*?)\swidth=\"[\d.]+\"\s+height=\"[\d.]+\"",
            r'<svg\1 width="100%"',
            svg,
            count=1,
        )
        return f"<figure>{svg}</figure>"
    return f"<figure>{figure_div(fig, include_plotlyjs=True, height=CHART_SIZE[1])}</figure>"


def html_table(headers: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """An HTML table; cells are already escaped HTML; (header, numeric) pairs."""
    head = "".join(f'<th class="n">{e(h)}</th>' if n else f"<th>{e(h)}</th>" for h, n in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="n">{c}</td>' if n else f"<td>{c}</td>"
            for c, (_header, n) in zip(row, headers, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _year(value) -> str:
    return _("no data") if value is None or pd.isna(value) else f"{float(value):.0f}"


#: Texts of the engine's tables (``scoring.profile``, ``present.country``) shown in the report,
#: translated where shown.
ENGINE_TEXTS = (
    N_("not applicable"), N_("no data"), N_("Chosen peers"), N_("Suggested peers"),
)  # fmt: skip


def rank_text(rank, count, absent_text: str) -> str:
    """'3 of 120', or why there is no rank, in the report's language."""
    if rank is None or pd.isna(rank):
        return _(absent_text)
    return _("{rank} of {count}").format(rank=f"{float(rank):.0f}", count=count)


def flag_text(row) -> str:
    """An indicator's flags (``scoring.profile``'s rule) in the report's language."""
    flags = []
    if row.imputed:
        flags.append(_("imputed"))
    elif pd.isna(row.value):
        flags.append(_("missing"))
    if row.treated:
        flags.append(_("treated"))
    if row.carried:
        flags.append(_("carried back from {year}").format(year=f"{row.year:.0f}"))
    elif row.stale:
        flags.append(_("stale ({year})").format(year=f"{row.year:.0f}"))
    if not row.counted:
        flags.append(_("not counted (weight 0)"))
    return "; ".join(flags)


# ----------------------------------------------------------------------------- HTML
def country_report_html(
    iso3: str,
    sc,
    catalogue,
    values: pd.DataFrame | None,
    countries: pd.DataFrame | None,
    uncertainty_table: pd.DataFrame | None = None,
    notes: str = "",
    *,
    static: bool | None = None,
) -> str:
    """The report as one HTML document. ``static``: charts as SVG (needs a browser) or as
    interactive plotly; None = SVG when a working browser is available. ValueError if `iso3` was not
    scored (the message gives the screening reason). `values` supplies each value's note."""
    iso3 = str(iso3)
    if iso3 not in sc.results.index:
        reasons = dict(zip(sc.screened_out["iso3"], sc.screened_out["reason"], strict=True))
        why = reasons.get(iso3, _("no data for this country"))
        raise ValueError(
            _("{iso3}: not scored with this method ({why})").format(iso3=iso3, why=why)
        )
    automatic = static is None
    if automatic:
        static = images.browser_path() is not None
    names = country_names(countries)
    country = str(names.get(iso3, iso3))
    row = sc.results.loc[iso3]
    dim_names = catalogue.dimension_names()
    summary = method_summary(sc, dim_names)
    peer_kind, peers = peers_of(iso3, sc, countries)
    with_sources = catalogue.with_sources()
    profile = indicator_profile(sc, iso3, with_sources, peers)
    editions = dict(zip(with_sources["indicator"], with_sources.get("edition", ""), strict=True))
    dimensions = dimension_summary(sc.results, iso3, peers, sc.dimension_weights, dim_names)
    strengths, weaknesses = strengths_weaknesses(profile)
    interval = uncertainty_row(iso3, uncertainty_table)
    notes_by_value = value_notes(values, iso3)
    fig = radar_figure(iso3, sc, catalogue, countries, peers)
    try:
        chart = _chart_block(fig, static)
    except ImageExportUnavailable:
        if not automatic:
            raise
        static = False  # a browser that does not work: the interactive chart instead
        chart = _chart_block(fig, static)

    parts: list[str] = []
    add = parts.append
    add(f"<header><h1>{e(country)}</h1>")
    kicker = _("Soft Power Scorecard · country report · {iso3}").format(iso3=iso3)
    add(f'<p class="kicker">{e(kicker)}</p></header>')

    # headline
    stats = [
        (format_score(row["overall"]), _("overall score (0–100)")),
        *(
            (format_score(row[side]), _("{side} (0–100)").format(side=name.lower()))
            for side, name in catalogue.side_names().items()
            if side in row
        ),
        (rank_text(row["rank"], len(sc.results), "no data"), _("rank (1 = best)")),
    ]
    if interval:
        label = _("5–95 % rank interval")
        if interval.get("draws"):
            draws = i18n.number(int(interval["draws"]), 0)
            label = _("5–95 % rank interval over {draws} draws").format(draws=draws)
        if interval["median"] is not None:
            label += _(", median {median}").format(median=f"{interval['median']:.0f}")
        stats.append((f"{interval['p05']:.0f}–{interval['p95']:.0f}", label))
    stats.append((i18n.percent(row["coverage"]), _("data coverage (share of weight with a value)")))
    add('<section class="headline">')
    for big, small in stats:
        add(f'<div class="stat"><b>{e(big)}</b><span>{e(small)}</span></div>')
    add("</section>")
    if not interval:
        no_interval = _("No rank interval: add the uncertainty analysis to show one.")
        add(f'<p class="muted">{e(no_interval)}</p>')
    peer_names = ", ".join(str(names.get(p, p)) for p in peers) or _("none")
    add(f'<p class="muted">{e(_(peer_kind))} ({len(peers)}): {e(peer_names)}.</p>')

    # dimensions + radar
    add(f"<h2>{e(_('Dimensions'))}</h2>")
    rows = []
    # By position (Dimension, Weight, Score, Rank, Peer average): the headers may be translated.
    dimension_rows = dimensions.iloc[:, :5].itertuples(index=False)
    ranks = dimension_ranks(sc.results, sc.prepared.dimensions).reindex([iso3]).iloc[0]
    counts = sc.results[list(sc.prepared.dimensions)].notna().sum()
    for (name, weight, score, _rank, peer), dimension in zip(
        dimension_rows, dimensions.index, strict=True
    ):
        width = 0.0 if pd.isna(score) else max(0.0, min(100.0, float(score)))
        rank, count = ranks[dimension], counts[dimension]
        rows.append(
            [
                e(name),
                e(format_score(score)),
                f'<span class="bar"><i style="width:{width:.1f}%"></i></span>',
                e(rank_text(rank, count, "no data")),
                e(format_score(peer)),
                weight_percent(weight),
            ]
        )
    add(
        html_table(
            [(_("Dimension"), False), (_("Score"), True), ("", False), (_("Rank"), True),
             (_("Peer average"), True), (_("Weight"), True)],
            rows,
        )
    )  # fmt: skip
    scores_note = _("Scores 0–100; rank among the countries with a score in that dimension.")
    add(f'<p class="muted">{e(scores_note)}</p>')
    add(chart)

    # strengths and weaknesses
    add(f"<h2>{e(_('Strengths and weaknesses'))}</h2>")
    best_worst = _(
        "The five best and five worst counted indicators by normalised score (0–100); rank "
        "among the countries with a value."
    )
    add(f'<p class="muted">{e(best_worst)}</p>')
    add('<div class="cols">')
    for heading, table in ((_("Strengths"), strengths), (_("Weaknesses"), weaknesses)):
        rows = [
            [e(r.name), e(dim_names.get(r.dimension, r.dimension)), e(format_score(r.normalised)),
             e(rank_text(r.rank, r.countries, r.rank_text))]
            for r in table.itertuples()
        ]  # fmt: skip
        add(f"<div><h3>{e(heading)}</h3>")
        add(
            html_table(
                [(_("Indicator"), False), (_("Dimension"), False), (_("Score"), True),
                 (_("Rank"), True)],
                rows,
            )
            if rows
            else f'<p class="muted">{e(_("No indicator with a score."))}</p>'
        )  # fmt: skip
        add("</div>")
    add("</div>")

    # indicators per dimension
    add(f"<h2>{e(_('Indicators'))}</h2>")
    indicators_note = _(
        "Value: the latest within the selected years, as published. Rank: among the countries "
        "with a value (1 = best, direction taken into account). Peer average: mean value of the "
        "peers that have one."
    )
    add(f'<p class="muted">{e(indicators_note)}</p>')
    for dimension in sc.prepared.dimensions:
        own = profile[profile["dimension"] == dimension]
        add(f"<h3>{e(dim_names.get(dimension, dimension))}</h3>")
        rows = []
        for r in own.itertuples():
            label = e(r.name)
            if r.flags:
                label += f' <span class="muted">({e(flag_text(r))})</span>'
            note = "" if pd.isna(r.year) else notes_by_value.get((r.indicator, int(r.year)), "")
            if note:
                label += f'<br><span class="muted">{e(note)}</span>'
            publisher = "" if pd.isna(r.publisher) else str(r.publisher)
            edition = editions.get(r.indicator, "")
            source = ", ".join(x for x in (publisher, str(edition or "")) if x)
            rows.append(
                [label, e(format_value(r.value)), e(r.unit), e(_year(r.year)),
                 e(format_score(r.normalised)), e(rank_text(r.rank, r.countries, r.rank_text)),
                 e(format_value(r.peer_average)),
                 link(r.url, source) if source else ""]
            )  # fmt: skip
        add(
            html_table(
                [(_("Indicator"), False), (_("Value"), True), (_("Unit"), False),
                 (_("Year"), True), (_("Score"), True), (_("Rank"), True),
                 (_("Peer average"), True), (_("Source"), False)],
                rows,
            )
        )  # fmt: skip

    # over the years, why it moved, what would take it higher
    from exports.explain_report import explain_section_html

    add(explain_section_html(iso3, sc, catalogue, countries))

    # notes
    if notes and notes.strip():
        add(f"<h2>{e(_('Notes'))}</h2>")
        add(f'<div class="notes">{e(notes.strip())}</div>')

    # method
    add(f"<h2>{e(_('Method'))}</h2>")
    add(f"<p>{e(summary)}</p>")
    rows = []
    for key, value in sc.method.to_dict().items():
        if value is None:
            shown = _("latest in window")
        elif isinstance(value, dict):
            shown = ", ".join(f"{k} = {v:g}" for k, v in value.items()) or _("none")
        elif isinstance(value, list):
            shown = ("–".join(map(str, value)) if key == "year_window" else ", ".join(value)) or _(
                "none"
            )
        else:
            shown = value
        rows.append([e(key), e(shown)])
    add(html_table([(_("Setting"), False), (_("Value"), False)], rows))
    toml_note = e(_("The same method as a file (save as method.toml; load with {code}):"))
    code = "<code>scoring.method.Method.from_toml</code>"
    add(f'<p class="muted">{toml_note.format(code=code)}</p>')
    add(f"<pre>{e(sc.method.to_toml())}</pre>")
    if len(sc.screened_out):
        screened = i18n.ngettext(
            "{n} country was not scored (too little data for this method).",
            "{n} countries were not scored (too little data for this method).",
            len(sc.screened_out),
        ).format(n=len(sc.screened_out))
        add(f'<p class="muted">{e(screened)}</p>')

    # sources
    add(f"<h2>{e(_('Sources and licences'))}</h2>")
    add(_sources_table(catalogue, sc.prepared.indicators))
    made_with = _(
        "Made with the Soft Power Scorecard. Scores are composites of the sources above under "
        "the stated method; cite the sources when you reuse them."
    )
    title = _("{country}: soft power country report").format(country=country)
    cite_as = _("Cite as: {citation}").format(citation=plain(for_scorecard(sc, catalogue, title)))
    add(f'<footer class="muted"><p>{e(made_with)}</p><p>{e(cite_as)}</p></footer>')
    head_extra = "" if static else geo_assets_script(fig)
    return (
        f'<!DOCTYPE html>\n<html lang="{i18n.language()}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n{head_extra}</head>\n"
        "<body><main>\n" + "\n".join(parts) + "\n</main></body>\n</html>\n"
    )


def _sources_table(catalogue, indicator_ids) -> str:
    table = sources_table(catalogue, indicator_ids)
    names = catalogue.indicator_names()
    rows = []
    for r in table.to_dict("records"):
        ids = [i.strip() for i in str(r["indicators"]).split(",") if i.strip()]
        flag = r.get("redistributable")
        allowed = True if flag is None or pd.isna(flag) else bool(flag)
        rows.append(
            [f"{e(r['publisher'])}: {link(r['url'], r['title'])}", e(r["edition"]),
             e(r["licence"]), e(", ".join(names.get(i, i) for i in ids)),
             _("yes") if allowed else _("no (values shown here, not redistributed as data)")]
        )  # fmt: skip
    return html_table(
        [(_("Publisher and title"), False), (_("Edition"), False), (_("Licence"), False),
         (_("Indicators"), False), (_("Data download"), False)],
        rows,
    )  # fmt: skip


# ----------------------------------------------------------------------------- PDF
CHROMIUM_PDF_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
]


def html_to_pdf(document: str, timeout: float = PDF_TIMEOUT) -> bytes:
    """Print an HTML document to PDF (A4) with headless Chromium; ImageExportUnavailable
    without a browser, RuntimeError if it fails or takes longer than `timeout` seconds."""
    path = images.browser_path()
    if path is None:
        raise ImageExportUnavailable(NO_BROWSER_MESSAGE)
    with tempfile.TemporaryDirectory(prefix="scorecard-pdf-") as folder:
        folder_path = Path(folder)
        page = folder_path / "report.html"
        out = folder_path / "report.pdf"
        page.write_text(document, encoding="utf-8")
        command = [
            path,
            *CHROMIUM_PDF_ARGS,
            f"--user-data-dir={folder_path / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"PDF export: Chromium took longer than {timeout:g} s") from None
        data = out.read_bytes() if out.exists() else b""
        if not data.startswith(b"%PDF"):
            detail = done.stderr.decode("utf-8", "replace")[-800:]
            raise RuntimeError(f"PDF export failed (Chromium exit {done.returncode}): {detail}")
        return data


def country_report_pdf(
    iso3: str,
    sc,
    catalogue,
    values: pd.DataFrame | None,
    countries: pd.DataFrame | None,
    uncertainty_table: pd.DataFrame | None = None,
    notes: str = "",
) -> bytes:
    """The report (static SVG charts) printed to an A4 PDF by headless Chromium."""
    if images.browser_path() is None:
        raise ImageExportUnavailable(NO_BROWSER_MESSAGE)
    document = country_report_html(
        iso3, sc, catalogue, values, countries, uncertainty_table, notes, static=True
    )
    return html_to_pdf(document)
