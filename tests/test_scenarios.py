"""Saved scenarios: round trips, owner isolation, names, TOML exchange, concurrency, crashes,
and the scorecard comparison."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.method import Method
from scoring.pipeline import build_scorecard
from store.scenarios import (
    ENV_VAR,
    Scenario,
    ScenarioError,
    ScenarioStore,
    clean_name,
    compare,
    default_path,
    scenario_query,
)
from tests.scenario_writers import expected, save_many
from tests.servers import table_names

ROOT = Path(__file__).resolve().parent.parent

RICH = Method(
    year=2020,
    min_coverage=0.6,
    imputation="group_mean",
    impute_group="subregion",
    outlier_treatment="jrc",
    normalisation="goalposts",
    normalisation_params={"scale": 10},
    dimension_aggregation="geometric",
    indicator_weights={"rsf_press_freedom": 2, "eiti_status_score": 0.5},
    dimension_weights={"media_reach": 3},
    peer_group=("RUS", "EAEU"),
)
INJECTION = "'; DROP TABLE scenarios; --"


@pytest.fixture
def store(database_url) -> ScenarioStore:
    return ScenarioStore(database_url)


# ============================================================================ round trips
def test_save_list_load_round_trip(store):
    saved = store.save("alice", "Europe first", RICH)
    assert isinstance(saved, Scenario)
    assert (saved.owner, saved.name, saved.method, saved.problem) == (
        "alice",
        "Europe first",
        RICH,
        None,
    )
    assert saved.created == saved.updated and saved.created.endswith("+00:00")
    store.save("alice", "baseline", Method())
    listed = store.list("alice")
    assert [s.name for s in listed] == ["baseline", "Europe first"]  # by name, ignoring case
    assert listed[1].method == RICH and listed[0].method == Method()
    assert store.names("alice") == ["baseline", "Europe first"]
    assert store.load("alice", "Europe first") == RICH
    assert store.get("alice", "  Europe first ").method == RICH  # names are trimmed on lookup too


def test_overwrite_replaces_the_method_and_keeps_created(store):
    first = store.save("alice", "plan", Method())
    with pytest.raises(ScenarioError, match="'plan' already exists"):
        store.save("alice", "plan", RICH)
    assert store.load("alice", "plan") == Method()
    second = store.save("alice", "plan", RICH, overwrite=True)
    assert second.created == first.created and second.updated >= first.updated
    assert store.load("alice", "plan") == RICH
    assert store.names("alice") == ["plan"]


def test_rename_and_delete(store):
    store.save("alice", "old", RICH)
    store.save("alice", "taken", Method())
    renamed = store.rename("alice", "old", "new")
    assert renamed.name == "new" and renamed.method == RICH
    assert store.names("alice") == ["new", "taken"]
    with pytest.raises(ScenarioError, match="no saved scenario named 'old'"):
        store.load("alice", "old")
    with pytest.raises(ScenarioError, match="'taken' already exists"):
        store.rename("alice", "new", "taken")
    # the failed rename changed nothing (its transaction rolled back)
    assert store.load("alice", "new") == RICH and store.load("alice", "taken") == Method()
    store.delete("alice", "new")
    assert store.names("alice") == ["taken"]
    with pytest.raises(ScenarioError, match="no saved scenario named 'new'"):
        store.delete("alice", "new")
    store.delete("alice", "new", missing_ok=True)


@pytest.mark.parametrize(
    "operation",
    [
        lambda s: s.load("alice", "ghost"),
        lambda s: s.get("alice", "ghost"),
        lambda s: s.rename("alice", "ghost", "spirit"),
        lambda s: s.delete("alice", "ghost"),
        lambda s: s.export_toml("alice", "ghost"),
    ],
    ids=["load", "get", "rename", "delete", "export_toml"],
)
def test_unknown_names_raise(store, operation):
    with pytest.raises(ScenarioError, match="no saved scenario named 'ghost'"):
        operation(store)


def test_owners_never_see_each_other(store):
    store.save("alice", "plan", RICH)
    store.save("bob", "plan", Method())
    store.save("bob", "bob only", Method(year=2019))
    assert store.names("alice") == ["plan"]
    assert store.names("bob") == ["bob only", "plan"]
    assert store.load("alice", "plan") == RICH and store.load("bob", "plan") == Method()
    assert store.list("carol") == []
    with pytest.raises(ScenarioError, match="no saved scenario"):
        store.load("alice", "bob only")
    with pytest.raises(ScenarioError, match="no saved scenario"):
        store.rename("alice", "bob only", "mine now")
    with pytest.raises(ScenarioError, match="no saved scenario"):
        store.delete("alice", "bob only")
    store.delete("alice", "plan")
    assert store.load("bob", "plan") == Method()
    # an owner key that looks like SQL is just a key
    assert store.list("x' OR '1'='1") == []


# ============================================================================ names
@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plan", "plan"),
        ("  padded\t\n", "padded"),
        ("Россия и мир — 2024", "Россия и мир — 2024"),
        ("a" * 80, "a" * 80),
        (" " + "b" * 80 + " ", "b" * 80),
        (INJECTION, INJECTION),
    ],
)
def test_valid_names(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("a" * 81, "81 characters, at most 80"),
        ("two\nlines", r"U\+000A\) at position 4"),
        ("tab\tinside", r"U\+0009"),
        ("bell\x07", r"U\+0007"),
        ("nul\x00", r"U\+0000"),
        ("zero\u200bwidth", r"U\+200B"),
        ("bidi\u202eoverride", r"U\+202E"),
        (None, "expected text, got NoneType"),
        (42, "expected text, got int"),
    ],
)
def test_invalid_names_are_rejected_not_altered(store, raw, message):
    with pytest.raises(ScenarioError, match=message):
        clean_name(raw)
    with pytest.raises(ScenarioError, match=message):
        store.save("alice", raw, Method())
    assert store.names("alice") == []


@pytest.mark.parametrize("owner", ["", "  ", None, "a\nb", "x" * 257])
def test_invalid_owner_keys_are_rejected(store, owner):
    with pytest.raises(ScenarioError, match="scenario owner"):
        store.save(owner, "plan", Method())


def test_sql_looking_names_are_stored_literally(store):
    store.save("alice", "keep me", RICH)
    store.save("alice", INJECTION, Method(year=2021))
    store.save("alice", 'Robert"); DELETE FROM scenarios WHERE ("1"="1', Method())
    assert store.names("alice") == [
        INJECTION,
        "keep me",
        'Robert"); DELETE FROM scenarios WHERE ("1"="1',
    ]
    assert store.load("alice", INJECTION) == Method(year=2021)
    store.rename("alice", INJECTION, INJECTION + " v2")
    store.delete("alice", INJECTION + " v2")
    assert store.load("alice", "keep me") == RICH
    # PostgreSQL keeps the schema version in a table; SQLite in its header
    assert table_names(store) == (
        ["scenarios"] if store.dialect == "sqlite" else ["scenarios", "scorecard_schema"]
    )
    assert store.integrity_check()


def test_a_stale_method_is_listed_with_its_problem(store):
    store.save("alice", "good", Method())
    with store._db.write() as conn:  # written by hand, as an older version might have
        conn.execute(
            "INSERT INTO scenarios (owner, name, name_key, method_json) VALUES (?, ?, ?, ?)",
            ("alice", "stale", "stale", '{"normalisation": "retired_method"}'),
        )
    stale, good = sorted(store.list("alice"), key=lambda s: s.name, reverse=True)
    assert good.method == Method() and good.problem is None
    assert stale.method is None and "retired_method" in stale.problem
    with pytest.raises(ScenarioError, match="scenario 'stale': normalisation: unknown choice"):
        store.load("alice", "stale")


def test_load_checks_ids_against_a_framework(store):
    framework = pd.DataFrame(
        {"indicator": ["rsf_press_freedom"], "dimension": ["media_reach"], "direction": [1]}
    )
    store.save("alice", "plan", RICH)
    with pytest.raises(ScenarioError, match="unknown indicator.*eiti_status_score"):
        store.load("alice", "plan", framework=framework)


# ============================================================================ the database file
def test_wal_busy_timeout_schema(tmp_path):
    store = ScenarioStore(tmp_path / "scenarios.sqlite3")
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (2,)  # two migrations
        columns = [r[1:4] for r in conn.execute("PRAGMA table_info(scenarios)")]
    assert columns == [
        ("id", "INTEGER", 0),
        ("owner", "TEXT", 1),
        ("name", "TEXT", 1),
        ("method_json", "TEXT", 1),
        ("created", "TEXT", 0),
        ("updated", "TEXT", 0),
        ("name_key", "TEXT", 0),
    ]
    with store._connect() as conn:
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (10000,)
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert store.integrity_check() is True
    assert ScenarioStore(store.path).integrity_check()  # reopening an existing file is fine


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env" / "s.sqlite3"))
    assert default_path() == tmp_path / "env" / "s.sqlite3"
    assert ScenarioStore().path == tmp_path / "env" / "s.sqlite3"
    assert (tmp_path / "env" / "s.sqlite3").exists()
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "soft-power-scorecard" / "scenarios.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == (
        tmp_path / "home" / ".local" / "share" / "soft-power-scorecard" / "scenarios.sqlite3"
    )


@pytest.mark.parametrize("path", [":memory:", "", "file:x?mode=memory"])
def test_in_memory_paths_are_refused(path):
    with pytest.raises(ScenarioError, match="needs a file path"):
        ScenarioStore(path)


def test_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("not a database, just text " * 100)
    with pytest.raises(ScenarioError, match="notes.sqlite3.*not a database"):
        ScenarioStore(bad)


def test_integrity_check_reports_damage(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = ScenarioStore(path)
    for k in range(200):
        store.save("alice", f"scenario {k}", expected("x", k % 100))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[2 * page : 4 * page] = b"\xa5" * (2 * page)  # scribble over the table and index roots
    path.write_bytes(bytes(data))
    assert store.integrity_check() is False


# ============================================================================ TOML and URL
def test_toml_export_import_round_trip(store):
    store.save("alice", "Europe first", RICH)
    text = store.export_toml("alice", "Europe first")
    assert text.startswith("# Soft Power Scorecard scenario: Europe first\n")
    assert Method.from_toml(text) == RICH  # the export is plain Method TOML
    imported = store.import_toml("bob", "shared", text)
    assert imported.method == RICH and store.load("bob", "shared") == RICH
    by_header = store.import_toml("carol", None, text.encode())  # name from the header; bytes
    assert by_header.name == "Europe first" and by_header.method == RICH
    with pytest.raises(ScenarioError, match="already exists"):
        store.import_toml("bob", "shared", text)
    store.import_toml("bob", "shared", Method().to_toml(), overwrite=True)
    assert store.load("bob", "shared") == Method()


def test_a_scenario_table_is_accepted_and_stripped(store):
    # after the top-level keys (TOML puts every key below a [table] header into that table)
    text = RICH.to_toml() + '\n[scenario]\nname = "From a table"\n'
    # the table is not a Method key: Method.from_toml alone refuses it, import_toml strips it
    with pytest.raises(ValueError, match="unknown key"):
        Method.from_toml(text)
    assert store.import_toml("alice", None, text).name == "From a table"
    assert store.load("alice", "From a table") == RICH


def test_export_names_survive_toml_comment_rules(store):
    """A name can hold quotes, hashes and brackets: the header stays a one-line comment."""
    name = "#1 \"best\" [draft] = 'x'"
    store.save("alice", name, RICH)
    text = store.export_toml("alice", name)
    assert tomllib.loads(text) == tomllib.loads(RICH.to_toml())
    assert store.import_toml("bob", None, text).name == name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year = [unclosed", r"not valid TOML \(.*line 1"),
        ("year = 2020\nyear = 2021", r"not valid TOML \(Cannot overwrite a value"),
        ("= 3", "not valid TOML"),
        ("colour = 'red'", "unknown key.*colour"),
        ("normalisation = 'vibes'", "normalisation: unknown choice 'vibes'"),
        ("min_coverage = 2", "min_coverage: must be between 0 and 1"),
        ("scenario = 'flat'", "'scenario' must be a table"),
        ("x" * 200_001, "at most 200,000"),
    ],
)
def test_malformed_toml_is_refused_with_the_parsers_message(store, text, message):
    with pytest.raises(ScenarioError, match=message):
        store.import_toml("alice", "plan", text)
    assert store.names("alice") == []


def test_import_checks_ids_and_needs_a_name(store):
    framework = pd.DataFrame({"indicator": ["a"], "dimension": ["d"], "direction": [1]})
    with pytest.raises(ScenarioError, match="unknown indicator.*zzz"):
        store.import_toml("alice", "plan", "indicator_weights = { zzz = 1 }", framework)
    with pytest.raises(ScenarioError, match="names no scenario"):
        store.import_toml("alice", None, "year = 2020")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        store.import_toml("alice", "plan", b"year = 2020 # \xff")


def test_the_url_carries_the_method_itself(store):
    saved = store.save("alice", "Europe first", RICH)
    query = scenario_query(saved)
    assert query == scenario_query(RICH) == RICH.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    assert Method.from_query(query) == RICH  # no database needed to rebuild it
    assert scenario_query(Method()) == {}


# ============================================================================ concurrency
def test_concurrent_threads_and_processes(database_url):
    """8 threads and 4 spawned processes each save 25 scenarios to one new store, all at once."""
    path = database_url
    context = multiprocessing.get_context("spawn")
    go, ready = context.Event(), context.Queue()
    processes = [
        context.Process(target=save_many, args=(path, f"p{i}", 25, go, ready)) for i in range(4)
    ]
    for process in processes:
        process.start()
    threads = [
        threading.Thread(target=save_many, args=(path, f"t{i}", 25, go, None)) for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for _ in processes:  # wait until every process has imported, then release all 12 writers
        ready.get(timeout=60)
    go.set()
    for thread in threads:
        thread.join(60)
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    store = ScenarioStore(path)
    tags = [f"p{i}" for i in range(4)] + [f"t{i}" for i in range(8)]
    names = store.names("team")
    assert len(names) == 300
    assert sorted(names) == sorted(f"{tag}-{k}" for tag in tags for k in range(25))
    by_name = {s.name: s.method for s in store.list("team")}
    assert all(by_name[f"{tag}-{k}"] == expected(tag, k) for tag in tags for k in range(25))
    assert store.integrity_check() is True


def test_same_name_saved_at_once_is_saved_once(database_url):
    """8 threads save one name in 8 spellings of its case at once: one wins, 7 are told it exists."""
    store = ScenarioStore(database_url)
    spellings = ["plan", "Plan", "PLAN", "pLan", "plAn", "plaN", "PLan", "PlaN"]
    go = threading.Barrier(len(spellings))
    outcomes: dict[str, str] = {}

    def save(name: str) -> None:
        go.wait(30)
        try:
            store.save("team", name, Method(year=2000 + len(outcomes)))
            outcomes[name] = "saved"
        except ScenarioError as error:
            outcomes[name] = str(error)

    threads = [threading.Thread(target=save, args=(name,)) for name in spellings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
    assert len(outcomes) == 8 and len(winners) == 1
    assert all("already exists" in o for o in outcomes.values() if o != "saved")
    assert store.names("team") == winners


def test_a_killed_writer_loses_nothing_it_saved(database_url):
    path = database_url
    store = ScenarioStore(path)
    store.save("crash", "before", RICH)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    writer = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "scenario_writers.py"), str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert writer.stdout.readline() == "ready\n"
        for _ in range(30):  # let it get going, then kill it while it is writing
            assert writer.stdout.readline().startswith("w-")
        os.kill(writer.pid, signal.SIGKILL)
        rest = writer.stdout.read()
    finally:
        writer.kill()
        writer.wait(10)
    assert writer.returncode == -signal.SIGKILL
    reported = 30 + len([line for line in rest.splitlines(keepends=True) if line.endswith("\n")])
    names = set(store.names("crash"))
    # every reported save is there and loads; at most the one in flight is extra
    assert {f"w-{k}" for k in range(reported)} | {"before"} <= names
    assert len(names) - 1 in (reported, reported + 1)
    for k in range(reported):
        assert store.load("crash", f"w-{k}") == expected("w", k % 100)
    assert all(s.problem is None for s in store.list("crash"))
    assert store.load("crash", "before") == RICH
    assert store.integrity_check() is True
    store.save("crash", "after", Method())  # and the file is still writable
    assert store.load("crash", "after") == Method()


# Holds a write transaction open (a new row, and every stored Method damaged) until killed.
HALF_WRITE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO scenarios (owner, name, method_json) VALUES ('alice', 'half', '{')")
conn.execute("UPDATE scenarios SET method_json = '{'")
print("in transaction", flush=True)
time.sleep(60)
"""


# The same on PostgreSQL, through psycopg.
HALF_WRITE_POSTGRES = """
import psycopg, sys, time
conn = psycopg.connect(sys.argv[1])
conn.execute("INSERT INTO scenarios (owner, name, name_key, method_json) "
             "VALUES ('alice', 'half', 'half', '{')")
conn.execute("UPDATE scenarios SET method_json = '{'")
print("in transaction", flush=True)
time.sleep(60)
"""


def test_a_writer_killed_inside_its_transaction_changes_nothing(database_url):
    store = ScenarioStore(database_url)
    store.save("alice", "kept", RICH)
    script = HALF_WRITE if store.dialect == "sqlite" else HALF_WRITE_POSTGRES
    writer = subprocess.Popen(
        [sys.executable, "-c", script, str(database_url)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline() == "in transaction\n"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(10)
    assert store.names("alice") == ["kept"]
    assert store.load("alice", "kept") == RICH
    assert store.integrity_check() is True
    store.save("alice", "next", Method())  # the dead writer's lock is gone
    assert store.names("alice") == ["kept", "next"]


# ============================================================================ compare
# Three countries, three indicators, two dimensions, 2020 (the pipeline tests' example):
#            a (d1, +1)   b (d1, -1)   c (d2, +1)
#   FRA      4            5            6
#   NAM      1            2            3
#   RUS      7            8            1
#   DEU      2.5          -            -
# Scenario A (catalogue weights): DEU carries 1/4 of the weight < 0.5, screened out.
#   min-max: a FRA 50 NAM 0 RUS 100; b (flipped) FRA 50 NAM 100 RUS 0; c FRA 100 NAM 40 RUS 0
#   d1 = mean(a, b) = 50 each; overall = mean(d1, c): FRA 75, NAM 45, RUS 25 -> ranks 1, 2, 3
# Scenario B (b weighted 0): DEU carries 1/2, kept; d1 = a, so DEU 25 (dimension d2 missing)
#   overall: FRA 75, RUS 50, DEU 25, NAM 20 -> ranks 1, 2, 3, 4
FRAMEWORK = pd.DataFrame(
    {
        "indicator": ["a", "b", "c"],
        "dimension": ["d1", "d1", "d2"],
        "direction": [1, -1, 1],
        "weight": [1.0, 1.0, 1.0],
    }
)
VALUES = pd.DataFrame(
    [
        ("FRA", "a", 2020, 4.0),
        ("FRA", "b", 2020, 5.0),
        ("FRA", "c", 2020, 6.0),
        ("NAM", "a", 2020, 1.0),
        ("NAM", "b", 2020, 2.0),
        ("NAM", "c", 2020, 3.0),
        ("RUS", "a", 2020, 7.0),
        ("RUS", "b", 2020, 8.0),
        ("RUS", "c", 2020, 1.0),
        ("DEU", "a", 2020, 2.5),
    ],
    columns=["iso3", "indicator", "year", "value"],
)


def test_compare_two_scenarios(store):
    # DEU has a alone: kept in B, where b weighs 0 (coverage .5, one of two dimensions needed)
    store.save("alice", "A", Method(year=2020, min_dimension_share=0.5))
    store.save("alice", "B", Method(year=2020, indicator_weights={"b": 0}, min_dimension_share=0.5))
    sc_a = build_scorecard(VALUES, FRAMEWORK, store.load("alice", "A", FRAMEWORK))
    sc_b = build_scorecard(VALUES, FRAMEWORK, store.load("alice", "B", FRAMEWORK))
    table = compare(sc_a, sc_b)
    want = pd.DataFrame(
        {
            "iso3": ["FRA", "RUS", "DEU", "NAM"],
            "overall_a": pd.array([75.0, 25.0, None, 45.0], dtype="Float64"),
            "rank_a": pd.array([1, 3, None, 2], dtype="Int64"),
            "overall_b": pd.array([75.0, 50.0, 25.0, 20.0], dtype="Float64"),
            "rank_b": pd.array([1, 2, 3, 4], dtype="Int64"),
            "overall_delta": pd.array([0.0, 25.0, None, -25.0], dtype="Float64"),
            "rank_delta": pd.array([0, -1, None, 2], dtype="Int64"),
        }
    ).set_index("iso3")
    pd.testing.assert_frame_equal(table, want, check_index_type=False)
    # swapping the scenarios negates the deltas
    swapped = compare(sc_b, sc_a).loc[table.index]
    assert (swapped["rank_delta"].fillna(0) == -table["rank_delta"].fillna(0)).all()
    assert np.allclose(
        swapped["overall_delta"].fillna(0).to_numpy(float),
        -table["overall_delta"].fillna(0).to_numpy(float),
    )


def test_compare_a_scorecard_with_itself():
    sc = build_scorecard(VALUES, FRAMEWORK, Method(year=2020))
    table = compare(sc, sc)
    assert list(table.index) == ["FRA", "NAM", "RUS"]
    assert (table["rank_delta"] == 0).all() and (table["overall_delta"] == 0).all()
