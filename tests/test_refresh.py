"""Data refresh end to end on the fixture sources: staging, validation, atomic swap, vintage, change
report, rollback; failures (schema drift, broken contracts, offline) leave the data untouched.
Every data folder is a tmp dir; the shipped data/ is never written. No test touches the network."""

from __future__ import annotations

import json
import shutil
import urllib.error
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from indicators import build, connectors, refresh, refresh_cli, swap
from indicators.catalogue import DATA_DIR, load_catalogue, read_table
from indicators.changes import change_report, read_values
from indicators.connectors import RetryingClient
from indicators.loaders import registry
from indicators.refresh import update_data
from indicators.swap import PREVIOUS, RefreshError, rollback
from indicators.vintage import load_vintage, stale_indicators
from scoring.method import Method
from tests.test_connectors import EITI_ANSWERS, WB_ANSWERS, FakeClient

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RSF = "rsf-press-freedom"
RSF_FILE = "rsf_2025_scores.csv"
WPP = "un-wpp2024-population"
EITI = "eiti-status-2024"
VOTING = "diaspora-voting"
STOCK = "undesa-migrant-stock"
# The tables an update swaps; the build writes all five (vintage.csv too), so all five are kept.
SWAPPED = ["countries.csv", "values.csv", "skipped.csv", "sources.csv", "vintage.csv"]
# A constant indicator in the small fixture cannot be min-max normalised: weight 0 (the lists the
# catalogue counts as complete are not constant: their zeros for the UN members absent from them
# vary). Each indicator of the fixture covers a few countries, so a country is ranked with a value
# in half of the 8 weighted dimensions and a quarter of the 19 weighted indicators.
METHOD = Method(
    min_coverage=0.25,
    min_indicator_share=0.25,
    min_dimension_share=0.5,
    indicator_weights={"diplomatic_posts": 0},
)


@pytest.fixture
def data(built, tmp_path) -> Path:
    """A fresh copy of the built tables, for one test to update."""
    folder = tmp_path / "data"
    shutil.copytree(built, folder)
    return folder


@pytest.fixture
def new_rsf(sources, tmp_path) -> Path:
    """A from-dir folder with a changed RSF file: RUS and DEU revised, CHN's score gone, SRB new."""
    folder = tmp_path / "downloaded"
    shutil.copytree(sources / RSF, folder / RSF)
    path = folder / RSF / RSF_FILE
    lines = path.read_text().splitlines(keepends=True)
    changed = []
    for line in lines:
        line = line.replace("RUS,Russia,2025,24.57,", "RUS,Russia,2025,75.0,")
        line = line.replace("DEU,Germany,2025,83.85,", "DEU,Germany,2025,84.5,")
        line = line.replace("CHN,China,2025,14.8,", "CHN,China,2025,,")
        changed.append(line)
    norway = next(line for line in lines if line.startswith("NOR,"))
    changed.append(norway.replace("NOR,Norway,2025,92.31,1,", "SRB,Serbia,2025,53.55,96,"))
    path.write_text("".join(changed))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------- end to end


def test_update_from_dir_swaps_reports_and_rolls_back(data, new_rsf):
    before = snapshot(data)
    report = update_data([RSF], new_rsf, data, None, NOW, method=METHOD)

    assert report.ok and report.applied, report.to_text()
    assert [(s.folder, s.status, s.how) for s in report.sources] == [(RSF, "updated", "from-dir")]
    # the swap: new tables in place, the replaced ones kept byte for byte
    values = read_values(data)
    rsf_values = values[values["indicator"] == "rsf_press_freedom"].set_index("iso3")["value"]
    assert rsf_values[["RUS", "DEU", "SRB"]].tolist() == [75.0, 84.5, 53.55]
    assert "CHN" not in rsf_values.index
    previous = data / PREVIOUS
    for name in SWAPPED:
        assert (previous / name).read_bytes() == before[name], name
    manifest = json.loads((previous / "previous.json").read_text())
    assert manifest == {"files": SWAPPED, "replaced_at": "2026-03-01T12:00:00+00:00"}
    assert not (data / swap.MARKER).exists() and not (data / ".update.lock").exists()
    assert not (data / swap.STAGING).exists()
    assert not (data / refresh.DOWNLOADS).exists()  # from-dir files are the user's own

    # other publishers' values are untouched
    old = read_values(previous)
    others_old = old[old["indicator"] != "rsf_press_freedom"].reset_index(drop=True)
    others_new = values[values["indicator"] != "rsf_press_freedom"].reset_index(drop=True)
    pd.testing.assert_frame_equal(others_old, others_new)

    # the change report: exact rows
    changes = report.changes
    assert changes.values.astype(object).where(changes.values.notna(), None).values.tolist() == [
        ["removed", "rsf_press_freedom", "CHN", 2025, 14.8, None, None],
        ["revised", "rsf_press_freedom", "DEU", 2025, 83.85, 84.5, 0.65],
        ["revised", "rsf_press_freedom", "RUS", 2025, 24.57, 75.0, 50.43],
        ["added", "rsf_press_freedom", "SRB", 2025, None, 53.55, None],
    ]
    coverage = changes.coverage.set_index("indicator").loc["rsf_press_freedom"]
    assert coverage[["countries_before", "countries_after"]].tolist() == [9, 9]
    # SRB enters the ranking: before, it had values in 3 of the 8 dimensions (the zeros of the
    # broadcaster, cultural-centre and heritage lists, and a UN ideal point) and 4 indicators; the
    # RSF score adds a fourth dimension and a fifth indicator, as METHOD asks. It ranks 11th, so
    # the three countries below it (CHN, whose RSF score is gone, AFG and COD) move down one.
    moved = changes.moved.set_index("iso3")[["rank_before", "rank_after", "rank_change"]]
    assert moved.astype("Int64").astype(object).where(moved.notna(), None).to_dict("index") == {
        "SRB": {"rank_before": None, "rank_after": 11, "rank_change": None},
        "CHN": {"rank_before": 11, "rank_after": 12, "rank_change": -1},
        "AFG": {"rank_before": 12, "rank_after": 13, "rank_change": -1},
        "COD": {"rank_before": 13, "rank_after": 14, "rank_change": -1},
    }
    assert changes.summary() == (
        "1 values added, 1 removed, 2 revised; 4 countries moved in the ranking"
    )

    # written next to the data
    names = sorted(p.name for p in (data / "changes").iterdir())
    assert names == [
        "20260301T120000Z-coverage.csv",
        "20260301T120000Z-ranks.csv",
        "20260301T120000Z-values.csv",
        "20260301T120000Z.md",
    ]
    markdown = (data / "changes" / "20260301T120000Z.md").read_text()
    assert "| rsf_press_freedom | RUS | 2025 | 24.57 | 75 | 50.43 |" in markdown
    assert "min_coverage = 0.25" in markdown
    written = read_table(data / "changes" / "20260301T120000Z-values.csv")
    assert len(written) == 4

    # vintage: the refreshed publisher's rows dated, the others as before
    vintage = read_table(data / "vintage.csv").fillna("").set_index(["indicator", "role"])
    assert vintage.loc[("rsf_press_freedom", "values")][
        ["edition", "retrieved", "how"]
    ].tolist() == [
        "2025",
        "2026-03-01",
        "from-dir",
    ]
    assert vintage.loc[("vdem_electoral_democracy", "values"), "how"] == "initial build"

    # rollback restores the previous tables byte for byte, the build's vintage.csv with them
    assert rollback(data, NOW) == SWAPPED
    assert snapshot(data) == before
    # ... and a second rollback redoes the update
    rollback(data, NOW)
    assert read_values(data).equals(values)


def test_partial_update_equals_a_full_build_of_the_updated_files(data, sources, new_rsf, tmp_path):
    full_sources = tmp_path / "full"
    shutil.copytree(sources, full_sources)
    shutil.copytree(new_rsf / RSF, full_sources / RSF, dirs_exist_ok=True)
    full = tmp_path / "full-data"
    build.build(full_sources, full)

    update_data([RSF], new_rsf, data, None, NOW)  # other values kept from values.csv
    with_sources = tmp_path / "with-sources"
    shutil.copytree(data / PREVIOUS, with_sources)
    update_data([RSF], new_rsf, with_sources, None, NOW, sources_dir=sources)  # re-read

    for name in swap.TABLES:
        assert (data / name).read_bytes() == (full / name).read_bytes(), name
        assert (with_sources / name).read_bytes() == (full / name).read_bytes(), name


def test_source_ids_name_publishers(data, new_rsf):
    report = update_data(["rsf_wpfi_2025"], new_rsf, data, None, NOW)
    assert report.applied and report.sources[0].folder == RSF


def test_an_update_without_changes_keeps_the_previous_dataset(data, new_rsf):
    update_data([RSF], new_rsf, data, None, NOW)
    previous = snapshot(data / PREVIOUS)
    later = datetime(2026, 4, 1, tzinfo=UTC)
    report = update_data([RSF], new_rsf, data, None, later)
    assert report.applied and report.change_files == []
    assert "no value changed: only vintage.csv was updated" in report.messages
    assert snapshot(data / PREVIOUS) == previous
    vintage = read_table(data / "vintage.csv").set_index(["indicator", "role"])
    assert vintage.loc[("rsf_press_freedom", "values"), "retrieved"] == "2026-04-01"


# ---------------------------------------------------------------- failures: nothing swapped


def test_schema_drift_is_reported_and_nothing_swapped(data, new_rsf):
    path = new_rsf / RSF / RSF_FILE
    path.write_text(path.read_text().replace(",Score,", ",Score 2026,", 1))
    before = snapshot(data)
    report = update_data([RSF], new_rsf, data, None, NOW)

    assert not report.applied and not report.ok
    failure = report.failures[0]
    assert (failure.folder, failure.kind) == (RSF, "drift")
    assert (
        "the rsf loader cannot read the new files "
        "(LoaderError: rsf_2025_scores.csv: no column Score (found: "
    ) in failure.message
    assert "may have changed its format" in failure.message
    assert snapshot(data) == before
    assert not (data / PREVIOUS).exists() and not (data / "changes").exists()
    assert (data / swap.STAGING / "sources" / RSF / RSF_FILE).exists()  # kept to inspect
    assert "nothing was changed" in report.to_text()


def test_values_breaking_the_contracts_are_reported_and_nothing_swapped(data, new_rsf):
    path = new_rsf / RSF / RSF_FILE
    path.write_text(path.read_text().replace("RUS,Russia,2025,75.0,", "RUS,Russia,2025,140,"))
    before = snapshot(data)
    report = update_data([RSF], new_rsf, data, None, NOW)

    assert not report.applied
    failure = report.failures[0]
    assert failure.kind == "contract"
    assert "values: 1 problem found in the values of the rsf loader" in failure.message
    assert "RUS rsf_press_freedom 2025:" in failure.message
    assert snapshot(data) == before and not (data / PREVIOUS).exists()


def test_offline_download_is_reported_with_retries_and_nothing_swapped(data):
    offline = FakeClient({connectors.WB_DATA + "&page=1": urllib.error.URLError("no network")})
    sleeps: list[float] = []
    client = RetryingClient(offline, attempts=3, backoff=1.0, sleep=sleeps.append)
    before = snapshot(data)
    report = update_data(["wb-remittances"], None, data, client, NOW)

    assert not report.applied
    failure = report.failures[0]
    assert (failure.folder, failure.kind, failure.how) == ("wb-remittances", "offline", "download")
    assert "cannot reach api.worldbank.org (URLError: no network) after 3 attempts" in (
        failure.message
    )
    assert len(offline.calls) == 3 and sleeps == [1.0, 2.0]
    assert snapshot(data) == before and not (data / PREVIOUS).exists()


def test_keep_going_applies_the_publishers_that_worked(data, new_rsf):
    shutil.copytree(FIXTURES / "vdem-owid", new_rsf / "vdem-owid")
    broken = new_rsf / "vdem-owid" / "electoral-democracy-index.csv"
    broken.write_text(broken.read_text().replace("Electoral Democracy Index", "EDI", 1))
    report = update_data([RSF, "vdem-owid"], new_rsf, data, None, NOW, keep_going=True)

    assert report.applied and not report.ok
    assert [(s.folder, s.status) for s in report.sources] == [
        (RSF, "updated"),
        ("vdem-owid", "failed"),
    ]
    assert set(report.changes.values["indicator"]) == {"rsf_press_freedom"}
    vintage = read_table(data / "vintage.csv").fillna("").set_index(["indicator", "role"])
    assert vintage.loc[("vdem_electoral_democracy", "values"), "retrieved"] == ""


def test_a_loader_reading_two_folders_needs_both_or_the_sources(data, sources, tmp_path):
    downloaded = tmp_path / "downloaded"
    shutil.copytree(sources / WPP, downloaded / WPP)
    report = update_data([WPP], downloaded, data, None, NOW)
    assert not report.applied
    assert report.failures[0].kind == "missing"
    assert "the undesa loader also reads undesa-migrant-stock: give --sources DIR" in (
        report.failures[0].message
    )
    report = update_data([WPP], downloaded, data, None, NOW, sources_dir=sources)
    assert report.applied and report.ok


def test_a_folder_read_by_two_loaders_is_applied_whole_or_not_at_all(data, sources, tmp_path):
    """The voting file feeds external_voting and diaspora_turnout; turnout also divides by the UN
    DESA stock. Alone the folder is not applied, not even the voting rules (whose loader reads
    nothing else), with --keep-going either: a publisher is applied whole or not at all."""
    downloaded = tmp_path / "downloaded"
    shutil.copytree(sources / VOTING, downloaded / VOTING)
    before = snapshot(data)
    report = update_data([VOTING], downloaded, data, None, NOW, keep_going=True)
    assert not report.applied
    failure = report.failures[0]
    assert (failure.folder, failure.kind) == (VOTING, "missing")
    assert "the diaspora_turnout loader also reads undesa-migrant-stock: give --sources DIR" in (
        failure.message
    )
    assert "the diaspora_voting loader also reads" not in failure.message
    assert snapshot(data) == before


def test_partial_update_of_a_shared_folder_equals_a_full_build(data, sources, tmp_path):
    """The voting file and the stock it divides by, updated without --sources: the two voting
    loaders and the UN DESA one run (with the WPP population), every other indicator is kept from
    values.csv, and the tables are those a full build of the updated files writes."""
    downloaded = tmp_path / "downloaded"
    for folder in (VOTING, STOCK, WPP):
        shutil.copytree(sources / folder, downloaded / folder)
    path = downloaded / VOTING / "voting_from_abroad.csv"
    text = path.read_text()
    # Ireland's citizens abroad may now vote (external_voting 0 -> 1); twice as many votes cast
    # abroad in Ukraine's 2019 election (its turnout doubles)
    changed = text.replace("IRL,Ireland,no (extremely limited exceptions),", "IRL,Ireland,yes,")
    changed = changed.replace(
        "2019-03-31 / 2019-04-21,410000,55000,", "2019-03-31 / 2019-04-21,410000,110000,"
    )
    assert changed.count("IRL,Ireland,yes,") == 1 and changed.count(",410000,110000,") == 1
    path.write_text(changed)
    full_sources = tmp_path / "full"
    shutil.copytree(sources, full_sources)
    shutil.copytree(downloaded, full_sources, dirs_exist_ok=True)
    full = tmp_path / "full-data"
    build.build(full_sources, full)

    old = read_values(data).set_index(["indicator", "iso3"])["value"]
    report = update_data([VOTING, STOCK, WPP], downloaded, data, None, NOW)
    assert report.applied and report.ok, report.to_text()
    for name in swap.TABLES:
        assert (data / name).read_bytes() == (full / name).read_bytes(), name
    new = read_values(data).set_index(["indicator", "iso3"])["value"]
    assert (old[("external_voting", "IRL")], new[("external_voting", "IRL")]) == (0.0, 1.0)
    assert new[("diaspora_turnout", "UKR")] == pytest.approx(2 * old[("diaspora_turnout", "UKR")])


def test_a_contract_failure_names_its_row_past_values_outside_the_catalogue(
    data, sources, tmp_path
):
    """The Voeten loader gives the three UN agreement shares (outside the catalogue) before the
    ideal points; the build leaves them out and adds the catalogue's zeros, and the failure still
    names the country, indicator and year of the value that broke the range."""
    downloaded = tmp_path / "downloaded"
    shutil.copytree(sources / "unga-voeten", downloaded / "unga-voeten")
    path = downloaded / "unga-voeten" / "IdealpointestimatesAll_Jun2024.csv"
    text = path.read_text()
    assert text.count('"4251",365,78,87,-0.5316102,') == 1  # Russia, session 78 (2023)
    path.write_text(text.replace('"4251",365,78,87,-0.5316102,', '"4251",365,78,87,-9.5,'))
    before = snapshot(data)
    report = update_data(["unga-voeten"], downloaded, data, None, NOW)
    assert not report.applied
    failure = report.failures[0]
    assert (failure.folder, failure.kind) == ("unga-voeten", "contract")
    assert "in the values of the voeten loader" in failure.message
    assert "RUS unga_ideal_point 2023: -9.5 is outside unga_ideal_point's range [-5, 5]" in (
        failure.message
    )
    assert snapshot(data) == before


def test_a_publisher_folder_with_subfolders_is_taken_from_dir(data, sources, tmp_path):
    """UIS's export keeps its files in inbound_export/: taken with that layout."""
    folder = "unesco-uis-student-mobility"
    downloaded = tmp_path / "downloaded"
    shutil.copytree(sources / folder, downloaded / folder)
    report = update_data([folder], downloaded, data, None, NOW)
    assert report.applied and report.ok, report.to_text()
    assert report.sources[0].files == ("inbound_export/data.csv",)
    vintage = read_table(data / "vintage.csv").fillna("").set_index(["indicator", "role"])
    assert vintage.loc[("inbound_students", "values"), ["retrieved", "how"]].tolist() == [
        "2026-03-01",
        "from-dir",
    ]


def test_from_dir_without_the_folder_is_reported(data, tmp_path):
    report = update_data([RSF], tmp_path, data, None, NOW)
    assert report.failures[0].kind == "missing" and "is not a folder" in report.failures[0].message


def test_unknown_source_and_running_update_are_refused(data, new_rsf):
    with pytest.raises(RefreshError, match="unknown source 'rsf'"):
        update_data(["rsf"], new_rsf, data, None, NOW)
    with swap.update_lock(data), pytest.raises(RefreshError, match="another update"):  # noqa: SIM117
        update_data([RSF], new_rsf, data, None, NOW)
    # A lock file left by an update that was killed blocks nothing: the lock is the flock.
    (data / ".update.lock").write_text("1\n")
    assert update_data([RSF], new_rsf, data, None, NOW).applied


def test_an_indicator_losing_most_countries_is_not_applied(data):
    """The fake EITI API lists NOR, SEN (implementing), GAB (suspended), MMR (left) and AUS
    ('Other', no status); without the previous file (no --sources) the new table holds only them.
    The fixture's file has 14 status scores (17 rows less ANT, no ISO3 code, SLB, a status no rule
    reads, and CHN, not listed), 10 membership years (the 9 implementing and suspended countries
    with a join year, and RUS's 0) and 4 Validation scores (DEU, GUY, MEX, NGA)."""
    before = snapshot(data)
    report = update_data([EITI], None, data, FakeClient(EITI_ANSWERS), NOW)
    assert not report.applied
    failure = report.failures[0]
    assert (failure.folder, failure.kind) == (EITI, "drift")
    assert (
        "eiti_status_score would fall from 14 to 4 countries; "
        "eiti_membership_years would fall from 10 to 3 countries; "
        "eiti_validation_score would fall from 4 to 0 countries (more than 50% lost)"
    ) in failure.message
    assert snapshot(data) == before


@pytest.mark.parametrize(
    "nesting, refused",
    [
        ("a/b/c", ""),  # the publisher folder and three below it: four, read
        ("a/b/c/d", "is more than 4 folders deep"),
    ],
)
def test_from_dir_reads_three_folders_deep_and_no_deeper(nesting, refused, tmp_path):
    folder = tmp_path / "from" / RSF / nesting
    folder.mkdir(parents=True)
    (folder / "data.csv").write_text("a\n")
    dest = tmp_path / "dest"
    if refused:
        with pytest.raises(connectors.SourceError, match=refused):
            refresh._copy_from_dir(tmp_path / "from", RSF, dest)
    else:
        got = refresh._copy_from_dir(tmp_path / "from", RSF, dest)
        assert got.files == (f"{nesting}/data.csv",)


@pytest.mark.parametrize("entries, refused", [(1000, False), (1001, True)])
def test_from_dir_reads_at_most_a_thousand_entries(entries, refused, tmp_path):
    folder = tmp_path / "from" / RSF
    folder.mkdir(parents=True)
    for n in range(entries):
        (folder / f"{n:04}.csv").write_text("")
    if refused:
        with pytest.raises(connectors.SourceError, match="holds more than 1,000 entries"):
            refresh._copy_from_dir(tmp_path / "from", RSF, tmp_path / "dest")
    else:
        assert len(refresh._copy_from_dir(tmp_path / "from", RSF, tmp_path / "dest").files) == 1000


def test_a_drop_counts_when_more_than_the_share_is_lost():
    # max_drop .5: 10 -> 5 loses exactly half (kept), 10 -> 4 loses 60 % (dropped); an indicator
    # without countries before cannot drop
    coverage = pd.DataFrame(
        {
            "indicator": ["half", "sixty", "new"],
            "countries_before": pd.array([10, 10, 0], dtype="Int64"),
            "countries_after": pd.array([5, 4, 3], dtype="Int64"),
        }
    )
    assert refresh.coverage_drops(coverage, 0.5)["indicator"].tolist() == ["sixty"]
    assert refresh.coverage_drops(coverage, None).empty


def test_download_update_with_a_fake_eiti_api(data):
    client = FakeClient(EITI_ANSWERS)
    report = update_data([EITI], None, data, client, NOW, max_coverage_drop=None)
    assert report.applied, report.to_text()
    values = read_values(data)
    status = values[values["indicator"] == "eiti_status_score"].set_index("iso3")
    # status as of the download (2026): implementing 100, suspended 50, left 0; AUS unread
    assert status[["year", "value"]].to_dict("index") == {
        "GAB": {"year": 2026, "value": 50.0},
        "MMR": {"year": 2026, "value": 0.0},
        "NOR": {"year": 2026, "value": 100.0},
        "SEN": {"year": 2026, "value": 100.0},
    }
    years = values[values["indicator"] == "eiti_membership_years"].set_index("iso3")["value"]
    assert years.to_dict() == {"GAB": 2026 - 2021, "NOR": 2026 - 2007, "SEN": 2026 - 2013}
    vintage = read_table(data / "vintage.csv").set_index(["indicator", "role"])
    assert vintage.loc[("eiti_status_score", "values"), "edition"] == "EITI API, as of 2026-03-01"
    assert vintage.loc[("eiti_status_score", "values"), "retrieved"] == "2026-03-01"
    assert vintage.loc[("eiti_status_score", "values"), "how"] == "download"
    assert (data / refresh.DOWNLOADS / EITI / "eiti_status.csv").exists()


def test_download_update_with_a_fake_world_bank(data):
    """The World Bank series is still downloaded and read, but remittances left the catalogue: the
    build counts its values as not used, values.csv does not change (so no coverage check fails)
    and no vintage row is about it."""
    before = read_values(data)
    client = FakeClient(WB_ANSWERS)
    report = update_data(["wb-remittances"], None, data, client, NOW)
    assert report.applied, report.to_text()
    pd.testing.assert_frame_equal(read_values(data), before)
    assert report.changes.values.empty
    skipped = read_table(data / "skipped.csv").fillna("")
    left_out = skipped[(skipped["loader"] == "build") & (skipped["row"] == "remittances_gdp")]
    # RUS 2023 and 2022 and TJK 2023; SOM's 0 is "not reported", WLD an aggregate, RUS 2024 empty
    assert left_out["reason"].tolist() == ["not in the catalogue: 3 values not used"]
    assert "wb-remittances" not in set(read_table(data / "vintage.csv")["folder"])
    assert (data / refresh.DOWNLOADS / "wb-remittances" / "countries.json").exists()


def test_an_interrupted_swap_is_finished_by_recover(data, new_rsf, monkeypatch):
    def crash(data_dir, marker):
        raise KeyboardInterrupt  # the process dies after writing the marker

    monkeypatch.setattr(swap, "_finish_swap", crash)
    with pytest.raises(KeyboardInterrupt):
        update_data([RSF], new_rsf, data, None, NOW)
    assert (data / swap.MARKER).exists()
    monkeypatch.undo()

    assert swap.recover(data) == "finished an interrupted swap"
    values = read_values(data)
    assert 75.0 in set(values.loc[values["indicator"] == "rsf_press_freedom", "value"])
    assert not (data / swap.MARKER).exists()


def test_rollback_without_a_previous_dataset_is_refused(data):
    with pytest.raises(RefreshError, match="nothing to roll back"):
        rollback(data)


# ---------------------------------------------------------------- vintage and staleness


def test_initial_vintage_has_every_indicator_and_denominator(built):
    catalogue = load_catalogue()
    vintage = load_vintage(built, catalogue)
    values = vintage[vintage["role"] == "values"]
    assert sorted(values["indicator"]) == sorted(catalogue.indicators["indicator"])
    denominators = vintage[vintage["role"] == "denominator"]
    # diaspora turnout divides by the UN DESA emigrant stock (the catalogue's only denominator
    # now that the UN DESA shares of the WPP population left it)
    assert denominators[["indicator", "source"]].values.tolist() == [
        ["diaspora_turnout", "undesa_ims_2020"]
    ]
    assert set(vintage["retrieved"]) == {""} and set(vintage["how"]) == {"initial build"}


def test_stale_indicators_by_data_year_and_retrieval_date():
    vintage = pd.DataFrame(
        {
            "indicator": ["fresh", "old_data", "old_download", "empty", "unknown"],
            "source": ["a", "b", "c", "d", "e"],
            "role": ["values"] * 5,
            "edition": ["2025", "2019", "2024", "2024", "2024"],
            "retrieved": ["2026-01-05", "2026-01-05", "2021-06-30", "2026-01-05", ""],
        }
    )
    values = pd.DataFrame(
        {
            "indicator": ["fresh", "fresh", "old_data", "old_download", "unknown"],
            "year": [2024, 2025, 2019, 2024, 2024],
        }
    )
    table = stale_indicators(vintage, values, date(2026, 3, 1), max_age_years=3)
    assert table.set_index("indicator")["stale"].to_dict() == {
        "fresh": False,
        "old_data": True,
        "old_download": True,
        "empty": True,
        "unknown": False,
    }
    reasons = table.set_index("indicator")["reason"]
    assert reasons["old_data"] == "latest value is for 2019, 7 years ago"
    assert reasons["old_download"] == "retrieved 2021-06-30, 4.7 years ago"
    assert reasons["empty"] == "no value"
    assert table.set_index("indicator").loc["fresh", "latest_year"] == 2025
    assert stale_indicators(vintage, values, date(2026, 3, 1), 10)["stale"].sum() == 1


def test_shipped_data_has_a_vintage_for_every_indicator():
    vintage = load_vintage(DATA_DIR)  # reads only
    assert vintage["indicator"].nunique() == len(load_catalogue().indicators)


# ---------------------------------------------------------------- change report


def test_change_report_without_changes_and_an_impossible_ranking(built):
    catalogue = load_catalogue()
    values = read_values(built)
    report = change_report(values, values, catalogue)  # default Method: constant indicators
    assert report.values.empty and report.moved.empty
    assert report.ranking_note.startswith("ranking not computed:")
    assert "ranking not computed" in report.to_markdown()


def test_tiny_float_noise_is_not_a_revision():
    catalogue = load_catalogue()
    old = pd.DataFrame(
        {"iso3": ["RUS"], "indicator": ["rsf_press_freedom"], "year": [2025], "value": [24.57]}
    )
    new = old.assign(value=24.57 + 1e-12)
    assert change_report(old, new, catalogue, METHOD).values.empty


# ---------------------------------------------------------------- bookkeeping


def test_every_loader_and_indicator_belongs_to_known_folders():
    folders = refresh.loader_folders()
    assert set(folders) == set(registry.LOADERS)
    assert folders["undesa"] == (STOCK, WPP)
    # two loaders read the voting file; only the turnout one also reads the emigrant stock
    assert folders["diaspora_voting"] == (VOTING,)
    assert folders["diaspora_turnout"] == (VOTING, STOCK)
    assert folders["uis"] == ("unesco-uis-student-mobility",)
    assert all(f in connectors.CONNECTORS for fs in folders.values() for f in fs)
    catalogue = load_catalogue()
    owners = refresh.indicator_loaders(catalogue)
    assert set(owners) == set(catalogue.indicators["indicator"])
    assert owners["external_voting"] == "diaspora_voting"
    assert owners["diaspora_turnout"] == "diaspora_turnout"
    assert owners["naturalisation_residence_years"] == "globalcit"
    assert owners["world_heritage_sites"] == "heritage"
    assert owners["inbound_students"] == "uis"
    assert owners["migrant_acceptance"] == "gallup"
    # these still run, but nothing they give is in the catalogue (remittances, UN DESA shares)
    assert not {"worldbank", "undesa"} & set(owners.values())


def test_loaders_sharing_a_folder_must_say_what_each_emits(monkeypatch):
    """Two loaders of one folder cannot be told apart by the folder: each lists what it emits."""
    eiti = registry.LOADERS["eiti"]
    monkeypatch.setitem(
        registry.LOADERS, "eiti_again", registry.Loader("eiti_again", eiti.load, eiti.folders)
    )
    with pytest.raises(
        RuntimeError, match=r"no loaders of eiti-status-2024 emit it \(eiti, eiti_again\)"
    ):
        refresh.indicator_loaders(load_catalogue())


# ---------------------------------------------------------------- command line


def test_cli_update_and_rollback(data, new_rsf, tmp_path, capsys):
    method = tmp_path / "method.toml"
    method.write_text(METHOD.to_toml())
    argv = ["update-data", "--source", RSF, "--from-dir", str(new_rsf), "--data-dir", str(data)]
    assert refresh_cli.main([*argv, "--method", str(method)]) == 0
    out = capsys.readouterr().out
    assert "rsf-press-freedom: updated (from-dir)" in out
    assert "1 values added, 1 removed, 2 revised; 4 countries moved" in out

    assert refresh_cli.main(["rollback-data", "--data-dir", str(data)]) == 0
    assert "restored countries.csv, values.csv" in capsys.readouterr().out


def test_cli_failures_and_bad_arguments(data, new_rsf, tmp_path, capsys):
    path = new_rsf / RSF / RSF_FILE
    path.write_text(path.read_text().replace(",Score,", ",Points,", 1))
    argv = ["update-data", "--from-dir", str(new_rsf), "--data-dir", str(data)]
    assert refresh_cli.main(argv) == 1
    assert "drift" not in capsys.readouterr().out  # the report goes to stderr
    assert refresh_cli.main([*argv, "--source", "nowhere"]) == 2
    assert "unknown source 'nowhere'" in capsys.readouterr().err
    assert refresh_cli.main(["rollback-data", "--data-dir", str(tmp_path)]) == 2


def test_register_adds_both_commands_to_another_parser():
    import argparse

    parser = argparse.ArgumentParser(prog="scorecard")
    refresh_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["update-data", "--source", "a", "b", "--source", "c"])
    assert args.sources_names == ["a", "b", "c"] and args.func is refresh_cli.cmd_update
    assert parser.parse_args(["rollback-data"]).data_dir == DATA_DIR


def test_shipped_vintage_is_the_one_written_from_the_provenance_files(tmp_path):
    from indicators.vintage import write_shipped_vintage

    sources = DATA_DIR.parent.parent / "shared" / "sources"
    if not sources.is_dir():
        pytest.skip("the publisher files are not here")
    written = write_shipped_vintage(sources, tmp_path)
    assert written.read_bytes() == (DATA_DIR / "vintage.csv").read_bytes()
