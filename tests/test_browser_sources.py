"""Indicators and sources in a real browser: pick an indicator, read its definition and source, see
its map and distribution, the coverage heatmap and the methodology."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_analyst_reads_an_indicator_its_coverage_and_the_method(page, app_url, screenshot):
    page.set_viewport_size({"width": 1440, "height": 2200})
    page.goto(f"{app_url}/sources")
    expect(page.get_by_role("heading", name="Indicators and sources")).to_be_visible(timeout=30_000)
    expect(
        page.get_by_role("heading", name="Languages of the largest international broadcaster")
    ).to_be_visible()

    page.get_by_test_id("stSelectbox").filter(has_text="Indicator (grouped by dimension)").click()
    page.get_by_role("option", name="Visa openness · Destinations open to the passport").click()
    heading = page.get_by_role("heading", name="Destinations open to the passport without a visa")
    expect(heading).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Passport Index (Arton Capital)").first).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(re.compile(r"\d+ of 250"))
    expect(page.locator(".st-key-sources_map .js-plotly-plot").first).to_be_visible()
    expect(page.locator(".st-key-sources_histogram .js-plotly-plot").first).to_be_visible()
    screenshot("sources_indicator")

    page.get_by_role("tab", name="Coverage").click()
    expect(page.locator(".st-key-sources_coverage_heatmap .js-plotly-plot").first).to_be_visible()
    screenshot("sources_coverage")

    page.get_by_role("tab", name="Methodology and sources").click()
    expect(page.get_by_text("Coverage threshold.")).to_be_visible()
    screenshot("sources_method")
    page.get_by_text("What the build skipped").click()
    skipped = page.get_by_test_id("stExpander").filter(has_text="What the build skipped")
    expect(skipped.get_by_test_id("glide-cell-0-0")).to_have_text("broadcasters")
    screenshot("sources_methodology")
