"""Many browser sessions on one server: errors, rerun latency and the server's memory.

    uv run python -m benchmarks.load [--sessions 20] [--moves 5] [--cycles 2] [--timeout 900]
                                     [--servers 1|2]

``--servers 2`` measures the team deployment instead: a PostgreSQL server (tests/servers.py,
Debian's postgresql, fsync on), two Streamlit servers sharing it, and nginx in front with
deploy/nginx/scorecard.conf; the sessions open through nginx, which spreads them by cookie.
Memory is then the sum over both servers, and the table says how many sessions each held.

Starts `streamlit run app.py` on a free loopback port with a short
``server.disconnectedSessionTTL`` (``--session-ttl``, default 10 s; Streamlit's default is 120 s)
so that the server forgets closed sessions within the run, and opens one headless Chromium. After
one warm-up session (which loads the shipped data into the server's cache), each cycle:

1. notes the server's resident memory (RSS, from /proc) with no session open;
2. opens ``--sessions`` browser contexts at once, each on the Rankings page, and notes the RSS;
3. in every session at once, moves one dimension-weight slider ``--moves`` times (session i moves
   dimension i mod 8), timing each key press to its finished rerun as benchmarks/browser.py does;
4. checks every page for errors: exception elements, "Connection error", console errors, page
   errors, a slider that did not end where the key presses put it, and tracebacks the server
   wrote to stderr;
5. closes every context, waits past the session TTL, opens and closes one probe session (Streamlit
   reaps expired sessions when it stores another one) and notes the RSS again.

Every cycle moves the same sliders the same way, so the second cycle finds the scorecards of the
first in the cache: memory that still grows from one cycle to the next is a leak, not a cache
filling. The whole run is bounded by ``--timeout`` seconds per cycle. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.browser import BARS, STATUS_WIDGET, URL_CHANGED, serve  # noqa: E402
from tests.conftest import CHROMIUM_ARGS, find_chromium  # noqa: E402
from tests.servers import (  # noqa: E402
    Nginx,
    PostgresServer,
    free_port,
    start_streamlit,
    stop,
    wait_healthy,
)

VIEWPORT = {"width": 1440, "height": 1000}
#: The dimension-weight sliders, in the catalogue's order (their labels are the dimension names).
SLIDERS = (
    "Media reach",
    "Migrant integration",
    "EITI participation",
    "Diaspora alignment",
    "Visa openness",
    "Democratic credentials",
    "Normative alignment",
    "Cultural diplomacy",
)
MAX_WEIGHT, STEP = 5.0, 0.25
#: Key presses turn back every this many moves, so the weight stays inside 0..5.
TURN = 8
MB = 1024 * 1024


@dataclass
class Cycle:
    """What one cycle measured. Memory in bytes, times in seconds."""

    sessions: int
    moves: int
    rss_before: int = 0
    rss_open: int = 0
    rss_moved: int = 0
    rss_after: int = 0
    rss_peak: int = 0
    opened: int = 0
    open_times: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    active_after: int | None = None
    #: Sessions each server held with all of them open (one entry per server).
    spread: list[int | None] = field(default_factory=list)
    load_before: str = ""
    load_after: str = ""

    @property
    def per_session(self) -> float:
        return (self.rss_open - self.rss_before) / max(self.sessions, 1)


# ---------------------------------------------------------------- the server, from outside
def memory(pid: int) -> tuple[int, int]:
    """(resident, peak resident) bytes of process `pid`, from /proc/<pid>/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024  # reported in kB
    return fields["VmRSS"], fields["VmHWM"]


def active_sessions(url: str) -> int | None:
    """Streamlit's own count of connected sessions (its /_stcore/metrics endpoint)."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return None
    match = re.search(r"^active_sessions (\d+)", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def tracebacks(log: Path) -> int:
    return log.read_text(errors="replace").count("Traceback (most recent call last)")


# ---------------------------------------------------------------- one browser session
def expected_weight(moves: int, start: float) -> float:
    """Where a slider starting at `start` ends after `moves` presses (right, turning every TURN)."""
    weight = start
    for move in range(moves):
        weight += STEP if (move // TURN) % 2 == 0 else -STEP
    return weight


class Session:
    """One browser context on the app; collects its own errors."""

    def __init__(self, index: int, timeout_ms: float) -> None:
        self.index = index
        self.timeout_ms = timeout_ms
        self.slider_name = SLIDERS[index % len(SLIDERS)]
        self.errors: list[str] = []
        self.start_weight = float("nan")  # the slider's value as the page opened
        self.context = None
        self.page = None

    def _note(self, what: str) -> None:
        self.errors.append(f"session {self.index}: {what}")

    async def open(self, browser, url: str) -> float:
        """Open the Rankings page; seconds until its ranking chart is drawn and the script idle."""
        self.context = await browser.new_context(viewport=VIEWPORT)
        self.page = page = await self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self._note(f"console: {m.text}"))
        page.on("pageerror", lambda error: self._note(f"page error: {error}"))
        start = time.perf_counter()
        await page.goto(url, timeout=self.timeout_ms)
        await page.locator(BARS).first.wait_for(timeout=self.timeout_ms)
        await page.get_by_test_id(STATUS_WIDGET).wait_for(state="hidden", timeout=self.timeout_ms)
        opened = time.perf_counter() - start
        slider = page.get_by_role("slider", name=self.slider_name)
        self.start_weight = float(await slider.get_attribute("aria-valuetext"))
        return opened

    async def timed_press(self, key: str) -> float:
        """benchmarks.browser.timed_press for the async API: key press to the finished rerun."""
        page = self.page
        slider = page.get_by_role("slider", name=self.slider_name)
        before = page.url
        await slider.focus()
        start = time.perf_counter()
        await page.keyboard.press(key)
        await page.wait_for_function(URL_CHANGED, arg=before, timeout=self.timeout_ms)
        await page.get_by_test_id(STATUS_WIDGET).wait_for(state="hidden", timeout=self.timeout_ms)
        return time.perf_counter() - start

    async def move(self, moves: int) -> list[float]:
        times = []
        for move in range(moves):
            key = "ArrowRight" if (move // TURN) % 2 == 0 else "ArrowLeft"
            times.append(await self.timed_press(key))
        return times

    async def check(self, moves: int) -> None:
        """Note what is wrong on the page now."""
        page = self.page
        if count := await page.get_by_test_id("stException").count():
            self._note(f"{count} exception element(s) on the page")
        if await page.get_by_text("Connection error").count():
            self._note('"Connection error" shown')
        value = await page.get_by_role("slider", name=self.slider_name).get_attribute(
            "aria-valuetext"
        )
        expected = expected_weight(moves, self.start_weight)
        if value != f"{expected:.2f}":
            self._note(f"{self.slider_name} slider at {value}, expected {expected:.2f}")

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()


async def _guarded(session: Session, step) -> object:
    """Run one session's step; an exception becomes that session's error, not the run's end."""
    try:
        return await step
    except Exception as error:  # a timeout or a closed page: report it, keep the others going
        session._note(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        return None


# ---------------------------------------------------------------- one cycle
async def settle(browser, urls: list[str], ttl: float, timeout_ms: float) -> None:
    """Wait until the servers may forget closed sessions, then make each reap them: Streamlit
    removes expired sessions when it stores a disconnected one, so open and close a probe on
    every server (directly, not through the proxy)."""
    await asyncio.sleep(ttl + 1)
    for url in urls:
        probe = Session(-1, timeout_ms)
        try:
            await probe.open(browser, url)
        finally:
            await probe.close()
    await asyncio.sleep(2)  # the probe's disconnect, and the collector, run on the server


@dataclass
class Deployment:
    """Where the sessions go (``url``) and the servers behind it."""

    url: str
    pids: list[int]
    logs: list[Path]
    servers: list[str]  # each server's own URL

    def memory(self) -> tuple[int, int]:
        """Resident and peak resident bytes, summed over the servers."""
        both = [memory(pid) for pid in self.pids]
        return sum(m[0] for m in both), sum(m[1] for m in both)

    def tracebacks(self) -> int:
        return sum(tracebacks(log) for log in self.logs)

    def active_sessions(self) -> list[int | None]:
        return [active_sessions(url) for url in self.servers]


@contextlib.contextmanager
def deployment(servers: int, ttl: float, folder: Path):
    """One server on a free port, or (``servers=2``) PostgreSQL, two servers and nginx."""
    options = ("--server.disconnectedSessionTTL", str(int(ttl)))
    if servers == 1:
        log = folder / "streamlit.log"
        with log.open("w") as stderr, serve(*options, stderr=stderr) as (url, app):
            yield Deployment(url, [app.pid], [log], [url])
        return
    if servers != 2:
        raise ValueError(f"--servers: 1 or 2 (deploy/nginx/scorecard.conf has two), got {servers}")
    database = PostgresServer(fsync=True).start()
    processes, nginx = [], None
    try:
        env = {"SCORECARD_DATABASE_URL": database.create_database()}
        ports = [free_port(), free_port()]
        logs = [folder / f"streamlit-{port}.log" for port in ports]
        processes = [
            start_streamlit(port, env, log, *options) for port, log in zip(ports, logs, strict=True)
        ]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes, strict=True):
            wait_healthy(url, process)
        nginx = Nginx(*ports).start()
        yield Deployment(nginx.url, [p.pid for p in processes], logs, urls)
    finally:
        if nginx is not None:
            nginx.stop()
        for process in processes:
            stop(process)
        database.stop()


async def cycle(
    browser, where: Deployment, sessions: int, moves: int, ttl: float, timeout: float
) -> Cycle:
    timeout_ms = timeout * 1000
    url = where.url
    result = Cycle(sessions, moves, load_before=load_average())
    result.rss_before = where.memory()[0]
    tracebacks_before = where.tracebacks()
    opened = [Session(i, timeout_ms) for i in range(sessions)]
    try:
        times = await asyncio.gather(*(_guarded(s, s.open(browser, url)) for s in opened))
        result.open_times = [t for t in times if t is not None]
        result.opened = len(result.open_times)
        result.rss_open = where.memory()[0]
        result.spread = where.active_sessions()
        ready = [s for s, t in zip(opened, times, strict=True) if t is not None]
        moved = await asyncio.gather(*(_guarded(s, s.move(moves)) for s in ready))
        result.latencies = [t for times in moved if times for t in times]
        result.rss_moved, result.rss_peak = where.memory()
        for session in ready:
            await _guarded(session, session.check(moves))
    finally:
        for session in opened:
            await _guarded(session, session.close())
    await settle(browser, where.servers, ttl, timeout_ms)
    result.rss_after = where.memory()[0]
    active = where.active_sessions()
    result.active_after = None if None in active else sum(active)
    result.errors = [e for s in opened for e in s.errors]
    if new := where.tracebacks() - tracebacks_before:
        result.errors.append(f"server: {new} traceback(s) in its log")
    result.load_after = load_average()
    return result


async def run(
    sessions: int,
    moves: int,
    cycles: int = 2,
    timeout: float = 900,
    ttl: float = 10,
    servers: int = 1,
) -> list[Cycle]:
    """Start the app (``servers`` of them behind nginx) and a browser, warm up with one session
    per server, then run `cycles` cycles."""
    with (
        tempfile.TemporaryDirectory() as folder,
        deployment(servers, ttl, Path(folder)) as where,
    ):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=find_chromium(), args=CHROMIUM_ARGS
            )
            try:
                for server in where.servers:  # each loads the shipped data into its cache
                    warm_up = Session(-1, timeout * 1000)
                    try:
                        await warm_up.open(browser, server)
                    finally:
                        await warm_up.close()
                await settle(browser, where.servers, ttl, timeout * 1000)
                results = []
                for _ in range(cycles):
                    results.append(
                        await asyncio.wait_for(
                            cycle(browser, where, sessions, moves, ttl, timeout), timeout
                        )
                    )
                return results
            finally:
                await browser.close()


# ---------------------------------------------------------------- report
def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between order statistics; NaN for no values."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def table(results: list[Cycle]) -> str:
    def row(label: str, cells) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    def mb(value: float) -> str:
        return f"{value / MB:.1f} MB"

    heads = [f"cycle {i}" for i in range(1, len(results) + 1)]
    first = results[0]
    lines = [
        row("measure", heads),
        "|---|" + "---|" * len(results),
        row("sessions opened / asked", [f"{c.opened} / {c.sessions}" for c in results]),
        row(
            "page open to drawn chart, p50 / p95",
            [
                f"{percentile(c.open_times, 50):.2f} / {percentile(c.open_times, 95):.2f} s"
                for c in results
            ],
        ),  # fmt: skip
        row(
            f"rerun after a key press, p50 / p95 ({first.sessions} x {first.moves} moves)",
            [
                f"{percentile(c.latencies, 50) * 1000:.0f} / {percentile(c.latencies, 95) * 1000:.0f} ms"
                for c in results
            ],
        ),  # fmt: skip
        row("server RSS before the sessions", [mb(c.rss_before) for c in results]),
        row(f"server RSS with {first.sessions} sessions open", [mb(c.rss_open) for c in results]),
        row(
            "per-session increment (open - before) / sessions", [mb(c.per_session) for c in results]
        ),  # fmt: skip
        row(
            "server RSS after the moves (peak so far)",
            [f"{mb(c.rss_moved)} ({mb(c.rss_peak)})" for c in results],
        ),  # fmt: skip
        row("server RSS after close and session clean-up", [mb(c.rss_after) for c in results]),
        row(
            "growth from cycle 1 (after clean-up)",
            [f"{(c.rss_after - first.rss_after) / MB:+.1f} MB" for c in results],
        ),  # fmt: skip
        row(
            "sessions per server with all open",
            [" + ".join(str(n) for n in c.spread) for c in results],
        ),  # fmt: skip
        row("active sessions after clean-up", [str(c.active_after) for c in results]),
        row("errors", [str(len(c.errors)) for c in results]),
        row("load average before / after", [f"{c.load_before} / {c.load_after}" for c in results]),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions at once")
    parser.add_argument("--moves", type=int, default=5, help="slider moves per session")
    parser.add_argument("--cycles", type=int, default=2, help="open-move-close cycles")
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds allowed per cycle and per wait"
    )
    parser.add_argument(
        "--session-ttl", type=float, default=10, help="server.disconnectedSessionTTL, seconds"
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        choices=(1, 2),
        help="2: two servers sharing PostgreSQL behind nginx (needs postgresql and nginx)",
    )
    args = parser.parse_args()
    if not find_chromium():
        sys.exit("benchmarks.load needs Chromium: sudo apt-get install chromium")
    results = asyncio.run(
        run(args.sessions, args.moves, args.cycles, args.timeout, args.session_ttl, args.servers)
    )
    if args.servers == 1:
        print(f"{os.cpu_count()} CPUs; the server is one Python process (RSS of that process).\n")
    else:
        print(
            f"{os.cpu_count()} CPUs; two server processes behind nginx, sharing PostgreSQL "
            "(RSS summed over the two; PostgreSQL and nginx not counted).\n"
        )
    print(table(results))
    errors = [e for c in results for e in c.errors]
    for error in errors[:50]:
        print(f"- {error}")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
