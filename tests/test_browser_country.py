"""The Country scorecard in a real browser: picked from the Rankings table, as an analyst would."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_pages import rankings_table

pytestmark = pytest.mark.browser
WAIT = 20_000  # ms, for what follows a rerun (the machine is shared)

ROW_HEIGHT = 35  # glide rows and header, in pixels (Streamlit's default row height)
ROW = 2  # the third country in the ranking


def test_selecting_a_ranking_row_opens_that_countrys_scorecard(page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=30_000)
    name_cell = rankings_table(page).get_by_test_id(f"glide-cell-1-{ROW}")
    expect(name_cell).to_have_text(re.compile(r"\w"), timeout=30_000)
    name = name_cell.text_content()
    # The first column of the grid is the row-selection column: click the row's cell there.
    grid = page.get_by_test_id("data-grid-canvas").first.bounding_box()
    page.mouse.click(grid["x"] + 15, grid["y"] + ROW_HEIGHT * (ROW + 1) + ROW_HEIGHT / 2)

    expect(page.get_by_role("heading", name=name, level=2)).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"/country\?(.*&)?country=[A-Z]{3}"), timeout=10_000)
    rank = page.get_by_test_id("stMetric").filter(has_text="Rank").first
    expect(rank).to_contain_text(f"{ROW + 1} of ", timeout=WAIT)
    expect(page.get_by_test_id("stMetric").filter(has_text="5–95 % interval")).to_be_visible(
        timeout=WAIT
    )
    expect(page.get_by_text(re.compile(r"^Suggested peers \(\d+\)"))).to_be_visible(timeout=WAIT)
    radar = page.get_by_test_id("stPlotlyChart").first
    expect(radar.locator(".scatterlayer .trace").first).to_be_attached(timeout=20_000)
    expect(radar).to_contain_text(f"{name} against its peers")
    expect(page.get_by_role("heading", name="Strengths", exact=True)).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("tab", name="Democratic credentials")).to_be_visible(timeout=WAIT)
    page.set_viewport_size({"width": 1440, "height": 3900})
    # radar, indicator trend, then rank by year and the waterfall of why it moved (explain.py)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(4, timeout=20_000)
    screenshot("country_scorecard")


def test_a_peer_group_chosen_on_the_page_goes_into_the_link(page, app_url, screenshot):
    page.goto(f"{app_url}/country?country=RUS")
    expect(page.get_by_role("heading", name="Russian Federation", level=2)).to_be_visible(
        timeout=30_000
    )
    peers = page.get_by_role("combobox", name="Peer group: countries, groups or regions")
    peers.click()
    peers.fill("Commonwealth of Independent")
    page.get_by_role("option", name=re.compile("Commonwealth of Independent States")).click()
    page.keyboard.press("Escape")
    expect(page.get_by_text(re.compile(r"^Chosen peers \(8\): Armenia"))).to_be_visible(
        timeout=WAIT
    )
    expect(page).to_have_url(re.compile(r"peers=CIS"), timeout=WAIT)
    expect(page.get_by_test_id("stMetric").filter(has_text="Rank among peers")).to_contain_text(
        " of 9", timeout=WAIT
    )
    page.get_by_role("tab", name="EITI participation").click()
    panel = page.get_by_role("tabpanel", name="EITI participation")
    # Columns from 0 (no index shown): Indicator, Value, ...; Russia has no Validation score.
    expect(panel.get_by_test_id("glide-cell-0-0")).to_have_text("EITI status", timeout=20_000)
    expect(panel.get_by_test_id("glide-cell-0-2")).to_have_text("EITI Validation score")
    expect(panel.get_by_test_id("glide-cell-5-2")).to_have_text("not applicable")  # its rank
    expect(panel.get_by_test_id("glide-cell-7-2")).to_have_text("missing")  # its flags
    screenshot("country_peers_cis")
