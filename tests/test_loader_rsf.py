from pathlib import Path

import pytest

from indicators.loaders import SKIPPED_COLUMNS, rsf

SOURCES = Path(__file__).parent / "fixtures" / "sources"


@pytest.fixture(scope="module")
def result():
    return rsf.load(SOURCES)


def value(values, iso3, year=2025):
    match = values[(values["iso3"] == iso3) & (values["year"] == year)]
    assert len(match) == 1, f"expected one value for {iso3} {year}"
    return match.iloc[0]


@pytest.mark.parametrize(
    ("iso3", "expected", "note"),
    [
        ("NOR", 92.31, "RSF rank 1"),
        ("DNK", 86.93, "RSF rank 6"),  # its mis-scaled `Score N-1` (8.96) is not read
        ("DEU", 83.85, "RSF rank 11"),
        ("NAM", 75.35, "RSF rank 28"),
        ("XKX", 52.73, "RSF rank 99"),
        ("HKG", 39.86, "RSF rank 140"),
        ("RUS", 24.57, "RSF rank 171"),
        ("CHN", 14.80, "RSF rank 178"),
    ],
)
def test_scores_are_read_as_published(result, iso3, expected, note):
    row = value(result.values, iso3)
    assert row["indicator"] == "rsf_press_freedom"
    assert row["value"] == pytest.approx(expected)
    assert row["note"] == note


def test_only_usable_countries_are_kept(result):
    assert set(result.values["iso3"]) == {
        "CHN",
        "DEU",
        "DNK",
        "HKG",
        "NAM",
        "NOR",
        "RUS",
        "UKR",
        "XKX",
    }
    assert set(result.values["year"]) == {2025}


def test_years_before_2010_are_dropped_without_report(result):
    assert "FIN" not in set(result.values["iso3"])
    assert "FIN" not in set(result.skipped["row"])


def test_skipped_rows_with_reasons(result):
    assert list(result.skipped.columns) == SKIPPED_COLUMNS
    assert set(map(tuple, result.skipped.to_numpy())) == {
        ("rsf_2025_scores.csv", "CSS", "'OECS' (CSS) is not an ISO 3166-1 country"),
        ("rsf_2025_scores.csv", "CTU", "'Northern Cyprus' (CTU) is not an ISO 3166-1 country"),
        ("rsf_2025_scores.csv", "ERI", "score is empty or not a number"),
    }
