"""The fixture is the real 12 January 2025 block of pairs between DEU, EGY, RUS and USA, with two
edits: EGY->USA carries an unknown requirement, and ANT (not an ISO 3166-1 code) is added."""

from pathlib import Path

import pytest

from indicators.loaders import SKIPPED_COLUMNS, passport

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE_NAME = "passport-index-tidy-iso3.csv"


@pytest.fixture(scope="module")
def result():
    return passport.load(SOURCES)


def value(values, iso3, indicator):
    match = values[(values["iso3"] == iso3) & (values["indicator"] == indicator)]
    assert len(match) == 1, f"expected one value for {iso3} {indicator}"
    return match.iloc[0]


@pytest.mark.parametrize(
    ("iso3", "indicator", "count", "note"),
    [
        ("DEU", "passport_visa_free", 2, "visa free 0, on arrival 1, eta 1"),
        ("USA", "passport_visa_free", 2, "visa free 1, on arrival 1, eta 0"),
        ("RUS", "passport_visa_free", 1, "visa free 0, on arrival 1, eta 0"),
        (
            "EGY",
            "passport_visa_free",
            0,
            "visa free 0, on arrival 0, eta 0; 1 pairs not counted (see skipped rows)",
        ),
        ("DEU", "passports_admitted_visa_free", 1, "visa free 1, on arrival 0, eta 0"),
        ("EGY", "passports_admitted_visa_free", 3, "visa free 0, on arrival 3, eta 0"),
        ("RUS", "passports_admitted_visa_free", 0, "visa free 0, on arrival 0, eta 0"),
        (
            "USA",
            "passports_admitted_visa_free",
            1,
            "visa free 0, on arrival 0, eta 1; 1 pairs not counted (see skipped rows)",
        ),
    ],
)
def test_counts(result, iso3, indicator, count, note):
    row = value(result.values, iso3, indicator)
    assert row["value"] == count
    assert row["note"] == note
    assert row["year"] == 2025


def test_only_iso_codes_get_values(result):
    assert set(result.values["iso3"]) == {"DEU", "EGY", "RUS", "USA"}


def test_skipped_rows_with_reasons(result):
    assert list(result.skipped.columns) == SKIPPED_COLUMNS
    assert set(map(tuple, result.skipped.to_numpy())) == {
        (FILE_NAME, "ANT", "code 'ANT' is not an ISO 3166-1 code (2 pairs not counted)"),
        (FILE_NAME, "EGY->USA", "unknown requirement 'visa waiver programme'"),
    }


@pytest.mark.parametrize(
    ("requirement", "kind"),
    [
        ("visa free", "visa free"),
        ("90", "visa free"),
        ("7", "visa free"),
        ("360", "visa free"),
        ("visa on arrival", "on arrival"),
        ("eta", "eta"),
        ("e-visa", "closed"),
        ("visa required", "closed"),
        ("no admission", "closed"),
        ("-1", "own country"),
        ("0", None),
        ("visa waiver programme", None),
        (float("nan"), None),
    ],
)
def test_entry_kind(requirement, kind):
    assert passport.entry_kind(requirement) == kind
