"""Downloads in a real browser: a chart as PNG from the Rankings page's download panel, and the
scorecard workbook, opened with openpyxl."""

import time

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser_pages import rankings_table

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms (the machine is shared)


def open_rankings(page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=WAIT)


def test_chart_png_from_the_download_panel(page, app_url, screenshot, tmp_path):
    open_rankings(page, app_url)  # it opens on the chart
    chart_panel = page.get_by_role("tabpanel", name="Chart")
    expect(chart_panel.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=WAIT)
    chart_panel.get_by_role("button", name="Download", exact=True).click()
    button = page.get_by_role("button", name="Download PNG")
    expect(button).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Add full definitions")).to_be_visible()
    screenshot("exports_chart_panel")
    started = time.monotonic()
    with page.expect_download(timeout=60_000) as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    elapsed = time.monotonic() - started
    print(f"PNG export in the app: {elapsed:.2f} s")
    assert download.value.suggested_filename == "rankings-bars.png"
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(data[16:20], "big") == 2560  # 1280 px landscape at 2x
    screenshot("exports_chart_panel").with_name("exports_downloaded_rankings_bars.png").write_bytes(
        data
    )


def test_a_chart_from_the_download_panel_says_how_to_cite_it(page, app_url, tmp_path):
    page.goto(f"{app_url}/?dw=media_reach:2")
    expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=WAIT)
    chart_panel = page.get_by_role("tabpanel", name="Chart")
    expect(chart_panel.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=WAIT)
    chart_panel.get_by_role("button", name="Download", exact=True).click()
    page.get_by_text("SVG", exact=True).click()
    button = page.get_by_role("button", name="Download SVG")
    expect(button).to_be_visible(timeout=WAIT)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    svg = path.read_text(encoding="utf-8")
    # Under the chart: how to cite it, with the link that reopens this very view.
    assert "Cite as" in svg and "?dw=media_reach%3A2" in svg


def test_scorecard_workbook(page, app_url, tmp_path):
    open_rankings(page, app_url)
    rankings_table(page)
    button = page.get_by_role("button", name="Download the scorecard workbook (Excel)")
    expect(button).to_be_visible(timeout=WAIT)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    path = tmp_path / "scorecard.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename == "soft-power-scorecard.xlsx"
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["README", "scores", "values", "method", "weights", "sources"]
    header = [cell.value for cell in next(workbook["scores"].iter_rows(max_row=1))]
    assert "iso3" in [str(h).lower() for h in header] or len(header) > 3


def test_scenarios_page(page, app_url, screenshot):
    page.goto(f"{app_url}/scenarios?dw=media_reach:2")
    expect(page.get_by_role("heading", name="Scenarios", level=1)).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("No saved scenarios yet")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("dw=media_reach%3A2")).to_be_visible(timeout=WAIT)
    page.get_by_text("Reproduce this (current method)").click()
    expect(page.get_by_role("button", name="Download the method (TOML)")).to_be_visible()
    page.set_viewport_size({"width": 1440, "height": 2000})
    screenshot("scenarios_page")
