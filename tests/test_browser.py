"""The app in a real browser (Playwright driving Debian's Chromium), as an analyst would use it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_indicator_tables_page_loads_with_data(page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Indicators by dimension")).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_role("tab", name="Media reach")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(re.compile(r"\d+ of 250"))
    page.get_by_role("tab", name="EITI participation").click()
    expect(page.get_by_text("Extractive Industries Transparency Initiative")).to_be_visible()
    panel = page.get_by_role("tabpanel", name="EITI participation")
    expect(panel.get_by_test_id("glide-cell-1-0").first).to_have_text("Afghanistan")
    screenshot("indicator_tables")
