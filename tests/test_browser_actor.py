"""The Actor view in a real browser: open Russia's footprint, switch the actor to China, as an
analyst would, and see the table, the map and the link follow."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms, for what follows a rerun (the machine is shared)


def test_actor_view_switches_from_russia_to_china(page, app_url, screenshot):
    page.goto(f"{app_url}/actor")
    expect(page.get_by_role("heading", name="Actor view", level=1)).to_be_visible(timeout=WAIT)
    picker = page.get_by_role("combobox", name="Actor")
    expect(picker).to_have_value("Russian Federation (RUS)", timeout=WAIT)
    world = page.get_by_test_id("stPlotlyChart").first
    expect(world).to_contain_text("Footprint of Russian Federation by target country", timeout=WAIT)
    expect(world.locator(".choroplethlayer path").first).to_be_attached(timeout=WAIT)
    screenshot("actor_russia_map")

    page.get_by_role("tab", name="Targets").click()
    first_target = page.get_by_test_id("glide-cell-1-0")
    expect(first_target).to_have_text("Belarus", timeout=WAIT)
    screenshot("actor_russia_targets")

    picker.click()
    picker.fill("China")
    page.get_by_role("option", name="China (CHN)").click()
    expect(page).to_have_url(re.compile(r"/actor\?(.*&)?actor=CHN"), timeout=WAIT)
    expect(picker).to_have_value("China (CHN)", timeout=WAIT)
    page.get_by_role("tab", name="Targets").click()
    expect(first_target).not_to_have_text("Belarus", timeout=WAIT)

    page.get_by_role("tab", name="Compare actors").click()
    expect(
        page.get_by_test_id("stMetric").filter(has_text="Targets where China is ahead")
    ).to_be_visible(timeout=WAIT)
    screenshot("actor_china_compare")

    page.get_by_role("tab", name="Rank intervals").click()
    intervals = page.get_by_test_id("stPlotlyChart").filter(has_text="Rank uncertainty")
    expect(intervals).to_be_visible(timeout=WAIT)
    screenshot("actor_china_intervals")

    page.get_by_role("tab", name="Trends").click()
    trend = page.get_by_test_id("stPlotlyChart").filter(has_text="UNGA voting agreement")
    expect(trend).to_be_visible(timeout=WAIT)
    trend.scroll_into_view_if_needed()
    screenshot("actor_china_trends")
