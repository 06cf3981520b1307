"""Journals that are not what they seem (issue 18): another program's database and a newer photodose's journal
are refused with their bytes unchanged; a read-only journal can be read and exported; a full disk, a held write
lock and text that is not valid Unicode each end in one clear line with nothing written."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from photodose.errors import PhotodoseInputError
from photodose.journal import open_journal
from photodose.journal.repository import add_profile, list_profiles


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _journal_file(tmp_path, name="journal.sqlite"):
    path = tmp_path / name
    journal = open_journal(str(path))
    add_profile(journal, "ana")
    journal.close()
    with sqlite3.connect(path) as c:  # fold the WAL into the file so its bytes are the whole journal
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def test_a_journal_from_a_newer_photodose_is_refused_untouched(tmp_path):
    path = _journal_file(tmp_path)
    with sqlite3.connect(path) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        c.execute("PRAGMA journal_mode = DELETE")
    before = _digest(path)
    with pytest.raises(PhotodoseInputError, match="newer photodose"):
        open_journal(str(path))
    assert _digest(path) == before


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as c:  # it even has a 'sessions' table
        c.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, who TEXT)")
        c.execute("INSERT INTO sessions (who) VALUES ('someone')")
    before = _digest(path)
    with pytest.raises(PhotodoseInputError, match="another program's database"):
        open_journal(str(path))
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]  # no -wal or -shm left behind


def test_a_read_only_journal_can_be_read_and_exported_but_not_written(tmp_path, monkeypatch):
    from photodose.journal import guard
    from photodose.journal.exchange import export_profile

    path = _journal_file(tmp_path)
    before = _digest(path)
    # read-only media (root passes permission checks, so the test says what os.access would say there)
    monkeypatch.setattr(guard, "_writable", lambda _path: False)
    journal = open_journal(str(path))
    try:
        [profile] = list_profiles(journal)
        assert export_profile(journal, profile.id)["profile"]["name"] == "ana"
        with pytest.raises(PhotodoseInputError, match="read-only: it can be read and exported"):
            add_profile(journal, "ben")
    finally:
        journal.close()
    assert _digest(path) == before


def test_a_full_disk_says_so_and_writes_nothing(tmp_path):
    from sqlalchemy import event

    path = _journal_file(tmp_path)
    journal = open_journal(str(path))
    try:
        journal.engine.dispose()

        @event.listens_for(journal.engine, "connect")
        def _no_room(dbapi_connection, _record):  # SQLite's own "database or disk is full" (SQLITE_FULL)
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        with pytest.raises(PhotodoseInputError) as info:
            add_profile(journal, "ben", body_measurements={"knee": {"note": "x" * 200_000}})
        assert str(info.value) == "disk full, nothing was written"
        assert [p.name for p in list_profiles(journal)] == ["ana"]
    finally:
        journal.close()


def test_a_write_behind_another_writer_says_it_waits_and_is_bounded(tmp_path, monkeypatch, capsys):
    from photodose.journal import db, guard

    path = _journal_file(tmp_path)
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 1500)
    monkeypatch.setattr(guard, "QUICK_BUSY_MS", 300)
    journal = open_journal(str(path))
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(PhotodoseInputError, match="nothing was written"):
            add_profile(journal, "ben")
        assert "waiting up to 1.5 s" in capsys.readouterr().err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        journal.close()


@pytest.mark.parametrize("name", ["pat\udcff", "\ud800"])
def test_text_that_is_not_valid_unicode_is_refused_naming_the_field(journal, name):
    with pytest.raises(PhotodoseInputError, match="name=.*valid Unicode"):
        add_profile(journal, name)
    assert list_profiles(journal) == []
