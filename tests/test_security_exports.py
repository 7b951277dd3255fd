"""User text in exports and charts: no formula in CSV or Excel, no injected element in the HTML
report or in SVG, and plotly shows names, titles and labels as written."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ElementTree
from functools import cache

import openpyxl
import pandas as pd
import pytest

from exports.images import figure_svg
from exports.report import country_report_html
from exports.tables import FORMULA_PREFIXES, csv_bytes, excel_bytes
from exports.workbook import scorecard_workbook
from indicators.catalogue import load_catalogue, load_countries
from indicators.uploads import UploadedFile, check_upload
from present import charts
from scoring.method import DEFAULT_YEAR_WINDOW, Method
from scoring.pipeline import build_scorecard
from tests.security_payloads import (
    EMBEDDED_BREAKS,
    FORMULA_PAYLOADS,
    SCRIPT_PAYLOADS,
    hostile_upload,
    injected_elements,
)

PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def runs_as_formula(text: str) -> bool:
    """What a spreadsheet would run: text starting with a formula character that is not just a
    number."""
    return text.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(text)


@cache
def hostile():
    """The hostile upload, checked and scored, with formula payloads as some country names."""
    values_file, framework_file = hostile_upload()
    countries = load_countries().copy()
    for iso3, payload in zip(["RUS", "CHN", "USA"], FORMULA_PAYLOADS[6:9], strict=True):
        countries.loc[countries["iso3"] == iso3, "name"] = payload
    countries.loc[countries["iso3"] == "DEU", "name"] = SCRIPT_PAYLOADS[0] + "Germany"
    report = check_upload(
        values_file, framework_file, load_catalogue(), countries, DEFAULT_YEAR_WINDOW
    )
    assert report.usable, report.failures()
    sc = build_scorecard(report.values_used, report.catalogue, Method(), countries)
    return report, sc, countries


# ---- formula injection
@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_csv_neutralises_every_formula_payload(payload):
    frame = pd.DataFrame({"note": [payload], payload: ["x"], "value": [-2.5], "text": ["-3"]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame, bom=False).decode(), newline="")))
    assert rows[0] == ["note", "'" + payload, "value", "text"]
    assert rows[1] == ["'" + payload, "x", "-2.5", "-3"]  # numbers stay numbers


@pytest.mark.parametrize("payload", EMBEDDED_BREAKS)
def test_a_line_break_in_a_cell_cannot_start_a_new_row(payload):
    """Read the way spreadsheets read CSV (any of CR, LF, CRLF ends a row outside quotes)."""
    frame = pd.DataFrame({"note": [payload, "next"], "value": [1, 2]})
    text = csv_bytes(frame, bom=False).decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["note", "value"], [payload, "1"], ["next", "2"]]
    unquoted = re.sub(r'"[^"]*"', '""', text)  # what lies outside quoted cells
    assert [line for line in re.split(r"\r\n|\r|\n", unquoted) if line] == [
        "note,value",
        '"",1',
        "next,2",
    ]


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_excel_neutralises_every_formula_payload(payload):
    frame = pd.DataFrame({"note": [payload], "value": [-2.5], "count": [-7]})
    sheet = openpyxl.load_workbook(io.BytesIO(excel_bytes({"t": frame}))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # XML reads a carriage return back as a line feed.
    assert sheet["A2"].value == "'" + payload.replace("\r", "\n")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-2.5, "n")
    assert (sheet["C2"].value, sheet["C2"].data_type) == (-7, "n")


def test_categorical_text_is_neutralised_too():
    frame = pd.DataFrame({"group": pd.Categorical(["=1+1", "EU"])})
    assert csv_bytes(frame, bom=False).decode().splitlines()[1:] == ["'=1+1", "EU"]


def test_workbook_from_a_hostile_upload_holds_no_formula():
    report, sc, countries = hostile()
    book = openpyxl.load_workbook(
        io.BytesIO(scorecard_workbook(sc, report.catalogue, report.values_used, countries))
    )
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not runs_as_formula(cell.value), (sheet.title, cell.coordinate)
    # The payloads reached the workbook (country names, units, notes), neutralised.
    for payload in (*FORMULA_PAYLOADS[6:9], FORMULA_PAYLOADS[6]):
        assert "'" + payload in texts


def test_failures_report_of_rejected_formula_cells_is_neutralised():
    """The page's failures download (csv_bytes of report.failures()) quotes rejected cells."""
    values = "iso3,indicator,year,value,note\n" + "".join(
        f"RUS,rsf_press_freedom,2025,{payload},\n"
        for payload in ["=1+1", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"]
    )

    report = check_upload(
        UploadedFile("=evil.csv", values.encode()),
        None,
        load_catalogue(),
        load_countries(),
        DEFAULT_YEAR_WINDOW,
    )
    failures = report.failures()
    assert len(failures) >= 3
    rows = list(csv.reader(io.StringIO(csv_bytes(failures, bom=False).decode(), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=1+1" in cells and "'=evil.csv" in cells
    assert not [cell for cell in cells if runs_as_formula(cell)]


# ---- charts: plotly reads <a href>, <b>, <br> ... in text, so user text is escaped
def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _strings(value)
    elif hasattr(node, "tolist"):
        yield from _strings(node.tolist())


RAW_MARKUP = re.compile(r"<\s*(script|img|svg|a|iframe|b|i|span|br)\b|<\s*/?\s*script", re.I)


def _raw_markup(fig) -> list[str]:
    """Strings of the figure holding markup other than the builders' own <br> and <extra>."""
    found = []
    for text in _strings(fig.to_plotly_json()):
        own = re.sub(r"<br>|</?extra>|<b>Definitions</b>", "", text)
        if RAW_MARKUP.search(own):
            found.append(text)
    return found


def hostile_figures():
    names = pd.Series({f"C{i}": payload for i, payload in enumerate(SCRIPT_PAYLOADS)}, name="name")
    iso3 = list(names.index)
    dims = {"d1": SCRIPT_PAYLOADS[3], "d2": SCRIPT_PAYLOADS[6]}
    scores = pd.DataFrame({"d1": range(len(iso3)), "d2": range(len(iso3))}, index=iso3)
    title, sources, subtitle = SCRIPT_PAYLOADS[0], SCRIPT_PAYLOADS[2], SCRIPT_PAYLOADS[1]
    by_name = pd.Series(range(len(iso3)), index=list(names), dtype=float)
    ranks = pd.DataFrame(
        {
            "rank_a": range(1, len(iso3) + 1),
            "rank_b": list(range(len(iso3), 0, -1)),
        },
        index=iso3,
    ).assign(rank_delta=lambda t: t["rank_b"] - t["rank_a"])
    intervals = pd.DataFrame(
        {"nominal_rank": 1.0, "median_rank": 1.0, "p05_rank": 1.0, "p95_rank": 2.0}, index=iso3
    )
    square = pd.DataFrame(0.5, index=list(names), columns=list(names))
    trend_rows = pd.DataFrame({"iso3": iso3, "year": 2020, "value": 1.0})
    results = scores.assign(
        overall=range(len(iso3)), reach=range(len(iso3)), appeal=range(len(iso3)),
        rank=range(1, len(iso3) + 1),
    )  # fmt: skip
    sides = {"reach": SCRIPT_PAYLOADS[4], "appeal": SCRIPT_PAYLOADS[5]}
    weights = pd.Series({"d1": 0.5, "d2": 0.5})
    comparison = pd.DataFrame(
        {"ours": range(len(iso3)), "published": range(len(iso3)), "basis": "rank"}, index=iso3
    ).assign(our_rank=lambda t: t["ours"] + 1, published_rank=lambda t: t["published"] + 1)
    return {
        "ranking_bars": charts.ranking_bars(scores, list(names), dims, title, sources, subtitle),
        "overall_bars": charts.overall_bars(results, list(names), sides, title, sources, subtitle),
        "ranking_chart": charts.ranking_chart(
            results, weights, "geometric", names, dims, sides, iso3[0], sources, subtitle
        ),
        "reach_appeal": charts.reach_appeal(
            results, names, iso3, iso3[1], title, sources, subtitle
        ),
        "world_map": charts.world_map(scores["d1"], names, title, sources, subtitle, title),
        "radar": charts.radar(scores, names, dims, title, sources, subtitle),
        "grouped_bars": charts.grouped_bars(scores, names, dims, title, sources, subtitle),
        "rank_intervals": charts.rank_intervals(intervals, names, title, sources, subtitle),
        "rank_changes": charts.rank_changes(
            pd.Series(range(1, len(iso3) + 1), index=iso3), names, title, sources, subtitle
        ),
        "bars": charts.bars(by_name, title, title, sources, subtitle),
        "correlation_heatmap": charts.correlation_heatmap(square, title, sources, subtitle),
        "histogram": charts.histogram(by_name, title, title, sources, {title: 1.0}),
        "trend": charts.trend(trend_rows, names, title, title, sources),
        "grouped_hbars": charts.grouped_hbars(
            pd.DataFrame({SCRIPT_PAYLOADS[0]: by_name}), title, title, sources, subtitle
        ),
        "coverage_grid": charts.coverage_grid(square > 0, title, sources, subtitle),
        "scenario_scatter": charts.scenario_scatter(
            ranks, names, SCRIPT_PAYLOADS[3], SCRIPT_PAYLOADS[0], sources, subtitle
        ),
        "validity_scatter": charts.validity_scatter(
            comparison, names, SCRIPT_PAYLOADS[3], iso3[:3], sources, subtitle, SCRIPT_PAYLOADS[5]
        ),
    }


@pytest.mark.parametrize("builder", list(hostile_figures()))
def test_chart_builders_escape_user_text(builder):
    fig = hostile_figures()[builder]
    assert not _raw_markup(fig)
    # The payload is still there, escaped, for plotly to show as written.
    assert any("&lt;script&gt;" in text for text in _strings(fig.to_plotly_json()))


def test_chart_builders_cover_every_public_builder():
    """A new builder gets a row in hostile_figures, or this fails."""
    public = {
        name
        for name, value in vars(charts).items()
        if callable(value)
        and getattr(value, "__module__", "") == "present.charts"
        and not name.startswith("_")
        and name
        not in {"finish", "plain", "plain_labels", "dimension_colours", "separators", "two_lines"}
    }
    assert public == set(hostile_figures())


# ---- SVG (kaleido) and the HTML report
SVG = "{http://www.w3.org/2000/svg}"


def test_svg_export_has_no_element_from_user_text(chromium_path):
    figures = hostile_figures()
    for builder in ("ranking_bars", "scenario_scatter"):
        svg = figure_svg(figures[builder])
        root = ElementTree.fromstring(svg)
        elements = list(root.iter())
        tags = {element.tag.removeprefix(SVG).lower() for element in elements}
        assert not tags & {"script", "foreignobject", "iframe", "img", "image"}, tags
        for element in elements:
            assert not [name for name in element.attrib if name.lower().startswith("on")]
            for name, value in element.attrib.items():
                assert "javascript:" not in value and "evil.example" not in value, (name, value)
        # plotly.js keeps <a href> from text as a link: there must be none.
        assert "a" not in tags
        shown = "".join(root.itertext())
        assert "<script>alert(1)</script>" in shown  # drawn as text, as written


@pytest.mark.parametrize("static", [False, True], ids=["interactive", "svg"])
def test_html_report_has_no_injected_element(static, request):
    if static:
        request.getfixturevalue("chromium_path")
    report, sc, countries = hostile()
    notes = "\n".join(SCRIPT_PAYLOADS)
    document = country_report_html(
        "DEU", sc, report.catalogue, report.values_used, countries, notes=notes, static=static
    )
    assert injected_elements(document) == []
    # Every payload reached the document as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Germany" in document
    assert "&lt;img src=x onerror=alert(1)&gt;" in document
