"""Cold start and rerun latency of the dashboard, measured in headless Chromium.

    uv run python -m benchmarks.browser [--runs 3]

Starts `streamlit run app.py` on a free loopback port, opens it in Debian's Chromium and prints a
table: time from spawning the server to the first content (the page title) and to the first drawn
chart, and the median time from a dimension-weight key press to the updated ranking table.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM_ARGS, _free_port, find_chromium  # noqa: E402


def cold_start(browser) -> tuple[float, float]:
    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}", timeout=1000)
                break
            except Exception:
                time.sleep(0.05)
        page.get_by_role("heading", name="Rankings").wait_for(timeout=60_000)
        content = time.perf_counter() - started
        page.get_by_role("tab", name="Chart").click()
        page.locator(".stPlotlyChart .barlayer .trace").first.wait_for(timeout=60_000)
        chart = time.perf_counter() - started
        page.close()
        return content, chart
    finally:
        server.terminate()
        server.wait(timeout=10)


def rerun_latency(browser, presses: int = 9) -> float:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        time.sleep(3)
        page.goto(f"http://127.0.0.1:{port}", timeout=60_000)
        first = page.get_by_test_id("glide-cell-3-0")  # the overall score of the leader
        first.wait_for(state="attached", timeout=60_000)
        slider = page.get_by_role("slider", name="Democratic credentials")
        times = []
        for _ in range(presses):
            before = page.url
            slider.focus()
            start = time.perf_counter()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "url => window.location.href !== url", arg=before, timeout=30_000
            )
            page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        starts = [cold_start(browser) for _ in range(args.runs)]
        latency = rerun_latency(browser)
        browser.close()
    content = statistics.median(s[0] for s in starts)
    chart = statistics.median(s[1] for s in starts)
    print("| measure | median | target |")
    print("|---|---|---|")
    print(f"| cold start to first content ({args.runs} runs) | {content:.2f} s | <= 3 s |")
    print(f"| cold start to first chart ({args.runs} runs) | {chart:.2f} s | <= 4 s |")
    print(f"| weight key press to updated page (9 presses) | {latency * 1000:.0f} ms | <= 300 ms |")


if __name__ == "__main__":
    main()
