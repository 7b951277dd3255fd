"""Several browser sessions on one server at once (benchmarks.load, small): no errors, and the
server's memory comes back after the sessions close.

The benchmark starts its own server rather than using the `app_url` fixture: it needs the
server's process id for its memory and a short session TTL so closed sessions are forgotten
within the test (Streamlit keeps a disconnected session 120 s by default).
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.load import MB, Cycle, run

pytestmark = pytest.mark.browser

SESSIONS, MOVES = 3, 2
#: After close and clean-up the server may keep what the moves added to its bounded caches
#: (about 0.2 MB per new scorecard, SESSIONS x MOVES of them) and allocator slack; a session
#: that were never freed would also show as growth from one cycle to the next.
AFTER_CLOSE_BOUND = 20 * MB
CYCLE_GROWTH_BOUND = 5 * MB


def test_concurrent_sessions_rerun_without_errors_and_free_their_memory(chromium_path):
    # In its own thread: other browser tests' sync Playwright keeps an event loop running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        work = run(SESSIONS, MOVES, cycles=2, timeout=120, ttl=1)
        cycles: list[Cycle] = thread.submit(asyncio.run, work).result()

    for cycle in cycles:
        assert cycle.errors == []
        assert cycle.opened == SESSIONS
        assert len(cycle.latencies) == SESSIONS * MOVES
        assert all(0 < t < 120 for t in cycle.latencies)
        assert cycle.active_after == 0  # Streamlit counts no connected session
        assert cycle.rss_before > 50 * MB  # really the server's memory, with the data loaded
        assert cycle.rss_after - cycle.rss_before < AFTER_CLOSE_BOUND
    first, second = cycles
    assert second.rss_after - first.rss_after < CYCLE_GROWTH_BOUND
