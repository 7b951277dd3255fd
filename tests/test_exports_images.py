"""Chart files: PNG/SVG/PDF through one kaleido browser, standalone HTML without one, offline maps,
definitions under the footer, and a clear error when no browser is installed."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from exports import images
from exports.images import ImageExportUnavailable, canvas_size, figure_bytes, with_definitions
from present import charts
from present.tables import method_summary
from tests.exports_helpers import png_size, shipped

ROOT = Path(__file__).resolve().parent.parent
SUBTITLE = "Weights: Media reach 50%, EITI participation 50%. min-max normalisation."


def ranking_figure() -> go.Figure:
    contributions = pd.DataFrame(
        {"media": [40.0, 30.0, 10.0], "eiti": [30.0, 20.0, 5.0]}, index=["NOR", "RUS", "CHN"]
    )
    names = pd.Series({"NOR": "Norway", "RUS": "Russia", "CHN": "China"})
    return charts.ranking_bars(
        contributions,
        names,
        {"media": "Media reach", "eiti": "EITI participation"},
        sources="Reporters Without Borders (2025); EITI (2024)",
        subtitle=SUBTITLE,
    )


def map_figure() -> go.Figure:
    data = shipped()
    names = data.countries.set_index("iso3")["name"]
    subtitle = method_summary(data.sc, {})
    return charts.world_map(
        data.sc.results["overall"], names, "Overall score", data.catalogue.sources_line(), subtitle
    )


# ----------------------------------------------------------------------------- sizes
@pytest.mark.parametrize(
    ("layout", "figure_height", "expected"),
    [
        ("landscape", None, (1280, 720)),
        ("square", None, (1080, 1080)),
        ((800, 600), None, (800, 600)),
        ("landscape", 1500, (1280, 720)),  # the name is the size: a long ranking is fitted
        ("square", 500, (1080, 1080)),
    ],
)
def test_canvas_size(layout, figure_height, expected):
    fig = go.Figure(layout={"height": figure_height})
    assert canvas_size(fig, layout) == expected


def test_unknown_layout_and_format_are_refused():
    with pytest.raises(ValueError, match="layout"):
        canvas_size(go.Figure(), "portrait")
    with pytest.raises(ValueError, match="format"):
        figure_bytes(go.Figure(), "gif")


def test_definitions_add_text_under_the_footer_and_room_below_the_plot():
    data = shipped()
    fig = ranking_figure()
    with_defs = with_definitions(fig, data.catalogue, ["rsf_press_freedom", "eiti_status_score"])
    assert canvas_size(with_defs, "landscape") == canvas_size(fig, "landscape") == (1280, 720)
    assert with_defs.layout.margin.b > fig.layout.margin.b + 50
    text = " ".join(a.text for a in with_defs.layout.annotations)
    assert "Definitions" in text and "Press freedom score (RSF)" in text
    assert "Licence" in text and "Source: Reporters Without Borders" in text
    assert "diplomatic posts" not in text.lower()  # only the indicators asked for
    assert len(fig.layout.annotations) == 1  # the original is untouched


def test_the_subtitle_sits_in_the_title_block_and_the_legend_below_it():
    fig = ranking_figure()
    assert fig.layout.title.text == "Overall score by dimension contribution"
    assert fig.layout.title.subtitle.text == SUBTITLE
    assert fig.layout.legend.yref == "container"
    assert fig.layout.margin.t > (1 - fig.layout.legend.y) * fig.layout.height


# ----------------------------------------------------------------------------- HTML, no browser
def test_html_is_a_standalone_page_with_title_subtitle_and_footer(monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: None)  # HTML never needs a browser
    page = figure_bytes(ranking_figure(), "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Overall score by dimension contribution</title>" in page
    assert SUBTITLE in page and "Source: Reporters Without Borders (2025)" in page
    assert page.count("* plotly.js v") == 1  # plotly.js inlined once
    assert not re.search(r"<script[^>]*\bsrc=", page)  # nothing fetched
    assert '"world_110m":{' not in page  # no map, no geometry


def test_html_map_carries_the_world_geometry():
    page = figure_bytes(map_figure(), "html").decode("utf-8")
    assert 'window.PlotlyGeoAssets={topojson:{"world_110m":' in page
    assert page.index("PlotlyGeoAssets") < page.index("* plotly.js v")  # defined before plotly.js


# ----------------------------------------------------------------------------- no browser
def test_without_a_browser_static_formats_say_how_to_get_one(monkeypatch):
    monkeypatch.setattr(images, "_server_started", False)
    monkeypatch.setattr(images, "browser_path", lambda: None)
    for fmt in ("png", "svg", "pdf"):
        with pytest.raises(ImageExportUnavailable) as error:
            figure_bytes(ranking_figure(), fmt)
        assert isinstance(error.value, RuntimeError)
        assert "sudo apt-get install chromium" in str(error.value)
        assert "BROWSER_PATH" in str(error.value)
    assert figure_bytes(ranking_figure(), "html").startswith(b"<!DOCTYPE html>")


def test_browser_path_ignores_a_browser_path_that_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chrome"))
    assert images.browser_path() is None


# ----------------------------------------------------------------------------- with a browser
def test_png_landscape_and_square_sizes(chromium_path):
    fig = ranking_figure()
    landscape = figure_bytes(fig, "png", "landscape", scale=2)
    assert png_size(landscape) == (2560, 1440) and len(landscape) > 20_000
    square = figure_bytes(fig, "png", "square", scale=1)
    assert png_size(square) == (1080, 1080)


def test_svg_carries_title_method_summary_and_sources(chromium_path):
    svg = figure_bytes(ranking_figure(), "svg").decode("utf-8")
    root = re.match(r"\s*(<\?xml[^>]*>\s*)?<svg\b[^>]*>", svg)
    assert root and 'xmlns="http://www.w3.org/2000/svg"' in root.group(0)
    assert 'viewBox="0 0 1280 720"' in root.group(0)
    assert "Overall score by dimension contribution" in svg
    assert "Weights: Media reach 50%" in svg  # the method summary
    assert "Source: Reporters Without Borders (2025)" in svg
    assert len(svg) > 10_000


def test_pdf_is_a_pdf(chromium_path):
    pdf = figure_bytes(ranking_figure(), "pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000


def test_map_png_renders_countries_offline(chromium_path):
    """The shipped geometry is used: land is drawn (grey) and scored countries are coloured; a
    failed geometry fetch gives an almost white picture."""
    image_module = pytest.importorskip("PIL.Image")
    # The map alone, without the subtitle and the source footer, whose length varies with the
    # catalogue: the share of coloured pixels is then the map's.
    data = shipped()
    names = data.countries.set_index("iso3")["name"]
    figure = charts.world_map(data.sc.results["overall"], names, "Overall score")
    png = figure_bytes(figure, "png", "landscape", scale=1)
    picture = image_module.open(io.BytesIO(png)).convert("RGB")
    pixels = list(zip(*(band.tobytes() for band in picture.split()), strict=True))
    colourful = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60)
    assert colourful / len(pixels) > 0.10


def test_definitions_appear_in_the_svg(chromium_path):
    data = shipped()
    fig = with_definitions(ranking_figure(), data.catalogue, ["rsf_press_freedom"])
    svg = figure_bytes(fig, "svg").decode("utf-8")
    assert "Definitions" in svg and "World Press Freedom Index" in svg
    height = canvas_size(fig, "landscape")[1]
    assert f'viewBox="0 0 1280 {height}"' in svg


def test_a_citation_sits_under_the_chart_and_the_canvas_keeps_its_size(chromium_path):
    reference = "Soft Power Scorecard (2026). Overall score & ranks, data version 0123456789ab."
    fig = images.with_citation(ranking_figure(), reference)
    assert len(ranking_figure().layout.annotations) == 1  # the original is untouched
    svg = figure_bytes(fig, "svg").decode("utf-8")
    assert "Cite as" in svg and "0123456789ab" in svg and "&amp;" in svg  # escaped, not markup
    png = figure_bytes(fig, "png", "landscape", 1)
    assert png[16:24] == (1280).to_bytes(4, "big") + (720).to_bytes(4, "big")  # IHDR width, height


def test_one_browser_serves_concurrent_exports(chromium_path):
    import kaleido

    results: list[bytes] = []
    errors: list[BaseException] = []

    def export():
        try:
            results.append(figure_bytes(ranking_figure(), "png", scale=1))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=export) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and len(results) == 3
    assert all(png_size(png) == (1280, 720) for png in results)
    assert kaleido._global_server.is_running()


def test_a_browser_that_fails_to_start_raises_instead_of_hanging(tmp_path):
    """Run in a fresh process: BROWSER_PATH points at a program that exits at once."""
    false = shutil.which("false")
    if false is None:
        pytest.skip("no `false` program")
    code = (
        "import plotly.graph_objects as go\n"
        "from exports.images import ImageExportUnavailable, figure_bytes\n"
        "try:\n"
        "    figure_bytes(go.Figure(go.Bar(y=[1, 2])), 'png')\n"
        "except ImageExportUnavailable as error:\n"
        "    print('unavailable:', error)\n"
    )
    env = {**os.environ, "BROWSER_PATH": false}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert "unavailable: Image export failed" in done.stdout, done.stderr[-2000:]


def long_ranking() -> go.Figure:
    """The Rankings chart as the page opens it: the top 30 of the shipped scorecard."""
    from present.rankings import ranking_figure as page_ranking
    from present.rankings import ranking_rows

    data = shipped()
    rows = ranking_rows(data.sc.results, 30)
    return page_ranking(data.sc, data.catalogue, data.countries, rows)


def test_a_long_ranking_is_fitted_to_the_canvas_not_the_canvas_to_it():
    fig = with_definitions(long_ranking(), shipped().catalogue)
    assert fig.layout.height > 720  # drawn for the screen, taller than a slide
    # Every definition needs more than 720 px with the title and footer: the drawing grows in
    # 16:9 steps of 16 x 9 px until the plot keeps 220 px (margins t + b + 220 <= 9 x steps).
    out, width, height = images.fitted(fig, 1280, 720)
    m = fig.layout.margin
    steps = -(-(m.t + m.b + 220) // 9)  # ceiling
    assert (width, height) == (16 * steps, 9 * steps) == (out.layout.width, out.layout.height)
    assert height - m.t - m.b >= 220
    plain, width, height = images.fitted(long_ranking(), 1280, 720)
    assert (width, height) == (1280, 720)
    # 30 rows share what the margins leave, 0.75 of a row for the label's font.
    m = plain.layout.margin
    assert plain.layout.yaxis.tickfont.size == int((720 - m.t - m.b) / 30 * 0.75)
    # The title stays 12 px below the top edge: y = 1 - 12 / 720 once fitted.
    assert abs(plain.layout.title.y - (1 - 12 / 720)) < 1e-9
    assert fig.layout.height > 720  # the original is untouched


def test_landscape_png_is_1280_by_720_times_the_scale_with_definitions(chromium_path):
    fig = with_definitions(long_ranking(), shipped().catalogue)
    assert png_size(figure_bytes(fig, "png", "landscape", scale=2)) == (2560, 1440)
    assert png_size(figure_bytes(long_ranking(), "png", "square", scale=1)) == (1080, 1080)


def _xtick_bottoms(svg: str) -> list[tuple[float, str]]:
    """(bottom in px, transform) of every x tick label: its first line's baseline, plus 1.3 em a
    further line (plotly's line height), plus 0.3 em for descenders."""
    out = []
    for tick in re.findall(r'<g class="xtick">(.*?)</g>', svg):
        y = float(re.search(r'<text[^>]* y="([\d.]+)"', tick).group(1))
        size = float(re.search(r"font-size: ([\d.]+)px", tick).group(1))
        lines = max(1, tick.count('class="line"'))
        transform = re.search(r'transform="([^"]*)"', tick).group(1)
        out.append((y + (lines - 1) * 1.3 * size + 0.3 * size, transform))
    return out


@pytest.mark.parametrize("layout", ["landscape", "square", (700, 520)])
def test_compare_bar_labels_stay_above_the_source_footer(chromium_path, layout):
    from present.compare import DEFAULT_COMPARE, compare_bars_figure

    data = shipped()
    fig = compare_bars_figure(data.sc, data.catalogue, data.countries, list(DEFAULT_COMPARE))
    svg = figure_bytes(fig, "svg", layout).decode("utf-8")
    ticks = _xtick_bottoms(svg)
    assert len(ticks) == len(data.sc.prepared.dimensions)
    assert not [t for _, t in ticks if "rotate" in t]  # rotated labels ran into the footer
    footer = re.search(
        r'class="annotation".*?<g class="cursor-pointer" transform="translate\(-?[\d.]+,([\d.]+)\)"',
        svg,
    )
    assert "Source:" in svg[footer.start() : footer.start() + 2000]
    assert max(bottom for bottom, _ in ticks) < float(footer.group(1))
