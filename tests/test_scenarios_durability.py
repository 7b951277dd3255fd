"""The scenario store under crashes and damage: writers killed with SIGKILL at seeded random
points (a child process, and the real app while the Scenarios page saves), and damaged files,
which the store and the app report without changing them."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scoring.method import Method
from store.scenarios import ScenarioError, ScenarioStore
from tests.scenario_writers import expected

ROOT = Path(__file__).resolve().parent.parent
OWNER = "crash"
#: The writer stops after this many saves (expected() is distinct only for k < 100).
CAP = 90


def planned(tag: str, k: int) -> tuple[str, Method, bool]:
    """The writer's k-th save (name, Method, overwrite): a new scenario, except that every 4th
    replaces the one saved three saves earlier with another Method."""
    if k % 4 == 3:
        return f"{tag}-{k - 3}", expected(tag, k), True
    return f"{tag}-{k}", expected(tag, k), False


# Saves planned(tag, 0), planned(tag, 1), ... printing k once save k has returned; then idles.
WRITER = f"""
import sys, time
from store.scenarios import ScenarioStore
from tests.test_scenarios_durability import planned
store = ScenarioStore(sys.argv[1])
print("ready", flush=True)
for k in range({CAP}):
    name, method, overwrite = planned(sys.argv[2], k)
    store.save("{OWNER}", name, method, overwrite=overwrite)
    print(k, flush=True)
time.sleep(60)
"""


def sqlite_checks(path: Path) -> tuple[list, list]:
    """PRAGMA integrity_check and quick_check, from a plain sqlite3 connection."""
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchall(),
            conn.execute("PRAGMA quick_check").fetchall(),
        )
    finally:
        conn.close()


def kill_writer_at(path: Path, tag: str, after: int, delay: float) -> int:
    """Start a writer, SIGKILL it `delay` seconds after its `after`-th reported save (0: right
    after it opened the store); return how many saves it reported as returned."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert writer.stdout.readline() == "ready\n"
        lines = [writer.stdout.readline() for _ in range(after)]
        time.sleep(delay)
        os.kill(writer.pid, signal.SIGKILL)
        lines += writer.stdout.read().splitlines(keepends=True)
    finally:
        writer.kill()
        writer.wait(10)
    assert writer.returncode == -signal.SIGKILL
    reported = [line for line in lines if line.endswith("\n")]  # a cut-off line did not return
    assert reported == [f"{k}\n" for k in range(len(reported))]
    return len(reported)


def test_writers_killed_at_seeded_random_points_lose_no_returned_save(tmp_path):
    path = tmp_path / "crash.sqlite3"
    rng = random.Random(20260107)
    saved: dict[str, Method] = {}  # what every returned save left, over all rounds
    for round_ in range(6):
        tag = f"r{round_}"
        after, delay = rng.randrange(0, 40), rng.uniform(0, 0.02)
        returned = kill_writer_at(path, tag, after, delay)
        assert returned >= after
        for k in range(returned):
            name, method, _ = planned(tag, k)
            saved[name] = method

        assert sqlite_checks(path) == ([("ok",)], [("ok",)])
        store = ScenarioStore(path)  # reopening runs the integrity check too
        assert store.problems() == [] and store.problems(quick=True) == []
        stored = {s.name: s.method for s in store.list(OWNER)}
        in_flight = planned(tag, returned) if returned < CAP else None
        for name, method in saved.items():
            if in_flight and name == in_flight[0]:
                # the save the kill interrupted: wholly done or wholly not
                assert stored[name] in (method, in_flight[1])
            else:
                assert stored[name] == method, name
        extra = set(stored) - set(saved)
        assert extra <= ({in_flight[0]} if in_flight else set())
        for name in extra:
            assert stored[name] == in_flight[1]
        if in_flight and in_flight[0] in stored:  # what the interrupted save left counts from now
            saved[in_flight[0]] = stored[in_flight[0]]
        # the store takes new saves after the crash
        store.save(OWNER, f"after-{round_}", Method(min_coverage=0.25))
        saved[f"after-{round_}"] = store.load(OWNER, f"after-{round_}")
        assert saved[f"after-{round_}"] == Method(min_coverage=0.25)


def damage(path: Path) -> bytes:
    """Fill a store with scenarios, fold the log into the file, scribble over two pages; return
    the damaged bytes."""
    store = ScenarioStore(path)
    for k in range(200):
        store.save("alice", f"scenario {k}", expected("x", k % 100))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[2 * 4096 : 4 * 4096] = b"\xa5" * (2 * 4096)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_store_is_reported_and_left_as_it_was(tmp_path):
    path = tmp_path / "damaged.sqlite3"
    damaged = damage(path)
    try:  # the damage is real: SQLite's own check fails or cannot even read the file
        assert sqlite_checks(path)[0] != [("ok",)]
    except sqlite3.DatabaseError as err:
        assert "malformed" in str(err)
    with pytest.raises(ScenarioError) as caught:
        ScenarioStore(path)
    message = str(caught.value)
    assert str(path) in message and "is damaged" in message
    assert "Restore it from a backup" in message and "start an empty store" in message
    assert path.read_bytes() == damaged  # nothing repaired, rewritten or truncated


def test_damage_found_after_opening_is_reported_by_every_operation(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = ScenarioStore(path)
    store.save("alice", "kept", Method())
    path.write_bytes(b"this is no longer a database " * 500)  # replaced behind the store's back
    Path(f"{path}-wal").unlink(missing_ok=True)
    Path(f"{path}-shm").unlink(missing_ok=True)
    assert store.problems() and store.problems(quick=True)
    assert store.integrity_check() is False
    for operation in (
        lambda: store.list("alice"),
        lambda: store.save("alice", "new", Method()),
        lambda: store.load("alice", "kept"),
    ):
        with pytest.raises(ScenarioError, match="is damaged.*file is not a database"):
            operation()


def test_the_scenarios_page_reports_a_damaged_store(tmp_path, monkeypatch):
    from tests.app_driver import open_app

    path = tmp_path / "damaged.sqlite3"
    damaged = damage(path)
    monkeypatch.setenv("SCORECARD_SCENARIOS", str(path))
    app = open_app("views/scenarios.py")  # fails on any exception
    errors = [e.value for e in app.error]
    assert len(errors) == 1
    assert errors[0].startswith("Saved scenarios are unavailable.")
    assert "is damaged" in errors[0] and "current method is not affected" in errors[0]
    assert [b.label for b in app.get("download_button")] == ["Download the current method (TOML)"]
    app.switch_page("views/rankings.py").run()  # the other pages work
    assert not app.exception and not app.error
    assert path.read_bytes() == damaged


# ============================================================================ the real app
@pytest.mark.browser
def test_the_app_killed_while_saving_keeps_the_store_sound(tmp_path, monkeypatch, page):
    """SIGKILL the streamlit server at a seeded random moment after Save is clicked (before,
    during or after the save; the process test above aims inside transactions), then check the
    store and reopen it in a new server."""
    from playwright.sync_api import expect

    from benchmarks.browser import serve

    path = tmp_path / "app.sqlite3"
    monkeypatch.setenv("SCORECARD_SCENARIOS", str(path))
    team, method = "durability", Method(dimension_weights={"media_reach": 2.0})
    rng = random.Random(7)
    confirmed: list[str] = []
    for round_ in range(3):
        name = f"killed-{round_}"
        with serve() as (url, server):
            page.goto(f"{url}/scenarios?dw=media_reach:2", timeout=60_000)
            page.locator(".st-key-scenario_team_key input").fill(team)
            page.locator(".st-key-scenario_team_key input").press("Enter")
            for earlier in confirmed:  # every confirmed save survived the earlier kills
                expect(page.get_by_text(earlier).first).to_be_attached(timeout=30_000)
            page.locator(".st-key-scenario_name input").fill(name)
            page.locator(".st-key-scenario_name input").press("Enter")
            page.locator(".st-key-scenario_save button").click()
            time.sleep(rng.uniform(0, 0.4))
            os.kill(server.pid, signal.SIGKILL)
            server.wait(10)
            if page.get_by_text(f"Saved the current method as “{name}”").count():
                confirmed.append(name)
        store = ScenarioStore(path)  # the integrity check on open
        assert store.problems(quick=True) == []
        names = store.names(f"team:{team}")
        assert set(confirmed) <= set(names) <= {f"killed-{r}" for r in range(round_ + 1)}
        assert all(store.load(f"team:{team}", n) == method for n in names)
    store.save(f"team:{team}", "after", Method())
