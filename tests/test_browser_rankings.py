"""Rankings in a real browser: drag a weight, see the ranking change, share the link."""

import re

import pytest
from playwright.sync_api import expect

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard
from tests.browser_pages import rankings_table

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
    # The page opens on its chart.
    expect(page.locator(".st-key-rankings_bars .js-plotly-plot")).to_be_visible(timeout=WAIT)
    screenshot("rankings_chart")
    first = rankings_table(page).get_by_test_id("glide-cell-1-0")
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
    expect(rankings_table(shared).get_by_test_id("glide-cell-1-0")).to_have_text(
        expected, timeout=WAIT
    )
    shared.close()


def test_switching_views_keeps_the_weights_and_the_year(browser, app_url):
    """A sidebar widget seeded from the state used to fall back to its minimum when the browser
    mounted it again, so opening Chart, then Map, scored with every weight 0 from 2015 (about
    3 times in 5). Fresh sessions, because the fault showed in the first runs of one."""
    for _ in range(4):
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(app_url)
        expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=WAIT)
        for view in ("Map", "Chart"):
            page.get_by_role("tab", name=view).click()
            panel = page.get_by_role("tabpanel", name=view)
            expect(panel.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=WAIT)
        expect(page.get_by_role("slider", name="Media reach")).to_have_attribute(
            "aria-valuetext", "1.00"
        )
        expect(page.get_by_role("slider", name="Data up to year")).to_have_attribute(
            "aria-valuetext", "2025"
        )
        assert "?" not in page.url, page.url  # nothing differs from the defaults
        page.close()
