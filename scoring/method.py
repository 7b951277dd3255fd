"""The Method: every choice that turns values into a scorecard, frozen and serialisable.

``Method()`` is the catalogue default: latest value per indicator within 2010-2025, a country
needs indicators carrying at least 50 % of the effective weight to be scored, no
imputation, no outlier treatment, min-max to [0, 100], weighted arithmetic means at both
levels, the catalogue weights.

Serialised forms (all reject unknown keys, unknown names and bad values with ``ValueError``):

* dict / JSON: :meth:`Method.to_dict`, :meth:`Method.from_dict`, :meth:`to_json`, :meth:`from_json`
* TOML: :meth:`Method.to_toml`, :meth:`Method.from_toml` (``year`` is omitted when None)
* URL query (``st.query_params``): :meth:`Method.to_query` gives only the non-default entries as
  ``dict[str, str]`` under the short keys of ``QUERY_KEYS``; :meth:`Method.from_query` reads them.

Pass ``framework`` (and optionally the dimension ids) to the parsers to also reject unknown
indicator and dimension ids in the weight overrides.
"""

from __future__ import annotations

import json
import math
import re
import reprlib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import tomli_w

from scoring.aggregate import AGGREGATORS
from scoring.errors import EngineError, Listed, Quoted, Setting
from scoring.impute import IMPUTERS
from scoring.limits import (
    MAX_NESTING,
    MAX_WEIGHT,
    YEAR_RANGE,
    NestingError,
    data_depth,
    loads_json,
    loads_toml,
)
from scoring.normalise import NORMALISERS
from scoring.treat import TREATMENTS

__all__ = ["Method", "QUERY_KEYS", "DEFAULT_YEAR_WINDOW"]

DEFAULT_YEAR_WINDOW = (2010, 2025)
#: Columns of the countries table that can define imputation groups (besides group ids).
GROUP_COLUMNS = ("region", "subregion")

#: Short URL keys -> Method field names.
QUERY_KEYS: dict[str, str] = {
    "year": "year",
    "window": "year_window",
    "cov": "min_coverage",
    "dcov": "min_dimension_coverage",
    "ishare": "min_indicator_share",
    "dshare": "min_dimension_share",
    "sw": "side_weights",
    "imp": "imputation",
    "igrp": "impute_group",
    "out": "outlier_treatment",
    "norm": "normalisation",
    "np": "normalisation_params",
    "iagg": "indicator_aggregation",
    "dagg": "dimension_aggregation",
    "ip": "indicator_power",
    "dp": "dimension_power",
    "wp": "weight_preset",
    "w": "indicator_weights",
    "dw": "dimension_weights",
    "peers": "peer_group",
}
_FIELD_TO_QUERY = {v: k for k, v in QUERY_KEYS.items()}

#: Bounds that keep every sum and power finite in float64: weights are relative, so nothing
#: real needs a weight above a million (MAX_WEIGHT, in scoring.limits), a power mean beyond
#: |p| = 50 is the max or min already, and normalisation parameters (score ranges) stay within a
#: million.
MAX_POWER = 50.0
MAX_PARAM = 1e6
#: Codes and groups in a peer group: more than there are countries is a pasted list, not a group.
MAX_PEERS = 300

Pairs = tuple[tuple[str, float], ...]
#: Fields held as name -> number pairs.
PAIR_FIELDS = ("normalisation_params", "indicator_weights", "dimension_weights", "side_weights")


def _weight_presets() -> tuple[str, ...]:
    from scoring.weights import WEIGHT_PRESETS

    return tuple(WEIGHT_PRESETS)


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 2, 36, 36
_WHOLE = re.compile(r"[+-]?[0-9]+")


def _shown(value: Any, width: int = 40) -> str:
    """A person's value as a message quotes it: its repr, cut to about `width` characters, and
    never recursing into deep nesting (a pasted essay or a list 10,000 levels deep stays short).

    >>> _shown("x" * 100) == repr("x" * 39 + "…")
    True
    >>> _shown(2.5), _shown("²")
    ('2.5', "'²'")
    """
    if isinstance(value, str):
        return repr(value if len(value) <= width else value[: width - 1] + "…")
    text = _REPR.repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _quoted(value: Any, width: int = 40) -> Quoted:
    """`_shown(value)` as an error's field: said as typed, in any language."""
    return Quoted(_shown(value, width))


def _listed(names: Iterable[Any], most: int = 5) -> str:
    """Up to `most` names, each cut short, and how many more.

    >>> _listed(["a", "b", "c"], most=2)
    'a, b and 1 more'
    """
    names = [str(n) if len(str(n)) <= 40 else str(n)[:39] + "…" for n in names]
    more = f" and {len(names) - most:,} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def _as_float(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise EngineError(
            "{setting}: expected a number, got {value}", setting=Setting(name), value=_quoted(value)
        )
    try:
        out = float(value)
    except (TypeError, ValueError, OverflowError):
        raise EngineError(
            "{setting}: expected a number, got {value}", setting=Setting(name), value=_quoted(value)
        ) from None
    if not math.isfinite(out):
        raise EngineError(
            "{setting}: expected a finite number, got {value}",
            setting=Setting(name),
            value=_quoted(value),
        )
    return out


def _as_int(name: str, value: Any) -> int:
    """A whole number: an int, a float such as 2020.0, or text of ASCII digits ("²" and "٣" are
    digits to str.isdigit but not years)."""
    if isinstance(value, bool):
        raise EngineError(
            "{setting}: expected a whole number, got {value}",
            setting=Setting(name),
            value=_quoted(value),
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        text = value.strip()
        if len(text.lstrip("+-").lstrip("0")) > 18:  # int() of thousands of digits is slow
            raise EngineError(
                "{setting}: {value} is out of range", setting=Setting(name), value=_quoted(text)
            )
        return int(text)
    raise EngineError(
        "{setting}: expected a whole number, got {value}",
        setting=Setting(name),
        value=_quoted(value),
    )


def _as_year(name: str, value: Any) -> int:
    """A whole number within YEAR_RANGE, the years a value may have."""
    first, last = YEAR_RANGE
    text = value.strip() if isinstance(value, str) else ""
    if _WHOLE.fullmatch(text) and len(text.lstrip("+-").lstrip("0")) > 18:
        shown = _quoted(text)  # far out of range (and maybe thousands of digits): not parsed
    else:
        year = _as_int(name, value)
        if first <= year <= last:
            return year
        shown = Quoted(year) if abs(year) < 10**9 else _quoted(str(year))
    raise EngineError(
        "{setting}: {value} must be from {first} to {last} (the years values may have)",
        setting=Setting(name),
        value=shown,
        first=first,
        last=last,
    )


def _pairs(name: str, value: Any) -> Pairs:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        items = list(value.items())
    else:
        try:
            items = [tuple(p) for p in value]
        except TypeError:
            raise EngineError(
                "{setting}: expected a table of name = number", setting=Setting(name)
            ) from None
    out: dict[str, float] = {}
    for item in items:
        if len(item) != 2 or not isinstance(item[0], str) or not item[0]:
            raise EngineError(
                "{setting}: expected name = number pairs, got {value}",
                setting=Setting(name),
                value=_quoted(item),
            )
        key, v = item
        out[key] = _as_float(f"{name}.{_listed([key])}", v)
    return tuple(sorted(out.items()))


def _fmt(x: float) -> str:
    """Shortest exact text for a float: 2.0 -> '2', 0.1 -> '0.1'."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


@dataclass(frozen=True)
class Method:
    """Every scoring choice; hashable, so it can key a cache.

    year: one year, or None for each indicator's latest value within ``year_window``.
    year_window: (first, last) years considered when ``year`` is None (inclusive).
    min_coverage: a country is scored only if the indicators it has carry at least this share
        of the effective weight (indicator weight x dimension weight). Default 0.5: on the
        shipped data every UN member has at least half; Taiwan and Kosovo (about 0.45, no UN
        votes), Hong Kong (0.34) and dependent territories (0.03-0.2) are screened out, so that
        no country leads the ranking on little more than half its indicators.
    min_indicator_share / min_dimension_share: the count rule beside the weight share: a country
        needs a value for at least this share of the weighted indicators (default half) and in
        at least this share of the weighted dimensions (default three quarters), counted, not
        weighted, and (when the framework has sides) a value on every weighted side. So no
        country is ranked on a handful of indicators that happen to carry heavy weights.
    side_weights: the weight of each side of the framework (reach, appeal) in the overall score;
        the dimension weights then share their side's weight. Default: reach and appeal count
        equally. Empty: no side weights, the dimension weights alone decide (a side then weighs
        as much as its dimensions together). Ignored when the framework has no sides.
    min_dimension_coverage: the same test in every dimension with positive weight (default 0,
        off: several dimensions cover only a few countries by design).
    imputation: an ``IMPUTERS`` name; impute_group: "region", "subregion" or a group id.
    outlier_treatment: a ``TREATMENTS`` name ("none" or "jrc").
    normalisation / normalisation_params: a ``NORMALISERS`` name and overrides of its defaults.
    indicator_aggregation / dimension_aggregation: ``AGGREGATORS`` names per level;
        indicator_power / dimension_power: p for the generalised mean.
    weight_preset: a ``WEIGHT_PRESETS`` name (weights before the overrides below).
    indicator_weights / dimension_weights: overrides, id -> weight (>= 0; 0 excludes).
    peer_group: ISO3 codes and/or group ids; results get a peer_rank column.
    """

    year: int | None = None
    year_window: tuple[int, int] = DEFAULT_YEAR_WINDOW
    min_coverage: float = 0.5
    min_dimension_coverage: float = 0.0
    min_indicator_share: float = 0.5
    min_dimension_share: float = 0.75
    imputation: str = "none"
    impute_group: str = "region"
    outlier_treatment: str = "none"
    normalisation: str = "min_max"
    normalisation_params: Pairs = ()
    indicator_aggregation: str = "arithmetic"
    dimension_aggregation: str = "arithmetic"
    indicator_power: float = 0.5
    dimension_power: float = 0.5
    weight_preset: str = "catalogue"
    indicator_weights: Pairs = field(default=())
    dimension_weights: Pairs = field(default=())
    side_weights: Pairs = field(default=(("appeal", 1.0), ("reach", 1.0)))
    peer_group: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        s = object.__setattr__
        if self.year is not None:
            s(self, "year", _as_year("year", self.year))
        try:
            lo, hi = self.year_window
        except (TypeError, ValueError):
            raise EngineError(
                "year_window: expected (first, last), got {value}",
                value=_quoted(self.year_window),
            ) from None
        lo, hi = _as_year("year_window", lo), _as_year("year_window", hi)
        if lo > hi:
            raise EngineError(
                "year_window: first year {first} is after last year {last}", first=lo, last=hi
            )
        s(self, "year_window", (lo, hi))
        for name in (
            "min_coverage",
            "min_dimension_coverage",
            "min_indicator_share",
            "min_dimension_share",
        ):
            v = _as_float(name, getattr(self, name))
            if not 0.0 <= v <= 1.0:
                raise EngineError(
                    "{setting}: must be between 0 and 1, got {value:g}",
                    setting=Setting(name),
                    value=v,
                )
            s(self, name, v)
        for name, registry in [
            ("imputation", IMPUTERS),
            ("outlier_treatment", TREATMENTS),
            ("normalisation", NORMALISERS),
            ("indicator_aggregation", AGGREGATORS),
            ("dimension_aggregation", AGGREGATORS),
        ]:
            v = getattr(self, name)
            if not isinstance(v, str) or v not in registry:
                raise EngineError(
                    "{setting}: unknown choice {value} (known: {known})",
                    setting=Setting(name),
                    value=_quoted(v),
                    known=Listed(map(Setting, registry)),
                )
        presets = _weight_presets()
        if not isinstance(self.weight_preset, str) or self.weight_preset not in presets:
            raise EngineError(
                "{setting}: unknown choice {value} (known: {known})",
                setting=Setting("weight_preset"),
                value=_quoted(self.weight_preset),
                known=Listed(map(Setting, presets)),
            )
        if not isinstance(self.impute_group, str) or not self.impute_group:
            raise EngineError(
                "impute_group: expected a column or group id, got {value}",
                value=_quoted(self.impute_group),
            )
        params = _pairs("normalisation_params", self.normalisation_params)
        huge = [Quoted(f"{k} = {v:g}") for k, v in params if abs(v) > MAX_PARAM]
        if huge:
            raise EngineError(
                "normalisation_params: {values} is out of range (between -{most:,.0f} and "
                "{most:,.0f})",
                values=Listed(huge, 5),
                most=MAX_PARAM,
            )
        NORMALISERS[self.normalisation].check_params(dict(params))
        s(self, "normalisation_params", params)
        for name in ("indicator_power", "dimension_power"):
            p = _as_float(name, getattr(self, name))
            if abs(p) > MAX_POWER:
                raise EngineError(
                    "{setting}: must be between -{most:g} and {most:g}, got {value:g}",
                    setting=Setting(name),
                    most=MAX_POWER,
                    value=p,
                )
            s(self, name, p)
        for name in ("indicator_weights", "dimension_weights", "side_weights"):
            pairs = _pairs(name, getattr(self, name))
            negative = [Quoted(f"{k} = {_fmt(v)}") for k, v in pairs if v < 0]
            if negative:
                raise EngineError(
                    "{setting}: negative weight {values}",
                    setting=Setting(name),
                    values=Listed(negative, 5),
                )
            huge = [Quoted(f"{k} = {v:g}") for k, v in pairs if v > MAX_WEIGHT]
            if huge:
                raise EngineError(
                    "{setting}: weight {values} is too large (at most {most:,.0f}; weights are "
                    "relative, so divide them all by the same number)",
                    setting=Setting(name),
                    values=Listed(huge, 5),
                    most=MAX_WEIGHT,
                )
            s(self, name, pairs)
        peers = self.peer_group
        if isinstance(peers, str):
            peers = [peers]
        try:
            peers = list(peers)
        except TypeError:
            raise EngineError(
                "peer_group: expected a list of codes, got {value}", value=_quoted(peers)
            ) from None
        if not all(isinstance(p, str) for p in peers):
            raise EngineError(
                "peer_group: expected a list of codes, got {value}", value=_quoted(peers)
            )
        # Split as the URL form does, so every peer group survives a round trip.
        codes = (c.strip() for p in peers for c in p.replace(";", ",").split(","))
        peers = tuple(dict.fromkeys(c for c in codes if c))
        if len(peers) > MAX_PEERS:
            raise EngineError(
                "peer_group: {n:,} countries or groups ({codes}); at most {most} are allowed",
                n=len(peers),
                codes=Listed(map(Quoted, peers), 3),
                most=MAX_PEERS,
            )
        s(self, "peer_group", peers)

    # ------------------------------------------------------------------ helpers
    def with_(self, **changes: Any) -> Method:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @property
    def normalisation_settings(self) -> dict[str, float]:
        """The normaliser's parameters: its defaults updated by ``normalisation_params``."""
        return NORMALISERS[self.normalisation].check_params(dict(self.normalisation_params))

    def check_names(
        self, indicators: Iterable[str], dimensions: Iterable[str] | None = None
    ) -> Method:
        """Raise ValueError naming override ids that are not in the framework; return self."""
        known = set(indicators)
        bad = [k for k, _ in self.indicator_weights if k not in known]
        if bad:
            raise EngineError(
                "indicator_weights: unknown indicator(s) {ids}", ids=Listed(map(Quoted, bad), 5)
            )
        if dimensions is not None:
            dims = set(dimensions)
            bad = [k for k, _ in self.dimension_weights if k not in dims]
            if bad:
                raise EngineError(
                    "dimension_weights: unknown dimension(s) {ids}",
                    ids=Listed(map(Quoted, bad), 5),
                )
        return self

    # ------------------------------------------------------------------ dict / JSON / TOML
    def to_dict(self, *, only_changes: bool = False) -> dict[str, Any]:
        """Plain dict (lists and tables, JSON- and TOML-ready); year None stays None."""
        out: dict[str, Any] = {}
        default = _DEFAULT
        for f in fields(self):
            v = getattr(self, f.name)
            if only_changes and v == getattr(default, f.name):
                continue
            if f.name in PAIR_FIELDS:
                v = dict(v)
            elif f.name in ("year_window", "peer_group"):
                v = list(v)
            out[f.name] = v
        return out

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        framework: Any = None,
        dimensions: Iterable[str] | None = None,
    ) -> Method:
        """Build from a dict; unknown keys (and, with a framework, unknown ids) raise ValueError."""
        if not isinstance(data, Mapping):
            raise EngineError(
                "method: expected a table of settings, got {kind}", kind=Quoted(type(data).__name__)
            )
        if data_depth(data) > MAX_NESTING:
            raise EngineError("method: {error}", error=NestingError())
        names = {f.name for f in fields(cls)}
        unknown = sorted(str(key) for key in set(data) - names)
        if unknown:
            raise EngineError("method: unknown key(s) {keys}", keys=Listed(map(Quoted, unknown), 5))
        method = cls(**dict(data))
        if framework is not None:
            method.check_names(*_framework_ids(framework, dimensions))
        return method

    def to_json(self, *, only_changes: bool = False, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(only_changes=only_changes), indent=indent)

    @classmethod
    def from_json(cls, text: str, framework: Any = None) -> Method:
        """Parse JSON text (see :meth:`from_dict`)."""
        try:
            data = loads_json(text)
        except json.JSONDecodeError as err:
            raise EngineError("method: not valid JSON ({error})", error=Quoted(err)) from None
        except NestingError as err:
            raise EngineError("method: {error}", error=err) from None
        return cls.from_dict(data, framework)

    def to_toml(self, *, only_changes: bool = False) -> str:
        """TOML text; ``year`` is left out when None (TOML has no null)."""
        data = self.to_dict(only_changes=only_changes)
        if data.get("year", 0) is None:
            del data["year"]
        return tomli_w.dumps(data)

    @classmethod
    def from_toml(cls, text: str, framework: Any = None) -> Method:
        """Parse TOML text (see :meth:`from_dict`)."""
        try:
            data = loads_toml(text)
        except tomllib.TOMLDecodeError as err:
            raise EngineError("method: not valid TOML ({error})", error=Quoted(err)) from None
        except NestingError as err:
            raise EngineError("method: {error}", error=err) from None
        return cls.from_dict(data, framework)

    # ------------------------------------------------------------------ URL query
    def to_query(self) -> dict[str, str]:
        """Only the non-default entries, as short key -> string (for ``st.query_params``).

        >>> Method(year=2020, indicator_weights={"a": 2, "b": 0.5}).to_query()
        {'year': '2020', 'w': 'a:2,b:0.5'}
        """
        out: dict[str, str] = {}
        for name, v in self.to_dict(only_changes=True).items():
            key = _FIELD_TO_QUERY[name]
            if name == "year":
                text = "" if v is None else str(v)
            elif name == "year_window":
                text = f"{v[0]}-{v[1]}"
            elif isinstance(v, dict):
                text = ",".join(f"{k}:{_fmt(x)}" for k, x in v.items())
            elif isinstance(v, list):
                text = ",".join(v)
            elif isinstance(v, float):
                text = _fmt(v)
            else:
                text = str(v)
            out[key] = text
        return out

    @classmethod
    def from_query(
        cls, params: Mapping[str, Any], framework: Any = None, *, strict: bool = True
    ) -> Method:
        """Read :meth:`to_query` output. ``strict=False`` ignores keys that are not Method keys
        (the app's own URL state); otherwise they raise ValueError.

        >>> Method.from_query({"year": "2020", "w": "a:2,b:0.5"}) == Method(
        ...     year=2020, indicator_weights={"a": 2, "b": 0.5})
        True
        """
        data: dict[str, Any] = {}
        unknown = []
        for key, raw in params.items():
            if key not in QUERY_KEYS:
                unknown.append(key)
                continue
            if isinstance(raw, list | tuple):  # st.query_params.to_dict() gives the last value
                raw = raw[-1] if raw else ""
            text = str(raw).strip()
            name = QUERY_KEYS[key]
            if name == "year":
                data[name] = None if text in ("", "latest") else text
            elif name == "year_window":
                a, sep, b = text.partition("-")
                if not sep:
                    raise EngineError(
                        "year_window: expected FIRST-LAST, got {value}", value=_quoted(text)
                    )
                data[name] = (a, b)
            elif name in PAIR_FIELDS:
                pairs = []
                for part in filter(None, (p.strip() for p in text.split(","))):
                    k, sep, v = part.partition(":")
                    if not sep or not k:
                        raise EngineError(
                            "{setting}: expected name:number, got {value}",
                            setting=Setting(name),
                            value=_quoted(part),
                        )
                    pairs.append((k.strip(), v.strip()))
                data[name] = pairs
            elif name == "peer_group":
                data[name] = text
            else:
                data[name] = text
        if unknown and strict:
            raise EngineError(
                "method: unknown query key(s) {keys}", keys=Listed(map(Quoted, sorted(unknown)), 5)
            )
        for name in (
            "min_coverage",
            "min_dimension_coverage",
            "min_indicator_share",
            "min_dimension_share",
            "indicator_power",
            "dimension_power",
        ):
            if name in data:
                data[name] = _as_float(name, data[name])
        return cls.from_dict(data, framework)


_DEFAULT = Method()


def _framework_ids(framework: Any, dimensions: Iterable[str] | None = None):
    """(indicator ids, dimension ids) from a framework DataFrame or a catalogue object."""
    if hasattr(framework, "framework") and callable(framework.framework):
        framework = framework.framework()
    if isinstance(framework, Mapping):
        indicators = list(framework)
        return indicators, dimensions
    indicators = list(framework["indicator"])
    dims = (
        list(dimensions) if dimensions is not None else list(dict.fromkeys(framework["dimension"]))
    )
    return indicators, dims
