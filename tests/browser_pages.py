"""Steps the browser tests share."""

from playwright.sync_api import expect


def rankings_table(page, timeout: float = 30_000):
    """Open the Rankings page's Table tab (the page opens on its chart) and return the grid."""
    page.get_by_role("tab", name="Table").click()
    table = page.get_by_role("tabpanel", name="Table").get_by_test_id("stDataFrame")
    expect(table).to_be_visible(timeout=timeout)
    return table
