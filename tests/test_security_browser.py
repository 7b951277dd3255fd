"""Hostile files uploaded in a real browser: no script runs (no dialog opens) and no element or
link from the payloads exists in the page, on the upload page and the pages that show names."""

import pytest
from playwright.sync_api import expect

from tests.security_payloads import HOSTILE_FRAMEWORK_NAME, hostile_upload

pytestmark = pytest.mark.browser

INJECTED = (
    "img[src='x'], svg[onload], iframe, a[href^='javascript:'], a[href*='evil.example'], "
    "img[src*='evil.example'], [onerror], [onload]"
)


def test_a_hostile_upload_runs_no_script_and_adds_no_element(page, app_url, screenshot):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    values, framework = hostile_upload()
    page.set_viewport_size({"width": 1440, "height": 1600})
    page.goto(f"{app_url}/upload")
    expect(page.get_by_role("heading", name="Bring your own data")).to_be_visible(timeout=30_000)
    inputs = page.locator("input[type=file]")
    inputs.nth(1).set_input_files(
        files=[{"name": framework.name, "mimeType": "text/csv", "buffer": framework.content}]
    )
    # The framework's run redraws the uploaders: a file given while it draws can be lost.
    expect(page.get_by_text("Now add the values file.")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)
    inputs.nth(0).set_input_files(
        files=[{"name": values.name, "mimeType": "text/csv", "buffer": values.content}]
    )
    expect(page.get_by_text("Every page now scores the accepted rows")).to_be_visible(
        timeout=30_000
    )
    # The file name is shown as written, as text.
    expect(page.get_by_text(HOSTILE_FRAMEWORK_NAME, exact=False).first).to_be_visible()
    checked = ["upload"]
    assert page.locator(INJECTED).count() == 0
    for link, heading in [
        ("Rankings", "Rankings"),
        ("Weights and method", "Weights and method"),
        ("Indicators and sources", "Indicators and sources"),
        ("Country scorecard", None),
    ]:
        page.get_by_role("link", name=link).click()
        if heading:
            expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1500)  # charts draw after the page's text
        assert page.locator(INJECTED).count() == 0, link
        checked.append(link)
    screenshot("security_hostile_upload")
    assert dialogs == [], dialogs
    assert page.locator("script:text-matches('alert\\\\(1\\\\)')").count() == 0
    assert len(checked) == 5


def test_a_scenario_named_with_bare_urls_is_saved_without_a_link(page, app_url, tmp_path):
    """Issue #18: 'www.evil.example' and 'http://...' became links in the "Saved ..." message
    although the name was escaped (the renderer links bare URLs after reading escapes)."""
    name = "www.evil.example http://evil.example/s user@evil.example"
    page.goto(f"{app_url}/scenarios")
    expect(page.get_by_role("heading", name="Save the current method")).to_be_visible(
        timeout=30_000
    )
    page.get_by_label("Scenario name").fill(name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the current method as")).to_be_visible(timeout=30_000)
    shown = page.get_by_text("Saved the current method as").inner_text()
    assert shown.replace("\u2060", "") == f"Saved the current method as “{name}”."
    assert page.locator(INJECTED).count() == 0
    assert page.locator("a[href^='mailto:']").count() == 0
