"""The Validity page in a real browser: the external table and the scatter with its named
outliers, then the Internal and Face tabs as an analyst opens them."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHART_TITLE = "[data-testid=stPlotlyChart] .gtitle"


def test_external_scatter_then_internal_and_face(page, app_url, screenshot):
    page.set_viewport_size({"width": 1440, "height": 1800})
    page.goto(f"{app_url}/validity")
    expect(page.get_by_role("heading", name="Validity")).to_be_visible(timeout=30_000)
    titles = page.locator(CHART_TITLE)
    expect(titles.first).to_contain_text("against Portland Soft Power 30 2018", timeout=30_000)
    expect(page.get_by_role("combobox", name="Published index edition to plot")).to_have_value(
        "Portland Soft Power 30 2018"
    )
    # Five dots carry a country name: the largest rank disagreements.
    labels = page.locator("[data-testid=stPlotlyChart] .textpoint text")
    expect(labels.filter(has_text=re.compile(r"\w"))).to_have_count(5)
    expect(page.get_by_text("Largest disagreements among the 30 countries")).to_be_visible()
    table = page.get_by_role("tabpanel", name="External").get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    screenshot("validity_external")

    page.get_by_role("tab", name="Internal").click()
    expect(page.get_by_text("hang together", exact=False).first).to_be_visible(timeout=20_000)
    expect(titles.first).to_contain_text("Nominal weight and effective importance")
    screenshot("validity_internal")

    page.get_by_role("tab", name="Face").click()
    expect(page.get_by_text("Top 15", exact=True)).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Bottom 15", exact=True)).to_be_visible()
    # the count rule leaves no thinly supported country at either end
    expect(page.get_by_text("rests on at least half", exact=False)).to_be_visible()
    screenshot("validity_face")
