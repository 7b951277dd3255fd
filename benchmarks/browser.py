"""Cold start and rerun latency of the dashboard, measured in headless Chromium.

    uv run python -m benchmarks.browser [--runs 3]
    uv run python -m benchmarks.browser --language [--presses 21]

Starts `streamlit run app.py` on a free loopback port, opens it in Debian's Chromium and prints a
table: time from spawning the server to the first content (the page title) and to the first drawn
chart (Rankings opens on it), the median time from a dimension-weight key press to the redrawn
ranking chart and to the redrawn rank-interval chart (Robustness, 1,000 Monte Carlo draws), and
what the Russian interface costs a rerun: the same key press on Rankings in English and in Russian,
two pages of one server pressed in turn, the medians compared with the 20 ms allowed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM_ARGS, _free_port, find_chromium  # noqa: E402

#: The slider the latency figures move (any dimension weight reruns the same pipeline).
SLIDER = "Democratic credentials"
SLIDER_DIMENSION = "democratic_credentials"  # its id: the Russian page names it in Russian
#: What a language switch may add to a rerun (issue: "must not slow a rerun by more than 20 ms").
LANGUAGE_COST_LIMIT = 0.020
#: A rerun has finished when the URL has changed (this, with the old URL as argument) and the
#: status widget, shown while the script runs, is hidden.
URL_CHANGED = "url => window.location.href !== url"
STATUS_WIDGET = "stStatusWidget"
#: A plotly chart, its drawn bars, and a test that it was drawn again (its subtitle names the
#: weights, so a weight change always changes it).
CHART = ".stPlotlyChart .js-plotly-plot"
BARS = f"{CHART} .barlayer .trace"
CHART_CHANGED = "([selector, before]) => document.querySelector(selector)?.innerHTML !== before"


def spawn_app(port: int, *options: str, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:`port`, plus extra `--section.option value` pairs."""
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *options],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr,
    )  # fmt: skip


def stop_app(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@contextmanager
def serve(*options: str, stderr=subprocess.DEVNULL) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app on a free loopback port: yields (url, process) once /_stcore/health answers,
    stops the process after."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = spawn_app(port, *options, stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(
                        f"streamlit exited with status {server.returncode}"
                    ) from None
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not become healthy within 60 s") from None
                time.sleep(0.05)
        yield url, server
    finally:
        stop_app(server)


def timed_press(page, slider, key: str = "ArrowRight", timeout_ms: float = 30_000) -> float:
    """Seconds from a key press on `slider` to the rerun it causes: the URL carries the new
    weight, the status widget (shown while the script runs) has gone and the chart's bars are
    drawn again."""
    before, chart = page.url, page.locator(CHART).first.inner_html()
    slider.focus()
    start = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function(URL_CHANGED, arg=before, timeout=timeout_ms)
    page.get_by_test_id(STATUS_WIDGET).wait_for(state="hidden", timeout=timeout_ms)
    page.wait_for_function(CHART_CHANGED, arg=[CHART, chart], timeout=timeout_ms)
    return time.perf_counter() - start


def cold_start(browser) -> tuple[float, float]:
    """Seconds from spawning the server to the page title and to the first drawn chart; the page
    is opened as soon as the server answers, as `streamlit run` opens the browser."""
    started = time.perf_counter()
    with serve() as (url, _):
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(url, timeout=60_000)
        page.get_by_role("heading", name="Rankings").wait_for(timeout=60_000)
        content = time.perf_counter() - started
        page.locator(BARS).first.wait_for(timeout=60_000)
        chart = time.perf_counter() - started
        page.close()
        return content, chart


def rerun_latency(browser, path: str = "", presses: int = 9) -> float:
    """Median seconds from a weight key press to the redrawn chart of the page at `path`."""
    with serve() as (url, _):
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{url}/{path}", timeout=60_000)
        page.locator(BARS).first.wait_for(timeout=60_000)
        slider = page.get_by_role("slider", name=SLIDER)
        return statistics.median(timed_press(page, slider) for _ in range(presses))


def slider_name(language: str) -> str:
    """The benchmark slider's label as the page in `language` shows it (the dimension's name)."""
    import i18n
    from indicators.catalogue import load_catalogue

    i18n.use(language)
    try:
        return load_catalogue().dimension_names()[SLIDER_DIMENSION]
    finally:
        i18n.use(i18n.DEFAULT)


def language_cost(browser, presses: int = 21) -> dict[str, float]:
    """Median seconds from a weight key press to the redrawn ranking chart, in English and in
    Russian, and the median of the paired differences (Russian minus the English press just
    before or after it): one server, a page in each language, pressed in turn (who goes first
    alternates) so that both see the same machine load and caches. The presses go right, then left, so the weight moves every time and never
    reaches an end of the slider."""
    times: dict[str, list[float]] = {"en": [], "ru": []}
    with serve() as (url, _):
        pages, sliders = {}, {}
        for language in times:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            query = "" if language == "en" else f"?lang={language}"
            page.goto(f"{url}/{query}", timeout=60_000)
            page.locator(BARS).first.wait_for(timeout=60_000)
            pages[language] = page
            sliders[language] = page.get_by_role("slider", name=slider_name(language))
        for language, page in pages.items():  # one unmeasured rerun each: warm the caches
            timed_press(page, sliders[language], "ArrowRight")
            timed_press(page, sliders[language], "ArrowLeft")
        for k in range(presses):
            key = "ArrowRight" if k % 2 == 0 else "ArrowLeft"
            # Who goes first alternates: the first of a round may find the caches colder.
            for language, page in sorted(pages.items(), reverse=k % 2 == 1):
                times[language].append(timed_press(page, sliders[language], key))
        for page in pages.values():
            page.close()
    medians = {language: statistics.median(seconds) for language, seconds in times.items()}
    pairs = zip(times["en"], times["ru"], strict=True)
    return medians | {"paired": statistics.median(ru - en for en, ru in pairs)}


def print_language_cost(medians: dict[str, float], presses: int) -> None:
    extra = medians["paired"]
    verdict = "pass" if extra <= LANGUAGE_COST_LIMIT else "MISSED"
    print(
        f"| Rankings rerun, English ({presses} presses, interleaved) | "
        f"{medians['en'] * 1000:.0f} ms | |"
    )
    print(
        f"| Rankings rerun, Russian ({presses} presses, interleaved) | "
        f"{medians['ru'] * 1000:.0f} ms | |"
    )
    print(
        f"| Russian minus English (median of the {presses} pairs) | {extra * 1000:+.0f} ms | "
        f"<= {LANGUAGE_COST_LIMIT * 1000:.0f} ms ({verdict}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--language", action="store_true", help="only the cost of the Russian interface"
    )
    parser.add_argument("--presses", type=int, default=21, help="per language (--language)")
    args = parser.parse_args()
    if args.language:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=find_chromium(), args=CHROMIUM_ARGS
            )
            medians = language_cost(browser, args.presses)
            browser.close()
        print("| measure | median | target |")
        print("|---|---|---|")
        print_language_cost(medians, args.presses)
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        starts = [cold_start(browser) for _ in range(args.runs)]
        rankings = rerun_latency(browser)
        intervals = rerun_latency(browser, "robustness")
        languages = language_cost(browser, args.presses)
        browser.close()
    content = statistics.median(s[0] for s in starts)
    chart = statistics.median(s[1] for s in starts)
    print("| measure | median | target |")
    print("|---|---|---|")
    print(f"| cold start to first content ({args.runs} runs) | {content:.2f} s | <= 3 s |")
    print(f"| cold start to first chart ({args.runs} runs) | {chart:.2f} s | <= 4 s |")
    for name, latency in [("ranking chart", rankings), ("rank-interval chart", intervals)]:
        print(
            f"| weight key press to redrawn {name} (9 presses) | {latency * 1000:.0f} ms | <= 300 ms |"
        )
    print_language_cost(languages, args.presses)


if __name__ == "__main__":
    main()
