"""The engine's refusals as data: an English template and its fields, kept apart.

The engine knows no interface language, yet what it refuses (a link's setting, a Method file, an
impossible weighting) reaches readers of any language. So every refusal a person can meet is an
`EngineError` raised with a string-literal template and named fields:

    >>> error = EngineError("impute_group: unknown group {group}", group=Quoted("'nowhere'"))
    >>> str(error)
    "impute_group: unknown group 'nowhere'"
    >>> error.template, error.fields["group"]
    ('impute_group: unknown group {group}', "'nowhere'")

`str(error)` is the English sentence (logs, the command line, English tests); the presentation
(``present.errors.said``) translates the template and fills in the fields in the reader's
language. The template literal at the raise site is what the translation catalogue extracts, so
it must be a literal, never built or an f-string (a template kept in a constant is marked with
`template()`).

How fields are said is told by their type, never by their name:

- ids, named in the reader's language by the presentation: `Country` (ISO3), `Indicator`,
  `Dimension`, `Side`, or `Id` where an indicator or a dimension may be meant (str subclasses:
  in English they are the id itself);
- `Term`: a registry entry's English label (a normalisation's), translated by the presentation;
- `Phrase`: words with fields of their own, said as a message is (`Counted`: one whose wording
  follows a count);
- a `datetime.date`, written out in the reader's language;
- `Setting`: a Method setting's key as a file or link writes it (``impute_group``), kept as is;
- `Quoted`: what a person typed, as the engine quotes it (a repr, cut short), kept as is;
- `Reason`: why a country is not scored, in the screening's own wording (see
  ``scoring.pipeline``), said by the presentation's screen-reason translator;
- `Listed`: several of the above, joined with ", " (and how many more were left out);
- an exception (an `EngineError` quoted inside another one), said in turn;
- plain `int` and `float` are numbers (written with the reader's separators), `str` stays as is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Id(str):
    """An id the presentation names: an indicator's or a dimension's, where either may be meant."""


class Country(Id):
    """An ISO3 code the presentation names."""


class Indicator(Id):
    """An indicator id the presentation names."""


class Dimension(Id):
    """A dimension id the presentation names."""


class Side(Id):
    """A side id (reach, appeal) the presentation names."""


class Term(str):
    """A registry entry's English label (a normalisation, a mean), which the presentation's
    catalogue translates; `lower` when the sentence writes it in lower case."""

    words: str
    lower: bool

    def __new__(cls, words: str, lower: bool = False) -> Term:
        out = super().__new__(cls, words.lower() if lower else words)
        out.words, out.lower = words, lower
        return out

    def __reduce__(self):
        return (Term, (self.words, self.lower))


class Setting(str):
    """A Method setting's key, as TOML and links write it."""


class Quoted(str):
    """A person's input as the engine quotes it."""


class Reason(str):
    """Why a country is not scored, in the screening's wording ("; "-joined)."""


class Listed(tuple):
    """Items joined with ", ", at most `most` of them, then how many more.

    >>> str(Listed(["a", "b", "c"], most=2))
    'a, b and 1 more'
    """

    more: int

    def __new__(cls, items: Iterable[Any], most: int | None = None) -> Listed:
        items = list(items)
        shown = items if most is None else items[:most]
        out = super().__new__(cls, shown)
        out.more = len(items) - len(shown)
        return out

    def __str__(self) -> str:
        words = [str(n) if len(str(n)) <= 40 else str(n)[:39] + "…" for n in self]
        more = f" and {self.more:,} more" if self.more else ""
        return ", ".join(words) + more

    def __format__(self, spec: str) -> str:
        return str(self)


def template(text: str) -> str:
    """Marks a template kept in a constant (for a subclass that builds its own message) for the
    catalogue, as a literal at a raise site is; returns it unchanged."""
    return text


class Phrase:
    """Words inside a message that have fields of their own ("generalised mean (p = 0.5)"):
    a template and fields, as an EngineError's; `str()` is the English."""

    def __init__(self, template: str, /, **fields: Any) -> None:
        self.template = template
        self.fields = fields

    def __str__(self) -> str:
        return self.template.format(**self.fields)

    def __format__(self, spec: str) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, **{self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.template, self.fields) == (
            other.template,
            other.fields,
        )

    __hash__ = None  # type: ignore[assignment]


class Counted(Phrase):
    """A Phrase whose wording follows a count (`count` names the field): "1 year ago", "7 years
    ago"; the presentation picks the language's form (Russian has three).

    >>> str(Counted("{n} year ago", "{n} years ago", count="n", n=7))
    '7 years ago'
    """

    def __init__(self, singular: str, plural: str, /, count: str, **fields: Any) -> None:
        self.singular, self.plural, self.count = singular, plural, count
        super().__init__(singular if fields[count] == 1 else plural, **fields)

    def __repr__(self) -> str:
        return (
            f"Counted({self.singular!r}, {self.plural!r}, count={self.count!r}, **{self.fields!r})"
        )


class EngineError(ValueError):
    """A refusal a person can meet: an English `template` (a literal at the raise site) and its
    `fields`; `str()` is the English sentence."""

    def __init__(self, template: str, /, **fields: Any) -> None:
        self.template = template
        self.fields = fields
        super().__init__(template.format(**fields))

    def __reduce__(self):  # pickles (process pools, caches) keep template and fields
        return (_rebuild, (type(self), self.template, self.fields))


def _rebuild(kind: type, template: str, fields: dict) -> EngineError:
    return kind(template, **fields)
