"""The Compare page in a real browser: three countries, their radar, ranks and indicator table."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WAIT = 20_000  # ms, for what follows a rerun (the machine is shared)


def test_comparing_three_countries_shows_the_radar_and_the_table(page, app_url, screenshot):
    page.goto(f"{app_url}/compare?compare=RUS,CHN,DEU,TUR")
    expect(page.get_by_role("heading", name="Compare countries", level=1)).to_be_visible(
        timeout=30_000
    )
    page.get_by_role("button", name="Remove Türkiye").click()
    expect(page).to_have_url(
        re.compile(r"compare=RUS%2CCHN%2CDEU|compare=RUS,CHN,DEU"), timeout=WAIT
    )

    radar = page.get_by_test_id("stPlotlyChart").first
    expect(radar.locator(".scatterlayer .trace")).to_have_count(3, timeout=20_000)
    for name in ("Russian Federation", "China", "Germany"):
        expect(radar.locator(".legend")).to_contain_text(name)
    expect(radar.locator(".legend")).not_to_contain_text("Türkiye")

    headline = page.get_by_test_id("stDataFrame").nth(0)  # overall, reach, appeal
    expect(headline.get_by_test_id("glide-cell-0-0")).to_have_text(
        "Russian Federation", timeout=20_000
    )
    ranks = page.get_by_test_id("stDataFrame").nth(1)
    expect(ranks.get_by_test_id("glide-cell-0-0")).to_have_text("Overall", timeout=20_000)
    indicators = page.get_by_test_id("stDataFrame").nth(3)
    # Columns from 0 (no index shown): Dimension, Indicator, Unit, then the countries.
    expect(indicators.get_by_test_id("glide-cell-0-0")).to_have_text("Media reach")
    expect(indicators.get_by_test_id("glide-cell-1-0")).to_have_text(
        "Languages of the largest international broadcaster"
    )
    expect(indicators.get_by_test_id("glide-cell-4-0")).to_have_text("65")  # China, the best
    page.set_viewport_size({"width": 1440, "height": 2700})
    screenshot("compare_three_countries")


def test_one_country_left_gives_guidance(page, app_url):
    page.goto(f"{app_url}/compare?compare=RUS,CHN")
    expect(page.get_by_role("heading", name="Compare countries", level=1)).to_be_visible(
        timeout=30_000
    )
    page.get_by_role("button", name="Remove China").click()
    expect(page.get_by_text("Choose at least two countries to compare")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0, timeout=WAIT)
