"""Shared inputs for the tests of ``exports``: the shipped data scored once, and a copy whose
country, indicator and dimension names carry script and formula payloads (as an uploaded file
could)."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from functools import cache

import pandas as pd

from indicators.catalogue import Catalogue, load_catalogue, load_countries, load_values
from scoring.method import Method
from scoring.pipeline import build_scorecard

SCRIPT = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@dataclass(frozen=True)
class Shipped:
    catalogue: Catalogue
    countries: pd.DataFrame
    values: pd.DataFrame
    sc: object


@cache
def shipped() -> Shipped:
    """The shipped data scored with the default Method (loaded once per test process)."""
    catalogue = load_catalogue()
    countries = load_countries()
    values = load_values(catalogue, countries)
    sc = build_scorecard(values, catalogue, Method(), countries)
    return Shipped(catalogue, countries, values, sc)


@cache
def hostile() -> Shipped:
    """Shipped data with RUS named SCRIPT + "Russia", FRA named FORMULA, the RSF indicator and the
    media dimension named with SCRIPT, and one source URL that is a javascript: link."""
    base = shipped()
    countries = base.countries.copy()
    countries.loc[countries["iso3"] == "RUS", "name"] = SCRIPT + "Russia"
    countries.loc[countries["iso3"] == "FRA", "name"] = FORMULA
    indicators = base.catalogue.indicators.copy()
    indicators.loc[indicators["indicator"] == "rsf_press_freedom", "name"] = SCRIPT + "RSF"
    dimensions = base.catalogue.dimensions.copy()
    dimensions.loc[dimensions["dimension"] == "media_reach", "name"] = SCRIPT + "Media"
    sources = base.catalogue.sources.copy()
    sources.loc[sources["source"] == "freedom_house_fiw", "url"] = "javascript:alert(1)"
    catalogue = Catalogue(dimensions, indicators, sources, base.catalogue.sides)
    sc = build_scorecard(base.values, catalogue, Method(), countries)
    return Shipped(catalogue, countries, base.values, sc)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def pdf_pages(data: bytes) -> int:
    """Number of page objects in a PDF (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
