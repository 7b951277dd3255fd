"""Country report: self-contained HTML (SVG or interactive charts), every user-supplied text
escaped, the method and sources included, and the same page printed to PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from exports import images
from exports.report import country_report_html, country_report_pdf
from present.country import peers_of
from scoring.method import Method
from scoring.pipeline import build_scorecard
from scoring.uncertainty import monte_carlo
from tests.exports_helpers import ESCAPED_SCRIPT, SCRIPT, hostile, pdf_pages, shipped

NOTE = f"Checked against the 2024 edition. {SCRIPT}\nSecond line & more."


@pytest.fixture(scope="module")
def uncertainty_table():
    return monte_carlo(shipped().sc, draws=200, seed=0)


@pytest.fixture(scope="module")
def interactive(uncertainty_table):
    data = shipped()
    return country_report_html(
        "RUS", data.sc, data.catalogue, data.values, data.countries, uncertainty_table,
        notes="Field notes: see annex.", static=False,
    )  # fmt: skip


def test_html_report_has_every_section(interactive):
    assert interactive.startswith("<!DOCTYPE html>")
    assert "<h1>Russian Federation</h1>" in interactive
    for heading in ("Dimensions", "Strengths and weaknesses", "Indicators", "Notes", "Method",
                    "Sources and licences"):  # fmt: skip
        assert f"<h2>{heading}</h2>" in interactive
    # The default Method: reach and appeal half each; reach's three dimensions equal; appeal's
    # five at catalogue weights 1, 1, 1, 0.5 (diaspora), 1 of 4.5: 50 / 4.5 = 11.1 % each and
    # 25 / 4.5 = 5.6 % for diaspora alignment.
    assert (
        "<h2>Method</h2>\n<p>Weights: reach 50% (3 dimensions equally); appeal 50% (Democratic "
        "credentials 11.1%, Migrant integration 11.1%, EITI participation 11.1%, Diaspora "
        "alignment 5.6%, Normative alignment 11.1%). min-max normalisation, arithmetic/arithmetic aggregation, "
        "latest 2010–2025.</p>"
    ) in interactive
    method = interactive[interactive.index("<h2>Method</h2>") :]
    for setting, value in [("normalisation", "min_max"), ("min_coverage", "0.5"),
                           ("weight_preset", "catalogue"), ("outlier_treatment", "none")]:  # fmt: skip
        assert f"<tr><td>{setting}</td><td>{value}</td></tr>" in method
    assert "Field notes: see annex." in interactive
    for publisher in ("Reporters Without Borders (RSF)", "Freedom House", "UN DESA"):
        assert publisher in interactive
    assert "cite &quot;Reporters Without Borders" in interactive  # licence text, escaped
    assert "no (values shown here, not redistributed as data)" in interactive
    assert 'href="https://rsf.org/en/index"' in interactive


def test_headline_numbers_come_from_the_scorecard(interactive, uncertainty_table):
    data = shipped()
    row = data.sc.results.loc["RUS"]
    assert f"<b>{row['overall']:.1f}</b>" in interactive
    assert f"<b>{row['reach']:.1f}</b><span>reach (0–100)</span>" in interactive
    assert f"<b>{row['appeal']:.1f}</b><span>appeal (0–100)</span>" in interactive
    assert f"<b>{int(row['rank'])} of {len(data.sc.results)}</b>" in interactive
    p05, p95 = uncertainty_table.loc["RUS", ["p05_rank", "p95_rank"]]
    assert f"<b>{p05:.0f}–{p95:.0f}</b>" in interactive
    assert "over 200 draws" in interactive


def test_interactive_report_is_self_contained(interactive):
    assert interactive.count("* plotly.js v") == 1
    assert not re.search(r"<script[^>]*\bsrc=", interactive)
    assert not re.search(r"<link\b", interactive)
    assert "against its peers" in interactive


def test_without_an_interval_the_report_says_so():
    data = shipped()
    page = country_report_html(
        "DEU", data.sc, data.catalogue, data.values, data.countries, static=False
    )
    assert "No rank interval" in page and "<h2>Notes</h2>" not in page


def test_user_text_is_escaped():
    data = hostile()
    page = country_report_html(
        "RUS", data.sc, data.catalogue, data.values, data.countries, notes=NOTE, static=False
    )
    assert SCRIPT not in page
    assert "<script>alert" not in page.lower()
    assert f"<h1>{ESCAPED_SCRIPT}Russia</h1>" in page  # country name
    assert f"{ESCAPED_SCRIPT}RSF" in page  # indicator name
    assert f"{ESCAPED_SCRIPT}Media" in page  # dimension name
    assert "Second line &amp; more." in page  # the note
    assert 'href="javascript:' not in page  # a source URL that is not http(s) is not linked


def test_a_country_that_was_not_scored_is_refused():
    data = shipped()
    unscored, reason = data.sc.screened_out.iloc[0][["iso3", "reason"]]
    with pytest.raises(ValueError, match=f"{unscored}: not scored") as error:
        country_report_html(unscored, data.sc, data.catalogue, data.values, data.countries)
    assert reason in str(error.value)


def test_chosen_peers_come_from_the_method():
    data = shipped()
    sc = build_scorecard(data.values, data.catalogue, Method(peer_group=("EAEU",)), data.countries)
    kind, peers = peers_of("RUS", sc, data.countries)
    assert kind == "Chosen peers" and "RUS" not in peers and {"KAZ", "BLR"} <= set(peers)


def test_static_report_has_inline_svg_and_no_script(chromium_path):
    data = hostile()
    page = country_report_html(
        "RUS", data.sc, data.catalogue, data.values, data.countries, notes=NOTE, static=True
    )
    assert "<script" not in page.lower()  # nothing to run at all
    svg = re.search(r"<figure><svg\b[^>]*>", page)
    assert svg and 'width="100%"' in svg.group(0) and "viewBox" in svg.group(0)
    assert "against its peers" in page
    # the method summary inside the chart: the default weights (worked out above)
    assert "Weights: reach 50% (3 dimensions equally); appeal 50%" in page[page.index("<figure>") :]


def test_pdf_report(chromium_path, tmp_path, uncertainty_table):
    data = shipped()
    pdf = country_report_pdf(
        "RUS", data.sc, data.catalogue, data.values, data.countries, uncertainty_table, NOTE
    )
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    assert pdf_pages(pdf) >= 2
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed: page not rendered")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    page = next(tmp_path.glob("page*.png")).read_bytes()
    assert page.startswith(b"\x89PNG") and len(page) > 10_000


def test_pdf_without_a_browser(monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: None)
    data = shipped()
    with pytest.raises(images.ImageExportUnavailable, match="apt-get install chromium"):
        country_report_pdf("RUS", data.sc, data.catalogue, data.values, data.countries)
    page = country_report_html("RUS", data.sc, data.catalogue, data.values, data.countries)
    assert "* plotly.js v" in page  # falls back to the interactive chart


def test_the_report_says_how_to_cite_it_with_the_data_version(interactive):
    import hashlib
    from pathlib import Path

    # The data version worked out here from its definition: sha256 over each shipped table's
    # name and bytes, in name order, first 12 hex digits.
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent.parent / "data").glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    footer = interactive[interactive.index("<footer") :]
    assert "Cite as: " in footer
    assert digest.hexdigest()[:12] in footer
