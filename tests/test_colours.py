"""Colours everyone can tell apart: the dimension palette under the three common colour-vision
deficiencies, and the contrast of every text colour we choose (WCAG 2.2 AA, 1.4.3)."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from colorspacious import cspace_convert, deltaE

from indicators.catalogue import load_catalogue
from present import charts, explain_charts

ROOT = Path(__file__).resolve().parent.parent
THEMES = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
THEME = THEMES["light"]
DARK_BACKGROUND = "#171614"  # Streamlit's dark theme background
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")
# CAM02-UCS distance two colours must keep. One unit is about a just-noticeable difference for
# large patches side by side; marks in a chart (thin bars, dots, legend swatches) need several
# times that (Szafir 2018, "Modeling Color Difference for Visualization Design", IEEE TVCG 24),
# and 10 is the margin categorical palettes are commonly built to (Okabe-Ito keeps 11 or more
# under each deficiency at full severity).
MIN_DISTANCE = 10.0


def rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    return np.array([int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def seen_with(colour: str, deficiency: str | None) -> np.ndarray:
    """The colour as a person with the deficiency (at severity 100, the full form) sees it."""
    if deficiency is None:
        return rgb(colour)
    cvd = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(rgb(colour), cvd, "sRGB1"), 0, 1)


def closest_pair(colours: list[str], deficiency: str | None) -> tuple[float, str, str]:
    return min(
        (
            float(
                deltaE(
                    seen_with(a, deficiency),
                    seen_with(b, deficiency),
                    input_space="sRGB1",
                    uniform_space="CAM02-UCS",
                )
            ),
            a,
            b,
        )
        for a, b in itertools.combinations(colours, 2)
    )


def dimension_palette() -> list[str]:
    dimensions = list(load_catalogue().dimension_names())  # 8, so the palette's 8 colours
    return list(charts.dimension_colours(dimensions).values())


# Colours drawn side by side that must not be confused: each dimension's, the two directions of
# a change (climbs/falls, up/down in the waterfall), the highlighted country against the rest.
PAIRS = {
    "dimensions": dimension_palette,
    "rise and fall": lambda: [charts.PALETTE[2], charts.PALETTE[5]],
    "waterfall up and down": lambda: [explain_charts.UP, explain_charts.DOWN],
    "highlight": lambda: [charts.HIGHLIGHT, charts.PALETTE[0]],
}


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
@pytest.mark.parametrize("group", list(PAIRS))
def test_colours_stay_distinguishable(group, deficiency):
    colours = PAIRS[group]()
    assert len(set(colours)) == len(colours), f"{group}: a colour is used twice: {colours}"
    distance, a, b = closest_pair(colours, deficiency)
    assert distance >= MIN_DISTANCE, (
        f"{group} under {deficiency or 'normal vision'}: {a} and {b} are {distance:.1f} apart "
        f"in CAM02-UCS (need {MIN_DISTANCE})"
    )


def test_the_simulation_separates_what_it_should():
    """Red and green, far apart to most, nearly merge under deuteranomaly at full severity;
    blue and yellow stay apart. Guards against the simulation silently doing nothing."""
    assert closest_pair(["#D81B60", "#1E8449"], None)[0] > 30
    assert closest_pair(["#FF0000", "#00A000"], "deuteranomaly")[0] < 15
    assert closest_pair(["#0072B2", "#F0E442"], "deuteranomaly")[0] > 40


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour."""
    c = rgb(colour)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour: str, alpha: float, background: str = "#ffffff") -> str:
    """`colour` drawn at `alpha` opacity over `background`."""
    mixed = alpha * rgb(colour) + (1 - alpha) * rgb(background)
    return "#" + "".join(f"{round(v * 255):02x}" for v in mixed)


def test_the_contrast_formula_matches_published_figures():
    # WebAIM's contrast checker: black on white 21:1, #777777 on white 4.48:1, #767676 4.54:1.
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def chart_text_colours() -> dict[str, str]:
    """The colours a finished chart writes its subtitle and source footer in."""
    fig = charts.finish(go.Figure(), "Title", sources="A publisher", subtitle="A subtitle")
    return {
        "chart subtitles": fig.layout.title.subtitle.font.color,
        "chart source footers": fig.layout.annotations[0].font.color,
    }


# Text we colour ourselves, on the white page and chart background.
TEXT_COLOURS = {
    "page text": THEME["textColor"],
    # Streamlit draws captions in the text colour at 60 % opacity.
    "captions": over(THEME["textColor"], 0.6),
    "links": THEME["linkColor"],
    "primary (buttons, selected tabs)": THEME["primaryColor"],
    # The selected segment: primary on its own 14 % tint (measured in the browser by axe-core).
    "selected segment": THEME["primaryColor"],
    **chart_text_colours(),
}
BACKGROUNDS = {"selected segment": over(THEME["primaryColor"], 0.14)}


def test_the_dark_themes_selected_segment_reaches_4_5_to_1():
    primary = THEMES["dark"]["primaryColor"]
    assert contrast(primary, over(primary, 0.147, DARK_BACKGROUND)) >= 4.5


@pytest.mark.parametrize("name", list(TEXT_COLOURS))
def test_our_text_colours_reach_4_5_to_1(name):
    background = BACKGROUNDS.get(name, THEME.get("backgroundColor", "#ffffff"))
    ratio = contrast(TEXT_COLOURS[name], background)
    assert ratio >= 4.5, f"{name}: {TEXT_COLOURS[name]} on {background} is {ratio:.2f}:1"
