"""Any error a page or export shows, in the reader's language.

The engine raises `scoring.errors.EngineError` (and keeps notes as `Phrase`s) with an English
template and typed fields; here the template is translated and the fields are said: ids by
their names, numbers with the language's separators, dates written out, a person's input and
setting keys as written (outside English in code type, so they read as quoted), a quoted error
or phrase in turn. Anything else is shown as its English text.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import i18n
from i18n import _, ngettext
from scoring.errors import (
    Counted,
    EngineError,
    Id,
    Listed,
    Phrase,
    Quoted,
    Reason,
    Setting,
    Side,
    Term,
)


class _Said:
    """A field to say; the template's format spec (``{n:,}``) tells a count to group thousands."""

    def __init__(self, value, names: Mapping[str, str]) -> None:
        self.value, self.names = value, names

    def __format__(self, spec: str) -> str:
        return _field(self.value, self.names, spec)


def said(error: BaseException, names: Mapping[str, str] | None = None) -> str:
    """`error` in the run's language; `names` maps ids (ISO3, indicator, dimension, side) to
    what to call them.

    >>> from scoring.errors import Country, Indicator
    >>> said(EngineError("{iso3}: no value for {indicator} in {year}", iso3=Country("RUS"),
    ...     indicator=Indicator("eiti"), year=2015), {"RUS": "Russia"})
    'Russia: no value for eiti in 2015'
    >>> said(ValueError("plain words"))
    'plain words'
    """
    if not isinstance(error, EngineError | Phrase):
        return str(error)
    names = {} if names is None else names  # a Mapping or a Series (iso3 -> name)
    fields = {key: _Said(value, names) for key, value in error.fields.items()}
    if isinstance(error, Counted):
        count = error.fields[error.count]
        return ngettext(error.singular, error.plural, int(count)).format(**fields)
    return _(error.template).format(**fields)


def _field(value, names: Mapping[str, str], spec: str = "") -> str:
    if isinstance(value, BaseException | Phrase):
        return said(value, names)
    if isinstance(value, Listed):
        items = ", ".join(_field(item, names) for item in value)
        if not value.more:
            return items
        return _("{items} and {n} more").format(items=items, n=i18n.number(value.more, 0))
    if isinstance(value, Side) and value not in names:
        from present.provenance import SIDE_WORDS  # here: provenance says stale reasons with said

        return _(SIDE_WORDS.get(value, value))
    if isinstance(value, Id):
        return str(names.get(value, value))
    if isinstance(value, Term):
        words = _(value.words)
        return words.lower() if value.lower else words
    if isinstance(value, Setting | Quoted):
        # Verbatim Latin text: part of an English sentence, marked as code in another language.
        return str(value) if i18n.language() == i18n.DEFAULT else f"`{value}`"
    if isinstance(value, Reason):
        from present.tables import screen_reason  # here: tables imports provenance

        return screen_reason(value)
    if isinstance(value, datetime.date):
        return i18n.date(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):  # years as they are; counts the template groups (",") grouped
        return i18n.number(value, 0) if "," in spec else str(value)
    if float(value).is_integer():
        return i18n.number(value, 0)
    shown = format(value, "g")  # as many places as the English shows, at most 6
    return i18n.number(value, 6 if "e" in shown else len(shown.partition(".")[2]))
