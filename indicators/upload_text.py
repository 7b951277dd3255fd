"""An upload's rejection reasons in the reader's language.

The contracts in ``scoring.schemas`` and the limits in ``scoring.limits`` write their reasons in
English (scoring/ knows no interface language). Each reason is matched here against the English
template it was written from; the template's translation is then filled with the same specifics
(value, indicator, bounds, codes), so a Russian reader still sees which cell to fix. A reason that
matches no template is shown as written.

    >>> translated("'n/a' is not a number")  # English: unchanged
    "'n/a' is not a number"
    >>> fields("2400 is outside rsf_press_freedom's range [0, 100]")
    {'value': '2400', 'indicator': 'rsf_press_freedom', 'low': '0', 'high': '100'}
"""

from __future__ import annotations

import re
from functools import cache

from i18n import N_, _

# The checks' wordings, most specific first (the first whose whole text matches is used).
TEMPLATES = (
    # scoring.schemas: values
    N_("unknown country code '{code}' (did you mean {codes}?)"),
    N_("unknown country code '{code}'"),
    N_("unknown indicator '{value}'"),
    N_("{value} is outside {indicator}'s range [{low}, {high}]"),
    N_("value outside the indicator's declared range"),
    N_("duplicate (iso3, indicator, year): the same key is on another row too"),
    N_("unit differs from the catalogue's '{unit}'"),
    # scoring.schemas: framework
    N_("'{value}' must be lower_snake_case (letters, digits, _)"),
    N_("direction must be 1 or -1, not {value}"),
    N_("weight {value} is negative"),
    N_("weight {value} is too large (at most {most}; weights are relative)"),
    # scoring.schemas: any table
    N_("'{value}' is not a whole number"),
    N_("'{value}' is not a number"),
    N_("empty cell"),
    N_("required column is missing"),
    N_("{value} is not a finite number"),
    N_(
        "{value} is too large: values must lie within {bound} (the scoring is exact up to there; "
        "use larger units)"
    ),
    N_("'{value}' is not one of the allowed values"),
    N_("'{value}' appears more than once"),
    N_("duplicate row: the same key appears more than once"),
    N_("'{value}' does not have the expected form"),
    N_("{value} is outside {bounds}"),
    N_("fails check {check}"),
    # scoring.limits: a refusal (its first two parts are written translated by indicators.uploads)
    N_(
        "{what}: {actual}; the limit is {limit}. To allow more, set the environment variable "
        "{variable} and restart."
    ),
)
_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    patterns = []
    for template in TEMPLATES:
        parts = _FIELD.split(template)  # literal, name, literal, name, ..., literal
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        patterns.append((template, re.compile(regex, re.DOTALL)))
    return tuple(patterns)


def fields(reason: str) -> dict[str, str] | None:
    """The specifics of `reason` by its template's field names; None if no template fits."""
    match = _match(reason)
    return None if match is None else match[1]


def _match(reason: str) -> tuple[str, dict[str, str]] | None:
    for template, pattern in _patterns():
        found = pattern.fullmatch(reason)
        if found:
            return template, found.groupdict()
    return None


def translated(reason: object) -> str:
    """`reason` in the run's language, its specifics kept as written."""
    text = "" if reason is None else str(reason)
    match = _match(text)
    if match is None:
        return text
    template, specifics = match
    if "codes" in specifics:  # "RUS or RUT": the joining word is language too
        specifics["codes"] = specifics["codes"].replace(" or ", " " + _("or") + " ")
    if "limit" in specifics:
        specifics["limit"] = specifics["limit"].replace(" times", " " + _("times"))
    return _(template).format(**specifics)
