"""The interface's languages. English is written in the code; other languages come from gettext
catalogues (`i18n/<lang>/*.po`, one file per part of the app, so parts can be translated apart).

The language is per script run (a context variable), so two sessions of one server can read
different languages. Mark text with `_()`; text defined at import time (constants, table column
labels) is marked with `N_()` and translated where it is shown.

    >>> _("Rankings")  # English is the code's own text
    'Rankings'
"""

from __future__ import annotations

import datetime
import gettext
import re
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES = {"en": "English", "ru": "Русский"}
LOCALES = {"en": "en_GB", "ru": "ru_RU"}  # Babel's: the app writes British English
DEFAULT = "en"
HERE = Path(__file__).parent
_language: ContextVar[str] = ContextVar("language", default=DEFAULT)


def use(language: str) -> str:
    """Switch this run to `language` (an unknown code falls back to English); returns the code."""
    code = language if language in LANGUAGES else DEFAULT
    _language.set(code)
    return code


def language() -> str:
    return _language.get()


def catalogue_files(language: str) -> list[Path]:
    return sorted((HERE / language).glob("*.po"))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's catalogues merged and compiled in memory (no .mo files to keep in step).
    Fuzzy entries are left out: a guess is not a translation."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    merged = None
    for path in catalogue_files(language):
        with path.open("rb") as file:
            catalogue = read_po(file, locale=language)
        if merged is None:
            merged = catalogue
            continue
        for message in catalogue:
            if message.id and message.id not in merged:
                merged[message.id] = message
    if merged is None:
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, merged)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """`message` in this run's language."""
    if _language.get() == DEFAULT:
        return message
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message that fits `count` (Russian has three)."""
    if _language.get() == DEFAULT:
        return singular if count == 1 else plural
    return translations(_language.get()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks `message` for the catalogue without translating it now (it is defined at import)."""
    return message


PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def placeholders(text: str) -> list[str]:
    """The `str.format` fields of a message, which a translation must keep.

    >>> placeholders("{name} ranks {rank}, up {change:+d}")
    ['{change:+d}', '{name}', '{rank}']
    """
    return sorted(PLACEHOLDER.findall(text))


# ---- numbers, ranks and dates as the language writes them (Babel's locale data)


def number(value: float, decimals: int = 1) -> str:
    """`value` with `decimals` places and the language's separators.

    >>> number(1234.5678, 2), number(-0.5, 0)
    ('1,234.57', '-0')
    """
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[language()])


def percent(share: float, decimals: int = 0) -> str:
    """A share (0.125) as a percentage, the way the language writes one.

    >>> percent(0.125, 1)
    '12.5%'
    """
    # The language's own pattern ("#,##0%", Russian "#,##0\xa0%") with the places asked for.
    pattern = Locale.parse(LOCALES[language()]).percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("0", "0." + "0" * decimals, 1)
    return format_percent(share, format=pattern, locale=LOCALES[language()])


def ordinal(rank: int) -> str:
    """A rank as an ordinal: 1st, 22nd, 113th in English; 1-е, 22-е in Russian.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 112)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '112th']
    """
    if language() == "ru":
        return f"{rank}-е"
    suffix = "th" if 11 <= rank % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def date(day: datetime.date) -> str:
    """A date written out: '4 December 2026' in English, '4 декабря 2026 г.' in Russian."""
    return format_date(day, format="long", locale=LOCALES[language()])
