"""The indicator catalogue (what is measured, which way is better, where it comes from) and the
shipped tables in `data/`, each validated at load."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import yaml

from i18n import language
from indicators.names import localised
from scoring.schemas import (
    FAILURE_COLUMNS,
    ContractError,
    validate_catalogue,
    validate_countries,
    validate_values,
)

HERE = Path(__file__).parent
CATALOGUE_FILE = HERE / "catalogue.yaml"
SOURCES_FILE = HERE / "sources.yaml"
DATA_DIR = HERE.parent / "data"
DATA_DIR_VARIABLE = "SCORECARD_DATA_DIR"
SIDE_COLUMNS = ["side", "name", "description"]
DECISION_COLUMNS = ["decision", "what", "why"]

FRAMEWORK_COLUMNS = [
    "indicator",
    "name",
    "dimension",
    "unit",
    "direction",
    "weight",
    "range_low",
    "range_high",
    "goalpost_low",
    "goalpost_high",
    "transform",
    "absence",
]
#: What a missing value means, per indicator (catalogue field ``absence``).
ABSENCE = {
    "missing": "missing: left out, the other indicators' weights rescaled",
    "zero": "zero: a country absent from the publisher's list has none",
    "not_applicable": "not applicable: left out, because the question does not arise",
}


#: The prose of each table that the interface shows, which the catalogue gives in every language
#: (per entry, a `ru:` mapping with the same field names); the key column names the entry
#: (decisions have none and are named by position).
TEXT_FIELDS = {
    "sides": ("side", ("name", "description")),
    "dimensions": ("dimension", ("name", "description", "rationale")),
    "indicators": (
        "indicator",
        (
            "name",
            "unit",
            "description",
            "proxy_for",
            "direction_rationale",
            "absence_rationale",
            "limits",
        ),
    ),
    "decisions": (None, ("decision", "what", "why")),
    "sources": ("source", ("publisher", "title", "licence", "edition")),
}
#: Tables whose English need not all be translated: a publisher's or publication's name and its
#: citation stay as published; only the project's own words (an edition's "compiled 2026", a
#: hand-compiled source's description) are given in Russian.
AS_PUBLISHED = frozenset({"sources"})
TRANSLATED = ("ru",)
#: Translations: language -> table -> entry key -> field -> text.
Translations = dict[str, dict[str, dict[object, dict[str, str]]]]


class Catalogue:
    """The catalogue's tables. `dimensions`, `indicators`, `sides` and `decisions` are read in the
    run's language (``i18n.language()`` at each read, since one catalogue object serves every
    session); `framework()` and `sources` keep the catalogue's own English, because scoring
    results built from them are cached across languages and the data tables (sources.csv,
    vintage.csv) are written from them. `table("sources")`, `sources_line()` and
    `with_sources()` show the sources in the run's language."""

    def __init__(
        self,
        dimensions: pd.DataFrame,  # dimension, name, side, weight, description, rationale
        indicators: pd.DataFrame,  # one row per indicator, with its source id
        sources: pd.DataFrame,  # source, publisher, title, url, licence, edition, folder, ...
        sides: pd.DataFrame | None = None,
        decisions: pd.DataFrame | None = None,
        translations: Translations | None = None,
    ):
        self.sources = sources
        self.english = {
            "dimensions": dimensions,
            "indicators": indicators,
            "sides": pd.DataFrame(columns=SIDE_COLUMNS) if sides is None else sides,
            "decisions": pd.DataFrame(columns=DECISION_COLUMNS) if decisions is None else decisions,
            "sources": sources,
        }
        self.translations: Translations = translations or {}
        self._shown: dict[tuple[str, str], pd.DataFrame] = {}

    def table(self, name: str, lang: str | None = None) -> pd.DataFrame:
        """One of the tables in `lang` (the run's language by default); text the catalogue does
        not translate (an upload's own words) stays as written. Do not mutate."""
        lang = lang or language()
        english = self.english[name]
        words = self.translations.get(lang, {}).get(name)
        if not words:
            return english
        if (name, lang) not in self._shown:
            key, fields = TEXT_FIELDS[name]
            keys = english.index if key is None else english[key]
            shown = english.copy()
            for field in fields:
                if field in shown:
                    shown[field] = [
                        words.get(k, {}).get(field) or text
                        for k, text in zip(keys, english[field], strict=True)
                    ]
            self._shown[(name, lang)] = shown
        return self._shown[(name, lang)]

    @property
    def dimensions(self) -> pd.DataFrame:
        return self.table("dimensions")

    @property
    def indicators(self) -> pd.DataFrame:
        return self.table("indicators")

    @property
    def sides(self) -> pd.DataFrame:
        return self.table("sides")

    @property
    def decisions(self) -> pd.DataFrame:
        return self.table("decisions")

    def framework(self) -> pd.DataFrame:
        """The scoring view: indicator, name, dimension, unit, direction, weight, range,
        goalposts, transform, and the dimension's side (reach, appeal) where sides are declared."""
        framework = self.english["indicators"][FRAMEWORK_COLUMNS].copy()
        if len(self.english["sides"]):
            framework["side"] = framework["dimension"].map(self.dimension_sides())
        return framework

    def dimension_sides(self) -> dict[str, str]:
        dimensions = self.english["dimensions"]
        return dict(zip(dimensions["dimension"], dimensions["side"], strict=True))

    def side_names(self) -> dict[str, str]:
        """Side id -> name, in the run's language."""
        return dict(zip(self.sides["side"], self.sides["name"], strict=True))

    def dimension_weights(self) -> dict[str, float]:
        return dict(zip(self.dimensions["dimension"], self.dimensions["weight"], strict=True))

    def dimension_names(self) -> dict[str, str]:
        """Dimension id -> name in the run's language, in the catalogue's order."""
        return dict(zip(self.dimensions["dimension"], self.dimensions["name"], strict=True))

    def dimension_name(self, dimension: str) -> str:
        """The dimension's name; an id the catalogue does not know is shown as it is."""
        return self.dimension_names().get(dimension, dimension)

    def indicator_names(self) -> dict[str, str]:
        """Indicator id -> name in the run's language, in the catalogue's order."""
        return dict(zip(self.indicators["indicator"], self.indicators["name"], strict=True))

    def indicator_name(self, indicator: str) -> str:
        """The indicator's name; an id the catalogue does not know is shown as it is."""
        return self.indicator_names().get(indicator, indicator)

    def sources_line(self, indicators: list[str] | None = None) -> str:
        """Publishers and editions behind `indicators` (all by default), for chart footers."""
        used = (
            self.indicators
            if indicators is None
            else self.indicators[self.indicators["indicator"].isin(indicators)]
        )
        shown = self.table("sources")
        sources = shown[shown["source"].isin(used["source"])]
        return "; ".join(f"{s.publisher} ({s.edition})" for s in sources.itertuples())

    def with_sources(self) -> pd.DataFrame:
        """Indicators joined with their publisher's metadata, for source lists and export footers."""
        return self.indicators.merge(
            self.table("sources"), on="source", how="left", validate="many_to_one"
        )


def _indicator_rows(entries: list[dict]) -> pd.DataFrame:
    rows = []
    for entry in entries:
        low, high = entry["range"]
        goalposts = entry.get("goalposts") or [None, None]
        rows.append(
            {
                "indicator": entry["id"],
                "name": entry["name"],
                "dimension": entry["dimension"],
                "unit": entry["unit"],
                "direction": int(entry["direction"]),
                "weight": float(entry["weight"]),
                "lever": entry.get("lever", ""),
                "range_low": float(low),
                "range_high": float(high),
                "goalpost_low": goalposts[0],
                "goalpost_high": goalposts[1],
                "source": entry["source"],
                "denominator_source": entry.get("denominator_source", ""),
                "description": entry["description"],
                "proxy_for": entry["proxy_for"],
                "direction_rationale": entry.get("direction_rationale", ""),
                "absence": entry.get("absence", "missing"),
                "absence_rationale": entry.get("absence_rationale", ""),
                "transform": entry.get("transform", ""),
                "limits": entry["limits"],
            }
        )
    frame = pd.DataFrame(rows)
    return frame.astype({"goalpost_low": "float64", "goalpost_high": "float64"})


def split_translations(document: dict, tables: tuple[str, ...]) -> tuple[dict, Translations]:
    """The document with each entry's `ru:` mapping taken out, and those mappings by language,
    table and entry. Raises ContractError naming every entry and field whose English text has
    no translation (or a translated field the entry does not have)."""
    english = dict(document)
    translations: Translations = {lang: {} for lang in TRANSLATED}
    problems = []
    for table in tables:
        key, fields = TEXT_FIELDS[table]
        entries = []
        for position, entry in enumerate(document.get(table) or []):
            entry = dict(entry)
            name = entry.get("id", f"{position + 1} ({entry.get('what', '')})")
            ident = position if key is None else entry.get("id")
            for lang in TRANSLATED:
                words = entry.pop(lang, None) or {}
                translations[lang].setdefault(table, {})[ident] = words
                for field in () if table in AS_PUBLISHED else fields:
                    text = str(entry.get(field) or "").strip()
                    if text and not str(words.get(field) or "").strip():
                        reason = f"{table} {name}: {field} has no '{lang}' translation"
                        problems.append((name, f"{lang}.{field}", text[:60], "translated", reason))
                for field in sorted(set(words) - set(fields)):
                    reason = f"{table} {name}: '{lang}' has {field}, which is not a text field"
                    problems.append((name, f"{lang}.{field}", words[field], "known_field", reason))
            entries.append(entry)
        english[table] = entries
    if problems:
        raise ContractError(
            "catalogue translations", pd.DataFrame(problems, columns=FAILURE_COLUMNS)
        )
    return english, translations


def load_catalogue(
    catalogue_file: Path = CATALOGUE_FILE, sources_file: Path = SOURCES_FILE
) -> Catalogue:
    """Read and validate the catalogue; ContractError names every broken entry, and every
    English text without its Russian."""
    document = yaml.safe_load(catalogue_file.read_text(encoding="utf-8"))
    document, translations = split_translations(document, tuple(TEXT_FIELDS))
    dimensions = dimension_rows(document["dimensions"])
    indicators = _indicator_rows(document["indicators"])
    sides = pd.DataFrame(document.get("sides", [])).rename(columns={"id": "side"})
    sides = sides.reindex(columns=SIDE_COLUMNS)
    sources, translations = read_sources(sources_file, translations)
    validate_catalogue(dimensions, indicators, sources, sides)
    decisions = pd.DataFrame(document.get("decisions", []), columns=DECISION_COLUMNS)
    return Catalogue(dimensions, indicators, sources, sides, decisions, translations)


def read_sources(
    sources_file: Path, translations: Translations, own: list[dict] | None = None
) -> tuple[pd.DataFrame, Translations]:
    """sources.yaml (with `own` entries replacing or adding to it) as a table, and its Russian
    texts merged into `translations`."""
    entries = yaml.safe_load(sources_file.read_text(encoding="utf-8"))
    own_ids = {entry["id"] for entry in own or []}
    entries = [entry for entry in entries if entry["id"] not in own_ids] + list(own or [])
    document, words = split_translations({"sources": entries}, ("sources",))
    merged = {lang: translations.get(lang, {}) | words[lang] for lang in TRANSLATED}
    sources = pd.DataFrame(document["sources"]).rename(columns={"id": "source"})
    return sources, merged


def dimension_rows(entries: list[dict]) -> pd.DataFrame:
    dimensions = pd.DataFrame(entries).rename(columns={"id": "dimension"})
    dimensions["weight"] = dimensions["weight"].astype(float)
    for optional in ("side", "rationale"):
        if optional not in dimensions:
            dimensions[optional] = ""
    dimensions[["side", "rationale"]] = dimensions[["side", "rationale"]].fillna("")
    return dimensions


def data_dir() -> Path:
    """The curated tables' folder: $SCORECARD_DATA_DIR (a deployment's own copy), else data/."""
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DATA_DIR)


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text, keeping 'NA' (Namibia) and 'n/a' as written so the contracts can judge them."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def country_names(countries: pd.DataFrame | None) -> pd.Series:
    """iso3 -> name from a countries table (empty without one), in the run's language (Russian
    from pycountry, indicators/names.py); the countries table travels beside the catalogue, not
    inside it, so this is the one lookup of country names.

    >>> country_names(pd.DataFrame({"iso3": ["NAM"], "name": ["Namibia"]})).to_dict()
    {'NAM': 'Namibia'}
    """
    if countries is None or "name" not in countries:
        return pd.Series(dtype=str)
    return localised(countries.drop_duplicates("iso3").set_index("iso3")["name"])


def country_name(countries: pd.DataFrame | None, iso3: str) -> str:
    """One country's name; a code the table does not know is shown as it is."""
    return str(country_names(countries).get(iso3, iso3))


def load_countries(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    countries = read_table(data_dir / "countries.csv")
    if "groups" in countries:  # a missing column is the contract's to report
        countries["groups"] = countries["groups"].fillna("")
    return validate_countries(countries)


def load_values(
    catalogue: Catalogue, countries: pd.DataFrame, data_dir: Path = DATA_DIR
) -> pd.DataFrame:
    values = read_table(data_dir / "values.csv")
    if "note" in values:  # a missing column is the contract's to report
        values["note"] = values["note"].fillna("")
    return validate_values(values, catalogue.framework(), countries)
