"""The country reference: ISO 3166-1 codes and names, regions, memberships, and name matching.

Publishers key their files by ISO3, M49 or country names; everything here turns them into `iso3`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import country_converter
import pandas as pd
import pycountry
import yaml

GROUPS_FILE = Path(__file__).with_name("groups.yaml")

# Kosovo has no ISO 3166-1 code; publishers use the user-assigned XKX.
EXTRA_COUNTRIES = {"XKX": "Kosovo"}


@cache
def _converter_table() -> pd.DataFrame:
    # Read country_converter's table ourselves: its reader turns Namibia's "NA" into NaN (pandas 3).
    path = Path(country_converter.__file__).with_name("country_data.tsv")
    table = pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""], dtype=str)
    return table.dropna(subset=["ISO3"]).set_index("ISO3")


def iso3_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code, plus XKX."""
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(EXTRA_COUNTRIES)


def un_member_states() -> frozenset[str]:
    """The 193 UN member states (country_converter's UNmember column)."""
    table = _converter_table()
    return frozenset(table.index[table["UNmember"].notna()]) & iso3_codes()


def country_name(iso3: str) -> str:
    """Common English name: 'RUS' -> 'Russian Federation'.

    >>> country_name("BOL")
    'Bolivia'
    """
    if iso3 in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    return getattr(country, "common_name", None) or country.name


def load_groups(path: Path = GROUPS_FILE) -> dict[str, dict]:
    """Group id -> name, ru (the name in Russian) and members; a group without its Russian name
    is refused, naming it, so that no group shows in English to a Russian reader."""
    groups = yaml.safe_load(path.read_text(encoding="utf-8"))
    untranslated = [g for g, group in groups.items() if not (group.get("ru") or {}).get("name")]
    if untranslated:
        raise ValueError(f"{path.name}: group(s) {', '.join(untranslated)} have no ru: name")
    return groups


def build_countries() -> pd.DataFrame:
    """One row per country: iso3, name, region, subregion, groups (';'-separated group ids)."""
    reference = _converter_table()
    groups = load_groups()
    rows = []
    for iso3 in sorted(iso3_codes()):
        info = reference.loc[iso3] if iso3 in reference.index else None
        memberships = [gid for gid, group in groups.items() if iso3 in group["members"]]
        rows.append(
            {
                "iso3": iso3,
                "name": country_name(iso3),
                "region": info["continent"] if info is not None else pd.NA,
                "subregion": info["UNregion"] if info is not None else pd.NA,
                "groups": ";".join(memberships),
            }
        )
    return pd.DataFrame(rows)


@cache
def _name_patterns() -> list[tuple[re.Pattern, str]]:
    table = _converter_table()
    codes = iso3_codes()
    return [
        (re.compile(pattern, re.IGNORECASE), iso3)
        for iso3, pattern in table["regex"].items()
        if iso3 in codes and isinstance(pattern, str)
    ]


@cache
def name_to_iso3(name: str) -> str | None:
    """ISO3 for a country name as publishers write it, or None when it names no single country.

    >>> name_to_iso3("Korea, Rep."), name_to_iso3("Türkiye"), name_to_iso3("Atlantis")
    ('KOR', 'TUR', None)
    """
    cleaned = re.sub(r"[*\d]+$", "", name.strip()).strip()
    if not cleaned:
        return None
    hits = {iso3 for pattern, iso3 in _name_patterns() if pattern.match(cleaned)}
    if len(hits) == 1:
        return hits.pop()
    try:
        return pycountry.countries.lookup(cleaned).alpha_3
    except LookupError:
        return None
