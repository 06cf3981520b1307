"""Before and around every write to a SQLite journal: is the file photodose's, from a photodose this one knows,
and can it be written? Refusals leave the file untouched; failures while writing say what happened.

- A file that holds tables but no ``alembic_version`` is another program's database, and a revision this
  photodose does not know was written by a newer photodose (or another Alembic-managed program): both are refused
  after a read-only look (``mode=ro``), so not one byte of them changes.
- A journal that cannot be written (read-only media or mount, a read-only file) is opened read-only (and
  ``immutable`` where its folder is read-only, as SQLite cannot create its lock files there): it can be read and
  exported; a write says that the journal is read-only. An older schema on read-only media cannot be upgraded and
  says so.
- A write that finds another writer holding the lock says, on stderr, that it is waiting, and gives up with one
  line after ``BUSY_TIMEOUT_MS`` (nothing written).
- "database or disk is full" becomes "disk full, nothing was written" (SQLite rolls the transaction back).
- Text stored in the journal must be valid Unicode (no unpaired surrogates): checked before each flush, naming the
  column.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import PhotodoseInputError

QUICK_BUSY_MS = 2_000  # a write that waits longer than this says that it is waiting


@dataclass(frozen=True)
class SqliteState:
    """What a read-only look at a SQLite file found."""

    new: bool              # missing or empty: photodose may create its journal here
    revision: str | None   # the Alembic revision stamped in it
    writable: bool         # the file and its folder can be written
    folder_writable: bool


def known_revisions() -> set[str]:
    """Every Alembic revision of photodose's journal migrations."""
    from alembic.script import ScriptDirectory

    from .db import migration_config

    return {rev.revision for rev in ScriptDirectory.from_config(migration_config()).walk_revisions()}


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def read_only_url(path: Path, folder_writable: bool) -> str:
    """A SQLAlchemy URL opening ``path`` read-only (``immutable`` too where its folder cannot hold lock files)."""
    flags = "mode=ro" + ("" if folder_writable else "&immutable=1")
    return f"sqlite:///file:{quote(str(path))}?{flags}&uri=true"


def inspect_sqlite(path: Path, shown: str) -> SqliteState:
    """Look at ``path`` read-only; refuse another program's database or an unknown schema revision."""
    folder_writable = _writable(path.parent)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return SqliteState(new=True, revision=None, writable=folder_writable, folder_writable=folder_writable)
    if not path.is_file():
        raise PhotodoseInputError("db", shown, "a SQLite journal file (this is a folder or a special file)")
    writable = _writable(path) and folder_writable
    try:
        try:
            tables, revision = _look(path, immutable=not folder_writable)
        except sqlite3.OperationalError:  # a WAL file whose lock file cannot be made (disk full): look without locks
            tables, revision = _look(path, immutable=True)
    except sqlite3.DatabaseError as exc:
        raise PhotodoseInputError("db", shown, f"a photodose journal (SQLite says: {exc})") from None
    if "alembic_version" not in tables and tables - {"sqlite_sequence"}:
        listed = ", ".join(sorted(tables)[:6])
        raise PhotodoseInputError("db", shown, f"a photodose journal; this is another program's database (tables: "
                                  f"{listed}); photodose does not write to it")
    if revision is not None and revision not in known_revisions():
        raise PhotodoseInputError("db", shown, f"a journal this photodose knows: schema revision {revision!r} was "
                                  "written by a newer photodose (or another program); upgrade photodose to open it. "
                                  "Nothing was changed")
    return SqliteState(new=not tables, revision=revision, writable=writable, folder_writable=folder_writable)


def _look(path: Path, immutable: bool) -> tuple[set[str], str | None]:
    """(table names, Alembic revision or None) through a read-only connection."""
    uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")
    connection = sqlite3.connect(uri, uri=True, timeout=QUICK_BUSY_MS / 1000)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        connection.close()
    return tables, revision


def begin_sqlite(connection, deferred: bool) -> None:
    """Emit BEGIN (reads) or BEGIN IMMEDIATE (writes); a write kept waiting by another writer says so on stderr
    and gives up after the busy timeout with one line."""
    from .db import BUSY_TIMEOUT_MS

    if deferred:
        connection.exec_driver_sql("BEGIN")
        return
    raw = connection.connection.driver_connection
    try:
        raw.execute(f"PRAGMA busy_timeout = {QUICK_BUSY_MS}")
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        sys.stderr.write(f"photodose: another photodose is writing to the journal; waiting up to "
                         f"{BUSY_TIMEOUT_MS / 1000:g} s ...\n")
        raw.execute(f"PRAGMA busy_timeout = {max(BUSY_TIMEOUT_MS - QUICK_BUSY_MS, 0)}")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise PhotodoseInputError("db", "busy", f"a journal free to write: another photodose held it for "
                                      f"{BUSY_TIMEOUT_MS / 1000:g} s; nothing was written, try again") from None
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


class JournalWriteError(PhotodoseInputError):
    """A write the journal could not take (disk full, read-only): the message is the whole sentence."""

    def __init__(self, field: str, value: object, allowed: str, source: str | None = None):
        super().__init__(field, value, allowed, source)
        self.args = (allowed,)

    def __str__(self) -> str:
        return self.allowed


@contextmanager
def write_errors_said(url: str) -> Iterator[None]:
    """Turn SQLite's disk-full and read-only errors during a write into one sentence (nothing was written:
    SQLite rolled the transaction back)."""
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except UnicodeEncodeError as exc:  # a looked-up value (a name) with an unpaired surrogate; writes are named
        shown = exc.object.encode("utf-8", "replace").decode("utf-8")[:60] if isinstance(exc.object, str) else "?"
        raise PhotodoseInputError("text", shown, "valid Unicode text (it holds an unpaired surrogate, e.g. bytes "
                                  "that are not UTF-8)") from None
    except OperationalError as exc:
        reason = str(getattr(exc, "orig", exc))
        if "disk is full" in reason or ("disk I/O error" in reason and disk_full(url)):
            raise JournalWriteError("db", url, "disk full, nothing was written") from None
        if "readonly" in reason or "read-only" in reason:
            raise JournalWriteError("db", url, f"the journal {url.removeprefix('sqlite:///')} is read-only: it can be "
                                    "read and exported, not written; nothing was written") from None
        raise


def disk_full(url_or_path: str | Path, room_bytes: int = 1 << 20) -> bool:
    """True when the file system holding the SQLite journal has less than ``room_bytes`` free."""
    path = Path(str(url_or_path).removeprefix("sqlite:///").split("?")[0].removeprefix("file:"))
    try:
        stats = os.statvfs(path.parent if not path.is_dir() else path)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < room_bytes


def probe(engine, path: Path) -> None:
    """Connect once (a journal opened without migrating has not connected yet): a full disk, on which SQLite
    cannot make its lock file, is said as such; other errors go to the caller's handler."""
    from sqlalchemy.exc import OperationalError

    try:
        engine.connect().close()
    except OperationalError:
        if disk_full(path):
            raise JournalWriteError("db", str(path), "disk full: SQLite cannot make the journal's lock file "
                                    f"next to {path}; nothing was written") from None
        raise


def check_unicode(session, _context=None, _instances=None) -> None:
    """Before a flush: every text value of every new or changed row (JSON values too) is valid Unicode."""
    from sqlalchemy import inspect

    from ..inputs import check_text

    for row in (*session.new, *session.dirty):
        for attribute in inspect(row).mapper.column_attrs:
            _check_value(getattr(row, attribute.key), attribute.key, check_text)


def _check_value(value, field: str, check_text) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            check_text(item, field)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
