"""No table on any page writes "None" in a cell without a value: with every country the data can
score (no coverage rules, so Taiwan, Kosovo and Hong Kong are in), each grid that holds a missing
value sets what to show instead (Streamlit's default is the word "None")."""

import pytest

from tests.app_driver import PAGES, open_app

ALL_COUNTRIES = {"cov": "0", "ishare": "0", "dshare": "0"}


@pytest.mark.parametrize("page", PAGES)
def test_no_missing_cell_reads_none(page):
    app = open_app(page, **ALL_COUNTRIES)
    bare = []
    for k, grid in enumerate(app.dataframe):
        table = grid.value
        if table.isna().any().any() and not grid.proto.HasField("placeholder"):
            bare.append((k, list(table.columns[table.isna().any()])[:3]))
        text = table.astype(str).where(table.notna(), "")
        assert not text.isin(["None", "nan", "NaN", "<NA>"]).any().any(), (page, k)
    assert not bare, f"{page}: grids showing 'None' for missing cells: {bare}"
