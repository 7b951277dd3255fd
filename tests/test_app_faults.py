"""Start-up faults: broken shipped tables, a data folder the app may not write to, no Chromium.
Each one is a message on the page (or one line from the command), never a traceback."""

import errno
import os
import sys
from pathlib import Path

import pytest

from exports import images
from indicators import refresh_cli
from indicators.catalogue import DATA_DIR, DATA_DIR_VARIABLE
from tests.app_driver import open_app, open_download_panels
from views import export_panel

TABLES = ["values.csv", "countries.csv", "skipped.csv", "sources.csv", "vintage.csv", "dyads.csv"]
REMEDY = "Restore the shipped tables (`git checkout data/`)"


def data_copy(folder: Path, broken: str, content: bytes | None) -> Path:
    """The shipped tables (linked, not copied) with `broken` replaced by `content` (None: gone)."""
    folder.mkdir()
    for name in TABLES:
        if name != broken:
            (folder / name).symlink_to(DATA_DIR / name)
    if content is not None:
        (folder / broken).write_bytes(content)
    return folder


def first_lines(name: str, count: int) -> bytes:
    with open(DATA_DIR / name, "rb") as table:
        return b"".join(table.readline() for _ in range(count))


BROKEN_DATASET = {
    "values missing": ("values.csv", None, "could not be read: [Errno 2] No such file"),
    "values empty": ("values.csv", b"", "could not be read: No columns to parse from file"),
    "values binary": ("values.csv", bytes(range(256)) * 4, "could not be read: Error tokenizing"),
    "values sentinel": (
        "values.csv",
        first_lines("values.csv", 3) + b"RUS,rsf_press_freedom,2024,n/a,\n",
        "failed validation",
    ),
    "values without a value column": (
        "values.csv",
        b"iso3,indicator,year,note\nRUS,rsf_press_freedom,2024,\n",
        "failed validation",
    ),
    "countries truncated": ("countries.csv", first_lines("countries.csv", 40)[:-7], "failed"),
}


@pytest.mark.parametrize("case", list(BROKEN_DATASET))
def test_broken_shipped_tables_are_a_message_on_every_page(case, tmp_path, monkeypatch):
    table, content, problem = BROKEN_DATASET[case]
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(data_copy(tmp_path / "data", table, content)))
    for page in (None, "views/country.py"):
        app = open_app(page)  # fails on any exception
        message = app.error[0].value
        assert f"The shipped data in `{tmp_path / 'data'}` {problem}" in message
        assert REMEDY in message
        assert not app.sidebar.slider  # nothing is drawn from data that did not load


@pytest.mark.parametrize(
    "content, problem",
    [(None, "could not be read: [Errno 2]"), (b"actor,target\nRUS,DEU\n", "failed validation")],
)
def test_broken_relational_table_is_a_message_on_the_actor_page_only(
    content, problem, tmp_path, monkeypatch
):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(data_copy(tmp_path / "data", "dyads.csv", content)))
    message = open_app("views/actor.py").error[0].value
    assert f"The relational data (dyads.csv) in `{tmp_path / 'data'}` {problem}" in message
    assert not open_app().error  # the other pages work


def test_the_app_never_writes_into_its_data_folder(tmp_path, monkeypatch):
    """So a read-only data folder serves as well as a writable one."""
    data = data_copy(tmp_path / "data", "", None)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(data))
    monkeypatch.setenv("SCORECARD_SCENARIOS", str(tmp_path / "scenarios.sqlite3"))
    writes = []
    listening = True

    def audit(event, args):
        if not listening:
            return
        path = str(args[0]) if args else ""
        if not path.startswith(str(data)):
            return
        if event == "open":
            mode = args[1] if isinstance(args[1], str) else ""
            flags = args[2] if isinstance(args[2], int) else 0
            if set(mode) & set("wax+") or flags & (os.O_WRONLY | os.O_RDWR):
                writes.append((event, path))
        elif event in {"os.remove", "os.rename", "os.replace", "os.mkdir", "os.rmdir"}:
            writes.append((event, path))

    sys.addaudithook(audit)  # a hook cannot be removed: it goes quiet when the test ends
    try:
        for page in ["views/rankings.py", "views/country.py", "views/compare.py",
                     "views/method.py", "views/robustness.py", "views/sources.py",
                     "views/upload.py", "views/actor.py", "views/scenarios.py"]:  # fmt: skip
            open_app(page)
    finally:
        listening = False
    assert writes == []
    assert sorted(p.name for p in data.iterdir()) == sorted(TABLES)


def test_update_data_into_a_folder_it_cannot_write_says_so(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()

    # The tests may run as root, whom file modes do not stop: refuse the lock file's opening
    # itself, as a read-only folder would, and let every other open through.
    real_open = os.open

    def refuse_the_lock(path, flags, *args, **kwargs):
        if str(path) == str(data / ".update.lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_the_lock)
    downloaded = tmp_path / "downloads" / "rsf-press-freedom"
    downloaded.mkdir(parents=True)
    code = refresh_cli.main(["update-data", "--from-dir", str(downloaded.parent),
                             "--data-dir", str(data)])  # fmt: skip
    error = capsys.readouterr().err
    assert code == refresh_cli.EXIT_FAILED
    assert error == f"error: cannot write {data / '.update.lock'}: Permission denied\n"


def test_without_chromium_the_download_panel_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(export_panel, "browser_available", lambda: False)
    export_panel.image_export_problem.clear()
    try:
        app = open_download_panels(open_app("views/compare.py"))
    finally:
        export_panel.image_export_problem.clear()
    warnings = [warning.value for warning in app.warning]
    assert warnings and all(images.NO_BROWSER_MESSAGE in warning for warning in warnings)
    labels = {button.label for button in app.get("download_button")}
    assert "Download PNG" not in labels
    assert "Table (CSV)" in labels  # tables need no browser
