"""Gallup Migrant Acceptance Index loader on a hand-made fixture in the compiled CSV's layout.

Real rows from both waves, the two global values (WLD) and a rank-only 2019 row (Australia). Edited
rows: Russia listed twice, Turkmenistan's 5.36 typed as 53.6, Armenia's wave "c.2017", Serbia coded
"YUG", Croatia's 2019 score "n/a".
"""

from pathlib import Path

import pytest

from indicators.loaders import SKIPPED_COLUMNS, gallup

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "gallup_migrant_acceptance_index.csv"


@pytest.fixture(scope="module")
def result():
    return gallup.load(SOURCES)


@pytest.mark.parametrize(
    ("iso3", "year", "score", "note"),
    [
        ("MKD", 2016, 1.47, "wave 2016/2017; least accepting #1 of 140"),
        ("MKD", 2019, 1.49, "wave 2019; least accepting #1 of 145"),
        ("HUN", 2016, 1.69, "wave 2016/2017; least accepting #3 of 140"),
        ("ISL", 2016, 8.26, "wave 2016/2017; most accepting #1 of 140"),
        ("CAN", 2017, 8.14, "wave 2016/2017; most accepting #4 of 140"),  # surveyed in 2017
        ("USA", 2017, 7.86, "wave 2016/2017; most accepting #9 of 140"),
        ("USA", 2019, 7.95, "wave 2019; most accepting #6"),
        ("CAN", 2019, 8.46, "wave 2019; most accepting #1 of 145"),
        ("GEO", 2016, 3.05, "wave 2016/2017"),
        ("BFA", 2016, 7.74, "wave 2016/2017; most accepting (tied 10th with Ireland in the 138-country list)"),
    ],
)  # fmt: skip
def test_scores_as_published_in_their_survey_year(result, iso3, year, score, note):
    values = result.values
    rows = values[(values["iso3"] == iso3) & (values["year"] == year)]
    assert len(rows) == 1
    assert rows["indicator"].iloc[0] == "migrant_acceptance"
    assert rows["value"].iloc[0] == score
    assert rows["note"].iloc[0] == note


def test_exactly_these_country_years(result):
    kept = set(zip(result.values["iso3"], result.values["year"], strict=True))
    assert kept == {
        ("BFA", 2016), ("CAN", 2017), ("CAN", 2019), ("GEO", 2016), ("HUN", 2016),
        ("ISL", 2016), ("MKD", 2016), ("MKD", 2019), ("USA", 2017), ("USA", 2019),
    }  # fmt: skip


def test_skipped_rows_with_reasons(result):
    assert list(result.skipped.columns) == SKIPPED_COLUMNS
    assert set(map(tuple, result.skipped.to_numpy().tolist())) == {
        (FILE, "WLD 2016", "global index value (WLD), not a country"),
        (FILE, "WLD 2019", "global index value (WLD), not a country"),
        (FILE, "AUS 2019", "no score printed (rank only: 'most accepting #4')"),
        (FILE, "HRV 2019", "mai_score is not a number: 'n/a'"),
        (FILE, "TKM 2016/2017", "mai_score 53.6 is outside the index's 0–9 scale"),
        (FILE, "ARM c.2017", "wave is not a year: 'c.2017'"),
        (FILE, "YUG 2016/2017", "iso3 'YUG' is not an ISO 3166-1 code"),
        (FILE, "RUS 2016", "migrant_acceptance: 2 rows for the same country and year"),
    }


@pytest.mark.parametrize(
    ("wave", "iso3", "year"),
    [
        ("2016/2017", "RUS", 2016),
        ("2016/2017", "USA", 2017),
        ("2016/2017", "CAN", 2017),
        ("2019", "USA", 2019),
        (" 2019 ", "CAN", 2019),
        ("2019/20", "RUS", None),
        ("c.2017", "RUS", None),
        ("", "RUS", None),
    ],
)
def test_survey_year(wave, iso3, year):
    assert gallup.survey_year(wave, iso3) == year


def test_values_are_on_the_index_scale(result):
    assert result.values["value"].between(0, 9).all()
