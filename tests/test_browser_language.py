"""The language in a real browser: a link with lang=ru opens the app in Russian and tells the
browser so (the page's lang attribute); the switch brings English back and drops lang=ru from
the link, keeping the rest of it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms; the machine is shared with other tests
PAGE_LANGUAGE = "document.documentElement.lang"


def test_a_russian_link_opens_in_russian_and_the_switch_brings_english_back(page, app_url):
    page.goto(f"{app_url}/?lang=ru&country=USA")
    expect(page.get_by_role("heading", name="Рейтинг", level=1)).to_be_visible(timeout=WAIT)
    page.wait_for_function(f"{PAGE_LANGUAGE} === 'ru'", timeout=WAIT)
    chart = page.locator(".st-key-rankings_bars .js-plotly-plot")
    expect(chart).to_contain_text("Сводный балл по вкладам измерений", timeout=WAIT)
    expect(page.get_by_role("tab", name="Таблица")).to_be_visible()
    expect(page).to_have_url(re.compile(r"lang=ru"))

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=WAIT)
    page.wait_for_function(f"{PAGE_LANGUAGE} === 'en'", timeout=WAIT)
    expect(chart).to_contain_text("Overall score by dimension contribution", timeout=WAIT)
    expect(page).not_to_have_url(re.compile(r"lang="), timeout=WAIT)
    expect(page).to_have_url(re.compile(r"country=USA"))
