import csv
from pathlib import Path

import pytest

from indicators.countries import un_member_states
from indicators.loaders import eiti

SOURCES = Path(__file__).parent / "fixtures" / "sources"
FILE = "eiti_status.csv"
STATUS = "eiti_status_score"
YEARS = "eiti_membership_years"
VALIDATION = "eiti_validation_score"
OUTSIDE = "outside the EITI records: not applicable (no extractive sector) or not joined"


@pytest.fixture(scope="module")
def result():
    return eiti.load(SOURCES)


def lookup(values, iso3, indicator):
    row = values[(values["iso3"] == iso3) & (values["indicator"] == indicator)]
    assert len(row) <= 1, (iso3, indicator)
    return None if row.empty else row.iloc[0]


def test_scores_come_from_the_project_table():
    # The table as written in indicators/eiti_status_scores.csv, read here with the csv module.
    with (Path(__file__).parent.parent / "indicators" / "eiti_status_scores.csv").open() as f:
        written = {row["status"]: float(row["score"]) for row in csv.DictReader(f)}
    assert written == {
        "implementing": 100.0,
        "implementing_per_iea_2022": 100.0,
        "suspended": 50.0,
        "supporting_country": 25.0,
        "former": 0.0,
        "declined": 0.0,
    }
    assert eiti.read_status_scores() == written


@pytest.mark.parametrize(
    ("text", "status"),  # status texts of the EITI and IEA lists, as the fixture file has them
    [
        ("implementing", "implementing"),
        ("Implementing", "implementing"),
        ("implementing (per IEA Nov 2022; no later status found)", "implementing_per_iea_2022"),
        ("suspended (as of 2022)", "suspended"),
        ("delisted (effective 19 Jun 2024)", "former"),
        ("former: withdrew or delisted (per IEA Nov 2022)", "former"),
        ("not implementing; EITI supporting country (IEA Nov 2022)", "supporting_country"),
        ("never implemented (EITI outreach country in 2015)", "declined"),
        ("not listed as implementing or former (IEA Nov 2022)", "not_listed"),
        ("candidate (admission pending)", None),
        ("implementing in part", None),
    ],
)
def test_status_texts_are_classified(text, status):
    assert eiti.classify_status(text) == status


@pytest.mark.parametrize(
    ("iso3", "score"),  # the scores of indicators/eiti_status_scores.csv, written out
    [
        ("DEU", 100.0),  # implementing
        ("ALB", 100.0),  # implementing per IEA 2022
        ("MEX", 50.0),  # suspended
        ("AFG", 0.0),  # delisted 2024: former
        ("USA", 0.0),  # withdrew: former
        ("FRA", 25.0),  # supporting country
        ("RUS", 0.0),  # EITI outreach country that did not join: declined
    ],
)
def test_status_score(result, iso3, score):
    row = lookup(result.values, iso3, STATUS)
    assert (row["year"], row["value"]) == (2024, score)


@pytest.mark.parametrize(
    ("iso3", "note"),
    [
        ("AFG", "delisted (effective 19 Jun 2024)"),
        ("ALB", "implementing (per IEA Nov 2022; no later status found)"),
        ("RUS", "never implemented (EITI outreach country in 2015)"),
    ],
)
def test_status_note(result, iso3, note):
    assert lookup(result.values, iso3, STATUS)["note"] == note


def test_only_a_refusal_on_record_scores_as_a_refusal(result):
    # CHN's row only says it is not listed, LUX is not in the file: not applicable or not joined,
    # which the sources cannot tell apart, so neither gets a value; both are reported.
    for iso3 in ("CHN", "LUX"):
        assert lookup(result.values, iso3, STATUS) is None
        assert lookup(result.values, iso3, YEARS) is None
    reasons = dict(zip(result.skipped["row"], result.skipped["reason"], strict=True))
    assert reasons["LUX"].startswith(OUTSIDE)
    assert reasons["CHN"].startswith("'not listed as implementing or former (IEA Nov 2022)': ")
    assert OUTSIDE in reasons["CHN"]


def test_countries_with_a_status(result):
    status = result.values[result.values["indicator"] == STATUS]
    # SLB's status text is not recognised and CHN has no refusal on record: neither is scored.
    listed = {"AFG", "ALB", "AGO", "ARG", "DEU", "GUY", "KAZ", "MEX", "NGA", "NOR", "PER", "USA"}
    assert set(status["iso3"]) == listed | {"FRA", "RUS"}
    absent = un_member_states() - listed - {"FRA", "RUS", "CHN", "SLB"}
    assert absent <= set(result.skipped.query("reason.str.startswith(@OUTSIDE)")["row"])


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
        ("FRA", None),  # supporting country: years as an implementer do not apply
        ("RUS", 0.0),  # declined
        ("LUX", None),  # outside the EITI records
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
    file_rows = result.skipped[~result.skipped["reason"].str.contains(OUTSIDE, regex=False)]
    assert set(map(tuple, file_rows.to_numpy().tolist())) == {
        (FILE, "AFG", "former member: years in the EITI not defined"),
        (FILE, "USA", "former member: years in the EITI not defined"),
        (FILE, "FRA", "supporting country: years as an implementing country do not apply"),
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
    assert len(file_rows) == 9
    # Every UN member not in the file (193 - 16 listed), and China's not-listed row.
    assert len(result.skipped) - len(file_rows) == len(un_member_states()) - 16 + 1


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
    # No score for "declined": Russia gets no status score, and it is reported.
    assert lookup(result.values, "RUS", STATUS) is None
    assert lookup(result.values, "RUS", YEARS) is None
    reasons = dict(zip(result.skipped["row"], result.skipped["reason"], strict=True))
    assert reasons["RUS"] == "status 'declined' has no score in eiti_status_scores.csv"


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
        ("never implemented (EITI outreach country in 2015)", "declined"),
        ("not listed as implementing or former (IEA Nov 2022)", "not_listed"),
        ("never implemented", None),
        ("implementing, but suspended", None),
        ("not implementing", None),
        ("", None),
    ],
)
def test_classify_status(text, status):
    assert eiti.classify_status(text) == status
