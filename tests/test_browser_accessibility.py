"""Accessibility in a real browser (WCAG 2.2 AA): axe-core on every page once its charts have
drawn, and the main tasks done with the keyboard alone."""

from __future__ import annotations

import contextlib
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard

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
            if (document.querySelector('[data-stale="true"]') !== null) {
                return false;  // drawn faded while the run that replaces them goes on
            }
            const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
            return [...charts].every(c => c.querySelector('.main-svg') !== null);
        }""",
        timeout=WAIT,
    )


def after_rerun(page) -> None:
    """Wait for the run a key press started (it may take a moment to begin), then for the page."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            """() => document.querySelector('[data-test-script-state="running"]') !== null""",
            timeout=2_000,
        )
    wait_until_drawn(page)


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


#: Pages whose widgets (segmented controls, tabs, sliders, captions, links) cover the theme.
DARK_PAGES = [("", "Rankings"), ("compare", "Compare countries"), ("methodology", "Methodology")]


def test_the_dark_theme_has_no_serious_or_critical_axe_violations(browser, app_url):
    """Readers whose system prefers dark get Streamlit's dark theme, with our dark primary."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, color_scheme="dark")
    page = context.new_page()
    axe, problems = Axe(), {}
    for path, title in DARK_PAGES:
        page.goto(f"{app_url}/{path}")
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=WAIT)
        wait_until_drawn(page)
        if path == "compare":  # its chosen countries as chips, drawn in the theme's primary
            expect(page.locator("[data-tag]").first).to_be_visible(timeout=WAIT)
        if found := serious_violations(page, axe):
            problems[title] = found
    context.close()
    report = "\n".join(f"{title}:\n  " + "\n  ".join(found) for title, found in problems.items())
    assert not problems, f"axe-core found serious or critical violations:\n{report}"


def test_the_page_language_follows_the_switch(page, app_url):
    page.goto(f"{app_url}/?lang=ru")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^ru"), timeout=WAIT)


# ---- the main tasks with the keyboard alone (WCAG 2.1.1): no mouse, only Tab, typing and keys


def tab_to(page, target, presses: int = 200) -> None:
    """Press Tab until the focus is on `target` (or inside it), as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate(
            "el => el === document.activeElement || el.contains(document.activeElement)"
        ):
            return
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{presses} presses of Tab never reached {target}; focus on {focused}")


def test_find_a_country_with_the_keyboard(page, app_url):
    page.goto(f"{app_url}/country")
    expect(page.get_by_role("heading", name="Country scorecard", level=1)).to_be_visible(
        timeout=WAIT
    )
    wait_until_drawn(page)
    picker = page.get_by_role("combobox", name="Country", exact=True)
    tab_to(page, picker)
    page.keyboard.type("Germany")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Germany", level=2)).to_be_visible(timeout=WAIT)
    expect(page).to_have_url(re.compile(r"country=DEU"), timeout=WAIT)


def leader_and_score(method: Method) -> str:
    """'Name (score)' of the first country under `method`, as the chart's sentence writes it."""
    catalogue, countries = load_catalogue(), load_countries()
    results = build_scorecard(
        load_values(catalogue, countries), catalogue, method, countries
    ).results
    best = results["rank"].idxmin()
    name = countries.set_index("iso3").loc[best, "name"]
    return f"{name} ({results.loc[best, 'overall']:.1f})"


def test_change_a_weight_with_the_keyboard(page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=WAIT)
    wait_until_drawn(page)
    slider = page.get_by_role("slider", name="Migrant integration")
    tab_to(page, slider)
    page.keyboard.press("ArrowRight")  # one step of 0.25, from 1.00
    expect(slider).to_have_attribute("aria-valuetext", "1.25", timeout=WAIT)
    expect(page).to_have_url(re.compile(r"dw=migrant_integration(%3A|:)1\.25"), timeout=WAIT)
    page.keyboard.press("End")  # five times the other dimensions
    leader = leader_and_score(Method(dimension_weights={"migrant_integration": 5.0}))
    sentence = page.get_by_test_id("stCaptionContainer").filter(has_text="Bar chart").first
    expect(sentence).to_contain_text(f"highest 1. {leader}", timeout=WAIT)


def test_export_a_chart_with_the_keyboard(page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=WAIT)
    wait_until_drawn(page)
    tab_to(page, page.get_by_role("button", name="Download", exact=True).first)
    page.keyboard.press("Enter")
    html_choice = page.get_by_role("radio", name="HTML (interactive)")
    expect(html_choice).to_be_attached(timeout=WAIT)
    tab_to(page, page.get_by_role("radiogroup", name="Format"))
    while not html_choice.is_checked():  # PNG, SVG, PDF, HTML: arrows move the choice
        page.keyboard.press("ArrowRight")
        after_rerun(page)
    button = page.get_by_role("button", name="Download HTML")
    found = serious_violations(page, Axe())  # the open panel too
    assert found == [], "\n".join(found)
    tab_to(page, button)
    with page.expect_download(timeout=WAIT) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "rankings-bars.html"


def test_open_a_chart_as_a_table_with_the_keyboard(page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=WAIT)
    wait_until_drawn(page)
    panel = page.get_by_test_id("stExpander").filter(has_text="Chart as a table").first
    tab_to(page, panel.locator("summary"))
    page.keyboard.press("Enter")
    grid = panel.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible(timeout=WAIT)
    after_rerun(page)
    # Its first row is the chart's first bar: the leader, as the sentence above it says.
    sentence = page.get_by_test_id("stCaptionContainer").filter(has_text="Bar chart").first
    leader = re.search(r"highest (1\. [^(]+) \(", sentence.inner_text()).group(1)
    expect(grid.get_by_test_id("glide-cell-0-0")).to_have_text(leader, timeout=WAIT)
    assert serious_violations(page, Axe()) == []
