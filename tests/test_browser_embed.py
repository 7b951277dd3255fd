"""Embedding, citing and the chart zip in a real browser: a chart alone inside an <iframe> on
another site (a static page served from a temporary folder), the link back to the full view,
the citation of a view, and the zip from a chart's download panel."""

import functools
import http.server
import io
import json
import re
import threading
import zipfile

import pytest
from playwright.sync_api import expect

from tests.servers import free_port

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms (the machine is shared)


@pytest.fixture
def host_page(tmp_path):
    """A static site on another port; `host_page(src)` writes a page embedding `src`, returns its URL."""
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def write(src: str) -> str:
        (tmp_path / "briefing.html").write_text(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Briefing</title>"
            "</head><body><h1>A briefing</h1>"
            f"<iframe src='{src}' title='Soft power chart' width='1200' height='900'></iframe>"
            "</body></html>",
            encoding="utf-8",
        )
        return f"http://127.0.0.1:{port}/briefing.html"

    yield write
    server.shutdown()
    server.server_close()


def test_a_chart_embedded_in_another_site(page, app_url, host_page, screenshot):
    page.goto(host_page(f"{app_url}/compare?embed=true&chart=bars&compare=RUS,CHN"))
    expect(page.get_by_role("heading", name="A briefing")).to_be_visible()
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Dimension scores side by side")).to_be_visible(
        timeout=WAIT
    )
    chart = frame.get_by_test_id("stPlotlyChart")
    expect(chart).to_have_count(1)
    expect(chart.locator(".legend")).to_contain_text("China", timeout=WAIT)
    expect(chart.locator(".legend")).to_contain_text("Russian Federation")
    expect(frame.get_by_text(re.compile(r"^Sources: .*Freedom House"))).to_be_visible()
    expect(frame.get_by_test_id("stSidebar")).to_have_count(0)
    expect(frame.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(frame.get_by_role("button", name="Cite this view")).to_have_count(0)
    back = frame.get_by_role("link", name="Open the full view")
    expect(back).to_have_attribute("href", f"{app_url}/compare?compare=RUS,CHN")
    screenshot("embed_in_iframe")

    with page.context.expect_page() as opened:
        back.click()
    full = opened.value
    expect(full.get_by_role("heading", name="Compare countries", level=1)).to_be_visible(
        timeout=WAIT
    )
    expect(full.get_by_test_id("stSidebar")).to_be_visible()
    expect(full).to_have_url(re.compile(r"compare=RUS(%2C|,)CHN"))
    assert "embed" not in full.url


def test_an_unknown_chart_in_an_iframe_says_which_names_exist(page, app_url, host_page):
    page.goto(host_page(f"{app_url}/?embed=true&chart=pie"))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_text("There is no chart called “pie” to embed.")).to_be_visible(
        timeout=WAIT
    )
    expect(frame.get_by_test_id("stAlertContentError")).to_contain_text("country-radar")


def test_cite_this_view_gives_the_link_of_the_view(page, app_url, tmp_path):
    page.goto(f"{app_url}/compare?compare=RUS,CHN,DEU")
    expect(page.get_by_role("heading", name="Compare countries", level=1)).to_be_visible(
        timeout=WAIT
    )
    page.get_by_role("button", name="Cite this view").click()
    page.get_by_role("tab", name="CSL-JSON").click()
    with page.expect_download(timeout=WAIT) as download:
        page.get_by_role("button", name="Download .json").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert download.value.suggested_filename == "compare-citation.json"
    [item] = json.loads(path.read_text(encoding="utf-8"))
    assert item["type"] == "dataset"
    assert item["URL"] == f"{app_url}/compare?compare=RUS,CHN,DEU"


def test_chart_and_data_zip_from_the_download_panel(page, app_url, tmp_path):
    page.goto(f"{app_url}/compare?compare=RUS,CHN")
    expect(page.get_by_role("heading", name="Compare countries", level=1)).to_be_visible(
        timeout=WAIT
    )
    page.get_by_role("tab", name="Bars").click()
    bars = page.get_by_role("tabpanel", name="Bars")
    expect(bars.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=WAIT)
    bars.get_by_role("button", name="Download", exact=True).click()
    page.get_by_text("Chart + data (zip)").click()
    button = page.get_by_role("button", name="Download ZIP")
    expect(button).to_be_visible(timeout=WAIT)
    expect(page.get_by_text(re.compile(r"<iframe src=.*embed=true&amp;chart=bars"))).to_be_visible()
    with page.expect_download(timeout=90_000) as download:
        button.click()
    assert download.value.suggested_filename == "compare-bars.zip"
    data = download.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        assert names == ["README.txt", "compare-bars.csv", "compare-bars.png", "metadata.json"]
        assert archive.read("compare-bars.png").startswith(b"\x89PNG\r\n\x1a\n")
        csv = archive.read("compare-bars.csv").decode("utf-8")
        meta = json.loads(archive.read("metadata.json"))
    assert csv.splitlines()[0] == "Series,Label,Score (0–100)"
    assert {line.split(",")[0] for line in csv.splitlines()[1:]} == {"Russian Federation", "China"}
    assert meta["citation"][0]["URL"] == f"{app_url}/compare?compare=RUS,CHN"
    assert any(s["publisher"] == "Freedom House" and s["licence"] for s in meta["sources"])


def test_an_embedded_chart_in_russian_tells_the_browser_its_language(page, app_url, host_page):
    page.goto(host_page(f"{app_url}/?embed=true&chart=map&lang=ru"))
    frame = page.frame_locator("iframe")
    back = frame.get_by_role("link", name="Открыть полную версию")
    expect(back).to_have_attribute("href", f"{app_url}/?lang=ru", timeout=WAIT)
    expect(frame.locator("html")).to_have_attribute("lang", "ru", timeout=WAIT)
    expect(frame.get_by_text(re.compile(r"^Источники: "))).to_be_visible()
    # the countries are drawn: their shapes come from the app, as no CDN is reachable
    expect(frame.locator(".choroplethlayer path").first).to_be_attached(timeout=WAIT)
