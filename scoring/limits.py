"""Explicit bounds on everything a person can make large: uploads, Monte Carlo draws, sensitivity
samples. One frozen :class:`Limits`, with defaults an analyst's real files pass easily, each
overridable by an environment variable (read once, by :func:`current`).

Every refusal names the limit that was hit, the actual size and the variable that changes it:
:meth:`Limits.refusal`.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from math import inf
from typing import Any

from scoring.errors import EngineError, Quoted, Setting, template

__all__ = [
    "Limits",
    "LimitError",
    "current",
    "ENV_PREFIX",
    "MAX_ABS_VALUE",
    "MAX_NESTING",
    "MAX_WEIGHT",
    "YEAR_RANGE",
    "NestingError",
    "loads_json",
    "loads_toml",
]

ENV_PREFIX = "SCORECARD_"

# Bounds of the engine itself (not settings): what it scores exactly.
#: Largest magnitude of a value. Every whole number up to 2**53 (about 9e15) is exact in float64,
#: and min-max, z-scores, variances and skewness stay finite with room to spare; beyond it a
#: difference such as 1e308 - (-1e308) overflows and a ranking silently goes wrong.
MAX_ABS_VALUE = 1e15
#: Largest weight: weights are relative, and sums of a few larger ones overflow to inf.
MAX_WEIGHT = 1e6
#: Years a value may carry, and a Method may ask for (inclusive).
YEAR_RANGE = (1990, 2030)


class LimitError(ValueError):
    """A size over one of the Limits; the message says which, how big, and how to raise it."""


@dataclass(frozen=True)
class Limits:
    """Upper bounds (inclusive). Each field is set by the environment variable
    ``SCORECARD_<FIELD NAME IN CAPITALS>``, e.g. ``SCORECARD_MAX_UPLOAD_MB=100``."""

    #: Size of one uploaded file (CSV or .xlsx) in megabytes (10^6 bytes).
    max_upload_mb: float = 50.0
    #: Data rows in one uploaded table (blank lines are not counted).
    max_rows: int = 200_000
    #: Columns in an uploaded table's header.
    max_columns: int = 100
    #: Total declared size of an .xlsx workbook's parts once unzipped, in megabytes. A reader
    #: parses about 4 MB of sheet a second: a 200,000-row sheet of five columns is 55 MB.
    max_unzipped_mb: float = 100.0
    #: Declared unzipped size of the .xlsx parts read whole into memory before the first row
    #: (shared strings, styles, the workbook: all but the sheets), in megabytes; they take about
    #: 7 times their size in memory.
    max_xlsx_memory_mb: float = 20.0
    #: Declared unzipped size / zipped size of any one workbook part (real sheets stay far below).
    max_zip_ratio: float = 200.0
    #: Monte Carlo draws (rank intervals in the app, ``scorecard sensitivity``, exports).
    max_draws: int = 100_000
    #: Base samples of the variance-based sensitivity analysis.
    max_sensitivity_samples: int = 20_000
    #: Size of one publisher file taken by ``update-data`` (downloaded or from ``--from-dir``),
    #: in megabytes; the largest shipped one is 2.8 MB, and a loader needs about 25 times a
    #: file's size in memory.
    max_source_mb: float = 25.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < inf:
                raise EngineError(
                    "{variable}: must be a positive number, got {value}",
                    variable=Setting(_env_name(f.name)),
                    value=Quoted(repr(value)),
                )

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1_000_000)

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * 1_000_000)

    @property
    def max_xlsx_memory_bytes(self) -> int:
        return int(self.max_xlsx_memory_mb * 1_000_000)

    @property
    def max_source_bytes(self) -> int:
        return int(self.max_source_mb * 1_000_000)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Defaults overridden by ``SCORECARD_MAX_...`` variables; a bad value raises ValueError
        naming the variable."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            name = _env_name(f.name)
            text = environ.get(name, "").strip()
            if not text:
                continue
            try:
                number = float(text)
            except ValueError:
                raise EngineError(
                    "{variable}: expected a number, got {value}",
                    variable=Setting(name),
                    value=Quoted(repr(text)),
                ) from None
            if f.type == "int":
                if not number.is_integer():
                    raise EngineError(
                        "{variable}: expected a whole number, got {value}",
                        variable=Setting(name),
                        value=Quoted(repr(text)),
                    )
                number = int(number)
            values[f.name] = number
        return cls(**values)

    def refusal(self, what: str, actual: str, limit_field: str) -> str:
        """'<what>: <actual>; the limit is <limit>. To allow more, set the environment variable
        SCORECARD_<LIMIT> and restart.'"""
        limit = getattr(self, limit_field)
        unit = _UNITS.get(limit_field, "")
        return (
            f"{what}: {actual}; the limit is {_number(limit)}{unit}. "
            f"To allow more, set the environment variable {_env_name(limit_field)} "
            "and restart."
        )

    def check(self, what: str, actual: float, limit_field: str, shown: str | None = None) -> None:
        """Raise LimitError (see :meth:`refusal`) if ``actual`` is over ``limit_field``."""
        if actual > getattr(self, limit_field):
            unit = _UNITS.get(limit_field, "")
            raise LimitError(self.refusal(what, shown or f"{_number(actual)}{unit}", limit_field))


_UNITS = {
    "max_upload_mb": " MB",
    "max_unzipped_mb": " MB",
    "max_xlsx_memory_mb": " MB",
    "max_zip_ratio": " times",
    "max_source_mb": " MB",
}


def _env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def _number(x: float) -> str:
    """
    >>> _number(200000), _number(50.0), _number(1.25), _number(0.0004)
    ('200,000', '50', '1.25', '0.0004')
    """
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) >= 0.01 else f"{x:g}"


def megabytes(n_bytes: int) -> str:
    """
    >>> megabytes(210_000_000), megabytes(1_500)
    ('210 MB', '0.0015 MB')
    """
    return f"{_number(round(n_bytes / 1_000_000, 4))} MB"


@cache
def current() -> Limits:
    """The limits of this process (environment read once)."""
    return Limits.from_env()


# ---- nesting: JSON and TOML readers recurse once per level, and so does anything that prints or
# walks what they read. A 20 KB file of '[' ended in RecursionError; every reader of JSON or TOML
# goes through loads_json / loads_toml, which refuse deep nesting before and after parsing.

#: Deepest nesting of lists and tables read from JSON or TOML (a Method needs 3; the publishers'
#: API answers fewer than 10).
MAX_NESTING = 32


class NestingError(EngineError):
    """JSON or TOML nested deeper than MAX_NESTING."""

    def __init__(self) -> None:
        super().__init__(_NESTED, most=MAX_NESTING)

    def __reduce__(self):
        return (NestingError, ())


_NESTED = template("nested more than {most} levels deep (lists or tables)")


# Brackets outside strings and comments; strings are skipped whole by the regex engine, so the
# scan costs little even for a large file. TOML also nests through dotted keys (a.b.c = 1,
# [a.b.c]), without brackets: tomllib's work and memory grow with the square of a dotted key's
# length (30,000 parts, 60 KB of text, took 8 s and 3.6 GB), so a dotted run is one token whose
# parts count as levels.
# Every string alternative always matches (to its closing quote, or to the end of the line or
# text when it is not closed): a string that could fail would be scanned again from every quote
# inside it, and a file of '"\\' repeated would take minutes. Possessive quantifiers (Python
# 3.11) and the look-behind keep long words from being scanned again from every position.
_JSON_TOKENS = re.compile(
    r'(?P<skip>"(?:[^"\\]++|\\[\s\S])*+(?:"|\\?\Z))|(?P<open>[\[{])|(?P<close>[\]}])'
)
_TOML_SEGMENT = r'(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|\'[^\'\n]*+\')'
_TOML_TOKENS = re.compile(
    r'(?P<long>"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z))'
    rf"|(?P<dotted>(?<![A-Za-z0-9_-]){_TOML_SEGMENT}(?:[ \t]*+\.[ \t]*+{_TOML_SEGMENT})++)"
    r'|(?P<skip>"(?:[^"\\\n]++|\\[\s\S])*+(?:"|(?=\n)|\\?\Z)|\'[^\'\n]*+(?:\'|(?=\n)|\Z)'
    r"|#[^\n]*+)|(?P<open>[\[{])|(?P<close>[\]}])"
)
_TOML_DOTTED_PARTS = re.compile(_TOML_SEGMENT)


def text_depth(text: str, tokens: re.Pattern = _JSON_TOKENS) -> int:
    """Deepest nesting of JSON (or, with _TOML_TOKENS, TOML) text: brackets outside strings and
    comments, and the parts of a TOML dotted key; stops early once past MAX_NESTING.

    >>> text_depth('{"a": [1, {"b": "[[[["}]}'), text_depth("[" * 10_000)
    (3, 33)
    >>> text_depth('[t."u"]\\nv.w.x = 1', _TOML_TOKENS)
    3
    >>> text_depth("a." * 9_999 + "a = 1", _TOML_TOKENS)
    10000
    """
    depth = deepest = 0
    for match in tokens.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            level = depth
        elif kind == "close":
            depth -= 1
            continue
        elif kind == "dotted":  # a TOML dotted key: one level a part
            level = depth + len(_TOML_DOTTED_PARTS.findall(match.group()))
        else:
            continue
        if level > deepest:
            deepest = level
            if deepest > MAX_NESTING:
                break
    return deepest


def data_depth(value: Any) -> int:
    """Deepest nesting of lists and dicts in parsed data, without recursion, stopping early once
    past MAX_NESTING.

    >>> data_depth({"a": [1, {"b": 2}]}), data_depth(3)
    (3, 0)
    """
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _checked(parse, text: str, tokens: re.Pattern) -> Any:
    if text_depth(text, tokens) > MAX_NESTING:
        raise NestingError
    try:
        data = parse(text)
    except RecursionError:  # a form the scan does not see (never met; kept as a backstop)
        raise NestingError from None
    if data_depth(data) > MAX_NESTING:  # TOML's dotted keys nest without brackets
        raise NestingError
    return data


def loads_json(text: str) -> Any:
    """json.loads, refusing nesting deeper than MAX_NESTING (NestingError, a ValueError);
    json.JSONDecodeError as json.loads."""
    return _checked(json.loads, text, _JSON_TOKENS)


def loads_toml(text: str) -> dict[str, Any]:
    """tomllib.loads, refusing nesting deeper than MAX_NESTING (NestingError, a ValueError);
    tomllib.TOMLDecodeError as tomllib.loads."""
    return _checked(tomllib.loads, text, _TOML_TOKENS)
