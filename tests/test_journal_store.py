"""The journal on a real SQLite file and (``@both_backends``) on a real PostgreSQL server: migrations from empty and
from every earlier revision with data, pragmas, refusals write nothing, export/import, delete, dates unchanged."""

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from photodose.errors import PhotodoseInputError
from photodose.journal import open_journal
from photodose.journal import repository as repo
from photodose.journal.db import current_revision, head_revision, integrity_check
from photodose.journal.exchange import export_profile, import_profile, read_export, write_export
from photodose.outcomes import score_items
from conftest import BACKENDS, both_backends
from test_journal_fixtures import log, populate

TABLES = ("profiles", "devices", "plans", "sessions", "outcomes")


def counts(journal) -> dict[str, int]:
    with journal.engine.connect() as c:
        return {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def test_new_database_is_at_head_with_wal_and_foreign_keys(tmp_path):
    j = open_journal(str(tmp_path / "new.sqlite"))
    assert current_revision(j.engine) == head_revision()
    assert set(TABLES) <= set(inspect(j.engine).get_table_names())
    with j.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    assert integrity_check(j) == "ok"


def revisions() -> list[str]:
    """Every revision, oldest first (read from the migration scripts, so a new revision is tested too)."""
    from alembic.script import ScriptDirectory

    from photodose.journal.db import migration_config

    return [r.revision for r in reversed(list(ScriptDirectory.from_config(migration_config()).walk_revisions()))]


# rows a revision-0001 program wrote (raw SQL, the 0001 columns only: the models are at head)
OLD_ROWS = (
    "INSERT INTO profiles (name, skin_phototype, created_at) VALUES ('old', 'IV', '2026-10-01 08:00:00')",
    "INSERT INTO devices (profile_id, device_id, nickname, added_at) "
    "SELECT id, 'x', 'the panel', '2026-10-01 08:05:00' FROM profiles",
    """INSERT INTO plans (profile_id, plan, created_at) SELECT id, '{"kept": [1, 2.5]}', '2026-10-01 08:10:00' """
    "FROM profiles",
    "INSERT INTO sessions (profile_id, plan_id, start_at, duration_s, site, device_id, distance_mm, "
    "surface_irradiance_mw_cm2, surface_fluence_j_cm2) "
    "SELECT profile_id, id, '2026-10-02 08:00:00', 600, 'knee', 'x', 150, 50, 30 FROM plans",
    "INSERT INTO outcomes (profile_id, instrument, item_scores, total, band, recorded_at) "
    "SELECT id, 'phq9', '[1,1,1,1,1,1,1,1,1]', 9, 'mild', '2026-10-02 09:00:00' FROM profiles",
)


@both_backends
@pytest.mark.parametrize("start", [None, *revisions()[:-1]], ids=lambda r: f"from-{r or 'empty'}")
def test_upgrade_from_every_earlier_revision_keeps_data(new_journal_url, start):
    url = new_journal_url("old")
    if start is not None:
        old = open_journal(url, migrate_to=start)
        assert current_revision(old.engine) == start
        if start == "0001":
            assert "metric_name" not in {c["name"] for c in inspect(old.engine).get_columns("outcomes")}
        with old.engine.begin() as c:
            for statement in OLD_ROWS:
                c.execute(text(statement))
        old.close()
    j = open_journal(url)
    assert current_revision(j.engine) == head_revision() == revisions()[-1]
    assert set(TABLES) <= set(inspect(j.engine).get_table_names())
    assert "ix_sessions_profile_site_start" in {i["name"] for i in inspect(j.engine).get_indexes("sessions")}
    assert "ix_profiles_owner" in {i["name"] for i in inspect(j.engine).get_indexes("profiles")}
    if start is None:
        assert repo.list_profiles(j) == []
        profile = repo.add_profile(j, "old", skin_phototype="IV")
    else:
        profile = repo.get_profile(j)
        assert (profile.name, profile.skin_phototype, profile.owner) == ("old", "IV", None)
        [session] = repo.list_sessions(j, profile.id)
        assert (session.start_at, session.surface_fluence_j_cm2, session.site) == (datetime(2026, 10, 2, 8), 30.0,
                                                                                 "knee")
        [outcome] = repo.list_outcomes(j, profile.id)
        assert outcome.item_scores == [1] * 9 and outcome.total == 9 and outcome.metric_name is None
        data = export_profile(j, profile.id)
        assert [p["plan"] for p in data["plans"]] == [{"kept": [1, 2.5]}]
        assert data["sessions"][0]["plan_id"] == data["plans"][0]["id"]
        assert [(d["device_id"], d["nickname"]) for d in data["devices"]] == [("x", "the panel")]
    # the upgraded journal takes new rows of every kind (ids continue after the old rows)
    repo.log_custom_metric(j, profile.id, "wrinkle score", value=3, recorded_at=datetime(2026, 10, 3))
    assert repo.list_outcomes(j, profile.id)[-1].metric_name == "wrinkle score"
    log(j, profile.id, datetime(2026, 10, 4, 8))
    assert repo.add_profile(j, "old", owner="alice").id != profile.id  # names are unique per owner (0004)
    assert len(repo.list_sessions(j, profile.id)) == (1 if start is None else 2)
    j.close()


@both_backends
def test_refusals_write_nothing(journal):
    p = repo.add_profile(journal, "ann")
    log(journal, p.id, datetime(2026, 10, 1, 8))
    before = counts(journal)
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
    assert counts(journal) == before


@both_backends
def test_values_a_column_cannot_hold_are_refused_alike_on_every_backend_and_write_nothing(journal):
    """PostgreSQL refuses a string longer than its VARCHAR, a NUL character and NaN in JSON, where SQLite would store
    them: both backends refuse them as one input error naming the field, before anything is written."""
    p = repo.add_profile(journal, "ann")
    before = counts(journal)
    bad_calls = {
        "name": lambda: repo.add_profile(journal, "n" * 201),
        "owner": lambda: repo.add_profile(journal, "bob", owner="o" * 101),
        "metric_name": lambda: repo.log_custom_metric(journal, p.id, "m" * 201, value=1.0,
                                                      recorded_at=datetime(2026, 10, 2)),
        "notes": lambda: log(journal, p.id, datetime(2026, 10, 2), notes="before\x00after"),
        "channels": lambda: log(journal, p.id, datetime(2026, 10, 2), channels=[660, float("nan")]),
        "name|value": lambda: repo.add_profile(journal, "nul\x00name"),  # PostgreSQL: refused in the name lookup
    }
    for field, call in bad_calls.items():
        with pytest.raises(PhotodoseInputError, match=rf"^({field})=") as info:
            call()
        assert "\n" not in str(info.value)
    assert counts(journal) == before
    assert repo.add_profile(journal, "n" * 200).name == "n" * 200  # the longest name that fits is kept whole


@both_backends
def test_a_second_writer_waits_for_the_first_so_a_unique_name_check_cannot_race(journal, journal_url):
    """Writers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so the second of two
    concurrent ``profile add`` of one name is refused with the usual message, not a database IntegrityError."""
    import threading

    from photodose.journal.models import Profile

    other = open_journal(journal_url)
    outcome: list[BaseException | None] = []

    def second_writer() -> None:
        try:
            repo.add_profile(other, "ann")
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    with journal.transaction() as s:
        s.add(Profile(name="ann", created_at=datetime(2026, 10, 1)))
        s.flush()
        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the first writer
    thread.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], PhotodoseInputError), outcome
    assert "exists" in str(outcome[0])
    other.close()


@both_backends
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


@both_backends
@pytest.mark.parametrize("fmt,suffix", [("json", "json"), ("csv", "zip")])
def test_export_import_round_trip_loses_nothing(journal, new_journal_url, tmp_path, fmt, suffix):
    repo.add_profile(journal, "someone else")  # so that ids differ between the two databases
    p = populate(journal)
    original = export_profile(journal, p.id)
    assert len(original["sessions"]) == 8 and len(original["outcomes"]) == 8 and len(original["plans"]) == 1
    path = tmp_path / f"export.{suffix}"
    write_export(original, path, fmt)
    assert read_export(path) == original  # the file reads back to the very same object
    other = open_journal(new_journal_url("other"))
    imported = import_profile(other, read_export(path))
    again = export_profile(other, imported.id)
    assert imported.id != p.id
    assert canonical(again) == canonical(original)
    assert [s["plan_id"] for s in again["sessions"] if s["plan_id"] is not None][0] == again["plans"][0]["id"]


@pytest.mark.parametrize("journal_backend", BACKENDS[1:], indirect=True)
def test_a_home_sqlite_journal_moves_to_a_postgresql_server_losing_nothing(new_journal_url, tmp_path):
    home = open_journal(str(tmp_path / "home.sqlite"))
    original = export_profile(home, populate(home).id)
    write_export(original, tmp_path / "export.json", "json")
    server = open_journal(new_journal_url("clinic"))
    moved = import_profile(server, read_export(tmp_path / "export.json"))
    assert canonical(export_profile(server, moved.id)) == canonical(original)
    server.close()


@both_backends
def test_import_refuses_existing_name_and_writes_nothing(journal):
    p = populate(journal)
    data = export_profile(journal, p.id)
    before = counts(journal)
    with pytest.raises(PhotodoseInputError, match="--as"):
        import_profile(journal, data)
    assert counts(journal) == before
    copy = import_profile(journal, data, rename="ann (copy)")
    assert canonical(export_profile(journal, copy.id))["sessions"] == canonical(data)["sessions"]


@both_backends
def test_delete_profile_cascades(journal, journal_url):
    keep = populate(journal, "keep")
    gone = populate(journal, "gone")
    kept = counts(journal)
    repo.delete_profile(journal, gone.id)
    after = counts(journal)
    assert after["profiles"] == 1 and all(2 * after[t] == kept[t] for t in TABLES if t != "profiles")
    assert export_profile(journal, keep.id)["profile"]["name"] == "keep"
    fresh = open_journal(journal_url)  # a new connection sees the cascade too
    with fresh.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM sessions WHERE profile_id = :p"), {"p": gone.id}).scalar() == 0
    fresh.close()


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
@both_backends
def test_import_checks_rows_like_logging_and_writes_nothing(journal, new_journal_url, table, field, value, match):
    data = export_profile(journal, populate(journal).id)
    rows = data[table] if table == "sessions" else [o for o in data[table] if o["item_scores"]]
    rows[0][field] = value
    if table == "outcomes":
        data[table] = rows + [o for o in data[table] if not o["item_scores"]]
    other = open_journal(new_journal_url("other"))
    with pytest.raises(PhotodoseInputError, match=match) as info:
        import_profile(other, data, source="edited.json")
    assert info.value.source == "edited.json"
    assert counts(other)["profiles"] == 0


@pytest.mark.parametrize("url", ["garbage://", "not-a-database-file"])
def test_unopenable_database_is_one_clear_input_error(tmp_path, url):
    if url == "not-a-database-file":
        url = str(tmp_path / "notes.db")
        (tmp_path / "notes.db").write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(PhotodoseInputError, match="db=") as info:
        open_journal(url)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("missing_driver", [False, True], ids=["unreachable-server", "missing-driver"])
def test_postgres_url_that_cannot_be_opened_is_one_line_with_the_password_hidden_and_the_fix(monkeypatch,
                                                                                           missing_driver):
    import sys

    url = "postgresql+psycopg://clinic:s3cret-pw@127.0.0.1:1/journal"  # port 1: nothing listens there
    if missing_driver:
        monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(PhotodoseInputError) as info:
        open_journal(url)
    message = str(info.value)
    assert "\n" not in message and "s3cret-pw" not in message
    assert "db='postgresql+psycopg://clinic:***@127.0.0.1:1/journal'" in message
    assert ('pip install "photodose[postgres]"' if missing_driver else "start the server") in message


@both_backends
def test_dates_and_time_zones_come_back_unchanged(journal_backend, journal_url, monkeypatch):
    """Naive local wall-clock times (as typed) are stored and read back as the same wall-clock times, whatever the
    client's and the server's time zones: a time inside a daylight-saving gap, one in the repeated hour, midnight
    of a leap day, the turn of a year, the earliest allowed date and microseconds."""
    from sqlalchemy import make_url

    def in_zone(zone: str) -> str:  # PostgreSQL: the server session's TimeZone set through the URL
        if journal_backend == "sqlite":
            return journal_url
        url = make_url(journal_url)
        options = f"{url.query['options']} -cTimeZone={zone}"
        return url.update_query_dict({"options": options}).render_as_string(hide_password=False)

    times = [datetime(2026, 3, 29, 2, 30), datetime(2026, 10, 25, 2, 30), datetime(2024, 2, 29, 0, 0),
             datetime(2025, 12, 31, 23, 59, 59), datetime(1960, 1, 1, 0, 0), datetime(2026, 6, 1, 12, 0, 0, 123456)]
    monkeypatch.setenv("TZ", "Europe/Berlin")  # the client's zone: 2026-03-29 02:30 does not exist there
    time.tzset()
    try:
        writer = open_journal(in_zone("Pacific/Chatham"))  # 13 h 45 min east of UTC
        p = repo.add_profile(writer, "tz", created_at=datetime(2026, 1, 1, 0, 0))
        for when in times:
            log(writer, p.id, when)
        repo.log_outcome(writer, p.id, score_items("phq9", [0] * 9), recorded_at=times[1])
        writer.close()
        monkeypatch.setenv("TZ", "America/St_Johns")  # read in other zones: 3 h 30 min west of UTC
        time.tzset()
        reader = open_journal(in_zone("America/St_Johns"))
        if journal_backend == "postgresql":
            with reader.engine.connect() as c:
                assert c.execute(text("SHOW TimeZone")).scalar_one() == "America/St_Johns"
        sessions = repo.list_sessions(reader, p.id)
        assert [s.start_at for s in sessions] == sorted(times)
        assert all(s.start_at.tzinfo is None for s in sessions)
        assert [o.recorded_at for o in repo.list_outcomes(reader, p.id)] == [times[1]]
        assert repo.get_profile(reader, "tz").created_at == datetime(2026, 1, 1, 0, 0)
        exported = export_profile(reader, p.id)
        assert sorted(s["start_at"] for s in exported["sessions"]) == sorted(t.isoformat() for t in times)
        reader.close()
    finally:
        monkeypatch.undo()
        time.tzset()
