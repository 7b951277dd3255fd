"""One database from a URL: an SQLite file (the default, nothing to set up) or a PostgreSQL server.

Why plain psycopg 3 and not SQLAlchemy: the store is one table and a dozen short statements,
already written as parameterised SQL that both databases accept. A thin layer here (placeholders,
one transaction per write, error translation) is all the two need in common; an ORM would add a
second dependency and a second way to say each query without removing any of them.

Locations (:func:`parse_location`):

* ``postgresql://user:password@host:5432/dbname`` (also ``postgres://`` and SQLAlchemy's
  ``postgresql+psycopg://``): any libpq connection URI.
* ``sqlite:///relative/file.sqlite3`` or ``sqlite:////absolute/file.sqlite3`` (SQLAlchemy's
  spelling), or a plain file path.

Every call opens its own connection and closes it: nothing is shared between threads, and a
restarted PostgreSQL server or a replaced SQLite file is picked up on the next call.
Statements are written once, with ``?`` placeholders; :class:`PostgresDatabase` turns them into
psycopg's ``%s`` (the statements hold no ``?`` or ``%`` of their own).
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from i18n import _

#: How long a call waits for another writer (or a server) before giving up, in seconds.
BUSY_TIMEOUT_S = 10.0
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
# Advisory-lock class for PostgreSQL writes (an arbitrary constant, "SPSC" in ASCII); the second
# key is the owner's CRC-32, so writers for one owner queue and different owners do not.
LOCK_CLASS = 0x53505343 - 2**31
MIGRATION_LOCK_KEY = 0
# SQLite's own checks, at most 10 problems each.
INTEGRITY_CHECK = "PRAGMA integrity_check(10)"
QUICK_CHECK = "PRAGMA quick_check(10)"
JOURNAL_WAL = "PRAGMA journal_mode = WAL"
BUSY_TIMEOUT = "PRAGMA busy_timeout = 10000"  # = BUSY_TIMEOUT_S, in ms
SYNCHRONOUS_FULL = "PRAGMA synchronous = FULL"
BEGIN_IMMEDIATE = "BEGIN IMMEDIATE"
USER_VERSION = "PRAGMA user_version"
# PRAGMA takes no parameters: one constant per schema version (index = version).
SET_USER_VERSION = (
    "PRAGMA user_version = 0",
    "PRAGMA user_version = 1",
    "PRAGMA user_version = 2",
)
PG_LOCK = "SELECT pg_advisory_xact_lock(?, ?)"
PG_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS scorecard_schema (version INTEGER NOT NULL)"
PG_READ_VERSION = "SELECT max(version) FROM scorecard_schema"
PG_CLEAR_VERSION = "DELETE FROM scorecard_schema"
PG_WRITE_VERSION = "INSERT INTO scorecard_schema (version) VALUES (?)"
PG_PING = "SELECT 1"
_DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class DatabaseError(ValueError):
    """The database cannot be opened, read or written; the message is fit to show the user and
    never contains a password."""


class UniqueViolation(Exception):
    """A write broke a UNIQUE constraint (both databases' errors are turned into this)."""


def parse_location(location: str | Path) -> tuple[str, str | Path]:
    """``("postgresql", conninfo)`` or ``("sqlite", path)`` for a URL or a file path.

    >>> parse_location("sqlite:////srv/scorecard/scenarios.sqlite3")
    ('sqlite', PosixPath('/srv/scorecard/scenarios.sqlite3'))
    >>> parse_location("postgresql+psycopg://app@db/scorecard")
    ('postgresql', 'postgresql://app@db/scorecard')
    """
    text = str(location).strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in POSTGRES_SCHEMES:
        return "postgresql", "postgresql://" + text.split("://", 1)[1]
    if scheme == "sqlite":
        path = text.split("://", 1)[1]
        if not path.startswith("/") or path in ("/", "/:memory:"):
            raise DatabaseError(
                _(
                    "scenario store: {location} names no file; write "
                    "sqlite:///relative/file.sqlite3 or sqlite:////absolute/file.sqlite3"
                ).format(location=repr(text))
            )
        return "sqlite", Path(path[1:]).expanduser()
    if scheme:
        raise DatabaseError(
            _(
                "scenario store: unknown database type {scheme}; use postgresql://... or "
                "sqlite:///... (or a file path)"
            ).format(scheme=repr(scheme))
        )
    if text in ("", ":memory:") or text.startswith("file:"):
        raise DatabaseError(
            _(
                "scenario store: needs a file path, got {location} (every call opens its own "
                "connection)"
            ).format(location=repr(text))
        )
    return "sqlite", Path(text).expanduser()


def redact(url: str) -> str:
    """The URL without its password, for messages.

    >>> redact("postgresql://app:s3cret@db.internal:5432/scorecard")
    'postgresql://app@db.internal:5432/scorecard'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return parts._replace(netloc=netloc).geturl()


def owner_lock_key(owner: str) -> int:
    """The owner's advisory-lock key: its CRC-32 shifted into PostgreSQL's signed 32-bit range
    (the CRC-32 of no bytes is 0, the lowest key).

    >>> owner_lock_key("") == -(2**31)
    True
    """
    return zlib.crc32(owner.encode("utf-8")) - 2**31


# ============================================================================ SQLite
class SQLiteDatabase:
    """A local file: WAL journal, ``synchronous = FULL``, a 10 s busy timeout; each write is
    ``BEGIN IMMEDIATE``, so writers queue one at a time and a committed write survives a crash."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise DatabaseError(
                _("scenario store: cannot create {folder} ({error})").format(
                    folder=self.path.parent, error=err
                )
            ) from None

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection in autocommit mode (transactions are explicit), closed after."""
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as err:
            raise DatabaseError(
                _("scenario store: cannot open {path} ({error})").format(path=self.path, error=err)
            ) from None
        try:
            conn.execute(BUSY_TIMEOUT)
            conn.execute(SYNCHRONOUS_FULL)
            yield conn
        except sqlite3.IntegrityError as err:
            raise UniqueViolation(str(err)) from None
        except sqlite3.DatabaseError as err:
            # Not a database at all, or damaged in a way SQLite trips over while reading.
            if (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF in _DAMAGE_CODES:
                raise self.damaged([str(err)]) from None
            raise DatabaseError(f"scenario store: {self.path}: {err}") from None
        finally:
            conn.close()

    @contextmanager
    def write(self, owner: str | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction: takes the file's write lock up front, commits or rolls back
        whole (``owner`` is for PostgreSQL's finer lock; SQLite has one writer at a time)."""
        with self.connect() as conn, conn:
            conn.execute(BEGIN_IMMEDIATE)
            yield conn

    def prepare(self) -> None:
        """Switch to WAL and check the file before anything is read or migrated."""
        with self.connect() as conn:
            mode = self._journal_mode_wal(conn)
            if str(mode).lower() != "wal":
                raise DatabaseError(
                    _(
                        "scenario store: {path} cannot use a write-ahead log (journal mode "
                        "{mode}); put it on a local disk"
                    ).format(path=self.path, mode=repr(mode))
                )
            if problems := self.check(conn, quick=False):
                raise self.damaged(problems)

    @staticmethod
    def _journal_mode_wal(conn: sqlite3.Connection) -> str:
        """Switch to WAL (kept in the file). Several connections switching a new file at once
        can get SQLITE_BUSY without the busy handler being called, so retry until the timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.001
        while True:
            try:
                return conn.execute(JOURNAL_WAL).fetchone()[0]
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
                if time.monotonic() > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    @contextmanager
    def migrating(self) -> Iterator[sqlite3.Connection]:
        """The write transaction a migration runs in (the file's write lock keeps it alone)."""
        with self.write() as conn:
            yield conn

    @staticmethod
    def schema_version(conn: sqlite3.Connection) -> int:
        return conn.execute(USER_VERSION).fetchone()[0]

    @staticmethod
    def set_schema_version(conn: sqlite3.Connection, version: int) -> None:
        conn.execute(SET_USER_VERSION[version])

    def backup(self, suffix: str) -> Path | None:
        """Copy the file (with SQLite's online backup) to ``<file>.<suffix>`` unless that copy
        exists already; None for an empty new file."""
        target = self.path.with_name(f"{self.path.name}.{suffix}")
        if target.exists():
            return target
        with self.connect() as conn:
            if self.schema_version(conn) == 0:
                return None
            dest = sqlite3.connect(target)
            try:
                conn.backup(dest)
            finally:
                dest.close()
        return target

    def problems(self, quick: bool = False) -> list[str]:
        """What ``PRAGMA integrity_check`` (``quick``: ``quick_check``) finds wrong, at most 10
        lines; [] when sound. A file SQLite cannot read at all gives the one error it raises."""
        try:
            with self.connect() as conn:
                return self.check(conn, quick=quick)
        except (DatabaseError, sqlite3.Error) as err:
            return [str(err)]

    @staticmethod
    def check(conn: sqlite3.Connection, quick: bool) -> list[str]:
        found = conn.execute(QUICK_CHECK) if quick else conn.execute(INTEGRITY_CHECK)
        rows = [row[0] for row in found.fetchall()]
        return [] if rows == ["ok"] else rows

    def damaged(self, problems: list[str]) -> DatabaseError:
        found = problems[0]
        if len(problems) > 1:
            found = _("{problem}; {count} more problem(s)").format(
                problem=found, count=len(problems) - 1
            )
        return DatabaseError(
            _(
                "scenario store: {path} is damaged (SQLite: {problems}). Nothing in it was "
                "changed. Restore it from a backup, or move it and any -wal and -shm files "
                "beside it elsewhere to start an empty store."
            ).format(path=self.path, problems=found)
        )


# ============================================================================ PostgreSQL
class _PostgresConnection:
    """A psycopg connection that takes the store's ``?`` placeholders."""

    def __init__(self, conn: Any) -> None:
        self.raw = conn

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        return self.raw.execute(sql.replace("?", "%s"), params)


class PostgresDatabase:
    """A PostgreSQL database: each write is one transaction that first takes an advisory lock
    on its owner, so one owner's writes queue (as SQLite's do) while other owners' proceed.
    Commits are durable once they return (``synchronous_commit`` left at its default, on)."""

    dialect = "postgresql"
    path = None

    def __init__(self, url: str) -> None:
        import psycopg  # only a PostgreSQL store needs it

        self._psycopg = psycopg
        self.url = url
        self.where = redact(url)

    @contextmanager
    def connect(self) -> Iterator[_PostgresConnection]:
        """A fresh autocommit connection (transactions are explicit), closed after."""
        psycopg = self._psycopg
        try:
            raw = psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=int(BUSY_TIMEOUT_S),
                options=f"-c lock_timeout={int(BUSY_TIMEOUT_S * 1000)}",
            )
        except psycopg.Error as err:
            raise DatabaseError(
                _("scenario store: cannot reach the PostgreSQL database {where} ({error})").format(
                    where=self.where, error=_first_line(err)
                )
            ) from None
        try:
            yield _PostgresConnection(raw)
        except psycopg.errors.UniqueViolation as err:
            raise UniqueViolation(_first_line(err)) from None
        except psycopg.Error as err:
            raise DatabaseError(f"scenario store: {self.where}: {_first_line(err)}") from None
        finally:
            raw.close()

    @contextmanager
    def write(self, owner: str | None = None) -> Iterator[_PostgresConnection]:
        """One transaction, holding the owner's advisory lock until it commits or rolls back."""
        with self.connect() as conn, conn.raw.transaction():
            key = MIGRATION_LOCK_KEY if owner is None else owner_lock_key(owner)
            conn.execute(PG_LOCK, (LOCK_CLASS, key))
            yield conn

    def prepare(self) -> None:
        """Nothing to switch on; whether the server answers shows in the first call."""

    @contextmanager
    def migrating(self) -> Iterator[_PostgresConnection]:
        """A transaction holding the migration lock (DDL in PostgreSQL is transactional), so
        servers starting together migrate once, one after the other."""
        with self.write(None) as conn:
            conn.execute(PG_VERSION_TABLE)
            yield conn

    @staticmethod
    def schema_version(conn: _PostgresConnection) -> int:
        """The version recorded in ``scorecard_schema`` (read inside :meth:`migrating`, which
        creates the table)."""
        return int(conn.execute(PG_READ_VERSION).fetchone()[0] or 0)

    @staticmethod
    def set_schema_version(conn: _PostgresConnection, version: int) -> None:
        conn.execute(PG_CLEAR_VERSION)
        conn.execute(PG_WRITE_VERSION, (version,))

    def backup(self, suffix: str) -> None:
        """Nothing: a PostgreSQL server is backed up with pg_dump (see the README)."""
        return None

    def problems(self, quick: bool = False) -> list[str]:
        """[] when the server answers and the scenarios table can be read; else the error.
        (The server checks its own pages; ``pg_amcheck`` goes further, outside the app.)"""
        try:
            with self.connect() as conn:
                conn.execute(PG_PING)
        except DatabaseError as err:
            return [str(err)]
        return []


def _first_line(err: Exception) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def open_database(location: str | Path) -> SQLiteDatabase | PostgresDatabase:
    dialect, target = parse_location(location)
    if dialect == "postgresql":
        return PostgresDatabase(str(target))
    return SQLiteDatabase(Path(target))
