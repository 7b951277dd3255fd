"""`scorecard export`: charts, reports, workbook and method files from the command line; the
scoring commands still work through the same entry point."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from exports import images
from exports.cli import CHARTS, build_parser, main
from scoring.method import Method
from tests.exports_helpers import pdf_pages, png_size, shipped

ROOT = Path(__file__).resolve().parent.parent


def test_exports_never_import_streamlit():
    code = (
        "import sys, exports, exports.cli, exports.images, exports.report, exports.reproduce, "
        "exports.tables, exports.workbook; exports.ImageExportUnavailable; "
        "sys.exit('streamlit' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()


def test_parser_lists_export_beside_the_scoring_commands():
    help_text = build_parser().format_help()
    for command in ("score", "sensitivity", "audit", "export"):
        assert command in help_text


def test_score_is_dispatched_to_scoring_cli(tmp_path):
    out = tmp_path / "scores.csv"
    assert main(["score", "--out", str(out)]) == 0
    scores = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert scores["rank"].iloc[0] == 1 and len(scores) == len(shipped().sc.results)


def test_chart_html_needs_no_browser(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: None)
    out = tmp_path / "map.html"
    assert main(["export", "--chart", "map", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "PlotlyGeoAssets" in page


def test_method_option_changes_the_chart(tmp_path):
    method = tmp_path / "method.toml"
    method.write_text(Method(dimension_weights={"media_reach": 3}).to_toml(), encoding="utf-8")
    out = tmp_path / "ranking.html"
    assert main(["export", "--chart", "ranking", "--method", str(method), "--out", str(out)]) == 0
    assert "Media reach 30%" in out.read_text(encoding="utf-8")  # 3 / (3 + 7)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--chart", "radar", "--country", "XXX", "--out", "{tmp}/r.html"], "not scored"),
        (["--chart", "map", "--out", "{tmp}/map.txt"], "--format"),
        (["--chart", "map", "--dimension", "nope", "--out", "{tmp}/m.html"], "--dimension"),
        (["--report", "RUS", "--format", "svg", "--out", "{tmp}/r.svg"], "--format"),
        (["--chart", "map", "--out", "{tmp}/missing/folder/map.html"], "does not exist"),
        (["--report", "XXX", "--out", "{tmp}/r.html"], "not scored"),
    ],
)
def test_bad_requests_exit_2_with_a_message(tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["export", *argv]) == 2
    assert message in capsys.readouterr().err


def test_no_browser_exits_3_with_instructions(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(images, "_server_started", False)
    monkeypatch.setattr(images, "browser_path", lambda: None)
    assert main(["export", "--chart", "map", "--out", str(tmp_path / "map.png")]) == 3
    assert "apt-get install chromium" in capsys.readouterr().err


def test_report_html(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: None)
    out = tmp_path / "rus.html"
    argv = ["export", "--report", "rus", "--draws", "100", "--notes", "<b>mine</b>"]
    assert main([*argv, "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<h1>Russian Federation</h1>" in page and "&lt;b&gt;mine&lt;/b&gt;" in page
    assert "over 100 draws" in page


def test_workbook_method_file_and_snippet(tmp_path):
    assert main(["export", "--workbook", "--out", str(tmp_path / "s.xlsx")]) == 0
    assert (tmp_path / "s.xlsx").read_bytes()[:2] == b"PK"
    assert main(["export", "--method-file", "--out", str(tmp_path / "m.toml")]) == 0
    assert Method.from_toml((tmp_path / "m.toml").read_text()) == Method()
    assert main(["export", "--reproduce", "--out", str(tmp_path / "r.py")]) == 0
    assert "build_scorecard" in (tmp_path / "r.py").read_text()


# ----------------------------------------------------------------------------- with a browser
@pytest.mark.parametrize("chart", list(CHARTS))
def test_every_chart_exports_as_svg(chromium_path, tmp_path, chart):
    out = tmp_path / f"{chart}.svg"
    argv = ["export", "--chart", chart, "--country", "RUS", "CHN", "--draws", "100"]
    assert main([*argv, "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert re.match(r"\s*(<\?xml[^>]*>\s*)?<svg\b", svg)
    assert "Source:" in svg and len(svg) > 5_000
    # The chart carries its reference: the data version is data/'s digest, worked out here from
    # its definition (sha256 over each table's name and bytes in name order, 12 hex digits).
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent.parent / "data").glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert "Cite as" in svg and digest.hexdigest()[:12] in svg


def test_chart_png_square_with_definitions(chromium_path, tmp_path):
    out = tmp_path / "radar.png"
    argv = ["export", "--chart", "radar", "--layout", "square", "--definitions", "--scale", "1"]
    assert main([*argv, "--out", str(out)]) == 0
    # The name is the size: square at 1x is 1080 x 1080 pixels, definitions or not.
    assert png_size(out.read_bytes()) == (1080, 1080)


def test_report_pdf(chromium_path, tmp_path):
    out = tmp_path / "rus.pdf"
    assert main(["export", "--report", "RUS", "--draws", "100", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(data) >= 2
