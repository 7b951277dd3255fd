from pathlib import Path

import pytest

from indicators.countries import iso3_codes, un_member_states
from indicators.loaders import eiti

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "eiti_status.csv"
STATUS = "eiti_status_score"
YEARS = "eiti_membership_years"
VALIDATION = "eiti_validation_score"
ABSENT = "not in the EITI/IEA lists"


@pytest.fixture(scope="module")
def result():
    return eiti.load(SOURCES)


def lookup(values, iso3, indicator):
    row = values[(values["iso3"] == iso3) & (values["indicator"] == indicator)]
    assert len(row) <= 1, (iso3, indicator)
    return None if row.empty else row.iloc[0]


def test_scores_come_from_the_project_table():
    assert eiti.SCORES_FILE.name == "eiti_status_scores.csv"
    assert eiti.SCORES_FILE.parent.name == "indicators"
    scores = eiti.read_status_scores()
    assert set(scores) == {
        "implementing",
        "implementing_per_iea_2022",
        "suspended",
        "supporting_country",
        "former",
        "never",
    }
    # Every status the patterns produce has a score.
    assert {status for _, status in eiti.STATUS_PATTERNS} <= set(scores)


@pytest.mark.parametrize(
    ("iso3", "status"),
    [
        ("DEU", "implementing"),
        ("ALB", "implementing_per_iea_2022"),
        ("MEX", "suspended"),
        ("AFG", "former"),  # delisted 2024
        ("USA", "former"),
        ("FRA", "supporting_country"),
        ("RUS", "never"),
        ("CHN", "never"),
        ("LUX", "never"),  # absent from the file
    ],
)
def test_status_score(result, iso3, status):
    row = lookup(result.values, iso3, STATUS)
    assert row["year"] == 2024
    assert row["value"] == eiti.read_status_scores()[status]


@pytest.mark.parametrize(
    ("iso3", "note"),
    [
        ("AFG", "delisted (effective 19 Jun 2024)"),
        ("ALB", "implementing (per IEA Nov 2022; no later status found)"),
        ("LUX", ABSENT),
    ],
)
def test_status_note(result, iso3, note):
    assert lookup(result.values, iso3, STATUS)["note"] == note


def test_every_country_but_unclassified_ones_has_a_status(result):
    status = result.values[result.values["indicator"] == STATUS]
    # SLB's status text is not recognised: skipped, and NOT filled in as "never".
    listed = {"AFG", "ALB", "AGO", "ARG", "DEU", "GUY", "KAZ", "MEX", "NGA", "NOR", "PER", "USA"}
    listed |= {"FRA", "RUS", "CHN"}
    assert set(status["iso3"]) == (un_member_states() | (listed & iso3_codes())) - {"SLB"}


def test_territories_absent_from_the_lists_stay_missing(result):
    assert lookup(result.values, "ATA", STATUS) is None
    assert lookup(result.values, "HKG", STATUS) is None
    assert lookup(result.values, "SLB", YEARS) is None


@pytest.mark.parametrize(
    ("iso3", "years"),
    [
        ("DEU", 8.0),  # joined 2016
        ("ARG", 5.0),  # 2019-02-27
        ("GUY", 7.0),  # 2017-10
        ("MEX", 7.0),  # suspended members count
        ("NGA", 20.0),  # 2004
        ("FRA", 0.0),  # supporting country
        ("RUS", 0.0),
        ("LUX", 0.0),  # absent: never implemented
        ("AFG", None),  # former
        ("USA", None),  # former
        ("AGO", None),  # no join date
    ],
)
def test_membership_years(result, iso3, years):
    row = lookup(result.values, iso3, YEARS)
    if years is None:
        assert row is None
    else:
        assert (row["year"], row["value"]) == (2024, years)


def test_membership_note_flags_weak_join_years(result):
    assert lookup(result.values, "DEU", YEARS)["note"] == (
        "joined 2016 (2017 EITI API status date; may be a later status change)"
    )
    assert lookup(result.values, "MEX", YEARS)["note"] == "joined 2017-10-25"


@pytest.mark.parametrize(
    ("iso3", "year", "score", "note"),
    [
        ("DEU", 2024, 89.0, "high"),
        ("GUY", 2022, 52.0, "fairly low"),
        ("MEX", 2022, 49.5, "low"),
        ("NGA", 2023, 72.0, "category not stated"),
    ],
)
def test_validation_score(result, iso3, year, score, note):
    row = lookup(result.values, iso3, VALIDATION)
    assert (row["year"], row["value"], row["note"]) == (year, score, note)


def test_validation_country_set_and_years(result):
    validation = result.values[result.values["indicator"] == VALIDATION]
    # PER's scored Validation is from 2009: before 2010, left out.
    assert list(validation["iso3"]) == ["DEU", "GUY", "MEX", "NGA"]
    assert result.values["year"].min() >= 2010


def test_skipped_rows(result):
    assert set(map(tuple, result.skipped.to_numpy().tolist())) == {
        (FILE, "AFG", "former member: years in the EITI not defined"),
        (FILE, "USA", "former member: years in the EITI not defined"),
        (FILE, "AGO", "join_date is empty"),
        (FILE, "ARG", "validation category 'moderate' without a score"),
        (FILE, "NOR", "validation category 'satisfactory progress (old model)' without a score"),
        (FILE, "KAZ", "validation score 56 without a validation year"),
        (
            FILE,
            "SLB",
            "unrecognised EITI status 'candidate (admission pending)': "
            "no status score or membership years",
        ),
        (FILE, "ANT", "no ISO3 match for 'ANT' (Netherlands Antilles)"),
    }
    assert len(result.skipped) == 8


def test_output_sorted_unique_and_typed(result):
    values = result.values
    assert list(values.columns) == ["iso3", "indicator", "year", "value", "note"]
    assert values.equals(values.sort_values(["indicator", "iso3", "year"], ignore_index=True))
    assert not values.duplicated(["iso3", "indicator", "year"]).any()
    assert values["year"].dtype == "int64"
    assert values["value"].dtype == "float64"
    assert set(values["iso3"]) <= iso3_codes()


def test_edited_mapping_is_used(tmp_path):
    scores = tmp_path / "eiti_status_scores.csv"
    scores.write_text(
        "status,score,meaning\n"
        "implementing,90,x\n"
        "implementing_per_iea_2022,80,x\n"
        "suspended,40,x\n"
        "supporting_country,20,x\n"
        "former,5,x\n",
        encoding="utf-8",
    )
    result = eiti.load(SOURCES, scores_file=scores)
    assert lookup(result.values, "DEU", STATUS)["value"] == 90.0
    assert lookup(result.values, "ALB", STATUS)["value"] == 80.0
    # No score for "never": those countries get no status score, and it is reported.
    assert lookup(result.values, "RUS", STATUS) is None
    assert lookup(result.values, "LUX", STATUS) is None
    assert lookup(result.values, "LUX", YEARS)["value"] == 0.0
    reasons = set(result.skipped["reason"])
    assert "status 'never' has no score in eiti_status_scores.csv" in reasons
    assert "status 'never' has no score in eiti_status_scores.csv: no status score" in reasons


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("implementing", "implementing"),
        ("Implementing", "implementing"),
        ("implementing (per IEA Nov 2022; no later status found)", "implementing_per_iea_2022"),
        ("suspended (as of 2022)", "suspended"),
        ("delisted (effective 29 Feb 2024)", "former"),
        ("former: withdrew or delisted (per IEA Nov 2022)", "former"),
        ("not implementing; EITI supporting country (IEA Nov 2022)", "supporting_country"),
        ("never implemented (EITI outreach country in 2015)", "never"),
        ("not listed as implementing or former (IEA Nov 2022)", "never"),
        ("implementing, but suspended", None),
        ("not implementing", None),
        ("", None),
    ],
)
def test_classify_status(text, status):
    assert eiti.classify_status(text) == status
