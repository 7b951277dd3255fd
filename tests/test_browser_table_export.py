"""The Rankings table's CSV as a browser downloads it: the Method and citation first, iso3 beside
the name, coverage in percent, numbers as the table shows them; and the chart PNG at its
named size."""

import io

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.browser_pages import rankings_table

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms (the machine is shared)


def test_rankings_csv_carries_what_the_table_shows(page, app_url, tmp_path):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Rankings", level=1)).to_be_visible(timeout=WAIT)
    rankings_table(page)
    button = page.get_by_role("button", name="Table (CSV)")
    expect(button).to_be_visible(timeout=WAIT)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    path = tmp_path / "rankings.csv"
    download.value.save_as(path)
    text = path.read_bytes().decode("utf-8-sig")
    first, second = text.split("\r\n")[:2]
    assert first.startswith("# Method: Weights: reach 50%")
    assert second.startswith("# Cite as: ")
    table = pd.read_csv(io.StringIO(text), comment="#", keep_default_na=False, na_values=[""])
    assert list(table.columns[:2]) == ["Country", "iso3"] and "Data coverage (%)" in table
    assert table["Data coverage (%)"].between(0, 100).all()
    assert (table["Overall"].round(1) == table["Overall"]).all()
    assert "None" not in text
