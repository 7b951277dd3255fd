"""Relational (dyadic) loaders on hand-written publisher files, the relational catalogue, the
dyadic contracts (unknown codes, self-pairs, duplicates, ranges) and the deterministic build."""

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from indicators import relational as rel
from indicators.catalogue import load_countries
from scoring.schemas import ContractError, check_dyads, validate_dyads

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from lowy_fixture import write_fixture as write_lowy  # noqa: E402


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """The text fixtures plus the Lowy post list written as the publisher's .xlsx (the
    Confucius Institute list is shared with the build's fixtures)."""
    folder = tmp_path_factory.mktemp("sources")
    shutil.copytree(FIXTURES / "relational", folder, dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "sources" / "confucius-institutes", folder / "confucius-institutes")
    write_lowy(folder)
    return folder


@pytest.fixture(scope="module")
def catalogue():
    return rel.load_relational_catalogue()


def value(frame, actor, target, indicator, year) -> float:
    rows = frame[
        (frame["actor"] == actor)
        & (frame["target"] == target)
        & (frame["indicator"] == indicator)
        & (frame["year"] == year)
    ]
    assert len(rows) == 1, (actor, target, indicator, year)
    return float(rows["value"].iloc[0])


def reasons(lost) -> set[tuple[str, str]]:
    return {(row["row"], row["reason"]) for row in lost}


# ---- diaspora


@pytest.mark.parametrize(
    ("actor", "target", "indicator", "year", "expected"),
    [
        # 2,350,000 born in Russia living in Kazakhstan / Kazakhstan's 19,482,114 (WPP 2024, 2020)
        ("RUS", "KAZ", rel.DIASPORA, 2020, 2_350_000 / 19_482_114 * 100),
        # "2,500,000" with thousands separators, over the 2010 population 16,836,809
        ("RUS", "KAZ", rel.DIASPORA, 2010, 2_500_000 / 16_836_809 * 100),
        ("RUS", "KAZ", rel.DIASPORA, 2015, 2_400_000 / 18_084_165 * 100),
        ("RUS", "DEU", rel.DIASPORA, 2020, 1_198_831 / 83_628_708 * 100),
        # 2,400,000 born in Kazakhstan living in Russia per 1,000 of Kazakhstan's people
        ("RUS", "KAZ", rel.PEOPLE_IN_ACTOR, 2020, 2_400_000 / 19_482_114 * 1000),
        ("DEU", "KAZ", rel.PEOPLE_IN_ACTOR, 2020, 1_000_000 / 19_482_114 * 1000),
        ("ARM", "RUS", rel.DIASPORA, 2015, 480_000 / 145_307_615 * 100),
    ],
)
def test_diaspora_values(sources, actor, target, indicator, year, expected):
    found, _ = rel.load_diaspora(sources)
    assert value(found, actor, target, indicator, year) == pytest.approx(expected)


def test_diaspora_note_names_the_population_and_its_year(sources):
    found, _ = rel.load_diaspora(sources)
    note = found[
        (found["actor"] == "RUS")
        & (found["target"] == "KAZ")
        & (found["indicator"] == rel.DIASPORA)
        & (found["year"] == 2010)
    ]["note"]
    assert list(note) == ["stock 2010: 2,500,000; target population: UN WPP 2024, 2010, 16,836,809"]


def test_diaspora_leaves_out_early_years_empty_cells_and_unknown_population(sources):
    found, lost = rel.load_diaspora(sources)
    assert found["year"].min() >= 2010
    assert set(found["year"]) == {2010, 2015, 2020}
    # ARM has only a 2024 projection: nothing with ARM as the denominator's country.
    assert not (found["target"] == "ARM").any()
    # ".." in 2010 for Armenians in Russia: missing, not zero.
    armenians = found[(found["actor"] == "ARM") & (found["indicator"] == rel.DIASPORA)]
    assert set(armenians["year"]) == {2015, 2020}
    wpp = "DERIVED_wpp2024_total_population_2010_2030.csv"
    assert {(row["file"], row["row"], row["reason"]) for row in lost} == {
        (wpp, "M49 900 World", "region/group aggregate 'World' (location_type '0')"),
        ("migration_un_data_coldrop.csv", "M49 900", "region/group aggregate 'WORLD'"),
        ("migration_un_data_coldrop.csv", "M49 908", "region/group aggregate 'Europe'"),
        ("migration_un_data_coldrop.csv", "M49 830", "no ISO3 code for M49 830 'Channel Islands'"),
        ("migration_un_data_coldrop.csv", "ARM->RUS 2010", "stock 2010 is empty ('..')"),
        ("migration_un_data_coldrop.csv", "DEU->RUS 2015", "stock 2015 is not a number: 'n/a'"),
    } | {
        (wpp, f"ARM {year}", f"no population (UN WPP 2024) for ARM in {year}: its {year} shares are left out")
        for year in (2010, 2015, 2020)
    }  # fmt: skip


# ---- mobility


@pytest.mark.parametrize(
    ("actor", "target", "indicator", "expected"),
    [
        ("RUS", "KAZ", rel.VISA_ACTOR, 1.0),  # visa on arrival counts as open
        ("RUS", "ARM", rel.VISA_ACTOR, 1.0),  # 90 days visa-free
        ("RUS", "DEU", rel.VISA_ACTOR, 0.0),
        ("RUS", "DEU", rel.VISA_TARGET, 0.0),  # German passport, e-visa for Russia
        ("RUS", "ARM", rel.VISA_TARGET, 1.0),  # Armenian passport, eta for Russia
        ("RUS", "KAZ", rel.VISA_TARGET, 1.0),
        ("DEU", "KAZ", rel.VISA_ACTOR, 1.0),
    ],
)
def test_mobility_flags(sources, actor, target, indicator, expected):
    found, _ = rel.load_mobility(sources)
    assert value(found, actor, target, indicator, 2025) == expected


def test_mobility_skips_unknown_codes_and_requirements(sources):
    found, lost = rel.load_mobility(sources)
    assert not (found["actor"] == found["target"]).any()
    assert "GEO" not in set(found["target"])
    assert reasons(lost) == {
        ("ANT", "code 'ANT' is not an ISO 3166-1 code (1 pairs not counted)"),
        ("RUS->GEO", "requirement 'covid ban' is neither open nor closed"),
    }


# ---- UNGA agreement


@pytest.mark.parametrize(
    ("actor", "target", "year", "expected"),
    [
        ("RUS", "KAZ", 2023, 0.8),
        ("RUS", "KAZ", 2010, 0.82),
        ("CHN", "KAZ", 2023, 0.82),
        ("RUS", "DEU", 2023, 0.5),
        ("USA", "RUS", 2023, 0.17),
        ("RUS", "SRB", 2015, 0.7),  # YUG in the file is Serbia
    ],
)
def test_unga_agreement(sources, actor, target, year, expected):
    found, _ = rel.load_unga(sources)
    assert value(found, actor, target, rel.UNGA, year) == pytest.approx(expected)


def test_unga_rules(sources):
    found, lost = rel.load_unga(sources)
    assert set(found["actor"]) == {"RUS", "USA", "CHN", "IND", "BRA", "ISR"}
    assert found["year"].between(2010, 2023).all()  # session 64 (2009) and 79 (2024) left out
    assert not (found["actor"] == found["target"]).any()  # Russia's 1.0 with itself
    assert "ARM" not in set(found["target"])  # 12 votes
    assert reasons(lost) == {
        ("ZZZ", "code 'ZZZ' (Atlantis) is not an ISO 3166-1 code, session 78"),
        ("KAZ session 78", "IsraelAgree is missing ('NA')"),
        ("ARM session 78", "only 12 recorded votes in session 78: left out"),
    }


# ---- EITI gap


def test_eiti_gap_is_target_minus_actor(sources):
    found, lost = rel.load_eiti_gap(sources)
    assert lost == []
    assert value(found, "RUS", "KAZ", rel.EITI_GAP, 2024) == 100.0  # implementing - declined
    assert value(found, "KAZ", "RUS", rel.EITI_GAP, 2024) == -100.0
    assert value(found, "DEU", "ARG", rel.EITI_GAP, 2024) == -50.0  # suspended - implementing
    # FRA is outside the EITI records (not applicable or not joined): no gap either way
    assert not ((found["actor"] == "FRA") | (found["target"] == "FRA")).any()
    assert not (found["actor"] == found["target"]).any()


# ---- diplomatic posts


@pytest.mark.parametrize(
    ("actor", "target", "year", "expected"),
    [
        ("RUS", "AUS", 2016, 2.0),  # embassy and consulate-general
        ("RUS", "CHE", 2016, 1.0),
        ("RUS", "AUS", 2023, 1.0),  # "Russia" and "Russian Federation" are one sender
        ("RUS", "DEU", 2023, 0.0),  # a covered sender-year with no post there: a count of 0
        ("ESP", "NGA", 2021, 2.0),  # the duplicated embassy row counts once
        ("TWN", "AUS", 2023, 1.0),
    ],
)
def test_posts(sources, actor, target, year, expected):
    found, _ = rel.load_posts(sources)
    assert value(found, actor, target, rel.POSTS, year) == expected


def test_posts_only_for_covered_senders_and_editions(sources):
    found, lost = rel.load_posts(sources)
    assert set(found["actor"]) == {"RUS", "DEU", "ESP", "TUR", "TWN"}
    assert set(found["year"]) == {2016, 2021, 2023}  # 2019 stub and 2009 left out
    assert not ((found["actor"] == "RUS") & (found["year"] == 2021)).any()  # not missing-as-0
    assert reasons(lost) == {
        ("Year 2019", "2019 edition incomplete in this copy (only posts in Venezuela): 2 rows"),
        ("Spain 2021: Embassy Abuja, Nigeria", "duplicate of an identical post row, counted once"),
        ("European External Action Service 2023", "EU body, not a country: 2 posts"),
    }


# ---- Confucius Institutes


def test_confucius_counts_per_host(sources):
    found, lost = rel.load_confucius(sources)
    assert set(found["actor"]) == {"CHN"}
    assert value(found, "CHN", "KAZ", rel.CONFUCIUS, 2022) == 2.0  # open and closed alike
    assert value(found, "CHN", "DEU", rel.CONFUCIUS, 2022) == 1.0
    assert value(found, "CHN", "RUS", rel.CONFUCIUS, 2022) == 1.0  # "Russia"
    assert value(found, "CHN", "FRA", rel.CONFUCIUS, 2022) == 0.0
    assert "CHN" not in set(found["target"])
    assert reasons(lost) == {
        ("country 'Atlantis'", "no ISO3 match for 'Atlantis': 1 institutes not counted"),
        ("country China", "host is China itself: 1 institutes not counted"),
    }


# ---- everything together, the catalogue and the contracts


def test_load_is_sorted_unique_and_passes_the_contracts(sources, catalogue):
    values, lost = rel.load(sources)
    key = ["actor", "target", "indicator", "year"]
    assert not values.duplicated(key).any()
    assert values.equals(values.sort_values(key, ignore_index=True))
    assert set(values["indicator"]) == set(catalogue.indicators["indicator"])
    validate_dyads(values, catalogue.framework(), load_countries())
    assert not lost.duplicated().any()


def test_build_writes_the_same_file_twice(sources, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert rel.main(["--sources", str(sources), "--out", str(first)]) == 0
    assert rel.main(["--sources", str(sources), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text().splitlines()[0] == "actor,target,indicator,year,value,note"


def test_catalogue_has_the_main_catalogues_fields(catalogue):
    indicators = catalogue.indicators
    assert len(indicators) == 8
    assert set(indicators["dimension"]) == set(catalogue.dimensions["dimension"])
    assert (catalogue.dimensions["weight"] == 1).all()  # equal dimension weights
    assert indicators.set_index("indicator").loc[rel.EITI_GAP, "direction"] == -1
    assert "confucius_institutes_2022" in set(catalogue.sources["source"])
    assert catalogue.sources_line([rel.CONFUCIUS]).startswith("NC State University")


GOOD = {"actor": "RUS", "target": "KAZ", "indicator": rel.UNGA, "year": "2023", "value": "0.8"}


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"target": "XYZ"}, "target", "unknown country code 'XYZ'"),
        ({"actor": "SUN"}, "actor", "unknown country code 'SUN'"),
        ({"target": "RUS"}, "", "actor and target are the same country"),
        ({"indicator": "rel_nothing"}, "indicator", "unknown indicator 'rel_nothing'"),
        ({"value": "1.5"}, "", "value outside the indicator's declared range"),
        ({"value": "n/a"}, "value", "'n/a' is not a number"),
    ],
)
def test_contracts_reject_bad_rows(catalogue, change, column, reason):
    frame = pd.DataFrame([GOOD, GOOD | {"target": "DEU"}, GOOD | {"year": "2021"} | change])
    checked = check_dyads(frame, catalogue.framework(), load_countries())
    assert len(checked.accepted) == 2
    assert list(checked.failures["row"]) == [2]
    assert checked.failures["reason"].iloc[0] == reason
    if column:
        assert checked.failures["column"].iloc[0] == column


def test_contracts_reject_duplicates(catalogue):
    frame = pd.DataFrame([GOOD, GOOD | {"value": "0.7"}, GOOD | {"year": "2022"}])
    with pytest.raises(ContractError) as error:
        validate_dyads(frame, catalogue.framework(), load_countries())
    failures = error.value.failures
    assert set(failures["row"]) == {0, 1}
    assert failures["reason"].str.startswith("duplicate (actor, target, indicator, year)").all()
