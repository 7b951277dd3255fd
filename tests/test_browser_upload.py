"""Bring your own data in a real browser: upload a broken CSV through the file input, read the
failures, see the accepted row on Rankings, and go back to the shipped data."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_pages import rankings_table

pytestmark = pytest.mark.browser

BROKEN = (
    b"iso3,indicator,year,value,note\n"
    b"RUS,rsf_press_freedom,2025,24.57,\n"
    b"NA,rsf_press_freedom,2025,65.8,Namibia's ISO2 code\n"
    b"CHN,rsf_press_freedom,2025,n/a,\n"
    b"USA,press_freedom,2025,57.8,\n"
    b"DEU,rsf_press_freedom,2025,88.9,\n"
    b"FRA,rsf_press_freedom,2025,188.9,\n"
)


def test_a_broken_csv_lists_its_failures_and_the_rest_is_used(page, app_url, screenshot):
    page.set_viewport_size({"width": 1440, "height": 1600})
    page.goto(f"{app_url}/upload")
    expect(page.get_by_role("heading", name="Bring your own data")).to_be_visible(timeout=30_000)
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "broken.csv", "mimeType": "text/csv", "buffer": BROKEN}]
    )
    expect(page.get_by_text("Read 6 rows: 2 accepted, 4 rejected.")).to_be_visible(timeout=30_000)
    failures = page.locator(".st-key-upload_failures")
    expected = [
        ("3", "iso3", "unknown country code 'NA'"),
        ("4", "value", "'n/a' is not a number"),
        ("5", "indicator", "unknown indicator 'press_freedom'"),
        ("7", "value", "188.9 is outside rsf_press_freedom's range [0, 100]"),
    ]
    for row, (line, column, reason) in enumerate(expected):
        expect(failures.get_by_test_id(f"glide-cell-1-{row}")).to_have_text(line)
        expect(failures.get_by_test_id(f"glide-cell-2-{row}")).to_have_text(column)
        expect(failures.get_by_test_id(f"glide-cell-4-{row}")).to_have_text(reason)
    expect(page.get_by_text("Every page now scores the accepted rows: 2 values")).to_be_visible()
    screenshot("upload_failures")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the failures (CSV)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,column,value,reason" and len(lines) == 5

    page.get_by_role("link", name="Rankings").click()
    expect(page.get_by_role("heading", name="Rankings")).to_be_visible(timeout=30_000)
    table = rankings_table(page)
    expect(table.get_by_test_id("glide-cell-1-0")).to_have_text("Germany")
    expect(table.get_by_test_id("glide-cell-1-1")).to_have_text("Russian Federation")
    page.get_by_role("tab", name="Chart").click()
    bars = page.locator(".st-key-rankings_bars .js-plotly-plot")
    expect(bars).to_be_visible(timeout=30_000)
    expect(bars).to_contain_text("Source: Uploaded by you (broken.csv)")
    screenshot("upload_rankings")

    page.get_by_role("link", name="Bring your own data").click()
    page.get_by_role("button", name="Use the shipped data again").click()
    expect(page.get_by_text("Every page uses the shipped data.")).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-upload_failures")).to_have_count(0)


def test_an_upload_after_moving_the_sidebar_leaves_every_widget_working(page, app_url):
    """The upload resets the sidebar's widgets; their callbacks must not fail on the next run."""
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Rankings")).to_be_visible(timeout=30_000)
    page.get_by_role("slider", name="Data up to year").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)
    page.get_by_role("link", name="Bring your own data").click()
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "small.csv", "mimeType": "text/csv", "buffer": BROKEN}]
    )
    expect(page.get_by_text("Read 6 rows: 2 accepted, 4 rejected.")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Rankings").click()
    expect(page.get_by_role("heading", name="Rankings")).to_be_visible(timeout=30_000)
    # The upload reset the year to the last one (option 12 of 2013-2025), the browser agrees.
    year = page.get_by_role("slider", name="Data up to year")
    expect(year).to_have_value("12")
    page.get_by_role("slider", name="Democratic credentials").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(rankings_table(page).get_by_test_id("glide-cell-1-0")).to_have_text("Germany")
    expect(year).to_have_value("12")


def test_in_russian_the_report_names_each_row_column_and_value(page, app_url):
    """The same broken file with `lang=ru`: the page and its rejection report in Russian, the
    file's own row numbers, column names and values unchanged; the download under the headings
    shown. (The Russian texts are written out by hand from the English ones above.)"""
    page.goto(f"{app_url}/upload?lang=ru")
    expect(page.get_by_role("heading", name="2. Загрузите файлы")).to_be_visible(timeout=30_000)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "broken.csv", "mimeType": "text/csv", "buffer": BROKEN}]
    )
    expect(page.get_by_text("Прочитано 6 строк: принято 2, отклонено 4.")).to_be_visible(
        timeout=30_000
    )
    failures = page.locator(".st-key-upload_failures")
    expected = [
        ("3", "iso3", "неизвестный код страны «NA»"),
        ("4", "value", "«n/a» — не число"),
        ("5", "indicator", "неизвестный индикатор «press_freedom»"),
        ("7", "value", "188.9 вне допустимого диапазона индикатора rsf_press_freedom [0, 100]"),
    ]
    for row, (line, column, reason) in enumerate(expected):
        expect(failures.get_by_test_id(f"glide-cell-1-{row}")).to_have_text(line)
        expect(failures.get_by_test_id(f"glide-cell-2-{row}")).to_have_text(column)
        expect(failures.get_by_test_id(f"glide-cell-4-{row}")).to_have_text(reason)
    with page.expect_download() as download:
        page.get_by_role("button", name="Скачать список ошибок (CSV)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Файл,Строка,Столбец,Значение,Причина" and len(lines) == 5
    assert lines[1] == "broken.csv,3,iso3,NA,неизвестный код страны «NA»"
