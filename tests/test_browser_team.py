"""The team deployment, for real: two Streamlit servers sharing one PostgreSQL database behind
nginx with deploy/nginx/scorecard.conf (sticky sessions by cookie).

* a scenario saved through one server appears through the other;
* 20 browser sessions, 10 routed to each server, save, rename and delete at once: every change a
  session was told about is in the database, with that session's own method, and no session
  lists another's scenarios;
* a server killed while a session saves loses no save the page confirmed, and nginx sends the
  next visit to the server still running.

Needs PostgreSQL and nginx (Debian's packages): skipped without them, a failure in CI
(REQUIRE_POSTGRES, REQUIRE_NGINX).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import signal
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from playwright.async_api import async_playwright, expect

from indicators.catalogue import load_catalogue
from scoring.method import Method
from store.scenarios import ScenarioStore
from tests.conftest import CHROMIUM_ARGS
from tests.servers import Nginx, free_port, nginx_missing, start_streamlit, stop, wait_healthy

pytestmark = pytest.mark.browser

SESSIONS = 20
OPENING = 4  # pages loading at once
# ms: 20 pages share two cores with two servers, and with the other test worker's pages
WAIT = 120_000
VIEWPORT = {"width": 1024, "height": 700}


@dataclass
class Team:
    proxy: str
    servers: dict[str, object]  # "127.0.0.1:port" -> Popen
    urls: dict[str, str]  # "127.0.0.1:port" -> direct URL
    database_url: str
    logs: list = field(default_factory=list)


def upstream_for(proxy: str, route: str) -> str:
    """The server nginx sends a request with this route cookie to."""
    request = urllib.request.Request(f"{proxy}/_stcore/health")
    request.add_header("Cookie", f"scorecard_route={route}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Scorecard-Upstream"]


def routes(proxy: str, count: int) -> dict[str, list[str]]:
    """`count` route cookies nginx sends to each server, found by asking it."""
    found: dict[str, list[str]] = {}
    k = 0
    while min((len(v) for v in found.values()), default=0) < count or len(found) < 2:
        server = upstream_for(proxy, f"route-{k}")
        found.setdefault(server, []).append(f"route-{k}")
        k += 1
        assert k < 500, f"nginx routes every key to one server: {found.keys()}"
    return {server: keys[:count] for server, keys in found.items()}


@pytest.fixture(scope="module")
def team(postgres_server, chromium_path, tmp_path_factory):
    if problem := nginx_missing():
        if os.environ.get("REQUIRE_NGINX"):
            pytest.fail(problem)
        pytest.skip(problem)
    database_url = postgres_server.create_database()
    ScenarioStore(database_url)  # migrate once, before the servers start
    folder = tmp_path_factory.mktemp("team")
    ports = [free_port(), free_port()]
    env = {"SCORECARD_DATABASE_URL": database_url}
    processes = [start_streamlit(port, env, folder / f"server-{port}.log") for port in ports]
    nginx = None
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}", process)
        nginx = Nginx(*ports).start()
        yield Team(
            proxy=nginx.url,
            servers={f"127.0.0.1:{p}": proc for p, proc in zip(ports, processes, strict=True)},
            urls={f"127.0.0.1:{p}": f"http://127.0.0.1:{p}" for p in ports},
            database_url=database_url,
            logs=[folder / f"server-{port}.log" for port in ports],
        )
    finally:
        if nginx is not None:
            nginx.stop()
        for process in processes:
            stop(process)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_thread(work):
    """Run a coroutine in its own thread: sync Playwright in other tests keeps a loop here."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, work).result()


async def new_context(browser, proxy: str, route: str | None, charts: bool = True):
    """A browser context, sent to one server by its route cookie (None: nginx picks).
    ``charts=False`` never loads Streamlit's plotly component: the comparison chart is not what
    these tests are about, and drawing it in 20 pages at once doubles their time."""
    context = await browser.new_context(viewport=VIEWPORT)
    if not charts:
        await context.route(re.compile(r"/PlotlyChart\.[^/]*\.js$"), lambda route: route.abort())
    if route:
        await context.add_cookies([{"name": "scorecard_route", "value": route, "url": proxy}])
    return context


async def open_page(context, proxy: str, query: str = ""):
    """A new page (a Streamlit session of its own) on the Scenarios page; (page, server)."""
    page = await context.new_page()
    response = await page.goto(f"{proxy}/scenarios{query}", timeout=WAIT)
    await expect(page.get_by_role("textbox", name="Team key (optional)")).to_be_visible(
        timeout=WAIT
    )
    # "a, b" when nginx tried a first and it failed: the page came from b
    return page, response.headers["x-scorecard-upstream"].split(", ")[-1]


async def open_scenarios(browser, proxy: str, route: str | None, query: str = ""):
    """A new browser context on the Scenarios page through nginx; (context, page, server)."""
    context = await new_context(browser, proxy, route)
    page, server = await open_page(context, proxy, query)
    return context, page, server


async def use_team_key(page, key: str) -> None:
    await page.get_by_role("textbox", name="Team key (optional)").fill(key)
    await page.get_by_role("textbox", name="Team key (optional)").press("Enter")


async def idle(page) -> None:
    """Until the page's run has finished, as a person waits before typing: text typed while a
    run is still drawing the page can be put back to the run's value when it ends."""
    await expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=WAIT)


async def save(page, name: str) -> None:
    await idle(page)
    await page.get_by_label("Scenario name").fill(name)
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text(f"Saved the current method as “{name}”.")).to_be_visible(
        timeout=WAIT
    )


async def listed_names(page, expected_count: int) -> list[str]:
    """The names in the page's saved-scenarios table (its first column's cells, which the grid
    keeps in the page for screen readers), once it shows `expected_count` rows."""
    cells = page.get_by_test_id("stDataFrame").first.locator('[data-testid^="glide-cell-0-"]')
    await expect(cells).to_have_count(expected_count, timeout=WAIT)
    return sorted(await cells.all_text_contents())


def stored(database_url: str, owner: str) -> dict[str, Method]:
    return {s.name: s.method for s in ScenarioStore(database_url).list(owner)}


# ============================================================================ one, then the other
async def _saved_on_one_seen_on_the_other(team: Team, chromium: str) -> tuple:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            # Fresh sessions with no cookie: nginx picks at random; keep one on each server.
            pages: dict[str, object] = {}
            for _ in range(40):
                context, page, server = await open_scenarios(browser, team.proxy, None)
                if server in pages:
                    await context.close()
                    continue
                pages[server] = page
                if len(pages) == 2:
                    break
            first, second = sorted(pages)
            await use_team_key(pages[first], "shared team")
            await expect(pages[first].get_by_text("No saved scenarios yet")).to_be_visible(
                timeout=WAIT
            )
            await save(pages[first], "Saved on the first server")
            await use_team_key(pages[second], "shared team")
            seen = await listed_names(pages[second], 1)
            # Later requests from each page keep the cookie and so the server.
            cookies = {s: await pages[s].context.cookies() for s in pages}
            routes_kept = {
                s: next(c["value"] for c in cookies[s] if c["name"] == "scorecard_route")
                for s in pages
            }
            return seen, {s: upstream_for(team.proxy, routes_kept[s]) for s in pages}
        finally:
            await browser.close()


def test_a_scenario_saved_through_one_server_appears_through_the_other(team, chromium_path):
    seen, sticky = in_thread(_saved_on_one_seen_on_the_other(team, chromium_path))
    assert seen == ["Saved on the first server"]
    assert sticky == {server: server for server in team.servers}  # both used, each kept
    assert list(stored(team.database_url, "team:shared team")) == ["Saved on the first server"]


# ============================================================================ 20 at once
@dataclass
class Ledger:
    """What one session was told: its team, method, server, and the names that must exist."""

    index: int
    team: str
    method_query: str
    server: str = ""
    names: set[str] = field(default_factory=set)
    listed: list[str] = field(default_factory=list)
    step: str = ""  # what the session was doing last: an error names it
    error: str | None = None


async def noted(ledger: Ledger, error: Exception, page=None) -> None:
    """The error, the step, and what the page said last (its alerts), for the failure report."""
    said = ""
    if page is not None:
        with contextlib.suppress(Exception):
            said = " | ".join(await page.get_by_role("alert").all_inner_texts())
    ledger.error = f"{ledger.step}: {type(error).__name__}: {str(error).splitlines()[0]}"
    ledger.error += f" (page: {said})" if said else ""


async def open_session(context, proxy: str, ledger: Ledger, opening: asyncio.Semaphore):
    """A page of its own, on its team's empty list; None (and the error noted) if it fails.
    Opening is the costly part (the browser loads and lays out the app), so only a few pages
    open at a time; what is under test, the saves, then runs in all 20 at once."""
    async with opening:
        try:
            ledger.step = "open"
            page, ledger.server = await open_page(context, proxy, ledger.method_query)
            ledger.step = "team key"
            await use_team_key(page, ledger.team)
            await expect(page.get_by_text("No saved scenarios yet")).to_be_visible(timeout=WAIT)
            return page
        except Exception as error:  # noted, and the others go on
            await noted(ledger, error)
            return None


async def save_rename_delete(page, ledger: Ledger) -> None:
    try:
        ledger.step = "save draft"
        await save(page, "draft")
        ledger.names.add("draft")
        ledger.step = "save extra"
        await save(page, "extra")
        ledger.names.add("extra")
        # The list is [draft, extra]; the chosen one is the first.
        ledger.step = "rename"
        await idle(page)
        await page.get_by_label("New name").fill("final")
        await page.get_by_role("button", name="Rename").click()
        await expect(page.get_by_text("Renamed “draft” to “final”.")).to_be_visible(timeout=WAIT)
        ledger.names = {"final", "extra"}
        ledger.step = "delete"
        await page.get_by_role("button", name="Delete").click()
        deleted = page.get_by_text(re.compile(r"^Deleted “(extra|final)”\.$"))
        await expect(deleted).to_be_visible(timeout=WAIT)
        ledger.names.discard(re.search(r"“(.+)”", await deleted.inner_text()).group(1))
        ledger.step = "list"
        ledger.listed = await listed_names(page, len(ledger.names))
    except Exception as error:  # noted, and the others go on
        await noted(ledger, error, page)
    finally:
        await page.close()


async def _twenty_sessions(team: Team, chromium: str, ledgers: list[Ledger]) -> float:
    by_server = routes(team.proxy, 1)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            # One context per server, 10 pages in each: every page is a Streamlit session of
            # its own, and the pages of a context share its cache, so the app's scripts are
            # fetched and compiled twice rather than 20 times.
            contexts = [
                await new_context(browser, team.proxy, by_server[server][0], charts=False)
                for server in sorted(by_server)
            ]
            start = time.perf_counter()
            opening = asyncio.Semaphore(OPENING)
            pages = await asyncio.gather(
                *(
                    open_session(contexts[i % 2], team.proxy, ledger, opening)
                    for i, ledger in enumerate(ledgers)
                )
            )
            # Every session is open and connected: now all of them write at once.
            await asyncio.gather(
                *(
                    save_rename_delete(page, ledger)
                    for page, ledger in zip(pages, ledgers, strict=True)
                    if page is not None
                )
            )
            return time.perf_counter() - start
        finally:
            await browser.close()


def test_twenty_sessions_on_two_servers_lose_nothing(team, chromium_path):
    dimensions = list(dict.fromkeys(load_catalogue().framework()["dimension"]))
    # Session i's own method, unsaved until it saves: one dimension weighted 2, 3 or 4.
    ledgers = [
        Ledger(
            index=i,
            team=f"team {i}",
            method_query=f"?dw={dimensions[i % len(dimensions)]}:{2 + i // len(dimensions)}",
        )
        for i in range(SESSIONS)
    ]
    assert len({ledger.method_query for ledger in ledgers}) == SESSIONS
    cpu_before = {s: cpu_seconds(p.pid) for s, p in team.servers.items()}
    seconds = in_thread(_twenty_sessions(team, chromium_path, ledgers))
    cpu = {s: round(cpu_seconds(p.pid) - cpu_before[s], 1) for s, p in team.servers.items()}
    print(f"20 sessions on two servers: {seconds:.1f} s; server CPU seconds {cpu}")

    assert [ledger.error for ledger in ledgers] == [None] * SESSIONS
    servers = [ledger.server for ledger in ledgers]
    assert {s: servers.count(s) for s in set(servers)} == {s: 10 for s in team.servers}
    for ledger in ledgers:
        expected_method = Method.from_query(dict([ledger.method_query[1:].split("=")]))
        in_database = stored(team.database_url, f"team:{ledger.team}")
        # Everything the page confirmed, nothing else, each with this session's own method.
        assert set(in_database) == ledger.names and len(ledger.names) == 1, ledger
        assert all(m == expected_method for m in in_database.values()), ledger
        assert ledger.listed == sorted(ledger.names), ledger  # the page lists its own only
    for log in team.logs:
        assert "Traceback" not in log.read_text(errors="replace")


# ============================================================================ a server dies
async def _kill_while_saving(team: Team, chromium: str, victim: str, seed: int) -> tuple:
    by_server = routes(team.proxy, 1)
    survivor = next(s for s in team.servers if s != victim)
    confirmed: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context, page, server = await open_scenarios(browser, team.proxy, by_server[victim][0])
            assert server == victim
            await use_team_key(page, "crash team")
            await expect(page.get_by_text("No saved scenarios yet")).to_be_visible(timeout=WAIT)
            rng = random.Random(seed)
            kill_after = rng.randint(2, 4)
            for k in range(8):
                name = f"save {k}"
                await idle(page)
                await page.get_by_label("Scenario name").fill(name)
                await page.get_by_role("button", name="Save").click()
                if k == kill_after:  # mid-save: the click is on its way or being handled
                    await asyncio.sleep(rng.uniform(0.0, 0.3))
                    team.servers[victim].send_signal(signal.SIGKILL)
                    break
                await expect(
                    page.get_by_text(f"Saved the current method as “{name}”.")
                ).to_be_visible(timeout=WAIT)
                confirmed.append(name)
            await context.close()
            # The same route cookie, now with its server gone: nginx sends it to the other.
            context, page, server = await open_scenarios(browser, team.proxy, by_server[victim][0])
            await use_team_key(page, "crash team")
            names = set(stored(team.database_url, "team:crash team"))
            listed = await listed_names(page, len(names))
            return confirmed, kill_after, server, survivor, listed
        finally:
            await browser.close()


def test_a_server_killed_mid_save_loses_no_confirmed_save(team, chromium_path):
    victim = sorted(team.servers)[0]
    confirmed, kill_after, server, survivor, listed = in_thread(
        _kill_while_saving(team, chromium_path, victim, seed=7)
    )
    assert team.servers[victim].wait(10) == -signal.SIGKILL
    assert len(confirmed) == kill_after  # every save before the kill was confirmed
    names = set(stored(team.database_url, "team:crash team"))
    # Every confirmed save is there; the one in flight is all or nothing.
    assert set(confirmed) <= names <= set(confirmed) | {f"save {kill_after}"}
    assert server == survivor and listed == sorted(names)  # and the other server shows them
    for name in names:
        assert ScenarioStore(team.database_url).load("team:crash team", name) == Method()
