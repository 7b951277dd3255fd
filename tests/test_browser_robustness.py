"""The Robustness page in a real browser: intervals with the followed country highlighted, then
each analysis tab as an analyst opens it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHART_TITLE = "[data-testid=stPlotlyChart] .gtitle"


def test_rank_intervals_and_every_analysis_tab(page, app_url, screenshot):
    page.set_viewport_size({"width": 1440, "height": 1800})
    page.goto(f"{app_url}/robustness?country=KAZ")
    expect(page.get_by_role("heading", name="Robustness")).to_be_visible(timeout=30_000)
    titles = page.locator(CHART_TITLE)
    expect(titles.first).to_contain_text("Rank uncertainty", timeout=30_000)
    expect(page.get_by_role("combobox", name="Country to follow")).to_have_value("Kazakhstan")
    # Kazakhstan is outside the top 30 but is drawn too.
    ticks = page.locator("[data-testid=stPlotlyChart] .ytick text")
    expect(ticks.filter(has_text="Kazakhstan")).to_have_count(1)
    expect(ticks).to_have_count(31)
    screenshot("robustness_intervals")
    page.get_by_role("tab", name="Table").click()
    expect(page.get_by_test_id("glide-cell-0-0").first).to_have_text(re.compile(r"\w+"))
    expect(page.get_by_test_id("glide-cell-2-0").first).to_have_text("1")  # rank

    page.get_by_role("tab", name="Leave one out").click()
    expect(titles.first).to_contain_text("when one dimension is removed")
    expect(titles.nth(1)).to_contain_text("when one indicator is removed")
    screenshot("robustness_leave_one_out")

    page.get_by_role("tab", name="What drives the ranks").click()
    expect(titles.first).to_contain_text("What drives Kazakhstan's rank", timeout=20_000)
    expect(titles.nth(1)).to_contain_text("What drives the mean rank shift")
    screenshot("robustness_sensitivity")

    page.get_by_role("tab", name="Correlations").click()
    expect(titles.first).to_contain_text("Correlations between the indicators")
    expect(
        page.get_by_text("Do the indicators of each dimension measure one thing?")
    ).to_be_visible()
    screenshot("robustness_correlations")
