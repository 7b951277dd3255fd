"""Saved scenarios: named Methods kept per owner, in an SQLite file or a PostgreSQL database.

A scenario is a name plus a :class:`~scoring.method.Method`. ``ScenarioStore(location)`` keeps
them in the table (see :mod:`store.migrations` for its schema versions)::

    scenarios(id, owner TEXT NOT NULL, name TEXT NOT NULL, method_json TEXT NOT NULL,
              created TEXT, updated TEXT, name_key TEXT,
              UNIQUE(owner, name), UNIQUE(owner, name_key))

* **owner** is whatever key the app scopes by (a user, a session, a team). Every query filters
  by owner, so one owner's scenarios are never listed, loaded, renamed or deleted by another.
* **method_json** is the whole Method (:meth:`Method.to_json`, every field, not only the changes
  from the defaults), so a scenario keeps meaning what it meant if the defaults change later.
* **created** / **updated** are ISO 8601 UTC timestamps (``2025-01-31T12:00:00.000+00:00``).

Where it lives (:func:`default_location`): the ``location`` argument, a file path or a URL
(``postgresql://user:password@host/db``, ``sqlite:////absolute/file.sqlite3``; see
:mod:`store.database`); without it the environment variable ``SCORECARD_DATABASE_URL``; without
that the SQLite file :func:`default_path` (``$SCORECARD_SCENARIOS``, else
``~/.local/share/soft-power-scorecard/scenarios.sqlite3``). An SQLite file's folder is created;
it must be a real file (not ``:memory:``): every call opens its own connection.

Names (:func:`clean_name`): surrounding whitespace is trimmed and the name is put in Unicode
normal form C (so "Café" typed with a combining accent and "Café" typed with one character, or
"Å" as the ångström sign and as the letter, are the same text); anything else that is wrong is
rejected with a message, never silently changed: 1 to 80 characters, all printable (no control
characters, line breaks, tabs or invisible format characters). Names that look the same are the
same scenario: a name matches a stored one when their case-folded normal forms are equal
(:func:`name_key`), so "Europe first" and "EUROPE FIRST" cannot be two scenarios; a name is
shown as it was last saved.

Safety:

* SQL is parameterised throughout (names such as ``'; DROP TABLE scenarios; --`` are stored
  literally).
* Every write is one transaction: it commits whole or rolls back whole, so a crash mid-write
  loses nothing saved before, and a save that returned is on disk. Writers queue: SQLite's
  ``BEGIN IMMEDIATE`` (one writer per file, 10 s busy timeout, WAL so readers never wait),
  PostgreSQL's advisory lock per owner (10 s lock timeout); and the database refuses two names
  with one name_key, whichever process saves them.
* One connection per call, opened and closed inside it: nothing is shared between threads, and
  several threads, processes and servers may use the same database at once.
* Opening an SQLite store runs ``PRAGMA integrity_check``: a damaged file raises ScenarioError
  saying so and what to do, and is left exactly as it was (nothing is repaired, rewritten or
  deleted). :meth:`ScenarioStore.problems` lists what SQLite finds wrong.
* Opening a store brings its schema up to date (:mod:`store.migrations`), in one transaction.
  Errors never show a database password.

Exchange: :meth:`ScenarioStore.export_toml` gives the Method's TOML headed by a comment naming
the scenario (so ``Method.from_toml`` and ``scorecard --method FILE.toml`` read it unchanged);
:meth:`ScenarioStore.import_toml` reads such a file (or any Method TOML; a ``[scenario]`` table
is accepted and stripped). :func:`scenario_query` gives the URL form: the URL carries the Method
itself, not a database id, so a shared link works for anyone, with or without the database.

:func:`compare` puts two Scorecards side by side (overall and rank in each, and the change).
"""

from __future__ import annotations

import builtins
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from i18n import _
from scoring.limits import NestingError, loads_toml
from scoring.method import Method
from store.database import BUSY_TIMEOUT_S, DatabaseError, UniqueViolation, open_database
from store.migrations import SCHEMA_VERSION, SchemaError, migrate, refuse_newer

if TYPE_CHECKING:
    from scoring.pipeline import Scorecard

__all__ = [
    "BUSY_TIMEOUT_S",
    "SCHEMA_VERSION",
    "DATABASE_URL_VAR",
    "ENV_VAR",
    "MAX_NAME_LENGTH",
    "Scenario",
    "ScenarioError",
    "ScenarioStore",
    "clean_name",
    "compare",
    "name_key",
    "default_location",
    "default_path",
    "scenario_query",
]

#: Environment variable naming the SQLite file when no location is given.
ENV_VAR = "SCORECARD_SCENARIOS"
#: Environment variable with the database URL (it wins over ENV_VAR).
DATABASE_URL_VAR = "SCORECARD_DATABASE_URL"
MAX_NAME_LENGTH = 80
MAX_OWNER_LENGTH = 256
#: Largest TOML text import_toml accepts (a full Method is well under 2 kB).
MAX_TOML_CHARS = 200_000

SELECT_STORED_NAME = "SELECT name FROM scenarios WHERE owner = ? AND name_key = ?"
SELECT_ROW = (
    "SELECT name, method_json, created, updated FROM scenarios WHERE owner = ? AND name_key = ?"
)
UPDATE_SAVE = (
    "UPDATE scenarios SET name = ?, name_key = ?, method_json = ?, updated = ? "
    "WHERE owner = ? AND name_key = ?"
)
INSERT_SAVE = (
    "INSERT INTO scenarios (owner, name, name_key, method_json, created, updated) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
SELECT_LIST = "SELECT name, method_json, created, updated FROM scenarios WHERE owner = ?"
SELECT_NAMES = "SELECT name FROM scenarios WHERE owner = ?"
UPDATE_RENAME = (
    "UPDATE scenarios SET name = ?, name_key = ?, updated = ? WHERE owner = ? AND name_key = ?"
)
DELETE = "DELETE FROM scenarios WHERE owner = ? AND name_key = ?"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_HEADER = "# Soft Power Scorecard scenario: "
_HEADER_RE = re.compile(r"^#\s*Soft Power Scorecard scenario:\s*(.+?)\s*$", re.MULTILINE)


class ScenarioError(ValueError):
    """A scenario operation that cannot be done: duplicate, unknown or invalid name, bad TOML,
    an unreadable database. The message is fit to show the user."""


@dataclass(frozen=True)
class Scenario:
    """One saved scenario.

    ``method`` is None only when the stored Method no longer validates (for example a choice
    that was since removed from a registry); ``problem`` then says why, so one stale scenario
    does not hide the others in :meth:`ScenarioStore.list`.
    """

    owner: str
    name: str
    method: Method | None
    created: str
    updated: str
    problem: str | None = None


# ============================================================================ helpers
def default_location() -> str:
    """``$SCORECARD_DATABASE_URL`` when set, else the SQLite file :func:`default_path`."""
    return os.environ.get(DATABASE_URL_VAR, "").strip() or str(default_path())


def default_path() -> Path:
    """``$SCORECARD_SCENARIOS``, else ``$XDG_DATA_HOME`` (default ``~/.local/share``)
    ``/soft-power-scorecard/scenarios.sqlite3``."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(data_home).expanduser() if data_home else Path.home() / ".local" / "share"
    return base / "soft-power-scorecard" / "scenarios.sqlite3"


def clean_name(name: Any) -> str:
    """The name with surrounding whitespace trimmed; ScenarioError unless 1-80 printable characters.

    >>> clean_name("  Europe first ")
    'Europe first'
    >>> try:
    ...     clean_name("two\\nlines")
    ... except ScenarioError as err:
    ...     print(err)
    scenario name: contains a control or invisible character (U+000A) at position 4
    """
    if not isinstance(name, str):
        raise ScenarioError(f"scenario name: expected text, got {type(name).__name__}")
    text = unicodedata.normalize("NFC", name.strip())
    if not text:
        raise ScenarioError(_("scenario name: empty; give the scenario a name"))
    if len(text) > MAX_NAME_LENGTH:
        raise ScenarioError(
            _("scenario name: {count} characters, at most {most} allowed").format(
                count=len(text), most=MAX_NAME_LENGTH
            )
        )
    for position, char in enumerate(text, start=1):
        if not char.isprintable():
            raise ScenarioError(
                _(
                    "scenario name: contains a control or invisible character ({code}) at "
                    "position {position}"
                ).format(code=f"U+{ord(char):04X}", position=position)
            )
    return text


def name_key(name: str) -> str:
    """What two names must share to be the same scenario: the case-folded normal form C.

    >>> name_key("Cafe\u0301") == name_key("CAF\u00c9"), name_key("Straße") == name_key("STRASSE")
    (True, True)
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _check_owner(owner: Any) -> str:
    """The owner key, or ScenarioError saying what is wrong with it, never quoting it: the app's
    owners include team keys, typed in a password field."""
    if not isinstance(owner, str) or not owner.strip():
        raise ScenarioError("scenario owner: expected a non-empty key")
    if len(owner) > MAX_OWNER_LENGTH:
        raise ScenarioError(
            f"scenario owner: the key has {len(owner):,} characters; at most {MAX_OWNER_LENGTH}"
        )
    for position, char in enumerate(owner, start=1):
        if not char.isprintable():
            raise ScenarioError(
                "scenario owner: the key contains a control or invisible character "
                f"(U+{ord(char):04X}) at position {position}"
            )
    return owner


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _parse_method(name: str, method_json: str, framework: Any = None) -> Method:
    try:
        return Method.from_json(method_json, framework)
    except ValueError as err:
        raise ScenarioError(
            _("scenario {name}: {error}").format(name=repr(name), error=err)
        ) from None


# ============================================================================ store
class ScenarioStore:
    """Named Methods per owner in one database (see the module docstring).

    >>> import tempfile, pathlib
    >>> store = ScenarioStore(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite3")
    >>> _ = store.save("alice", "Europe first", Method(dimension_weights={"media_reach": 2}))
    >>> [s.name for s in store.list("alice")], store.list("bob")
    (['Europe first'], [])
    >>> store.load("alice", "Europe first").dimension_weights
    (('media_reach', 2.0),)
    """

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        try:
            self._db = open_database(default_location() if location is None else location)
            refuse_newer(self._db)
            self._db.prepare()
            migrate(self._db)
        except (DatabaseError, SchemaError) as err:
            raise ScenarioError(str(err)) from None
        except UniqueViolation as err:
            raise ScenarioError(f"scenario store: cannot update the schema ({err})") from None
        #: The SQLite file, or None for a PostgreSQL store.
        self.path: Path | None = self._db.path
        #: "sqlite" or "postgresql".
        self.dialect: str = self._db.dialect
        #: Where the scenarios are, fit to show (a URL without its password, or the file path).
        self.where: str = self._db.where

    def __repr__(self) -> str:
        return f"ScenarioStore({self.where!r})"

    # ---------------------------------------------------------------- connections
    @contextmanager
    def _connect(self) -> Iterator[Any]:
        with self._translated(), self._db.connect() as conn:
            yield conn

    @contextmanager
    def _write(self, owner: str) -> Iterator[Any]:
        """One write transaction, queued behind the owner's other writers."""
        with self._translated(), self._db.write(owner) as conn:
            yield conn

    @staticmethod
    @contextmanager
    def _translated() -> Iterator[None]:
        try:
            yield
        except DatabaseError as err:
            raise ScenarioError(str(err)) from None

    @staticmethod
    def _stored_name(conn: Any, owner: str, name: str) -> str | None:
        """The stored name that matches `name` (the same name_key), or None."""
        row = conn.execute(SELECT_STORED_NAME, (owner, name_key(name))).fetchone()
        return None if row is None else row[0]

    @staticmethod
    def _row(conn: Any, owner: str, name: str) -> tuple | None:
        """The stored scenario matching `name` (see name_key), or None."""
        return conn.execute(SELECT_ROW, (owner, name_key(name))).fetchone()

    @staticmethod
    def _sorted(rows: builtins.list[tuple]) -> builtins.list[tuple]:
        """By name ignoring ASCII case, then by name (SQLite's NOCASE order, the same on both
        databases, whatever PostgreSQL's collation)."""
        return sorted(rows, key=lambda row: (row[0].translate(_ASCII_LOWER), row[0]))

    @staticmethod
    def _unknown(name: str) -> ScenarioError:
        return ScenarioError(_("no saved scenario named {name}").format(name=repr(name)))

    @staticmethod
    def _duplicate(name: str, renaming: bool = False) -> ScenarioError:
        if renaming:
            message = _(
                "a scenario named {name} already exists; choose another name (renaming never "
                "replaces a scenario)"
            )
        else:
            message = _("a scenario named {name} already exists; choose another name or replace it")
        return ScenarioError(message.format(name=repr(name)))

    # ---------------------------------------------------------------- operations
    def save(self, owner: str, name: str, method: Method, overwrite: bool = False) -> Scenario:
        """Save ``method`` as ``name``; an existing name is an error unless ``overwrite``
        (which keeps ``created`` and moves ``updated``)."""
        owner, name = _check_owner(owner), clean_name(name)
        if not isinstance(method, Method):
            raise TypeError(f"method: expected a Method, got {type(method).__name__}")
        method_json = method.to_json(indent=None)
        key = name_key(name)
        try:
            with self._write(owner) as conn:  # no one else saves for this owner in between
                existing = self._stored_name(conn, owner, name)
                if existing is not None and not overwrite:
                    raise self._duplicate(existing)
                now = _now()
                if existing is not None:  # replaced, under the name as typed now
                    conn.execute(UPDATE_SAVE, (name, key, method_json, now, owner, key))
                else:
                    conn.execute(INSERT_SAVE, (owner, name, key, method_json, now, now))
                created, updated = self._row(conn, owner, name)[2:]
        except UniqueViolation:
            raise self._duplicate(name) from None
        return Scenario(owner, name, method, created, updated)

    def get(self, owner: str, name: str, framework: Any = None) -> Scenario:
        """The saved scenario; ScenarioError if unknown or its Method no longer validates."""
        owner, name = _check_owner(owner), clean_name(name)
        with self._connect() as conn:
            row = self._row(conn, owner, name)
        if row is None:
            raise self._unknown(name)
        name, method_json, created, updated = row
        return Scenario(owner, name, _parse_method(name, method_json, framework), created, updated)

    def load(self, owner: str, name: str, framework: Any = None) -> Method:
        """The saved Method (checked against ``framework`` when given)."""
        method = self.get(owner, name, framework).method
        assert method is not None
        return method

    def list(self, owner: str) -> builtins.list[Scenario]:
        """The owner's scenarios, by name (ASCII case ignored). A stored Method that no longer
        validates is listed with ``method=None`` and the reason in ``problem``."""
        owner = _check_owner(owner)
        with self._connect() as conn:
            rows = conn.execute(SELECT_LIST, (owner,)).fetchall()
        out = []
        for name, method_json, created, updated in self._sorted(rows):
            try:
                out.append(
                    Scenario(owner, name, _parse_method(name, method_json), created, updated)
                )
            except ScenarioError as err:
                out.append(Scenario(owner, name, None, created, updated, problem=str(err)))
        return out

    def names(self, owner: str) -> builtins.list[str]:
        """The owner's scenario names, ordered as :meth:`list` (no Methods parsed)."""
        owner = _check_owner(owner)
        with self._connect() as conn:
            rows = conn.execute(SELECT_NAMES, (owner,)).fetchall()
        return [r[0] for r in self._sorted(rows)]

    def rename(self, owner: str, old: str, new: str) -> Scenario:
        """Rename ``old`` to ``new``; ScenarioError if ``old`` is unknown or ``new`` is taken."""
        owner, old, new = _check_owner(owner), clean_name(old), clean_name(new)
        try:
            with self._write(owner) as conn:
                if self._stored_name(conn, owner, old) is None:
                    raise self._unknown(old)
                taken = self._stored_name(conn, owner, new)
                # Another scenario holds the name (the same one may change its case).
                if taken is not None and name_key(new) != name_key(old):
                    raise self._duplicate(taken, renaming=True)
                conn.execute(UPDATE_RENAME, (new, name_key(new), _now(), owner, name_key(old)))
                name, method_json, created, updated = self._row(conn, owner, new)
        except UniqueViolation:
            raise self._duplicate(new, renaming=True) from None
        try:
            method = _parse_method(name, method_json)
        except ScenarioError as err:
            return Scenario(owner, name, None, created, updated, problem=str(err))
        return Scenario(owner, name, method, created, updated)

    def delete(self, owner: str, name: str, missing_ok: bool = False) -> None:
        """Delete the scenario; ScenarioError if unknown (unless ``missing_ok``)."""
        owner, name = _check_owner(owner), clean_name(name)
        with self._write(owner) as conn:
            cursor = conn.execute(DELETE, (owner, name_key(name)))
            deleted = cursor.rowcount
        if deleted == 0 and not missing_ok:
            raise self._unknown(name)

    def integrity_check(self) -> bool:
        """True when :meth:`problems` finds nothing."""
        return not self.problems()

    def problems(self, quick: bool = False) -> builtins.list[str]:
        """SQLite: what ``PRAGMA integrity_check`` (``quick``: the faster ``quick_check``, which
        skips matching indexes against their tables) finds wrong, at most 10 lines; a file SQLite
        cannot read at all gives the one error it raises. PostgreSQL: the error if the server
        cannot be reached. [] when sound."""
        return self._db.problems(quick=quick)

    # ---------------------------------------------------------------- TOML exchange
    def export_toml(self, owner: str, name: str) -> str:
        """The scenario's Method as TOML (every field), headed by a comment naming it;
        ``Method.from_toml`` reads the text unchanged."""
        scenario = self.get(owner, name)
        assert scenario.method is not None
        return (
            f"{_HEADER}{scenario.name}\n"
            f"# Saved {scenario.updated}. Read it with Method.from_toml, "
            "`scorecard --method FILE.toml`, or import it in the app.\n\n"
            f"{scenario.method.to_toml()}"
        )

    def import_toml(
        self,
        owner: str,
        name: str | None,
        text: str | bytes,
        framework: Any = None,
        *,
        overwrite: bool = False,
    ) -> Scenario:
        """Save the Method in TOML ``text`` as ``name`` (None: the name in the export comment
        or a ``[scenario] name = ...`` table). Malformed TOML, unknown keys or ids (with a
        framework) and bad values raise ScenarioError with the parser's message."""
        if isinstance(text, bytes | bytearray):
            try:
                text = bytes(text).decode("utf-8-sig")
            except UnicodeDecodeError as err:
                raise ScenarioError(
                    _("scenario file: not UTF-8 text ({error})").format(error=err)
                ) from None
        if not isinstance(text, str):
            raise ScenarioError(f"scenario file: expected TOML text, got {type(text).__name__}")
        if len(text) > MAX_TOML_CHARS:
            raise ScenarioError(
                _("scenario file: {count} characters, at most {most} allowed").format(
                    count=f"{len(text):,}", most=f"{MAX_TOML_CHARS:,}"
                )
            )
        try:
            data = loads_toml(text)
        except tomllib.TOMLDecodeError as err:
            raise ScenarioError(
                _("scenario file: not valid TOML ({error})").format(error=err)
            ) from None
        except NestingError as err:
            raise ScenarioError(_("scenario file: {error}").format(error=err)) from None
        table = data.pop("scenario", None)
        if table is not None and not isinstance(table, dict):
            raise ScenarioError(_("scenario file: 'scenario' must be a table such as [scenario]"))
        if name is None:
            if table and isinstance(table.get("name"), str):
                name = table["name"]
            elif match := _HEADER_RE.search(text):
                name = match.group(1)
            else:
                raise ScenarioError(_("scenario file: names no scenario; give it a name"))
        name = clean_name(name)
        try:
            method = Method.from_dict(data, framework)
        except (TypeError, ValueError) as err:
            raise ScenarioError(_("scenario file: {error}").format(error=err)) from None
        return self.save(owner, name, method, overwrite=overwrite)


# ============================================================================ sharing, comparing
def scenario_query(method: Method | Scenario) -> dict[str, str]:
    """URL query parameters for a scenario: :meth:`Method.to_query` (non-default entries only).

    The URL carries the Method itself, not a database id, so a shared link reproduces the
    scenario for anyone, whether or not they can see the owner's saved scenarios.

    >>> scenario_query(Method(year=2020, dimension_weights={"media_reach": 2}))
    {'year': '2020', 'dw': 'media_reach:2'}
    """
    if isinstance(method, Scenario):
        if method.method is None:
            raise ScenarioError(
                _("scenario {name}: {error}").format(name=repr(method.name), error=method.problem)
            )
        method = method.method
    return method.to_query()


def compare(sc_a: Scorecard, sc_b: Scorecard) -> pd.DataFrame:
    """Two scorecards side by side, one row per country scored in either.

    Columns: overall_a, rank_a, overall_b, rank_b, overall_delta = overall_b - overall_a,
    rank_delta = rank_b - rank_a (negative: the country climbs in b; 1 = best). A country
    scored in only one is missing (<NA>) in the other and in the deltas. Indexed by iso3,
    ordered by rank_b, then rank_a, then iso3.
    """
    a = sc_a.results[["overall", "rank"]].add_suffix("_a")
    b = sc_b.results[["overall", "rank"]].add_suffix("_b")
    out = a.join(b, how="outer")
    out["overall_a"] = out["overall_a"].astype("Float64")
    out["overall_b"] = out["overall_b"].astype("Float64")
    out["rank_a"] = out["rank_a"].astype("Int64")
    out["rank_b"] = out["rank_b"].astype("Int64")
    out["overall_delta"] = out["overall_b"] - out["overall_a"]
    out["rank_delta"] = out["rank_b"] - out["rank_a"]
    out.index.name = "iso3"
    out = out.reset_index().sort_values(
        ["rank_b", "rank_a", "iso3"], na_position="last", kind="stable"
    )
    return out.set_index("iso3")[
        ["overall_a", "rank_a", "overall_b", "rank_b", "overall_delta", "rank_delta"]
    ]
