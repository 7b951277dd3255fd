"""Two people on one server (two browser contexts = two sessions): what A uploads and saves
stays with A. B, opened afterwards and reloaded, sees the shipped data and none of A's
scenarios."""

import uuid

import pytest
from playwright.sync_api import expect

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard
from tests.browser_pages import rankings_table

pytestmark = pytest.mark.browser

# A values-only upload that puts Namibia first: it scores on one indicator alone.
A_VALUES = (
    b"iso3,indicator,year,value\n"
    b"NAM,rsf_press_freedom,2025,99\n"
    b"RUS,rsf_press_freedom,2025,10\n"
    b"CHN,rsf_press_freedom,2025,5\n"
)


def first_ranked(page) -> str:
    cell = rankings_table(page).get_by_test_id("glide-cell-1-0")
    expect(cell).not_to_have_text("", timeout=30_000)
    return cell.inner_text()


def shipped_first() -> str:
    """The name of the country the shipped data rank first with the default method."""
    catalogue, countries = load_catalogue(), load_countries()
    results = build_scorecard(load_values(catalogue, countries), catalogue, Method(), countries)
    best = results.results["rank"].idxmin()
    return countries.set_index("iso3").at[best, "name"]


def test_uploads_and_scenarios_stay_in_their_session(browser, app_url, browser_context_args):
    scenario = f"A only {uuid.uuid4().hex[:8]}"
    context_a = browser.new_context(**browser_context_args)
    context_b = None
    try:
        a = context_a.new_page()
        shipped = shipped_first()
        a.goto(f"{app_url}/upload")
        a.locator("input[type=file]").first.set_input_files(
            files=[{"name": "a.csv", "mimeType": "text/csv", "buffer": A_VALUES}]
        )
        expect(a.get_by_text("Read 3 rows: 3 accepted, 0 rejected.")).to_be_visible(timeout=30_000)
        a.get_by_role("link", name="Rankings").click()
        expect(a.get_by_role("heading", name="Rankings")).to_be_visible(timeout=30_000)
        assert first_ranked(a) == "Namibia"
        assert shipped != "Namibia"
        a.get_by_role("link", name="Scenarios").click()
        a.get_by_label("Scenario name").fill(scenario)
        a.get_by_role("button", name="Save").click()
        expect(a.get_by_text(f"Saved the current method as “{scenario}”.")).to_be_visible(
            timeout=30_000
        )

        context_b = browser.new_context(**browser_context_args)
        b = context_b.new_page()
        for attempt in ("opened", "reloaded"):
            if attempt == "reloaded":
                b.reload()
            b.goto(app_url)
            assert first_ranked(b) == shipped, attempt
            b.get_by_role("link", name="Bring your own data").click()
            expect(b.get_by_text("Every page uses the shipped data.")).to_be_visible(timeout=30_000)
            b.get_by_role("link", name="Scenarios").click()
            expect(b.get_by_text("No saved scenarios yet")).to_be_visible(timeout=30_000)
            expect(b.get_by_text(scenario)).to_have_count(0)

        # A still has both (a reload would start a new session): B changed nothing of A's.
        a.get_by_role("link", name="Rankings").click()
        expect(a.get_by_role("heading", name="Rankings")).to_be_visible(timeout=30_000)
        assert first_ranked(a) == "Namibia"
        a.get_by_role("link", name="Scenarios").click()
        expect(a.get_by_text("No saved scenarios yet")).to_have_count(0, timeout=30_000)
        a.get_by_role("button", name="Delete").click()  # leave the store as found
        expect(a.get_by_text(f"Deleted “{scenario}”.")).to_be_visible(timeout=30_000)
    finally:
        context_a.close()
        if context_b is not None:
            context_b.close()
