"""What the Russian interface adds to a Rankings rerun, measured in-process (Streamlit's AppTest,
no browser): the script's own time, which is where a language can cost anything.

    uv run python -m benchmarks.language [--reruns 21] [--view Table]

Two sessions of the app, one in English and one in Russian, move the same dimension weight in
turn (English first in one round, Russian first in the next) so that both see the same machine
load and the same caches; prints the median
rerun of each and the median of the paired differences against the 20 ms allowed.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.browser import LANGUAGE_COST_LIMIT, SLIDER_DIMENSION  # noqa: E402
from tests.app_driver import open_app, widget  # noqa: E402

SLIDER_KEY = f"dimension_weight_{SLIDER_DIMENSION}"


def rerun_times(reruns: int = 21, view: str = "Chart") -> dict[str, list[float]]:
    """Seconds of each Rankings rerun after a weight change, per language, interleaved, with
    the page's `view` open (its tab, named in English)."""
    apps = {language: open_app("views/rankings.py", lang=language) for language in ("en", "ru")}
    for app in apps.values():
        app.session_state["rankings_view"] = view
    times: dict[str, list[float]] = {language: [] for language in apps}
    for k in range(reruns + 1):  # the first round warms the caches and is not counted
        # Who goes first alternates: the first of a round may find the server's caches colder.
        for language, app in sorted(apps.items(), reverse=k % 2 == 1):
            # A select slider in Russian (views.sliders: the value written with a comma).
            sliders = [*app.slider, *app.select_slider]
            widget(sliders, SLIDER_KEY).set_value(1.25 if k % 2 == 0 else 1.0)
            start = time.perf_counter()
            app.run()
            if app.exception:
                raise RuntimeError(f"{language}: {app.exception}")
            if k:
                times[language].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=21)
    parser.add_argument("--view", default="Chart", help="Rankings tab: Chart, Table, Map, ...")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's bare-mode warnings
    times = rerun_times(args.reruns, args.view)
    paired = statistics.median(ru - en for en, ru in zip(times["en"], times["ru"], strict=True))
    verdict = "pass" if paired <= LANGUAGE_COST_LIMIT else "MISSED"
    print("| measure | median | target |")
    print("|---|---|---|")
    for language, name in (("en", "English"), ("ru", "Russian")):
        median = statistics.median(times[language])
        print(
            f"| Rankings rerun in-process ({args.view}), {name} ({args.reruns} reruns) "
            f"| {median * 1000:.0f} ms | |"
        )
    print(
        f"| Russian minus English (median of the {args.reruns} pairs) | {paired * 1000:+.1f} ms | "
        f"<= {LANGUAGE_COST_LIMIT * 1000:.0f} ms ({verdict}) |"
    )


if __name__ == "__main__":
    main()
