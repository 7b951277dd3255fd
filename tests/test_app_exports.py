"""Download panels on every page (AppTest sees the buttons, not the bytes) and the functions the
buttons call, run directly: chart files, table files, the scorecard workbook, the country report."""

import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from exports.images import browser_available
from exports.tables import csv_bytes, excel_bytes, neutralise_formulas
from present import charts
from tests.app_driver import download_panels, open_download_panels, rankings_table
from views import export_panel
from views.data import shipped_dataset

APP = "../dashboard.py"
PAGES = {
    "views/rankings.py": set(),  # it opens on its chart; its table's buttons are tested below
    "views/country.py": {
        "All indicators (CSV)",
        "All indicators (Excel)",
        "Table (CSV)",
        "Country report (HTML)",
        "Country report (PDF)",
    },
    "views/compare.py": {"Table (CSV)", "Table (Excel)"},
    "views/method.py": {"Table (CSV)", "Table (Excel)"},
    "views/robustness.py": set(),
    "views/validity.py": set(),
    "views/actor.py": {"Table (CSV)", "Table (Excel)"},
    "views/scenarios.py": {"Download the method (TOML)"},
}
needs_browser = pytest.mark.skipif(not browser_available(), reason="no Chrome/Chromium")


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_its_download_buttons(page, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_SCENARIOS", str(tmp_path / "scenarios.sqlite3"))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    labels = {button.label for button in app.get("download_button")}
    assert PAGES[page] <= labels, labels
    charts_shown = len(app.get("plotly_chart"))
    assert len(download_panels(app)) == charts_shown  # one panel under every chart
    assert charts_shown or page == "views/scenarios.py"  # no chart before a scenario is saved
    # A closed panel runs nothing; an open one has one button, PNG by default.
    assert "Download PNG" not in labels
    open_download_panels(app)
    pngs = [b for b in app.get("download_button") if b.label == "Download PNG"]
    assert len(pngs) == (charts_shown if browser_available() else 0)


def test_the_rankings_table_tab_offers_the_table_and_the_workbook():
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    rankings_table(app)
    labels = {button.label for button in app.get("download_button")}
    assert {"Table (CSV)", "Table (Excel)", "Download the scorecard workbook (Excel)"} <= labels


@pytest.fixture(scope="module")
def figure():
    return charts.bars(
        pd.Series({"Alpha": 3.0, "Beta": 1.0}),
        "A test chart",
        "Places",
        sources="Test source",
        subtitle="Weights: everything equal",
    )


@needs_browser
def test_chart_file_png_and_svg(figure):
    png = export_panel.chart_file(figure, "png", "landscape", 1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width == 1280
    assert int.from_bytes(export_panel.chart_file(figure, "png", "square", 2)[16:20]) == 2160
    svg = export_panel.chart_file(figure, "svg").decode()
    assert "Weights: everything equal" in svg and "Test source" in svg
    assert export_panel.chart_file(figure, "pdf").startswith(b"%PDF")


@needs_browser
def test_definitions_make_the_image_taller(figure):
    data = shipped_dataset()
    plain = export_panel.chart_file(figure, "png", "landscape", 1)
    long = export_panel.chart_file(
        figure, "png", "landscape", 1, data.catalogue, ["passport_visa_free"]
    )
    assert int.from_bytes(long[20:24], "big") >= int.from_bytes(plain[20:24], "big")


def test_chart_file_html_needs_no_browser(figure):
    html = export_panel.chart_file(figure, "html").decode()
    assert "<html" in html.lower() and "A test chart" in html


def test_plot_config_names_the_modebar_png():
    config = export_panel.plot_config("rankings_bars")["toImageButtonOptions"]
    assert config == {
        "format": "png",
        "filename": "rankings-bars",
        "width": 1280,
        "height": 720,
        "scale": 2,
    }


def test_table_files_neutralise_formulas_and_leave_out_restricted_sources():
    data = shipped_dataset()
    rows = pd.DataFrame(
        {
            "indicator": ["rsf_press_freedom", "passport_visa_free", "vdem_electoral_democracy"],
            "Note": ["restricted", '=HYPERLINK("http://x")', "plain"],
        }
    )
    # What the table buttons write: restricted rows out, then formulas neutralised.
    kept, note = export_panel.shareable_table(rows, data.catalogue)
    kept = neutralise_formulas(kept)
    csv, xlsx = csv_bytes(kept), excel_bytes({"test": kept})
    text = csv.decode("utf-8-sig")
    assert "rsf_press_freedom" not in text and "RSF" in note
    assert "passport_visa_free" in text and "'=HYPERLINK" in text
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in sheet[1]] == ["indicator", "Note"] and sheet.max_row == 3
    assert sheet["B2"].value.startswith("'=")


def test_wide_tables_drop_restricted_columns():
    data = shipped_dataset()
    wide = pd.DataFrame(
        {
            "Country": ["A"],
            "Press freedom score (RSF)": [1.0],
            "fh_total_score": [3.0],
            "Passports admitted without a visa": [4.0],
        }
    )
    kept, note = export_panel.shareable_table(wide, data.catalogue)
    assert list(kept.columns) == ["Country", "Passports admitted without a visa"]
    assert "RSF" in note and "Freedom House" in note
