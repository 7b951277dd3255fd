"""Downloads carry what the screen shows: iso3 beside the name, numbers rounded as displayed,
shares as percentages, missing as missing (never "None"), and the Method and citation."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from exports.tables import as_shown, csv_bytes, excel_bytes, table_about, with_iso3
from scoring.method import Method
from scoring.pipeline import build_scorecard
from tests.app_driver import open_app, rankings_table
from views import export_panel

# Every country the shipped data can score: no coverage rules (Taiwan, Kosovo, Hong Kong in).
ALL_COUNTRIES = {"cov": "0", "ishare": "0", "dshare": "0"}


def test_as_shown_rounds_as_the_column_formats_say():
    # Worked by hand: 12.499999999999998 shown "%.1f" is 12.5; 0.5277777 as "percent" is
    # 52.78 (%); 3.0 as "%+d" is 3; an unformatted 1/3 shows four places, 0.3333.
    table = pd.DataFrame(
        {
            "Overall": [12.499999999999998, None],
            "Data coverage": [0.5277777, 1.0],
            "Change": [3.0, None],
            "x": [1 / 3, 2.0],
            "Country": ["Taiwan", "Kosovo"],
        }
    )
    out = as_shown(table, {"Overall": "%.1f", "Data coverage": "percent", "Change": "%+d"})
    assert list(out.columns) == ["Overall", "Data coverage (%)", "Change", "x", "Country"]
    assert out["Overall"].tolist()[0] == 12.5 and pd.isna(out["Overall"].tolist()[1])
    assert out["Data coverage (%)"].tolist() == [52.78, 100.0]
    assert out["Change"].tolist()[0] == 3 and str(out["Change"].dtype) == "Int64"
    assert out["x"].tolist() == [0.3333, 2.0]
    text = csv_bytes(out, bom=False).decode()
    assert "12.5," in text and "52.78" in text and "12.49999" not in text


def test_with_iso3_puts_the_code_beside_the_name():
    table = pd.DataFrame(
        {"Country": ["Taiwan", "Russia"], "Rank": [5, 90]},
        index=pd.Index(["TWN", "RUS"], name="iso3"),
    )
    assert with_iso3(table).to_dict("records") == [
        {"Country": "Taiwan", "iso3": "TWN", "Rank": 5},
        {"Country": "Russia", "iso3": "RUS", "Rank": 90},
    ]
    plain = pd.DataFrame({"a": [1]})
    assert with_iso3(plain) is plain  # not a country table


def test_csv_carries_its_about_lines_as_comments_pandas_skips():
    table = pd.DataFrame({"Country": ["C#", "Russia"], "Overall": [1.5, None]})
    about = ["Method: Weights: reach 50%.", "Cite as: Soft Power Scorecard\nversion 1"]
    data = csv_bytes(table, about=about)
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[:2] == [
        "# Method: Weights: reach 50%.",
        "# Cite as: Soft Power Scorecard version 1",
    ]
    back = pd.read_csv(io.BytesIO(data), comment="#")
    assert back["Country"].tolist() == ["C#", "Russia"]  # a "#" in a quoted cell stays
    assert back["Overall"].tolist()[0] == 1.5 and pd.isna(back["Overall"].tolist()[1])


def test_excel_gets_an_about_sheet():
    data = excel_bytes({"table": pd.DataFrame({"a": [1]})}, about=["Method: x", "Cite as: y"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["table", "About"]
    cells = [row[0] for row in book["About"].iter_rows(values_only=True)]
    assert cells == ["About this table", "Method: x", "Cite as: y"]


@pytest.fixture(scope="module")
def rankings_download():
    """The Rankings page over every scorable country, Table tab open; the table and column
    formats it handed to its downloads, and the app."""
    calls = []
    original = export_panel.table_downloads

    def spy(df, name, data, *args, **kwargs):
        calls.append((df, name, data, kwargs.get("formats")))
        return original(df, name, data, *args, **kwargs)

    export_panel.table_downloads = spy
    try:
        app = open_app("views/rankings.py", **ALL_COUNTRIES)
        shown = rankings_table(app)
    finally:
        export_panel.table_downloads = original
    (df, name, data, formats) = next(c for c in calls if c[1] == "rankings_table")
    return app, shown, df, data, formats


def test_no_rankings_cell_reads_none_for_any_country(rankings_download):
    app, shown, *_ = rankings_download
    assert "Taiwan" in set(shown["Country"])  # scored, and not by the default: no rank change
    assert len(shown) == 197
    element = app.dataframe[0]
    # Streamlit writes "None" in a missing cell unless a placeholder is set.
    assert element.proto.HasField("placeholder") and element.proto.placeholder == ""
    text = shown.astype(str).where(shown.notna(), "")
    assert not text.isin(["None", "nan", "NaN", "<NA>"]).any().any()


def test_the_rankings_csv_has_iso3_rounded_values_percent_coverage_and_the_method(
    rankings_download,
):
    _, _, df, data, formats = rankings_download
    table, _ = export_panel.table_export(df, data, formats)
    twn = table.set_index("iso3").loc["TWN"]
    assert list(table.columns[:2]) == ["Country", "iso3"]
    # Taiwan, all countries scored: overall 69.60420164759539, coverage 0.5277777777777777
    # (sc.results): shown as 69.6 and 52.78 %; its change against the default is missing.
    assert twn["Overall"] == 69.6
    assert twn["Data coverage (%)"] == 52.78
    assert pd.isna(twn["Change vs default"])
    dimension_columns = list(data.dimension_names.values())
    for column in ["Overall", *dimension_columns]:
        values = table[column].dropna()
        assert (values.round(1) == values).all(), column
    method = Method(min_coverage=0, min_indicator_share=0, min_dimension_share=0)
    sc = build_scorecard(data.values, data.catalogue, method, data.countries)
    about = table_about(sc, data.catalogue, "rankings_table")
    csv = csv_bytes(table, about=about).decode("utf-8-sig")
    first, second = csv.split("\r\n")[:2]
    assert first.startswith("# Method: Weights: reach 50%") and "min-max normalisation" in first
    assert second.startswith("# Cite as: ")
    back = pd.read_csv(io.StringIO(csv), comment="#", keep_default_na=False, na_values=[""])
    assert back.set_index("iso3").loc["TWN", "Overall"] == 69.6
    assert "None" not in csv and ",nan" not in csv


def test_a_weight_reads_the_same_in_the_caption_and_the_report_table():
    from exports.report import country_report_html
    from present.tables import method_summary
    from tests.exports_helpers import shipped

    data = shipped()
    # Default Method: appeal 50 %, shared by weights 1, 1, 1, 0.5, 1 (sum 4.5): diaspora
    # alignment 0.5 x 0.5 / 4.5 = 5.56 % -> "5.6%", the others 0.5 / 4.5 = 11.11 % -> "11.1%".
    caption = method_summary(data.sc, data.catalogue.dimension_names())
    assert "Diaspora alignment 5.6%" in caption and "Migrant integration 11.1%" in caption
    page = country_report_html("RUS", data.sc, data.catalogue, data.values, data.countries)
    row = page[page.index("Diaspora alignment</td>") :].split("</tr>")[0]
    assert row.endswith(">5.6%</td>")


def test_the_country_dimension_table_exports_weights_in_percent_as_shown():
    calls = []
    original = export_panel.table_downloads

    def spy(df, name, data, *args, **kwargs):
        calls.append((df, name, data, kwargs.get("formats")))
        return original(df, name, data, *args, **kwargs)

    export_panel.table_downloads = spy
    try:
        open_app("views/country.py")
    finally:
        export_panel.table_downloads = original
    df, _, data, formats = next(c for c in calls if c[1] == "country_dimensions")
    table, _ = export_panel.table_export(df, data, formats)
    weights = table.set_index(table.columns[0])["Weight (%)"]
    # Default Method, by hand: diaspora alignment 0.5 x 0.5 / 4.5 = 5.555... % -> 5.56 on the
    # grid ("percent": two places); media reach 0.5 / 3 = 16.666... % -> 16.67.
    assert weights["Diaspora alignment"] == 5.56 and weights["Media reach"] == 16.67
