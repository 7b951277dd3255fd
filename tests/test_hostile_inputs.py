"""Hostile input, one table row each, with the exact text a person sees.

Files: `tests/fixtures/hostile/` (small, written by hand) and `tests/fixtures/broken/` (the
contracts' corpus, read here through the upload reader); the big ones (a million rows, 200 MB, a
zip bomb dressed as .xlsx) are made at test time by `tests/fixtures/hostile_files.py`.
Every file that reaches the row checks is also checked for accounting: read = accepted + rejected.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from exports import cli as export_cli
from indicators.catalogue import load_catalogue, load_countries
from indicators.uploads import (
    VALUES_REQUIRED,
    UploadedFile,
    UploadError,
    check_upload,
    read_upload,
)
from scoring import limits
from scoring.limits import Limits
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare

sys.path.insert(0, str(Path(__file__).parent))
from fixtures import hostile_files as make  # noqa: E402

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BROKEN = Path(__file__).parent / "fixtures" / "broken"
SAVE = "Save it from your spreadsheet as 'CSV UTF-8 (comma delimited)' and upload it again."
DUPLICATE = "duplicate (iso3, indicator, year): the same key is on another row too"
RESTART = "and restart."


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def countries():
    return load_countries()


def upload(path: Path, catalogue, countries, framework: UploadedFile | None = None):
    return check_upload(UploadedFile(path.name, path.read_bytes()), framework, catalogue, countries)


def reported(check) -> list[tuple]:
    failures = check.failures()
    return [
        (int(line), column, value, reason)
        for line, column, value, reason in failures[["line", "column", "value", "reason"]]
        .astype(object)
        .itertuples(index=False)
    ]


# file -> (every failure as (line, column, value, reason), the accounting sentence)
ROW_CHECKED = {
    "hostile/values_wrong_types.csv": (
        [
            (2, "year", "twenty", "'twenty' is not a whole number"),
            (3, "value", "eighty", "'eighty' is not a number"),
        ],
        "Read 3 rows: 1 accepted, 2 rejected.",
    ),
    "hostile/values_sentinels.csv": (
        [
            (2, "value", "-", "'-' is not a number"),
            (3, "value", "..", "'..' is not a number"),
            (4, "value", "N/A", "'N/A' is not a number"),
            (5, "value", "#N/A", "'#N/A' is not a number"),
        ],
        "Read 5 rows: 1 accepted, 4 rejected.",
    ),
    "hostile/values_nan_inf.csv": (
        [
            (2, "value", "NaN", "'NaN' is not a number"),
            (3, "value", "-inf", "-inf is not a finite number"),
            (4, "value", "inf", "inf is not a finite number"),
        ],
        "Read 4 rows: 1 accepted, 3 rejected.",
    ),
    "hostile/values_duplicate_rows.csv": (
        [(2, "iso3", "RUS", DUPLICATE), (3, "iso3", "RUS", DUPLICATE)],
        "Read 3 rows: 1 accepted, 2 rejected.",
    ),
    "hostile/values_unknown_codes.csv": (
        [
            (2, "iso3", "XXX", "unknown country code 'XXX' (did you mean XKX?)"),
            (3, "iso3", "rus", "unknown country code 'rus' (did you mean AUS or MUS or RUS?)"),
            (4, "iso3", "SU", "unknown country code 'SU'"),
            (5, "indicator", "soft_power", "unknown indicator 'soft_power'"),
        ],
        "Read 5 rows: 1 accepted, 4 rejected.",
    ),
    "hostile/values_out_of_range.csv": (
        [
            (2, "value", "-0.01", "-0.01 is outside rsf_press_freedom's range [0, 100]"),
            (3, "value", "100.01", "100.01 is outside rsf_press_freedom's range [0, 100]"),
            (4, "value", "17", "17 is outside ordinary_naturalisation's range [0, 1]"),
        ],
        "Read 4 rows: 1 accepted, 3 rejected.",
    ),
    # Accepted as they are: encodings and line ends that are fine, a title line, a formula
    # kept as the text of a note (exports neutralise it).
    "hostile/values_utf8_bom.csv": ([], "Read 1 row: 1 accepted, 0 rejected."),
    "hostile/values_utf16_bom.csv": ([], "Read 1 row: 1 accepted, 0 rejected."),
    "hostile/values_crlf.csv": ([], "Read 2 rows: 2 accepted, 0 rejected."),
    "hostile/values_title_row.csv": ([], "Read 1 row: 1 accepted, 0 rejected."),
    "hostile/values_formula_note.csv": ([], "Read 1 row: 1 accepted, 0 rejected."),
    "broken/values_bad_year.csv": (
        [
            (2, "year", "1890", "1890 is outside (1990, 2030)"),
            (3, "year", "2025.5", "'2025.5' is not a whole number"),
        ],
        "Read 2 rows: 0 accepted, 2 rejected.",
    ),
    "broken/values_non_finite.csv": (
        [
            (2, "value", "inf", "inf is not a finite number"),
            (3, "value", "nan", "'nan' is not a number"),
            (4, "value", "", "empty cell"),
        ],
        "Read 3 rows: 0 accepted, 3 rejected.",
    ),
    "broken/values_sentinel.csv": (
        [(3, "value", "n/a", "'n/a' is not a number")],
        "Read 2 rows: 1 accepted, 1 rejected.",
    ),
    "broken/values_unknown_iso3.csv": (
        [(2, "iso3", "RUZ", "unknown country code 'RUZ' (did you mean RUS?)")],
        "Read 2 rows: 1 accepted, 1 rejected.",
    ),
    "broken/values_wrong_unit.csv": (
        [(3, "unit", "share", "unit differs from the catalogue's 'score 0–100'")],
        "Read 2 rows: 1 accepted, 1 rejected.",
    ),
}


@pytest.mark.parametrize("name, expected", ROW_CHECKED.items(), ids=list(ROW_CHECKED))
def test_row_checked_files_report_every_failure_and_account_for_every_row(
    name, expected, catalogue, countries
):
    failures, sentence = expected
    check = upload(HOSTILE.parent / name, catalogue, countries)
    assert check.values.problem is None
    assert reported(check) == failures
    assert check.values.accounting() == sentence
    assert check.values.rows_read == check.values.accepted + check.values.rejected
    assert check.usable == (check.values.accepted > 0)


def test_utf16_and_utf8_with_bom_read_the_same_text(catalogue, countries):
    utf8 = upload(HOSTILE / "values_utf8_bom.csv", catalogue, countries)
    utf16 = upload(HOSTILE / "values_utf16_bom.csv", catalogue, countries)
    assert utf16.values_used.equals(utf8.values_used)
    assert utf8.values_used["note"].tolist() == ["Côte d'Ivoire"]


# file -> the one message shown instead of a table
UNREADABLE = {
    "hostile/values_empty.csv": "values_empty.csv is empty.",
    "hostile/values_header_only.csv": (
        "values_header_only.csv has the column names but no rows of data."
    ),
    "hostile/values_wrong_columns.csv": (
        "values_wrong_columns.csv lacks the columns iso3, value. It needs iso3, indicator, year, "
        "value; the header has: country, indicator, year, score."
    ),
    "broken/values_missing_column.csv": (
        "values_missing_column.csv lacks the column value. It needs iso3, indicator, year, value; "
        "the header has: iso3, indicator, year."
    ),
    "hostile/values_semicolons.csv": (
        "values_semicolons.csv separates its columns with semicolons (;), not commas. "
        "Save it as comma-separated 'CSV UTF-8' and upload it again."
    ),
    "hostile/values_tabs.csv": (
        "values_tabs.csv separates its columns with tabs, not commas. "
        "Save it as comma-separated 'CSV UTF-8' and upload it again."
    ),
    "hostile/values_utf16_tabs.txt": (  # Excel's "Unicode Text": decoded, then the tabs named
        "values_utf16_tabs.txt separates its columns with tabs, not commas. "
        "Save it as comma-separated 'CSV UTF-8' and upload it again."
    ),
    "hostile/values_latin1.csv": (
        "values_latin1.csv is not UTF-8 text (byte 0xF4 on line 2, probably another encoding "
        f"such as Windows-1252). {SAVE}"
    ),
    "hostile/values_utf16_no_bom.csv": (
        f"values_utf16_no_bom.csv looks like UTF-16 text without a byte-order mark. {SAVE}"
    ),
    "hostile/values_unclosed_quote.csv": (
        "values_unclosed_quote.csv could not be read as CSV: the record starting on line 2 is "
        'malformed (unexpected end of data): a quote (") opened there is never closed.'
    ),
    "hostile/values_stray_quote.csv": (
        "values_stray_quote.csv could not be read as CSV: the record starting on line 2 is "
        "malformed (',' expected after '\"'): a quoted cell must be followed by a comma "
        '(write "" for a quote inside it).'
    ),
}


@pytest.mark.parametrize("name, message", UNREADABLE.items(), ids=list(UNREADABLE))
def test_unreadable_files_get_one_message_and_no_rows(name, message, catalogue, countries):
    check = upload(HOSTILE.parent / name, catalogue, countries)
    assert check.values.problem == message
    assert check.values.accounting() == f"Read no rows: {message}"
    assert not check.usable and check.failures().empty


# ---- generated: too big, bombs, workbooks

SMALL = Limits(max_upload_mb=1, max_rows=100, max_columns=8)


def limit_text(what: str, actual: str, limit: str, variable: str) -> str:
    return (
        f"{what}: {actual}; the limit is {limit}. To allow more, set the environment variable "
        f"{variable} {RESTART}"
    )


GENERATED = {
    "1 million rows": (
        "big.csv",
        lambda: make.million_rows(1_000_000),
        Limits(),
        limit_text("big.csv has too many rows", "1,000,001 lines", "200,000", "SCORECARD_MAX_ROWS"),
    ),
    "one row over the row limit": (
        "big.csv",
        lambda: make.million_rows(101),
        SMALL,
        limit_text("big.csv has too many rows", "101 rows of data", "100", "SCORECARD_MAX_ROWS"),
    ),
    "200 MB": (
        "big.csv",
        lambda: make.padded_csv(200_000_000),
        Limits(),
        limit_text("big.csv is too large", "200 MB", "50 MB", "SCORECARD_MAX_UPLOAD_MB"),
    ),
    "too many columns": (
        "wide.csv",
        lambda: (",".join([*VALUES_REQUIRED, *(f"c{i}" for i in range(10))]) + "\n").encode(),
        SMALL,
        limit_text(
            "wide.csv has too many columns", "14 in its header", "8", "SCORECARD_MAX_COLUMNS"
        ),
    ),  # fmt: skip
    "zip bomb dressed as xlsx": (
        "values.xlsx",
        make.zip_bomb,
        Limits(),
        limit_text(
            "values.xlsx is too large once unzipped",
            "its parts declare 1,999.63 MB",
            "100 MB",
            "SCORECARD_MAX_UNZIPPED_MB",
        ),
    ),  # fmt: skip
    "highly compressed sheet": (
        "values.xlsx",
        make.ratio_bomb,
        Limits(),
        limit_text(
            "values.xlsx looks like a zip bomb: its part xl/worksheets/sheet1.xml would "
            "inflate from 0.05 MB to 50 MB",
            "a compression ratio of 1,029 times",
            "200 times",
            "SCORECARD_MAX_ZIP_RATIO",
        ),
    ),  # fmt: skip
    "zip of many tiny parts": (
        "values.xlsx",
        lambda: make.many_parts(20_000),
        Limits(),
        "values.xlsx is not a plain Excel workbook: its zip holds 20,000 parts (workbooks have a "
        "few dozen; at most 10,000 are read).",
    ),
    "sheet declaring a million rows": (
        "values.xlsx",
        lambda: make.with_declared_rows(
            make.workbook({"data": [list(VALUES_REQUIRED), ["RUS", "rsf_press_freedom", 2025, 1]]}),
            1_000_000,
        ),
        Limits(),
        limit_text(
            "values.xlsx has too many rows",
            "1,000,000 rows, by the sheet's own count",
            "200,000",
            "SCORECARD_MAX_ROWS",
        ),
    ),  # fmt: skip
    "data on two sheets": (
        "values.xlsx",
        lambda: make.workbook(
            {
                "2024": [list(VALUES_REQUIRED), ["RUS", "rsf_press_freedom", 2024, 1]],
                "2025": [list(VALUES_REQUIRED), ["RUS", "rsf_press_freedom", 2025, 1]],
            }
        ),
        Limits(),
        "values.xlsx has the columns iso3, indicator, year, value on several sheets ('2024', "
        "'2025'). Keep the data on one sheet, or upload each sheet as its own file.",
    ),
}


@pytest.mark.parametrize(
    "name, make_content, bound, message", GENERATED.values(), ids=list(GENERATED)
)
def test_oversized_and_bomb_files_are_refused_naming_the_limit(name, make_content, bound, message):
    with pytest.raises(UploadError) as error:
        read_upload(UploadedFile(name, make_content()), VALUES_REQUIRED, bound)
    assert str(error.value) == message


def test_a_merged_title_above_the_header_is_skipped_and_rows_keep_sheet_numbers(
    catalogue, countries
):
    content = make.workbook(
        {
            "data": [
                ["Soft power values, 2025", None, None, None],
                [*VALUES_REQUIRED],
                ["RUS", "rsf_press_freedom", 2025, 24.57],
                ["DEU", "rsf_press_freedom", 2025, "n/a"],
            ]
        },
        merge={"data": "A1:D1"},
    )
    check = check_upload(UploadedFile("merged.xlsx", content), None, catalogue, countries)
    assert reported(check) == [(4, "value", "n/a", "'n/a' is not a number")]
    assert check.values.accounting() == "Read 2 rows: 1 accepted, 1 rejected."


def test_a_real_sized_file_passes_the_default_limits(catalogue, countries):
    """Tens of thousands of rows (an analyst's real file) are read and checked."""
    codes = countries["iso3"].tolist()
    rows = [
        f"{code},{indicator},{year},{i % 5}"
        for i, (code, indicator, year) in enumerate(
            (c, i, y)
            for c in codes
            for i in ("rsf_press_freedom", "eiti_status_score")
            for y in range(1990, 2031)
        )
    ]
    text = "iso3,indicator,year,value\n" + "\n".join(rows[:20_000]) + "\n"
    check = check_upload(UploadedFile("real.csv", text.encode()), None, catalogue, countries)
    assert check.values.accounting() == "Read 20,000 rows: 20,000 accepted, 0 rejected."


# ---- frameworks, methods, URLs


def test_absurd_framework_weights_are_rejected_cell_by_cell(catalogue, countries):
    framework = HOSTILE / "framework_absurd_weights.csv"
    values = UploadedFile("values.csv", b"iso3,indicator,year,value\nRUS,theirs,2025,1\n")
    check = check_upload(
        values, UploadedFile(framework.name, framework.read_bytes()), catalogue, countries
    )
    assert reported(check) == [
        (2, "weight", "-2.0", "weight -2.0 is negative"),
        (3, "weight", "nan", "'nan' is not a number"),
        (4, "weight", "1e+308", "weight 1e+308 is too large (at most 1,000,000; weights are relative)"),
    ]  # fmt: skip
    assert check.framework.accounting() == "Read 4 rows: 1 accepted, 3 rejected."


def test_an_all_zero_framework_is_read_but_cannot_be_scored(catalogue, countries):
    framework = HOSTILE / "framework_all_zero.csv"
    values = UploadedFile("values.csv", b"iso3,indicator,year,value\nRUS,mine,2025,1\n")
    check = check_upload(
        values, UploadedFile(framework.name, framework.read_bytes()), catalogue, countries
    )
    assert check.usable
    prepared = prepare(check.values_used, check.catalogue, countries=countries)
    with pytest.raises(ValueError, match="^voice: all indicator weights are zero"):
        build_scorecard(prepared, method=Method(), countries=countries)


METHOD_FILES = {
    "method_malformed.toml": "method: not valid TOML (Expected ']' at the end of a table "
    "declaration (at line 2, column 19))",
    "method_negative.toml": "indicator_weights: negative weight rsf_press_freedom = -1",
    "method_nan.toml": "indicator_weights.rsf_press_freedom: expected a finite number, got nan",
    "method_nan.json": "indicator_weights.rsf_press_freedom: expected a finite number, got nan",
    "method_huge.toml": "dimension_weights: weight media_reach = 1e+308, visa_openness = 1e+308 "
    "is too large (at most 1,000,000; weights are relative, so divide them all by the same number)",
    "method_huge.json": "dimension_weights: weight media_reach = 1e+308, visa_openness = 1e+308 "
    "is too large (at most 1,000,000; weights are relative, so divide them all by the same number)",
    "method_unknown_indicator.toml": "indicator_weights: unknown indicator(s) soft_power_index",
    "method_unknown_dimension.toml": "dimension_weights: unknown dimension(s) hard_power",
    "method_wrong_shape.json": "indicator_weights: expected a table of name = number",
    "method_truncated.json": "method: not valid JSON (Expecting property name enclosed in double "
    "quotes: line 1 column 29 (char 28))",
}


@pytest.mark.parametrize("name, message", METHOD_FILES.items(), ids=list(METHOD_FILES))
def test_bad_method_files_are_refused_with_their_reason(name, message, catalogue):
    text = (HOSTILE / name).read_text()
    parse = Method.from_json if name.endswith(".json") else Method.from_toml
    with pytest.raises(ValueError) as error:
        parse(text, catalogue.framework())
    assert str(error.value) == message


URLS = {
    "negative weight": ({"w": "rsf_press_freedom:-1"}, "indicator_weights: negative weight "
                        "rsf_press_freedom = -1"),
    "NaN weight": ({"dw": "media_reach:nan"}, "dimension_weights.media_reach: expected a finite "
                   "number, got 'nan'"),
    "huge weight": ({"dw": "media_reach:1e308"}, "dimension_weights: weight media_reach = 1e+308 "
                    "is too large (at most 1,000,000; weights are relative, so divide them all "
                    "by the same number)"),
    "huge power": ({"ip": "1e308"}, "indicator_power: must be between -50 and 50, got 1e+308"),
    "unknown indicator": ({"w": "soft_power:2"}, "indicator_weights: unknown indicator(s) "
                          "soft_power"),
    "unknown dimension": ({"dw": "hard_power:2"}, "dimension_weights: unknown dimension(s) "
                          "hard_power"),
    "no separator": ({"w": "rsf_press_freedom"}, "indicator_weights: expected name:number, got "
                     "'rsf_press_freedom'"),
}  # fmt: skip


@pytest.mark.parametrize("params, message", URLS.values(), ids=list(URLS))
def test_bad_url_methods_are_refused_with_their_reason(params, message, catalogue):
    with pytest.raises(ValueError) as error:
        Method.from_query(params, catalogue.framework())
    assert str(error.value) == message


def test_an_all_zero_method_parses_but_scoring_says_why(catalogue, countries):
    method = Method.from_toml((HOSTILE / "method_all_zero.toml").read_text())
    from indicators.catalogue import load_values

    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    with pytest.raises(ValueError, match="^dimension weights: all are zero$"):
        build_scorecard(prepared, method=method, countries=countries)


# ---- the scorecard command: one line on stderr, exit 2, never a traceback

CLI = {
    "unknown option": (["score", "--out", "{tmp}/o.csv", "--bogus"],
                       "scorecard: error: unrecognized arguments: --bogus (see 'scorecard --help')"),
    "unknown command": (["nonsense"], "scorecard: error: argument command: invalid choice: "
                        "'nonsense' (choose from 'score', 'sensitivity', 'audit', 'validate', 'export', "
                        "'explain', 'actor', 'update-data', 'rollback-data', 'write-vintage') "
                        "(see 'scorecard --help')"),
    "no command": ([], "scorecard: error: the following arguments are required: command "
                   "(see 'scorecard --help')"),
    "draws not a number": (["sensitivity", "--draws", "abc", "--out", "{tmp}/s.csv"],
                           "scorecard sensitivity: error: argument --draws: expected a whole "
                           "number, got 'abc' (see 'scorecard sensitivity --help')"),
    "draws over the limit": (["sensitivity", "--draws", "1000000000", "--out", "{tmp}/s.csv"],
                             "scorecard sensitivity: error: argument --draws: the number of "
                             "draws: 1,000,000,000; the limit is 100,000. To allow more, set the "
                             "environment variable SCORECARD_MAX_DRAWS and restart. "
                             "(see 'scorecard sensitivity --help')"),
    "draws negative": (["sensitivity", "--draws", "-5", "--out", "{tmp}/s.csv"],
                       "scorecard sensitivity: error: argument --draws: must be at least 1, "
                       "got -5 (see 'scorecard sensitivity --help')"),
    "negative top": (["export", "--chart", "ranking", "--top", "-3", "--out", "{tmp}/x.html"],
                     "scorecard export: error: argument --top: must be from 1 to 10000, got -3 "
                     "(see 'scorecard export --help')"),
    "negative scale": (["export", "--chart", "ranking", "--scale", "-1", "--out", "{tmp}/x.png"],
                       "scorecard export: error: argument --scale: must be from 0.1 to 10, "
                       "got -1 (see 'scorecard export --help')"),
    "method is a folder": (["score", "--method", "{tmp}", "--out", "{tmp}/o.csv"],
                           "error: {tmp}: is a folder, not a method file"),
    "method missing": (["score", "--method", "{tmp}/none.toml", "--out", "{tmp}/o.csv"],
                       "error: {tmp}/none.toml: file not found"),
    "method malformed": (["score", "--method", str(HOSTILE / "method_malformed.toml"), "--out",
                          "{tmp}/o.csv"],
                         f"error: {HOSTILE / 'method_malformed.toml'}: method: not valid TOML "
                         "(Expected ']' at the end of a table declaration (at line 2, column 19))"),
    "method not UTF-8": (["score", "--method", str(HOSTILE / "values_latin1.csv"), "--out",
                          "{tmp}/o.csv"],
                         f"error: {HOSTILE / 'values_latin1.csv'}: not UTF-8 text (a method file "
                         "is TOML or JSON)"),
    "method all zero": (["score", "--method", str(HOSTILE / "method_all_zero.toml"), "--out",
                         "{tmp}/o.csv"], "error: dimension weights: all are zero"),
    "values is a folder": (["score", "--values", "{tmp}", "--framework", "{tmp}", "--out",
                            "{tmp}/o.csv"], "error: {tmp}: is a folder, not a CSV file"),
    "out is a folder": (["score", "--out", "{tmp}"],
                        "error: {tmp}: is a folder; give a file name for --out"),
    "out in a missing folder": (["score", "--out", "{tmp}/no/o.csv"],
                                "error: {tmp}/no/o.csv: folder {tmp}/no does not exist"),
}  # fmt: skip


@pytest.mark.parametrize("argv, message", CLI.values(), ids=list(CLI))
def test_bad_command_lines_print_one_line_and_exit_2(argv, message, tmp_path, capsys):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    try:
        status = export_cli.main(argv)
    except SystemExit as exit:  # argparse exits by itself
        status = exit.code
    err = capsys.readouterr().err
    assert status == 2
    assert err == message.replace("{tmp}", str(tmp_path)) + "\n"


def test_a_values_file_over_the_upload_limit_is_refused_by_the_command(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "0.001")
    limits.current.cache_clear()
    try:
        (tmp_path / "v.csv").write_bytes(make.padded_csv(2_000))
        (tmp_path / "f.csv").write_text("indicator,dimension,direction,weight\na,d,1,1\n")
        argv = ["score", "--values", f"{tmp_path}/v.csv", "--framework", f"{tmp_path}/f.csv"]
        status = export_cli.main([*argv, "--out", f"{tmp_path}/o.csv"])
    finally:
        limits.current.cache_clear()
    assert status == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path}/v.csv is too large: 0.002 MB; the limit is 0.001 MB. To allow more, "
        "set the environment variable SCORECARD_MAX_UPLOAD_MB and restart.\n"
    )


# ---- the limits themselves


def test_limits_come_from_the_environment_and_bad_values_name_the_variable():
    assert Limits.from_env({}) == Limits()
    bound = Limits.from_env({"SCORECARD_MAX_UPLOAD_MB": "120", "SCORECARD_MAX_ROWS": "1e6"})
    assert (bound.max_upload_bytes, bound.max_rows) == (120_000_000, 1_000_000)
    for variable, text, message in [
        ("SCORECARD_MAX_ROWS", "lots", "SCORECARD_MAX_ROWS: expected a number, got 'lots'"),
        ("SCORECARD_MAX_ROWS", "2.5", "SCORECARD_MAX_ROWS: expected a whole number, got '2.5'"),
        ("SCORECARD_MAX_DRAWS", "0", "SCORECARD_MAX_DRAWS: must be a positive number, got 0"),
        ("SCORECARD_MAX_UPLOAD_MB", "inf", "SCORECARD_MAX_UPLOAD_MB: must be a positive number, "
         "got inf"),
    ]:  # fmt: skip
        with pytest.raises(ValueError) as error:
            Limits.from_env({variable: text})
        assert str(error.value) == message


def test_streamlit_upload_limit_agrees_with_the_upload_limit():
    import tomllib

    config = tomllib.loads((Path(__file__).parent.parent / ".streamlit/config.toml").read_text())
    assert config["server"]["maxUploadSize"] == Limits().max_upload_mb


def test_the_app_draws_and_samples_are_within_the_limits():
    from views.data import SENSITIVITY_SAMPLES, UNCERTAINTY_DRAWS

    assert Limits().max_draws >= UNCERTAINTY_DRAWS
    assert Limits().max_sensitivity_samples >= SENSITIVITY_SAMPLES
