"""Writers for tests/test_scenarios.py, importable in a spawned process (only store.scenarios).

Run as a script (``python tests/scenario_writers.py DB``), it saves scenarios w-0, w-1, ... for
owner "crash" until killed, printing each name only after its transaction has committed.
"""

from __future__ import annotations

import sys

from scoring.method import Method
from store.scenarios import ScenarioStore


def expected(tag: str, k: int) -> Method:
    """The Method writer ``tag`` saves as its k-th scenario (distinct for every tag and k < 100)."""
    return Method(min_coverage=k / 100, indicator_weights={tag: k + 1})


def save_many(path: str, tag: str, count: int, go, ready) -> None:
    """Announce readiness, wait for ``go``, open the store and save ``count`` scenarios."""
    if ready is not None:
        ready.put(tag)
    go.wait(60)
    store = ScenarioStore(path)  # every writer opens the (fresh) file itself
    for k in range(count):
        store.save("team", f"{tag}-{k}", expected(tag, k))


def save_until_killed(path: str) -> None:
    store = ScenarioStore(path)
    print("ready", flush=True)
    k = 0
    while True:
        store.save("crash", f"w-{k}", expected("w", k % 100))
        print(f"w-{k}", flush=True)
        k += 1


if __name__ == "__main__":
    save_until_killed(sys.argv[1])
