"""The names people type, in a real browser: Streamlit's picker search matches what the label
holds, so "Turkey" must find Türkiye and, in Russian, "Южная Корея" the Republic of Korea."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms (the machine is shared)


def _pick_country(page, typed: str, option: str, label: str = "Country") -> None:
    """Type into the Country page's country picker (named `label`) and choose `option`."""
    # Wait for the run to finish: a rerun while typing redraws the picker and drops the text.
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=WAIT)
    # By its name: while the page is drawn, the first selectbox may still be another one.
    picker = page.get_by_role("combobox", name=label, exact=True)
    expect(picker).to_be_visible(timeout=WAIT)
    picker.click()
    picker.press_sequentially(typed, delay=20)  # as a person types
    # The search keeps the options whose label holds the typed characters in order.
    found = page.get_by_role("option", name=option, exact=True)
    expect(found).to_be_visible(timeout=WAIT)
    found.click()


def test_typing_turkey_finds_turkiye(page, app_url, screenshot):
    page.goto(f"{app_url}/country?country=FRA")
    expect(page.get_by_role("heading", name="France", level=2)).to_be_visible(timeout=WAIT)
    _pick_country(page, "Turkey", "Türkiye (Turkey)")
    expect(page.get_by_role("heading", name="Türkiye", level=2)).to_be_visible(timeout=WAIT)
    expect(page).to_have_url(re.compile(r"country=TUR"), timeout=WAIT)
    screenshot("names_turkey")


def test_typing_south_korea_in_russian_finds_it(page, app_url, screenshot):
    page.goto(f"{app_url}/country?country=FRA&lang=ru")
    expect(page.get_by_role("heading", name="Франция", level=2)).to_be_visible(timeout=WAIT)
    _pick_country(page, "Южная Корея", "Южная Корея (Республика Корея)", "Страна")
    expect(page.get_by_role("heading", name="Южная Корея", level=2)).to_be_visible(timeout=WAIT)
    expect(page).to_have_url(re.compile(r"country=KOR"), timeout=WAIT)
    # The official form finds it too (in-order characters of the label).
    _pick_country(page, "Республика Корея", "Южная Корея (Республика Корея)", "Страна")
    expect(page).to_have_url(re.compile(r"lang=ru"), timeout=WAIT)
    screenshot("names_south_korea_ru")
