"""The data folder's tables swapped as one: the swap, its recovery after a crash, rollback, and
the lock that lets one update or rollback run at a time.

The tables (`countries.csv`, `values.csv`, `skipped.csv`, `sources.csv`, `vintage.csv`) are
replaced one by one with `os.replace` (atomic per file) after the current ones were copied to
`<data>/.previous/` and a marker `<data>/.swap-in-progress.json` listing the staged files was
written; the marker is removed last. If the process dies in between, the next update or rollback
(or `recover`) finishes the swap from the marker. `rollback(data_dir)` swaps `.previous` back
the same way (so a second rollback redoes the update).
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from indicators.catalogue import DATA_DIR

TABLES = ("countries.csv", "values.csv", "skipped.csv", "sources.csv")
VINTAGE = "vintage.csv"
SWAPPED = (*TABLES, VINTAGE)
PREVIOUS = ".previous"
STAGING = ".staging"
MARKER = ".swap-in-progress.json"
LOCK = ".update.lock"
MANIFEST = "previous.json"


class RefreshError(Exception):
    """The update could not start (bad arguments, lock held, no previous dataset to roll back)."""


def swap(data_dir: Path, staged: dict[str, Path | None], now: datetime) -> None:
    """Replace data_dir/<name> by each staged file (None: remove it), keeping the replaced files in
    data_dir/.previous/. The marker makes an interrupted swap finish on the next `recover`."""
    previous_new = data_dir / f"{PREVIOUS}.new"
    shutil.rmtree(previous_new, ignore_errors=True)
    previous_new.mkdir()
    kept = []
    for name in SWAPPED:
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, previous_new / name)
            kept.append(name)
    manifest = {"files": kept, "replaced_at": now.isoformat(timespec="seconds")}
    (previous_new / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    _fsync_dir(previous_new)
    previous, old = data_dir / PREVIOUS, data_dir / f"{PREVIOUS}.old"
    shutil.rmtree(old, ignore_errors=True)
    if previous.exists():
        previous.replace(old)
    previous_new.replace(previous)
    shutil.rmtree(old, ignore_errors=True)

    marker = {
        "replace": {name: str(path) for name, path in staged.items() if path is not None},
        "remove": [name for name, path in staged.items() if path is None],
    }
    (data_dir / MARKER).write_text(json.dumps(marker, indent=1) + "\n")
    _finish_swap(data_dir, marker)


def _finish_swap(data_dir: Path, marker: dict) -> None:
    for name, path in marker["replace"].items():
        if Path(path).exists():
            os.replace(path, data_dir / name)
    for name in marker["remove"]:
        (data_dir / name).unlink(missing_ok=True)
    _fsync_dir(data_dir)
    (data_dir / MARKER).unlink(missing_ok=True)


def recover(data_dir: Path) -> str:
    """Finish a swap interrupted by a crash (from its marker); '' when there was nothing to do."""
    data_dir = Path(data_dir)
    marker_path = data_dir / MARKER
    done = []
    if (data_dir / f"{PREVIOUS}.new").exists() and not marker_path.exists():
        # the swap had not started: the current tables are intact
        if not (data_dir / PREVIOUS).exists() and (data_dir / f"{PREVIOUS}.old").exists():
            (data_dir / f"{PREVIOUS}.old").replace(data_dir / PREVIOUS)
        shutil.rmtree(data_dir / f"{PREVIOUS}.new", ignore_errors=True)
        done.append("discarded an unfinished copy of the previous tables")
    if marker_path.exists():
        _finish_swap(data_dir, json.loads(marker_path.read_text()))
        done.append("finished an interrupted swap")
    shutil.rmtree(data_dir / f"{PREVIOUS}.old", ignore_errors=True)
    return "; ".join(done)


def rollback(data_dir: Path = DATA_DIR, now: datetime | None = None) -> list[str]:
    """Put the previous tables back (the current ones become the previous: rolling back twice
    redoes the update). Returns the restored file names; RefreshError if there is nothing to
    restore."""
    data_dir = Path(data_dir)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    previous = data_dir / PREVIOUS
    if not data_dir.is_dir():
        raise RefreshError(f"{data_dir} is not a folder")
    with update_lock(data_dir):
        recover(data_dir)
        if not (previous / MANIFEST).exists():
            raise RefreshError(f"no previous dataset in {previous}: nothing to roll back")
        files = json.loads((previous / MANIFEST).read_text())["files"]
        staging = data_dir / STAGING / "rollback"
        shutil.rmtree(data_dir / STAGING, ignore_errors=True)
        staging.mkdir(parents=True)
        for name in files:
            shutil.copy2(previous / name, staging / name)
        staged = {name: (staging / name if name in files else None) for name in SWAPPED}
        swap(data_dir, staged, now)
        shutil.rmtree(data_dir / STAGING, ignore_errors=True)
    return files


class update_lock:
    """One update or rollback of a data folder at a time: an exclusive flock on
    `<data>/.update.lock`. The system releases a flock when its process ends, however it ends
    (Ctrl-C, kill -9, a crash), so a killed update never leaves a lock that blocks the next one;
    the file may stay behind, holding the last holder's process id."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK
        self.fd: int | None = None

    def __enter__(self):
        import fcntl

        while True:
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode(errors="replace").strip()
                os.close(fd)
                raise RefreshError(
                    f"another update of {self.path.parent} is running"
                    f"{f' (process {holder})' if holder.isdigit() else ''}; wait for it to finish"
                ) from None
            try:  # the holder before may have removed the file after we opened it: start again
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def __exit__(self, *exc):
        self.path.unlink(missing_ok=True)  # while still holding it: no one else is inside
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
