"""Shared fixtures: the app served on a free loopback port, and Debian's Chromium for Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

import i18n
from tests.fixtures.freedom_house_fixture import write_workbook as write_freedom_house
from tests.fixtures.heritage_fixture import write_fixture as write_heritage
from tests.fixtures.lowy_fixture import write_fixture as write_lowy
from tests.fixtures.worldbank_fixture import write_workbook as write_worldbank

ROOT = Path(__file__).resolve().parent.parent
# Every test chooses its own scenario store; a developer's own database is never touched: a
# test that names none (and every app server a test starts) writes to a throwaway file.
os.environ.pop("SCORECARD_DATABASE_URL", None)
os.environ["SCORECARD_SCENARIOS"] = str(
    Path(tempfile.mkdtemp(prefix="scorecard-tests-")) / "scenarios.sqlite3"
)
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def find_chromium() -> str | None:
    return (
        os.environ.get("BROWSER_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path:
        return path
    message = "browser tests need Chromium: sudo apt-get install chromium"
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(chromium_path):
    return {"executable_path": chromium_path, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": {"width": 1440, "height": 1000}, "accept_downloads": True}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(chromium_path) -> str:
    """Start `streamlit run app.py` on a free port; stop it after the session."""
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"streamlit exited: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("streamlit did not become healthy within 60 s")
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture
def screenshot(page):
    """Save a named screenshot of the current page into test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path)
        return path

    return take


@pytest.fixture(scope="session")
def sources(tmp_path_factory) -> Path:
    """Every publisher's fixture in one sources folder, binary workbooks written in their formats.
    Tests read it; a test that changes a file works on a copy."""
    folder = tmp_path_factory.mktemp("sources")
    shutil.copytree(Path(__file__).parent / "fixtures" / "sources", folder, dirs_exist_ok=True)
    write_freedom_house(folder)
    write_heritage(folder)
    write_lowy(folder)
    write_worldbank(folder)
    return folder


@pytest.fixture(scope="session")
def built(sources, tmp_path_factory) -> Path:
    """The tables `indicators.build` writes from `sources`."""
    from indicators import build

    out = tmp_path_factory.mktemp("built")
    build.build(sources, out)
    return out


#: The test runner's own main module, kept before any test or fixture has run the app.
RUNNER_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _keep_the_main_module():
    """AppTest runs the app as `__main__` and leaves it there (module fixtures too); a process
    started with spawn would then run the app again before its target, and fail."""
    sys.modules["__main__"] = RUNNER_MAIN
    yield
    sys.modules["__main__"] = RUNNER_MAIN


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A test that reads the app in another language leaves the next one in English."""
    yield
    i18n.use(i18n.DEFAULT)


# ============================================================================ databases
@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for the session (tests/servers.py). Without one the
    PostgreSQL tests skip, unless REQUIRE_POSTGRES is set (CI), where they fail."""
    from tests.servers import PostgresServer, postgres_missing

    if problem := postgres_missing():
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(problem)
        pytest.skip(problem)
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Where a test's scenario store lives: a new SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "scenarios.sqlite3")
    return request.getfixturevalue("postgres_server").create_database()
