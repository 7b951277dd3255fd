"""The country report's explanations: the years table is each year scored on its own, the change
since 2015 is split, and the improvements reach the rank they promise."""

from __future__ import annotations

import re

import pytest

from exports.explain_report import explain_section_html
from indicators.catalogue import load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard, prepare


@pytest.fixture(scope="module")
def shipped():
    catalogue = load_catalogue()
    countries = load_countries()
    prepared = prepare(load_values(catalogue, countries), catalogue, countries=countries)
    return catalogue, countries, prepared


def _cells(html: str) -> list[list[str]]:
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)]


def test_the_section_holds_the_years_the_split_and_the_plan(shipped):
    catalogue, countries, prepared = shipped
    sc = build_scorecard(prepared, method=Method(), countries=countries)
    html = explain_section_html("RUS", sc, catalogue, countries)
    rows = [r for r in _cells(html) if r and r[0].isdigit()]
    years = {int(r[0]): r for r in rows if 2013 <= int(r[0]) <= 2025}
    assert sorted(years) == list(range(2013, 2026))
    for year in (2013, 2020):
        alone = build_scorecard(prepared, method=Method(year_window=(2010, year)))
        assert years[year][1] == f"{alone.results.loc['RUS', 'overall']:.1f}"
        assert years[year][2] == f"{alone.results.loc['RUS', 'rank']:.0f}"
    assert years[2025][5] == "0" and int(years[2013][5]) > 0
    assert "Why the score moved from 2015 to 2025" in html
    assert "What would it take to rank 27" in html
    assert "brings Russian Federation from rank 37 to" in html
