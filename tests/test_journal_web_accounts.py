"""Journal revision 0004: the web_sessions table, and profile names unique per owner; the table rebuild that drops
the old UNIQUE(name) must not cascade into sessions, plans or outcomes."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from photodose.journal.db import current_revision, head_revision, integrity_check, open_journal
from conftest import both_backends


@both_backends
def test_upgrade_from_revision_3_rebuilds_profiles_without_cascading_into_child_rows(journal_url, journal_backend):
    path = journal_url
    old = open_journal(str(path), migrate_to="0003")
    with old.engine.begin() as c:
        c.execute(text("INSERT INTO profiles (id, name, created_at, owner) VALUES (1, 'ann', '2026-10-01', NULL)"))
        c.execute(text("INSERT INTO plans (id, profile_id, plan, created_at) VALUES (1, 1, '{}', '2026-10-01')"))
        c.execute(text("INSERT INTO sessions (profile_id, plan_id, start_at, duration_s, site, device_id, distance_mm, "
                       "surface_irradiance_mw_cm2, surface_fluence_j_cm2) "
                       "VALUES (1, 1, '2026-10-02 08:00:00', 600, 'knee', 'x', 150, 50, 30)"))
    old.close()
    j = open_journal(str(path))
    assert current_revision(j.engine) == head_revision()  # through 0004 (and any later revision)
    with j.engine.connect() as c:
        assert c.execute(text("SELECT count(*), max(plan_id) FROM sessions")).one() == (1, 1)
        assert c.execute(text("SELECT count(*) FROM plans")).scalar() == 1
        if journal_backend == "sqlite":
            assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1  # switched back on after the rebuild
    if journal_backend == "sqlite":
        assert integrity_check(j) == "ok"


@both_backends
def test_profile_names_are_unique_per_owner_only(journal_url):
    j = open_journal(journal_url)
    insert = text("INSERT INTO profiles (name, created_at, owner) VALUES (:name, '2026-10-01', :owner)")
    with j.engine.begin() as c:
        for owner in (None, "alice", "bob"):
            c.execute(insert, {"name": "John", "owner": owner})
    for owner in (None, "alice"):
        with pytest.raises(IntegrityError), j.engine.begin() as c:
            c.execute(insert, {"name": "John", "owner": owner})


def test_command_line_name_lookup_prefers_the_local_users_profile(tmp_path):
    from photodose.journal import repository

    j = open_journal(str(tmp_path / "j.sqlite"))
    repository.add_profile(j, "John", owner="alice")  # a web user's patient, made first
    local = repository.add_profile(j, "John")
    assert repository.get_profile(j, "John").id == local.id
    assert repository.get_profile(j, "John").owner is None


def test_a_new_journal_file_is_owner_only(tmp_path):
    import stat

    path = tmp_path / "new" / "journal.sqlite"
    open_journal(str(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
