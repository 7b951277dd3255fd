"""Exports in Russian: the workbook, the country report, table files, chart definitions and the
command line's --lang follow the run's language; English stays the default."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

import i18n
from exports.cli import main
from exports.images import definition_lines
from exports.report import country_report_html
from exports.tables import as_shown, csv_bytes, table_about
from exports.workbook import scorecard_workbook
from tests.exports_helpers import shipped


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.use("en")


def test_the_workbook_in_russian_has_russian_sheets_headers_and_readme():
    data = shipped()
    i18n.use("ru")
    raw = scorecard_workbook(data.sc, data.catalogue, data.values, data.countries)
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["Описание", "баллы", "значения", "метод", "веса", "источники"]
    headers = [c.value for c in book["баллы"][1]]
    assert headers[:2] == ["страна", "iso3"] and "сводный балл" in headers and "место" in headers
    readme = [row[0] for row in book["Описание"].iter_rows(values_only=True)]
    assert "Метод" in readme and "Ссылка" in readme  # the Method and the citation


def test_the_country_report_in_russian(tmp_path):
    data = shipped()
    i18n.use("ru")
    page = country_report_html(
        "RUS", data.sc, data.catalogue, data.values, data.countries, static=False
    )
    assert '<html lang="ru">' in page
    for heading in ("Измерения", "Сильные и слабые стороны", "Индикаторы", "Метод",
                    "Источники и лицензии"):  # fmt: skip
        assert f"<h2>{heading}</h2>" in page
    # English headings and labels of the report are gone.
    # (The radar chart inside is the page's own figure, translated with the page.)
    own = ("<h2>Dimensions</h2>", ">Peer average</th>", "rank (1 = best)", "Data download")
    for english in own:
        assert english not in page
    # A dimension rank as "n из m": Russia's rank and the countries with a score, by hand from
    # the results table (not from the report).
    results = data.sc.results
    rank = int(results["media_reach"].rank(ascending=False, method="min")["RUS"])
    count = int(results["media_reach"].notna().sum())
    assert f"{rank} из {count}" in page


def test_a_table_file_in_russian_says_percent_and_method_in_russian():
    data = shipped()
    i18n.use("ru")
    table = as_shown(pd.DataFrame({"Покрытие": [0.5277777]}), {"Покрытие": "percent"})
    text = csv_bytes(table, about=table_about(data.sc, data.catalogue, "x")).decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("# Метод: ") and lines[1].startswith("# Ссылка: ")
    assert lines[2] == '"Покрытие (%)"' and lines[3] == "52.78"


def test_definitions_under_a_chart_in_russian():
    data = shipped()
    i18n.use("ru")
    line = definition_lines(data.catalogue, ["rsf_press_freedom"])[0]
    assert "Источник: Reporters Without Borders" in line and "Лицензия: " in line


def test_cli_lang_ru_writes_a_russian_workbook_and_english_by_default(tmp_path):
    russian, english = tmp_path / "ru.xlsx", tmp_path / "en.xlsx"
    assert main(["export", "--workbook", "--lang", "ru", "--out", str(russian)]) == 0
    assert main(["export", "--workbook", "--out", str(english)]) == 0
    assert openpyxl.load_workbook(russian).sheetnames[0] == "Описание"
    assert openpyxl.load_workbook(english).sheetnames[0] == "README"


def test_cli_lang_ru_explains_in_russian(capsys):
    assert main(["explain", "--country", "RUS", "--over-time", "--draws", "0", "--lang", "ru"]) == 0
    assert "каждый год оценён отдельно" in capsys.readouterr().out


def test_cli_refuses_an_unknown_language(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--workbook", "--lang", "xx", "--out", "x.xlsx"])
    assert "--lang" in capsys.readouterr().err


def test_cli_lang_ru_writes_the_country_report_in_russian(tmp_path):
    out = tmp_path / "rus.html"
    assert (
        main(["export", "--report", "RUS", "--draws", "0", "--lang", "ru", "--out", str(out)]) == 0
    )
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ru">' in page and "<h2>Источники и лицензии</h2>" in page
