"""The app with hostile input, headless (AppTest): link parameters never become file paths and
are quoted literally; uploaded names, notes and file names and scenario names never become
Markdown (links, images, HTML) on any page."""

from __future__ import annotations

import builtins
import io
import os
import pathlib

import pytest

from store.scenarios import ScenarioStore
from tests.app_driver import PAGES, open_app
from tests.security_payloads import (
    SCRIPT_PAYLOADS,
    as_shown,
    hostile_upload,
    markdown_dangers,
)
from views.text import file_name, md

MARKDOWN_ELEMENTS = (
    "markdown",
    "caption",
    "success",
    "info",
    "warning",
    "error",
    "title",
    "header",
    "subheader",
)
LABELLED = ("slider", "selectbox", "multiselect", "radio", "checkbox", "text_input", "expander")
PATH_PAYLOADS = {
    "country": "../../etc/passwd",
    "compare": "/etc/passwd,file:///etc/hostname,..%2F..%2Fetc%2Fshadow",
    "actor": "[pay here](https://evil.example/pay)",
    "year": "../../../../proc/self/environ",
    "dw": "media_reach:<img src=x onerror=alert(1)>",
    "norm": "file:///etc/passwd",
}
PATH_MARKERS = ("passwd", "hostname", "shadow", "environ", "evil.example", "file:")


def shown_markdown(app) -> list[str]:
    """Every Markdown source the page shows: text elements, widget labels and help."""
    sources = []
    for kind in MARKDOWN_ELEMENTS:
        sources += [str(element.value) for element in getattr(app, kind)]
    for kind in LABELLED:
        for element in getattr(app, kind):
            sources.append(str(element.label))
            if getattr(element, "help", None):
                sources.append(str(element.help))
    return sources


def assert_no_markdown_injection(app) -> None:
    dangers = {source: markdown_dangers(source) for source in shown_markdown(app)}
    assert not {source: found for source, found in dangers.items() if found}


@pytest.fixture
def file_reads(monkeypatch):
    """Every path opened through open, io.open, os.open and pathlib while the test runs."""
    seen: list[str] = []
    real_open, real_os_open = builtins.open, os.open
    real_path_open = pathlib.Path.open

    def recording_open(file, *args, **kwargs):
        seen.append(str(file))
        return real_open(file, *args, **kwargs)

    def recording_os_open(path, *args, **kwargs):
        seen.append(str(path))
        return real_os_open(path, *args, **kwargs)

    def recording_path_open(self, *args, **kwargs):
        seen.append(str(self))
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)
    monkeypatch.setattr(os, "open", recording_os_open)
    monkeypatch.setattr(pathlib.Path, "open", recording_path_open)
    return seen


def test_link_parameters_never_become_file_paths_and_are_quoted_literally(file_reads):
    app = open_app(**PATH_PAYLOADS)
    assert file_reads, "the recorder saw no file at all: it is not wired in"
    touched = [path for path in file_reads if any(m in path for m in PATH_MARKERS)]
    assert touched == []
    # The defaults are shown, with a notice per unusable parameter.
    assert (app.session_state["country"], app.session_state["actor"]) == ("RUS", "RUS")
    notices = [warning.value for warning in app.warning]
    assert any("etc/passwd" in as_shown(notice) for notice in notices), notices
    # Notices quote a link's text cut to 20 characters, escaped: the link shows as written.
    assert any("'[pay here](https://…'" in as_shown(notice) for notice in notices), notices
    assert_no_markdown_injection(app)


SCENARIO_NAMES = [
    "[pay here](https://evil.example/pay)",
    "<img src=x onerror=alert(1)>",
    "![pixel](https://evil.example/pixel.png)",
    "../../etc/passwd",
]


def test_scenario_names_are_shown_literally(tmp_path, monkeypatch):
    path = tmp_path / "scenarios.sqlite3"
    monkeypatch.setenv("SCORECARD_SCENARIOS", str(path))
    app = open_app("views/scenarios.py")
    for name in SCENARIO_NAMES:
        next(t for t in app.text_input if t.key == "scenario_name").input(name)
        next(b for b in app.button if b.key == "scenario_save").click().run()
        assert not app.exception, app.exception
        assert any(name in as_shown(s.value) for s in app.success)
        assert_no_markdown_injection(app)
    owner = f"session:{app.session_state['scenario_session_id']}"
    assert sorted(ScenarioStore(path).names(owner)) == sorted(SCENARIO_NAMES)
    for name in SCENARIO_NAMES:  # compare A with each: the caption quotes both names
        next(s for s in app.selectbox if s.key == "scenario_b").select(name).run()
        assert not app.exception, app.exception
        assert_no_markdown_injection(app)
    # No file in the store's folder but the database itself.
    assert {p.name for p in tmp_path.iterdir()} <= {
        "scenarios.sqlite3",
        "scenarios.sqlite3-wal",
        "scenarios.sqlite3-shm",
    }


@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_upload_is_shown_literally_on_every_page(page, file_reads):
    values, framework = hostile_upload()
    app = open_app()
    app.session_state["upload_files"] = {"values": values, "framework": framework}
    app.switch_page("views/upload.py").run()
    assert not app.exception, app.exception
    assert app.session_state["uploaded_dataset"].token.startswith("upload-")
    if page != "views/upload.py":
        app.switch_page(page).run()
        assert not app.exception, app.exception
    assert_no_markdown_injection(app)
    # Upload names are never paths: nothing named after them was opened.
    assert not [path for path in file_reads if "passwd" in path or "onerror" in path]


def test_the_upload_page_quotes_the_file_names():
    values, framework = hostile_upload()
    app = open_app()
    app.session_state["upload_files"] = {"values": values, "framework": framework}
    app.switch_page("views/upload.py").run()
    shown = " ".join(as_shown(source) for source in shown_markdown(app))
    assert values.name in shown and framework.name in shown


@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_md_leaves_no_markdown(payload):
    assert markdown_dangers(md(payload)) == []
    assert markdown_dangers(f"**Label**: {md(payload)} and more") == []


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "etc_passwd.toml"),
        ("/etc/passwd", "etc_passwd.toml"),
        ("C:\\Windows\\win.ini", "C__Windows_win.ini.toml"),
        ("a\u202egnp.exe", "agnp.exe.toml"),
        ("..", "download.toml"),
        ("Europe first", "Europe first.toml"),
    ],
)
def test_download_file_names_are_never_paths(name, expected):
    assert file_name(name, ".toml") == expected
