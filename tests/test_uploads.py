"""Uploads: every broken file gets a message a person can act on, every rejected cell its file line,
and every row read is either accepted or listed."""

import io

import pandas as pd
import pytest
from openpyxl import Workbook

from indicators.catalogue import load_catalogue, load_countries, load_values
from indicators.uploads import (
    UPLOAD_PUBLISHER,
    UploadedFile,
    UploadError,
    check_upload,
    framework_template,
    read_upload,
    upload_token,
    uploaded_catalogue,
    values_template,
)
from scoring.schemas import check_framework

HEADER = "iso3,indicator,year,value,note\n"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def countries():
    return load_countries()


def csv_file(text: str, name: str = "values.csv", encoding: str = "utf-8") -> UploadedFile:
    return UploadedFile(name, text.encode(encoding))


def xlsx_file(sheets: dict[str, list[list]], name: str = "values.xlsx") -> UploadedFile:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return UploadedFile(name, buffer.getvalue())


def reported(check) -> list[tuple]:
    failures = check.failures()
    return [
        (None if pd.isna(line) else int(line), column, reason)
        for line, column, reason in failures[["line", "column", "reason"]].itertuples(index=False)
    ]


def assert_accounted(file_check):
    assert file_check.rows_read == file_check.accepted + file_check.rejected
    assert file_check.accounting() == (
        f"Read {file_check.rows_read:,} {'row' if file_check.rows_read == 1 else 'rows'}: "
        f"{file_check.accepted:,} accepted, {file_check.rejected:,} rejected."
    )


DUPLICATE = "duplicate (iso3, indicator, year): the same key is on another row too"

# name -> (file text, every failure as (file line, column, reason), accepted count)
CORPUS = {
    "sentinel n/a": (
        HEADER + "RUS,rsf_press_freedom,2025,n/a,\nDEU,rsf_press_freedom,2025,88.9,\n",
        [(2, "value", "'n/a' is not a number")],
        1,
    ),
    "NA is a code, not a missing value": (
        HEADER + "NA,rsf_press_freedom,2025,60,\nNAM,rsf_press_freedom,2025,NA,\n",
        [(2, "iso3", "unknown country code 'NA'"), (3, "value", "'NA' is not a number")],
        0,
    ),
    "duplicates": (
        HEADER + "RUS,rsf_press_freedom,2025,24.57,\n"
        "CHN,rsf_press_freedom,2025,14.8,\n"
        "RUS,rsf_press_freedom,2025,25,\n",
        [(2, "iso3", DUPLICATE), (4, "iso3", DUPLICATE)],
        1,
    ),
    "unknown indicator": (
        HEADER + "RUS,press_freedom,2025,24.57,\nRUS,rsf_press_freedom,2025,24.57,\n",
        [(2, "indicator", "unknown indicator 'press_freedom'")],
        1,
    ),
    "blank lines keep line numbers": (
        HEADER + "\nRUS,rsf_press_freedom,2025,24.57,\n\n\nRUZ,rsf_press_freedom,2025,1,\n",
        [(6, "iso3", "unknown country code 'RUZ' (did you mean RUS?)")],
        1,
    ),
    "a quoted note over two lines": (
        HEADER + 'RUS,rsf_press_freedom,2025,24.57,"first\nsecond"\n'
        "CHN,rsf_press_freedom,2025,1e999,\n",
        [(4, "value", "inf is not a finite number")],
        1,
    ),
    "a stray comma": (
        HEADER
        + "RUS,rsf_press_freedom,2025,24.57,RSF rank,171\nCHN,rsf_press_freedom,2025,14.8,\n",
        [
            (
                2,
                "",
                "line has cells past the last column (5 columns in the header): "
                "a stray comma or an unquoted comma in a note?",
            )
        ],
        1,
    ),
    "out of range and bad year": (
        HEADER + "RUS,rsf_press_freedom,2025,124.57,\nRUS,rsf_press_freedom,2025.5,24,\n",
        [
            (2, "value", "124.57 is outside rsf_press_freedom's range [0, 100]"),
            (3, "year", "'2025.5' is not a whole number"),
        ],
        0,
    ),
}


@pytest.mark.parametrize("text, expected, accepted", CORPUS.values(), ids=list(CORPUS))
def test_each_broken_csv_reports_exactly_its_failures_by_file_line(
    text, expected, accepted, catalogue, countries
):
    check = check_upload(csv_file(text), None, catalogue, countries)
    assert reported(check) == expected
    assert check.values.accepted == accepted
    assert check.usable == (accepted > 0)
    assert_accounted(check.values)


def test_namibia_and_na_notes_are_kept_as_written(catalogue, countries):
    text = HEADER + "NAM,rsf_press_freedom,2025,65.8,NA\n"
    check = check_upload(csv_file(text), None, catalogue, countries)
    assert check.values_used[["iso3", "note"]].values.tolist() == [["NAM", "NA"]]


def test_a_byte_order_mark_does_not_hide_the_first_column(catalogue, countries):
    text = "\ufeff" + HEADER + "RUS,rsf_press_freedom,2025,24.57,\n"
    check = check_upload(csv_file(text), None, catalogue, countries)
    assert check.failures().empty
    assert check.values_used["iso3"].tolist() == ["RUS"]


def test_headers_are_trimmed_and_case_insensitive_and_spaces_around_cells_dropped(
    catalogue, countries
):
    text = " ISO3 ,Indicator,YEAR,Value\n RUS , rsf_press_freedom ,2025, 24.57 \n"
    check = check_upload(csv_file(text), None, catalogue, countries)
    assert check.values_used[["iso3", "indicator", "year", "value"]].values.tolist() == [
        ["RUS", "rsf_press_freedom", 2025, 24.57]
    ]


UNREADABLE = {
    "empty": (b"", "values.csv is empty."),
    "only blank lines": (b"\n\n  \n", "values.csv is empty."),
    "header only": (HEADER.encode(), "values.csv has the column names but no rows of data."),
    "semicolons": (
        b"iso3;indicator;year;value\nRUS;rsf_press_freedom;2025;24,57\n",
        "values.csv separates its columns with semicolons (;), not commas. "
        "Save it as comma-separated 'CSV UTF-8' and upload it again.",
    ),
    "tabs": (
        b"iso3\tindicator\tyear\tvalue\nRUS\trsf_press_freedom\t2025\t24.57\n",
        "values.csv separates its columns with tabs, not commas. "
        "Save it as comma-separated 'CSV UTF-8' and upload it again.",
    ),
    "missing column": (
        b"iso3,indicator,year\nRUS,rsf_press_freedom,2025\n",
        "values.csv lacks the column value. It needs iso3, indicator, year, value; "
        "the header has: iso3, indicator, year.",
    ),
    "Windows-1252": (
        (HEADER + "CIV,rsf_press_freedom,2025,60,Côte d'Ivoire\n").encode("cp1252"),
        "values.csv is not UTF-8 text (byte 0xF4 on line 2, probably another encoding "
        "such as Windows-1252). Save it from your spreadsheet as 'CSV UTF-8 (comma delimited)' "
        "and upload it again.",
    ),
    "a picture": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "values.csv does not look like a CSV or Excel file. Save it from your spreadsheet as "
        "'CSV UTF-8 (comma delimited)' and upload it again.",
    ),
    "duplicate header": (
        b"iso3,indicator,year,value,value\nRUS,rsf_press_freedom,2025,1,2\n",
        "values.csv: column value appears twice in the header.",
    ),
}


@pytest.mark.parametrize("content, message", UNREADABLE.values(), ids=list(UNREADABLE))
def test_unreadable_files_get_a_clear_message(content, message, catalogue, countries):
    check = check_upload(UploadedFile("values.csv", content), None, catalogue, countries)
    assert check.values.problem == message
    assert not check.usable
    assert check.failures().empty


def test_excel_data_on_a_second_sheet_is_found_and_rows_are_sheet_rows(catalogue, countries):
    file = xlsx_file(
        {
            "Read me": [["Soft power values, compiled by hand"], ["see the data sheet"]],
            "data": [
                ["iso3", "indicator", "year", "value", "note"],
                ["RUS", "rsf_press_freedom", 2025, 24.57, None],
                [None, None, None, None, None],
                ["NA", "rsf_press_freedom", 2025, "n/a", "NA"],
                ["NAM", "rsf_press_freedom", 2025.0, 65.8, "NA"],
            ],
        }
    )
    check = check_upload(file, None, catalogue, countries)
    assert check.values.where == "values.xlsx, sheet 'data'"
    assert reported(check) == [
        (4, "iso3", "unknown country code 'NA'"),
        (4, "value", "'n/a' is not a number"),
    ]
    assert check.values_used[["iso3", "year", "value", "note"]].values.tolist() == [
        ["RUS", 2025, 24.57, ""],
        ["NAM", 2025, 65.8, "NA"],
    ]
    assert_accounted(check.values)
    assert check.failures()["file"].unique().tolist() == ["values.xlsx, sheet 'data'"]


def test_excel_without_a_sheet_holding_the_columns_names_the_sheets(catalogue, countries):
    file = xlsx_file({"Notes": [["hello"]], "Sheet2": [["country", "score"], ["RUS", 1]]})
    check = check_upload(file, None, catalogue, countries)
    assert check.values.problem == (
        "No sheet in values.xlsx has the columns iso3, indicator, year, value. "
        "Sheets found: 'Notes' (hello); 'Sheet2' (country, score)."
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("values.xlsx", b"iso3,indicator", "values.xlsx could not be opened as an Excel workbook."),
        (
            "values.xlsx",
            b"PK\x03\x04garbage",
            "values.xlsx could not be opened as an Excel workbook.",
        ),
        (
            "values.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "values.xls is an old-style Excel file (.xls). Save it as .xlsx or as CSV UTF-8.",
        ),
    ],
)
def test_broken_or_old_workbooks_get_a_clear_message(name, content, message):
    with pytest.raises(UploadError) as error:
        read_upload(UploadedFile(name, content), ["iso3"])
    assert str(error.value) == message


def test_a_framework_defines_the_indicators_the_values_may_use(catalogue, countries):
    framework = csv_file(
        "indicator,dimension,direction,weight,name\n"
        "rsf_press_freedom,voice,1,2,Press freedom\n"
        "my_index,voice,-1,1,\n"
        "Bad Id,voice,2,x,\n",
        name="framework.csv",
    )
    values = csv_file(
        "iso3,indicator,year,value\n"
        "RUS,rsf_press_freedom,2025,24.57\n"
        "RUS,my_index,2024,1000\n"
        "CHN,my_index,2024,3\n"
        "RUS,fh_free_media,2025,1\n"
    )
    check = check_upload(values, framework, catalogue, countries)
    assert reported(check) == [
        (4, "direction", "direction must be 1 or -1, not 2"),
        (4, "indicator", "'Bad Id' must be lower_snake_case (letters, digits, _)"),
        (4, "weight", "'x' is not a number"),
        (5, "indicator", "unknown indicator 'fh_free_media'"),
    ]
    assert check.framework.accounting() == "Read 3 rows: 2 accepted, 1 rejected."
    assert check.values.accounting() == "Read 4 rows: 3 accepted, 1 rejected."
    used = check.catalogue
    assert used.indicators[
        ["indicator", "name", "unit", "direction", "weight"]
    ].values.tolist() == [
        ["rsf_press_freedom", "Press freedom", "", 1, 2.0],
        ["my_index", "my_index", "", -1, 1.0],
    ]
    assert used.dimension_weights() == {"voice": 1.0}
    assert used.dimensions["name"].tolist() == ["Voice"]
    assert used.sources_line() == f"{UPLOAD_PUBLISHER} (values.csv + framework.csv)"
    # Open ranges: a value far outside the shipped catalogue's range is accepted.
    assert check.values_used["value"].max() == 1000


def test_framework_units_are_checked_against_a_values_unit_column(catalogue, countries):
    framework = csv_file(
        "indicator,dimension,direction,weight,unit\nscore,a,1,1,points\n", name="framework.csv"
    )
    values = csv_file(
        "iso3,indicator,year,value,unit\nRUS,score,2025,1,points\nCHN,score,2025,2,%\n"
    )
    check = check_upload(values, framework, catalogue, countries)
    assert reported(check) == [(3, "unit", "unit differs from the catalogue's 'points'")]


def test_values_are_not_checked_against_a_framework_without_accepted_rows(catalogue, countries):
    framework = csv_file("indicator,dimension,direction,weight\nBad,x,0,1\n", name="fw.csv")
    check = check_upload(
        csv_file(HEADER + "RUS,rsf_press_freedom,2025,1,\n"), framework, catalogue, countries
    )
    assert (
        check.values.problem
        == "Not checked: the framework file fw.csv has no accepted row (see its failures)."
    )
    assert check.framework.rejected == 1
    assert not check.usable


def test_values_only_upload_narrows_the_catalogue_and_credits_the_upload(catalogue, countries):
    values = csv_file(
        HEADER + "RUS,rsf_press_freedom,2025,24.57,\n"
        "CHN,rsf_press_freedom,2025,14.8,\n"
        "RUS,dual_citizenship_emigrants,2008,1,\n"
    )
    check = check_upload(values, None, catalogue, countries, year_window=(2010, 2025))
    assert check.catalogue.indicators["indicator"].tolist() == [
        "rsf_press_freedom",
        "dual_citizenship_emigrants",
    ]
    assert check.catalogue.dimensions["dimension"].tolist() == [
        "democratic_credentials",
        "diaspora_alignment",
    ]
    rsf = catalogue.indicators.set_index("indicator").at["rsf_press_freedom", "description"]
    assert check.catalogue.indicators["description"].iloc[0] == rsf
    assert check.catalogue.sources_line() == f"{UPLOAD_PUBLISHER} (values.csv)"
    assert check.notes[0] == (
        "3 values for 2 countries, 2 indicators in 2 dimensions, years 2008–2025."
    )
    assert check.notes[1].startswith("Left out 19 of the catalogue's indicators")
    assert check.notes[2] == (
        "1 accepted value is outside the years 2010–2025 the scoring uses, so it counts on no "
        "page's scores."
    )


def test_the_templates_are_real_rows_that_pass_the_checks(catalogue, countries):
    values = load_values(catalogue, countries)
    template = values_template(values)
    lines = template.decode().splitlines()
    assert lines[0] == "iso3,indicator,year,value,note"
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["RUS", "rsf_press_freedom"],
        ["NAM", "ordinary_naturalisation"],
        ["DEU", "diplomatic_posts"],
    ]
    framework = framework_template(catalogue)
    assert framework.decode().splitlines()[0] == "indicator,dimension,direction,weight"
    check = check_upload(
        UploadedFile("values.csv", template),
        UploadedFile("framework.csv", framework),
        catalogue,
        countries,
    )
    assert check.failures().empty
    assert check.values.accounting() == "Read 3 rows: 3 accepted, 0 rejected."
    assert (
        check.framework.accounting()
        == f"Read {len(catalogue.indicators)} rows: {len(catalogue.indicators)} accepted, 0 rejected."
    )
    assert check.values_used["value"].tolist() == [
        values.set_index(["iso3", "indicator", "year"])["value"][key]
        for key in check.values_used.set_index(["iso3", "indicator", "year"]).index
    ]


def test_failures_download_is_the_table_shown(catalogue, countries):
    from exports.tables import csv_bytes

    check = check_upload(csv_file(CORPUS["sentinel n/a"][0]), None, catalogue, countries)
    assert csv_bytes(check.failures(), bom=False).decode() == (  # as the Upload page builds it
        "file,line,column,value,reason\r\nvalues.csv,2,value,n/a,'n/a' is not a number\r\n"
    )


def test_the_token_follows_the_bytes_of_both_files():
    a, b = UploadedFile("a.csv", b"1"), UploadedFile("b.csv", b"2")
    assert upload_token([a, None]) == upload_token([UploadedFile("renamed.csv", b"1"), None])
    assert upload_token([a, None]) != upload_token([a, b])
    assert upload_token([a, None]).startswith("upload-") and len(upload_token([a])) == 71


def test_uploaded_catalogue_builds_the_scoring_framework():
    accepted = check_framework(
        pd.DataFrame(
            {
                "indicator": ["a", "b"],
                "dimension": ["x_y", "z"],
                "direction": ["1", "-1"],
                "weight": ["1", "0.5"],
                "unit": ["%", None],
            }
        )
    ).accepted
    catalogue = uploaded_catalogue(accepted, "fw.csv")
    framework = catalogue.framework()
    assert framework[["indicator", "name", "dimension", "unit", "direction", "weight"]].to_dict(
        "records"
    ) == [
        {
            "indicator": "a",
            "name": "a",
            "dimension": "x_y",
            "unit": "%",
            "direction": 1,
            "weight": 1.0,
        },
        {
            "indicator": "b",
            "name": "b",
            "dimension": "z",
            "unit": "",
            "direction": -1,
            "weight": 0.5,
        },
    ]
    assert framework["range_low"].isna().all()
    assert dict(
        zip(catalogue.dimensions["dimension"], catalogue.dimensions["name"], strict=True)
    ) == {
        "x_y": "X y",
        "z": "Z",
    }
