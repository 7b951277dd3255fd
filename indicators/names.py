"""Country and region names in the interface's language, and the labels country pickers show.

English names come from the countries table (data/countries.csv). Russian names come from
pycountry's iso3166-1 translations, with the short common names a Russian reader expects where
pycountry gives an official form (indicators/country_names_ru.yaml). Picker labels add the names
people type that the shown name does not contain (pycountry's ISO names, and
indicators/country_aliases.yaml), because Streamlit's picker search only sees the label.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd
import pycountry
import yaml

from i18n import N_, _, language

HERE = Path(__file__).parent
RUSSIAN_NAMES_FILE = HERE / "country_names_ru.yaml"
ALIASES_FILE = HERE / "country_aliases.yaml"

# UN M49 regions and subregions as data/countries.csv writes them. A fixed list of 28 names, so
# they are translated in the gettext catalogue rather than in extra columns of the data table
# (which would change the data's digest for a presentation matter).
REGIONS = frozenset(
    (
        N_("Africa"),
        N_("America"),
        N_("Antarctica"),
        N_("Asia"),
        N_("Europe"),
        N_("Oceania"),
        N_("Eastern Africa"),
        N_("Middle Africa"),
        N_("Northern Africa"),
        N_("Southern Africa"),
        N_("Western Africa"),
        N_("Caribbean"),
        N_("Central America"),
        N_("Northern America"),
        N_("South America"),
        N_("Australia and New Zealand"),
        N_("Central Asia"),
        N_("Eastern Asia"),
        N_("South-eastern Asia"),
        N_("Southern Asia"),
        N_("Western Asia"),
        N_("Eastern Europe"),
        N_("Northern Europe"),
        N_("Southern Europe"),
        N_("Western Europe"),
        N_("Melanesia"),
        N_("Micronesia"),
        N_("Polynesia"),
    )
)


def region_name(region: str) -> str:
    """A region or subregion of data/countries.csv in the run's language (others as written)."""
    return _(region) if region in REGIONS else region


def group_name(group: dict) -> str:
    """A country group's name (indicators/groups.yaml) in the run's language."""
    return (group.get(language()) or {}).get("name") or group["name"]


def _plain(text: str) -> str:
    # pycountry marks stress in a few Russian forms ("Респу́блика"); nobody types the accent.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).replace("\u0301", ""))


@cache
def _pycountry_russian() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])


@cache
def russian_names() -> dict[str, str]:
    """ISO3 -> Russian name for every pycountry country, plus the overrides (and Kosovo)."""
    russian = _pycountry_russian()
    names = {c.alpha_3: _plain(russian.gettext(c.name)) for c in pycountry.countries}
    overrides = yaml.safe_load(RUSSIAN_NAMES_FILE.read_text(encoding="utf-8"))
    return names | overrides


def localised(names: pd.Series) -> pd.Series:
    """An iso3 -> English name series in the run's language; a code with no Russian name (an
    uploaded table's own code) keeps the name its table gives."""
    if language() != "ru" or names.empty:
        return names
    russian = russian_names()
    return pd.Series(
        [russian.get(iso3, name) for iso3, name in names.items()], index=names.index, dtype=str
    )


@cache
def _alias_file() -> dict:
    return yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8"))


@cache
def aliases(iso3: str, lang: str) -> tuple[str, ...]:
    """Other names of a country in `lang`: the list's typed names first, then pycountry's ISO
    name and common name (English) or the Russian ISO name, minus the ones not shown."""
    listed = list((_alias_file().get(iso3) or {}).get(lang, []))
    country = pycountry.countries.get(alpha_3=iso3)
    if country is not None:
        if lang == "ru":
            listed.append(_plain(_pycountry_russian().gettext(country.name)))
        else:
            listed += [country.name, getattr(country, "common_name", country.name)]
    hidden = set(_alias_file().get("hidden", {}).get(iso3, []))
    return tuple(dict.fromkeys(name for name in listed if name not in hidden))


def finds(typed: str, label: str) -> bool:
    """Whether a picker's search finds `label` for `typed`: Streamlit's default ("fuzzy") filter
    keeps an option whose label holds the typed characters in order, ignoring case.

    >>> finds("Russia", "Russian Federation"), finds("Turkey", "Türkiye")
    (True, False)
    """
    rest = iter(label.casefold())
    return all(char in rest for char in typed.casefold())


def picker_label(iso3: str, name: str, lang: str) -> str:
    """The name, then in brackets the other names typing it would not find: "Türkiye (Turkey)"."""
    label = name
    extra = []
    for alias in aliases(iso3, lang):
        if not finds(alias, label):
            extra.append(alias)
            label = f"{name} ({', '.join(extra)})"
    return label


def picker_labels(names: pd.Series) -> dict[str, str]:
    """iso3 -> the label a country picker shows, for names already in the run's language
    (``country_names``); use as ``format_func=labels.get``."""
    lang = language()
    return {iso3: picker_label(iso3, name, lang) for iso3, name in names.items()}
