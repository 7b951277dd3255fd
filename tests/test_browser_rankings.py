"""Rankings in a real browser: drag a weight, see the ranking change, share the link."""

import re

import pytest
from playwright.sync_api import expect

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms; the machine is shared with other tests


def leader(method: Method) -> str:
    catalogue, countries = load_catalogue(), load_countries()
    sc = build_scorecard(load_values(catalogue, countries), catalogue, method, countries)
    best = sc.results["rank"].idxmin()
    return countries.set_index("iso3").loc[best, "name"]


def test_dragging_a_weight_reranks_and_the_link_reopens_the_view(
    page, app_url, screenshot, browser
):
    page.goto(app_url)
    first = page.get_by_test_id("glide-cell-1-0")
    expect(first).to_have_text(leader(Method()), timeout=WAIT)
    screenshot("rankings")

    slider = page.get_by_role("slider", name="Migrant integration")
    slider.focus()
    page.keyboard.press("End")  # 5.0, five times the other dimensions
    expected = leader(Method(dimension_weights={"migrant_integration": 5.0}))
    expect(page).to_have_url(re.compile(r"dw=migrant_integration(%3A|:)5"), timeout=WAIT)
    expect(first).to_have_text(expected, timeout=WAIT)

    shared = browser.new_page(viewport={"width": 1440, "height": 1000})
    shared.goto(page.url)
    expect(shared.get_by_role("slider", name="Migrant integration")).to_have_attribute(
        "aria-valuetext", "5.00", timeout=WAIT
    )
    expect(shared.get_by_test_id("glide-cell-1-0")).to_have_text(expected, timeout=WAIT)
    shared.close()
