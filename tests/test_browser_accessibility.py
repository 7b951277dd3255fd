"""Accessibility in a real browser (WCAG 2.2 AA): axe-core on every page once its charts have
drawn, and the main tasks done with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms; the machine is shared with other tests

#: Every page of dashboard.py's navigation: its path and its title (the page's h1).
PAGES = [
    ("", "Rankings"),
    ("country", "Country scorecard"),
    ("compare", "Compare countries"),
    ("method", "Weights and method"),
    ("robustness", "Robustness"),
    ("validity", "Validity"),
    ("methodology", "Methodology"),
    ("sources", "Indicators and sources"),
    ("upload", "Bring your own data"),
    ("actor", "Actor view"),
    ("scenarios", "Scenarios"),
]
#: The WCAG 2.0/2.1/2.2 A and AA rules; best-practice rules are not part of the standard.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = {"serious", "critical"}


def wait_until_drawn(page) -> None:
    """The script has finished its run and every chart on the page has been drawn."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-test-script-state]');
            if (app === null || app.getAttribute('data-test-script-state') !== 'notRunning') {
                return false;
            }
            const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
            return [...charts].every(c => c.querySelector('.main-svg') !== null);
        }""",
        timeout=WAIT,
    )


def serious_violations(page, axe: Axe) -> list[str]:
    """Each serious or critical violation on the page: rule, element and what to do."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{violation['help']}; {node.get('failureSummary', '')[:300]}"
            )
    return found


def test_every_page_has_no_serious_or_critical_axe_violations(page, app_url):
    axe = Axe()
    problems = {}
    for path, title in PAGES:
        page.goto(f"{app_url}/{path}")
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=WAIT)
        wait_until_drawn(page)
        if found := serious_violations(page, axe):
            problems[title] = found
    report = "\n".join(f"{title}:\n  " + "\n  ".join(found) for title, found in problems.items())
    assert not problems, f"axe-core found serious or critical violations:\n{report}"


def test_the_page_language_follows_the_switch(page, app_url):
    page.goto(f"{app_url}/?lang=ru")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^ru"), timeout=WAIT)
