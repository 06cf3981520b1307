"""Open the journal database: engine, SQLite pragmas, one write transaction per unit of work, and migrations
to the head revision on open.

SQLite: WAL journal, ``foreign_keys=ON``, ``busy_timeout`` so that concurrent writers wait instead of failing,
``synchronous=FULL`` so that a committed transaction survives a crash, and ``BEGIN IMMEDIATE`` for every
transaction so that two writers never deadlock on a read-to-write lock upgrade.

PostgreSQL (``postgresql+psycopg://``, the ``postgres`` extra): every write transaction first takes one
transaction-level advisory lock, so writers are serialised as on SQLite (a check-then-insert, such as a profile name
that must be unique per owner, cannot race); readers take no lock. Times are stored as ``timestamp without time
zone``, so neither the server's nor the client's time zone changes them. JSON columns are ``json`` (the text as
written); an infinite float (a plan's "no limit"), which PostgreSQL's JSON parser refuses as ``Infinity``, is
written as the number ``1e999``, which Python reads back as infinity.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from .paths import resolve_db_url

BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_READ_ONLY_OPTION = "photodose_read_only"
WRITE_LOCK_KEY = 0x70686F746F646F73  # PostgreSQL advisory lock id of the journal's writers (ASCII "photodos")
POSTGRES_FIX = 'install the driver with pip install "photodose[postgres]"'


@dataclass
class Journal:
    """An open journal: ``engine`` and ``transaction()`` (one committed unit of work)."""

    url: str
    engine: Engine
    _sessions: sessionmaker
    _readers: sessionmaker

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """An ORM session inside one transaction: committed on success, rolled back on any error."""
        from .guard import write_errors_said

        with _value_refused(), write_errors_said(self.url):
            with self._sessions.begin() as session:
                yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """An ORM session for reading (a deferred transaction that does not take the write lock)."""
        from .guard import write_errors_said

        with _value_refused(), write_errors_said(self.url):
            with self._readers.begin() as session:
                yield session

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def _value_refused() -> Iterator[None]:
    """A value the database refuses (PostgreSQL: a NUL character in a looked-up name, a number out of its type's
    range) is one PhotodoseInputError line, not a traceback; :func:`check_row_fits` names the column first where
    it can."""
    from sqlalchemy.exc import DataError

    from ..errors import PhotodoseInputError

    try:
        yield
    except DataError as exc:
        reason = " ".join(str(exc.orig).split())[:200]
        raise PhotodoseInputError("value", reason, "text without NUL characters and numbers in range") from None


def _target_revision(migrate_to: str) -> str:
    return head_revision() if migrate_to == "head" else migrate_to


def _sqlite_pragmas(engine: Engine, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (pysqlite's implicit BEGIN is deferred)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:  # a read-only journal keeps the journal mode it was written with
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        from .guard import begin_sqlite  # says when a write waits for another writer; bounded

        begin_sqlite(connection, connection.get_execution_options().get(_READ_ONLY_OPTION, False))


def _postgres_write_lock(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # wait for the write lock as long as SQLite's busy timeout
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if not connection.get_execution_options().get(_READ_ONLY_OPTION, False):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


_JSON_STRING_OR_INFINITY = re.compile(r'"(?:[^"\\]|\\.)*"|-?Infinity')


def postgres_json(value) -> str:
    """JSON text for a PostgreSQL ``json`` column: as :func:`json.dumps`, but infinities (outside strings) as
    ``1e999``/``-1e999`` (valid JSON that reads back as +-inf). NaN stays refused (it is no journal value)."""
    return _JSON_STRING_OR_INFINITY.sub(lambda m: m.group().replace("Infinity", "1e999")
                                        if m.group()[0] != '"' else m.group(), json.dumps(value))


def _with_driver(url: str) -> str:
    """A plain ``postgresql://`` URL gets psycopg 3 (the ``postgres`` extra) rather than SQLAlchemy's psycopg2."""
    return "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


def shown_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL (a file path): nothing to hide
        return url


INT32_RANGE = (-(2**31), 2**31 - 1)  # SQL INTEGER (PostgreSQL's int4; SQLite would store more)


def _non_finite(value) -> bool:
    if isinstance(value, float):
        return value != value
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_non_finite(v) for v in value)
    return False


def check_row_fits(session: Session, _context=None, _instances=None) -> None:
    """Before a flush: every new or changed row fits its columns on every backend, else PhotodoseInputError naming
    the column (SQLite would store any length and a NUL character; PostgreSQL refuses them with a DataError)."""
    from sqlalchemy import JSON, Integer, String, inspect

    from ..errors import PhotodoseInputError

    for row in (*session.new, *session.dirty):
        for attribute in inspect(row).mapper.column_attrs:
            column = attribute.columns[0]
            value = getattr(row, attribute.key)
            shown = f"{value[:40]}... ({len(value)} characters)" if isinstance(value, str) and len(value) > 40 \
                else value
            if isinstance(value, str) and "\x00" in value:
                raise PhotodoseInputError(attribute.key, shown, "text without NUL (\\x00) characters")
            if isinstance(value, str) and isinstance(column.type, String) and column.type.length \
                    and len(value) > column.type.length:
                raise PhotodoseInputError(attribute.key, shown, f"at most {column.type.length} characters")
            if isinstance(value, int) and isinstance(column.type, Integer) and not \
                    INT32_RANGE[0] <= value <= INT32_RANGE[1]:
                raise PhotodoseInputError(attribute.key, value, "a whole number from -2147483648 to 2147483647")
            if isinstance(column.type, JSON) and _non_finite(value):
                raise PhotodoseInputError(attribute.key, "NaN", "numbers (NaN is not a value)")


def migration_config(connection=None):
    """Alembic configuration built in code (works from an installed wheel; no alembic.ini)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run migrations to ``revision`` inside one transaction (serialised between processes by the write lock)."""
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:  # a batch-mode table rebuild drops the old table, which with foreign keys on cascades into the
            # child tables; the pragma only takes effect outside a transaction, and is checked before commit
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                command.upgrade(migration_config(connection), revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("journal migration left rows with a broken foreign key; rolled back")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(migration_config()).get_current_head()


def open_journal(url: str | None = None, *, migrate_to: str = "head") -> Journal:
    """Open (creating if needed) the journal at ``url`` (see :func:`photodose.journal.paths.resolve_db_url`)
    and upgrade its schema to ``migrate_to``."""
    from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

    from ..errors import PhotodoseInputError

    resolved = resolve_db_url(url)
    state = None
    if resolved.startswith("sqlite:///"):
        from .guard import inspect_sqlite

        file = Path(resolved.removeprefix("sqlite:///"))
        file.parent.mkdir(parents=True, exist_ok=True)
        if file.name != ":memory:":  # another program's database or a newer schema: refused, untouched
            state = inspect_sqlite(file, url or str(file))
        if not file.exists() and file.name != ":memory:":  # health data: owner-only (SQLite's -wal/-shm follow it)
            os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        engine_url = _with_driver(resolved)
        if state is not None and not state.writable:  # read-only media or file: read and export, never migrate
            from .guard import read_only_url

            engine_url = read_only_url(file, state.folder_writable)
        postgres = engine_url.startswith("postgresql")
        engine = create_engine(engine_url, **({"json_serializer": postgres_json} if postgres else {}))
        if engine.dialect.name == "sqlite":
            _sqlite_pragmas(engine, read_only=state is not None and not state.writable)
        elif engine.dialect.name == "postgresql":
            _postgres_write_lock(engine)
        if state is None or state.revision is None or state.revision != _target_revision(migrate_to):
            if state is not None and not state.writable:
                raise PhotodoseInputError("db", url or str(file), "a journal that can be written: its schema is "
                                          f"older ({state.revision}) and must be upgraded; copy it somewhere writable")
            upgrade(engine, migrate_to)  # an up-to-date journal is opened without writing
        elif state is not None:
            from .guard import probe

            probe(engine, file)
    except (ArgumentError, NoSuchModuleError, ImportError, DatabaseError) as exc:  # one line, not a traceback
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        shown = shown_url(url or resolved)
        if resolved.startswith("postgresql") and isinstance(exc, ImportError):
            allowed = f"a PostgreSQL URL needs its driver (psycopg 3: postgresql+psycopg://); {POSTGRES_FIX} ({reason})"
        elif resolved.startswith("postgresql") and isinstance(exc, DatabaseError):
            allowed = ("a PostgreSQL server that answers at this URL; start the server, create the database "
                       f"(createdb) or correct the user, password, host or port in the URL ({reason})")
        else:
            allowed = ("a SQLite file or a database URL photodose can open "
                       f"(PostgreSQL: postgresql+psycopg://USER:PASSWORD@HOST/DATABASE, {POSTGRES_FIX}): {reason}")
        raise PhotodoseInputError("db", shown, allowed) from None
    reader = engine.execution_options(**{_READ_ONLY_OPTION: True})
    writers = sessionmaker(engine, expire_on_commit=False)
    event.listen(writers, "before_flush", check_row_fits)
    from .guard import check_unicode

    event.listen(writers, "before_flush", check_unicode)
    return Journal(resolved, engine, writers, sessionmaker(reader, expire_on_commit=False))


def integrity_check(journal: Journal) -> str:
    """SQLite ``PRAGMA integrity_check`` result (``"ok"`` when the file is consistent)."""
    with journal.engine.connect() as connection:
        return connection.execute(text("PRAGMA integrity_check")).scalar_one()
