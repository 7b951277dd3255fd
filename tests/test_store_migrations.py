"""Schema migrations and database locations: a first-release SQLite file opens and migrates with
nothing lost, a newer one is refused untouched, PostgreSQL migrates once when servers start
together, and the URL forms resolve to the right database with no password in any message."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from scoring.method import Method
from store.database import DatabaseError, parse_location, redact
from store.scenarios import (
    DATABASE_URL_VAR,
    ENV_VAR,
    ScenarioError,
    ScenarioStore,
    default_location,
)

# The table exactly as the first release created it (schema 1, PRAGMA user_version = 1).
SCHEMA_1 = """
CREATE TABLE scenarios (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    method_json TEXT NOT NULL,
    created TEXT,
    updated TEXT,
    UNIQUE (owner, name)
)
"""
HEAVY = Method(dimension_weights={"media_reach": 3}).to_json(indent=None)
# Rows a first-release file can hold. Releases before the name rule stored "Plan" and "PLAN"
# as two scenarios; "plan (2)" is there too, so the second "PLAN" must become "PLAN (3)".
ROWS_1 = [
    (1, "team:a", "Plan", HEAVY, "2025-01-01T00:00:00.000+00:00", "2025-01-02T00:00:00.000+00:00"),
    (2, "team:a", "plan (2)", "{}", "2025-01-03T00:00:00.000+00:00", None),
    (3, "team:a", "PLAN", "{}", "2025-01-04T00:00:00.000+00:00", None),
    (4, "team:b", "PLAN", HEAVY, "2025-01-05T00:00:00.000+00:00", None),
    (5, "team:a", "Café", "{}", None, None),
]


def first_release_file(path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(SCHEMA_1)
        conn.executemany("INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?)", ROWS_1)
        conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_a_first_release_file_migrates_with_nothing_lost(tmp_path):
    path = tmp_path / "scenarios.sqlite3"
    first_release_file(path)
    store = ScenarioStore(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (2,)
        rows = conn.execute(
            "SELECT id, owner, name, name_key, method_json, created, updated FROM scenarios "
            "ORDER BY id"
        ).fetchall()
    # Every row kept with its Method and dates; only the later look-alike is renamed.
    assert (
        rows
        == [
            (1, "team:a", "Plan", "plan", *ROWS_1[0][3:]),
            (2, "team:a", "plan (2)", "plan (2)", *ROWS_1[1][3:]),
            (3, "team:a", "PLAN (3)", "plan (3)", *ROWS_1[2][3:]),
            (4, "team:b", "PLAN", "plan", *ROWS_1[3][3:]),  # another owner: no clash
            (5, "team:a", "Café", "café", *ROWS_1[4][3:]),
        ]
    )
    assert store.names("team:a") == ["Café", "Plan", "plan (2)", "PLAN (3)"]
    assert store.load("team:a", "PLAN") == Method(dimension_weights={"media_reach": 3})
    # The copy kept before migrating is the first-release file, unchanged.
    backup = tmp_path / "scenarios.sqlite3.schema-1.bak"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        assert conn.execute("SELECT * FROM scenarios ORDER BY id").fetchall() == ROWS_1
    # and the migrated file now refuses a look-alike by itself
    with pytest.raises(sqlite3.IntegrityError), sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO scenarios (owner, name, name_key, method_json) VALUES (?, ?, ?, ?)",
            ("team:a", "PLAN", "plan", "{}"),
        )
    ScenarioStore(path)  # opening again changes nothing
    assert store.names("team:a") == ["Café", "Plan", "plan (2)", "PLAN (3)"]


def test_a_newer_file_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "scenarios.sqlite3"
    first_release_file(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 7")
    before = path.read_bytes()
    with pytest.raises(ScenarioError, match=r"newer version \(schema 7, this one reads up to 2\)"):
        ScenarioStore(path)
    assert path.read_bytes() == before


def test_postgresql_migrates_once_when_servers_start_together(postgres_server):
    url = postgres_server.create_database()
    opened, errors = [], []
    go = threading.Barrier(6)

    def open_store() -> None:
        go.wait(30)
        try:
            opened.append(ScenarioStore(url))
        except ScenarioError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and len(opened) == 6
    with opened[0]._db.connect() as conn:
        assert conn.execute("SELECT version FROM scorecard_schema").fetchall() == [(2,)]
    opened[0].save("team", "Plan", Method())
    with pytest.raises(ScenarioError, match="already exists"):
        opened[5].save("team", "PLAN", Method())


def test_a_first_release_postgresql_table_migrates(postgres_server):
    url = postgres_server.create_database()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SCHEMA_1.replace("INTEGER PRIMARY KEY", "BIGINT PRIMARY KEY"))
        conn.execute("CREATE TABLE scorecard_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO scorecard_schema VALUES (1)")
        for row in ROWS_1:
            conn.execute("INSERT INTO scenarios VALUES (%s, %s, %s, %s, %s, %s)", row)
    store = ScenarioStore(url)
    assert store.names("team:a") == ["Café", "Plan", "plan (2)", "PLAN (3)"]
    assert store.names("team:b") == ["PLAN"]


# ============================================================================ locations
@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (
            "postgresql://app:pw@db:5432/scorecard",
            ("postgresql", "postgresql://app:pw@db:5432/scorecard"),
        ),
        ("postgres://app@db/scorecard", ("postgresql", "postgresql://app@db/scorecard")),
        ("postgresql+psycopg://app@db/sc", ("postgresql", "postgresql://app@db/sc")),
        ("sqlite:////srv/sc/s.sqlite3", ("sqlite", "/srv/sc/s.sqlite3")),
        ("sqlite:///data/s.sqlite3", ("sqlite", "data/s.sqlite3")),
        ("/srv/sc/s.sqlite3", ("sqlite", "/srv/sc/s.sqlite3")),
    ],
)
def test_locations(location, expected):
    dialect, target = parse_location(location)
    assert (dialect, str(target)) == expected


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("sqlite://", "names no file"),
        ("sqlite:///:memory:", "names no file"),
        ("mysql://app@db/sc", "unknown database type 'mysql'"),
        (":memory:", "needs a file path"),
        ("", "needs a file path"),
    ],
)
def test_unusable_locations(location, message):
    with pytest.raises(DatabaseError, match=message):
        parse_location(location)
    with pytest.raises(ScenarioError, match=message):
        ScenarioStore(location)


def test_no_password_in_messages():
    assert redact("postgresql://app:s3cret@127.0.0.1:1/sc") == "postgresql://app@127.0.0.1:1/sc"
    with pytest.raises(ScenarioError) as caught:
        ScenarioStore("postgresql://app:s3cret@127.0.0.1:1/sc")  # nothing listens on port 1
    assert "cannot reach the PostgreSQL database postgresql://app@127.0.0.1:1/sc" in str(
        caught.value
    )
    assert "s3cret" not in str(caught.value)


def test_the_url_wins_over_the_file_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "file.sqlite3"))
    monkeypatch.delenv(DATABASE_URL_VAR, raising=False)
    assert default_location() == str(tmp_path / "file.sqlite3")
    monkeypatch.setenv(DATABASE_URL_VAR, f"sqlite:///{tmp_path}/url.sqlite3")
    assert default_location() == f"sqlite:///{tmp_path}/url.sqlite3"
    assert ScenarioStore().path == tmp_path / "url.sqlite3"
    assert not (tmp_path / "file.sqlite3").exists()
