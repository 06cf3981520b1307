"""The journal on a real SQLite file: migrations, pragmas, refusals write nothing, export/import, delete."""

import sqlite3
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, inspect, text

from photodose.errors import PhotodoseInputError
from photodose.journal import open_journal
from photodose.journal import repository as repo
from photodose.journal.db import current_revision, head_revision, integrity_check
from photodose.journal.exchange import export_profile, import_profile, read_export, write_export
from photodose.outcomes import score_items
from test_journal_fixtures import log, populate

TABLES = ("profiles", "devices", "plans", "sessions", "outcomes")


def counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_new_database_is_at_head_with_wal_and_foreign_keys(tmp_path):
    j = open_journal(str(tmp_path / "new.sqlite"))
    assert current_revision(j.engine) == head_revision() == "0005"
    assert set(TABLES) <= set(inspect(j.engine).get_table_names())
    with j.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    assert integrity_check(j) == "ok"


def test_upgrade_from_revision_1_keeps_data(tmp_path):
    path = tmp_path / "old.sqlite"
    old = open_journal(str(path), migrate_to="0001")
    assert current_revision(old.engine) == "0001"
    outcome_columns = {c["name"] for c in inspect(old.engine).get_columns("outcomes")}
    assert "metric_name" not in outcome_columns
    with old.engine.begin() as c:  # rows written by a revision-1 program (raw SQL: the models are at head)
        c.execute(text("INSERT INTO profiles (id, name, created_at) VALUES (1, 'old', '2026-10-01 08:00:00')"))
        c.execute(text("INSERT INTO sessions (profile_id, start_at, duration_s, site, device_id, distance_mm, "
                       "surface_irradiance_mw_cm2, surface_fluence_j_cm2) "
                       "VALUES (1, '2026-10-02 08:00:00', 600, 'knee', 'x', 150, 50, 30)"))
        c.execute(text("INSERT INTO outcomes (profile_id, instrument, item_scores, total, band, recorded_at) "
                       "VALUES (1, 'phq9', '[1,1,1,1,1,1,1,1,1]', 9, 'mild', '2026-10-02 09:00:00')"))
    old.close()
    j = open_journal(str(path))
    assert current_revision(j.engine) == head_revision()
    profile = repo.get_profile(j)
    assert profile.name == "old"
    [session] = repo.list_sessions(j, profile.id)
    assert (session.start_at, session.surface_fluence_j_cm2, session.site) == (datetime(2026, 10, 2, 8), 30.0, "knee")
    [outcome] = repo.list_outcomes(j, profile.id)
    assert outcome.item_scores == [1] * 9 and outcome.total == 9 and outcome.metric_name is None
    repo.log_custom_metric(j, profile.id, "wrinkle score", value=3, recorded_at=datetime(2026, 10, 3))
    assert [o.metric_name for o in repo.list_outcomes(j, profile.id)] == [None, "wrinkle score"]
    assert "ix_sessions_profile_site_start" in {i["name"] for i in inspect(j.engine).get_indexes("sessions")}


def test_upgrade_from_revision_2_adds_profile_owner_and_keeps_data(tmp_path):
    path = tmp_path / "rev2.sqlite"
    old = open_journal(str(path), migrate_to="0002")
    assert "owner" not in {c["name"] for c in inspect(old.engine).get_columns("profiles")}
    with old.engine.begin() as c:
        c.execute(text("INSERT INTO profiles (id, name, skin_phototype, created_at) "
                       "VALUES (1, 'kept', 'IV', '2026-10-01 08:00:00')"))
    old.close()
    j = open_journal(str(path))
    assert current_revision(j.engine) == head_revision() == "0005"
    profile = repo.get_profile(j)
    assert (profile.name, profile.skin_phototype, profile.owner) == ("kept", "IV", None)
    assert "ix_profiles_owner" in {i["name"] for i in inspect(j.engine).get_indexes("profiles")}


def test_refusals_write_nothing(journal, tmp_path):
    p = repo.add_profile(journal, "ann")
    log(journal, p.id, datetime(2026, 10, 1, 8))
    before = counts(tmp_path / "journal.sqlite")
    future = datetime.now() + timedelta(days=2)
    bad_calls = [
        lambda: log(journal, p.id, future),
        lambda: log(journal, p.id, datetime(2026, 10, 2), site="elbow-of-mars"),
        lambda: log(journal, p.id, datetime(2026, 10, 2), warmth_0_10=11),
        lambda: log(journal, p.id, datetime(2026, 10, 2), duration_s=0),
        lambda: log(journal, p.id, datetime(2026, 10, 2), plan_id=999),
        lambda: repo.log_outcome(journal, p.id, score_items("phq9", [0] * 9), recorded_at=future),
        lambda: repo.log_custom_metric(journal, p.id, "x", recorded_at=datetime(2026, 10, 2)),
        lambda: repo.add_profile(journal, "ann"),
        lambda: repo.add_profile(journal, "bob", skin_phototype="VII"),
    ]
    for call in bad_calls:
        with pytest.raises(PhotodoseInputError):
            call()
    assert counts(tmp_path / "journal.sqlite") == before


def test_default_profile_only_when_unique(journal):
    with pytest.raises(PhotodoseInputError, match="profile add"):
        repo.get_profile(journal)
    repo.add_profile(journal, "ann")
    assert repo.get_profile(journal).name == "ann"
    repo.add_profile(journal, "bob")
    with pytest.raises(PhotodoseInputError, match="--profile"):
        repo.get_profile(journal)
    assert repo.get_profile(journal, "bob").name == "bob"


def canonical(export: dict) -> dict:
    """The export with database ids replaced by positions (ids are references, not data)."""
    plan_pos = {p["id"]: i for i, p in enumerate(export["plans"])}
    out = {k: v for k, v in export.items() if k not in ("profile", "devices", "plans", "sessions", "outcomes")}
    out["profile"] = {k: v for k, v in export["profile"].items() if k != "id"}
    for table in ("devices", "plans", "sessions", "outcomes"):
        out[table] = [{k: (plan_pos.get(v) if k == "plan_id" else v) for k, v in r.items() if k != "id"}
                      for r in export[table]]
    return out


@pytest.mark.parametrize("fmt,suffix", [("json", "json"), ("csv", "zip")])
def test_export_import_round_trip_loses_nothing(journal, tmp_path, fmt, suffix):
    repo.add_profile(journal, "someone else")  # so that ids differ between the two databases
    p = populate(journal)
    original = export_profile(journal, p.id)
    assert len(original["sessions"]) == 8 and len(original["outcomes"]) == 8 and len(original["plans"]) == 1
    path = tmp_path / f"export.{suffix}"
    write_export(original, path, fmt)
    assert read_export(path) == original  # the file reads back to the very same object
    other = open_journal(str(tmp_path / "other.sqlite"))
    imported = import_profile(other, read_export(path))
    again = export_profile(other, imported.id)
    assert imported.id != p.id
    assert canonical(again) == canonical(original)
    assert [s["plan_id"] for s in again["sessions"] if s["plan_id"] is not None][0] == again["plans"][0]["id"]


def test_import_refuses_existing_name_and_writes_nothing(journal, tmp_path):
    p = populate(journal)
    data = export_profile(journal, p.id)
    before = counts(tmp_path / "journal.sqlite")
    with pytest.raises(PhotodoseInputError, match="--as"):
        import_profile(journal, data)
    assert counts(tmp_path / "journal.sqlite") == before
    copy = import_profile(journal, data, rename="ann (copy)")
    assert canonical(export_profile(journal, copy.id))["sessions"] == canonical(data)["sessions"]


def test_delete_profile_cascades(journal, tmp_path):
    keep = populate(journal, "keep")
    gone = populate(journal, "gone")
    kept = counts(tmp_path / "journal.sqlite")
    repo.delete_profile(journal, gone.id)
    after = counts(tmp_path / "journal.sqlite")
    assert after["profiles"] == 1 and all(2 * after[t] == kept[t] for t in TABLES if t != "profiles")
    assert export_profile(journal, keep.id)["profile"]["name"] == "keep"
    with create_engine(f"sqlite:///{tmp_path / 'journal.sqlite'}").connect() as c:
        assert c.execute(text("SELECT count(*) FROM sessions WHERE profile_id = :p"), {"p": gone.id}).scalar() == 0


def test_sites_follow_the_optics_site_stacks(journal):
    from photodose.optics.sites import SITES

    p = repo.add_profile(journal, "ann")
    row = log(journal, p.id, datetime(2026, 10, 1, 8), site="Lower back")
    assert row.site == "lower_back" and row.site in SITES


def test_database_location(tmp_path, monkeypatch):
    from photodose.journal.paths import resolve_db_url

    monkeypatch.delenv("PHOTODOSE_DB", raising=False)
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'home' / 'journal.sqlite'}"
    monkeypatch.setenv("PHOTODOSE_DB", str(tmp_path / "env.sqlite"))
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert resolve_db_url("postgresql://u@host/db") == "postgresql://u@host/db"
    j = open_journal()
    assert (tmp_path / "env.sqlite").exists() and current_revision(j.engine) == head_revision()


@pytest.mark.parametrize("table,field,value,match", [
    ("sessions", "duration_s", -5.0, r"sessions\[0\]\.duration_s"),
    ("sessions", "start_at", "2099-01-01T08:00:00", r"sessions\[0\]\.start_at.*future"),
    ("sessions", "site", "mars", r"sessions\[0\]\.site"),
    ("outcomes", "total", 27.0, r"outcomes\[0\]\.total"),
    ("outcomes", "item_scores", [9, 9], r"outcomes\[0\]\.items"),
    ("outcomes", "recorded_at", "2099-01-01T08:00:00", r"outcomes\[0\]\.recorded_at.*future"),
])
def test_import_checks_rows_like_logging_and_writes_nothing(journal, tmp_path, table, field, value, match):
    data = export_profile(journal, populate(journal).id)
    rows = data[table] if table == "sessions" else [o for o in data[table] if o["item_scores"]]
    rows[0][field] = value
    if table == "outcomes":
        data[table] = rows + [o for o in data[table] if not o["item_scores"]]
    other = open_journal(str(tmp_path / "other.sqlite"))
    with pytest.raises(PhotodoseInputError, match=match) as info:
        import_profile(other, data, source="edited.json")
    assert info.value.source == "edited.json"
    assert counts(tmp_path / "other.sqlite")["profiles"] == 0


@pytest.mark.parametrize("url", ["garbage://", "not-a-database-file"])
def test_unopenable_database_is_one_clear_input_error(tmp_path, url):
    if url == "not-a-database-file":
        url = str(tmp_path / "notes.db")
        (tmp_path / "notes.db").write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(PhotodoseInputError, match="db=") as info:
        open_journal(url)
    assert "\n" not in str(info.value)
