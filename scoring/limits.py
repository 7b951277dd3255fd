"""Explicit bounds on everything a person can make large: uploads, Monte Carlo draws, sensitivity
samples. One frozen :class:`Limits`, with defaults an analyst's real files pass easily, each
overridable by an environment variable (read once, by :func:`current`).

Every refusal names the limit that was hit, the actual size and the variable that changes it:
:meth:`Limits.refusal`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from math import inf

__all__ = [
    "Limits",
    "LimitError",
    "current",
    "ENV_PREFIX",
    "MAX_ABS_VALUE",
    "MAX_WEIGHT",
    "YEAR_RANGE",
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
    #: Total declared size of an .xlsx workbook's parts once unzipped, in megabytes.
    max_unzipped_mb: float = 500.0
    #: Declared unzipped size / zipped size of any one workbook part (real sheets stay far below).
    max_zip_ratio: float = 200.0
    #: Monte Carlo draws (rank intervals in the app, ``scorecard sensitivity``, exports).
    max_draws: int = 100_000
    #: Base samples of the variance-based sensitivity analysis.
    max_sensitivity_samples: int = 20_000

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < inf:
                raise ValueError(f"{_env_name(f.name)}: must be a positive number, got {value!r}")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1_000_000)

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * 1_000_000)

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
                raise ValueError(f"{name}: expected a number, got {text!r}") from None
            if f.type == "int":
                if not number.is_integer():
                    raise ValueError(f"{name}: expected a whole number, got {text!r}")
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


_UNITS = {"max_upload_mb": " MB", "max_unzipped_mb": " MB", "max_zip_ratio": " times"}


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
