"""Durability on a real SQLite file and (``@both_backends``) a real PostgreSQL server: a writer killed with SIGKILL
mid-logging loses no committed session and leaves a consistent journal; several processes logging at once lose
nothing."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime

import pytest
from sqlalchemy import func, select

from photodose.journal import open_journal
from photodose.journal import repository as repo
from photodose.journal.db import integrity_check
from photodose.journal.dosing import SessionDose
from photodose.journal.models import TherapySession
from conftest import both_backends

WRITER = r"""
import sys
from datetime import datetime, timedelta
from photodose.journal import open_journal
from photodose.journal import repository as repo
from photodose.journal.dosing import SessionDose

import os, time
url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
journal = open_journal(url)
profile = repo.get_profile(journal, name)
while len(sys.argv) > 4 and not os.path.exists(sys.argv[4]):  # start line: wait until every writer is ready
    time.sleep(0.01)
start = datetime(2026, 1, 1, 8)
for i in range(count):
    row = repo.log_session(journal, profile.id, start_at=start + timedelta(minutes=i), duration_s=600, site="knee",
                           device_id=name, distance_mm=150, dose=SessionDose(50.0, 30.0),
                           notes="x" * 2000)
    print(row.id, flush=True)  # printed only after the commit returned
"""


def run_writer(url: str, name: str, count: int, go_file: str = "") -> subprocess.Popen:
    args = [url, name, str(count)] + ([go_file] if go_file else [])
    return subprocess.Popen([sys.executable, "-c", WRITER, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def session_ids(journal) -> set[int]:
    return {s.id for p in repo.list_profiles(journal) for s in repo.list_sessions(journal, p.id)}


@pytest.mark.slow  # a real process (a few seconds); CI runs it, `pytest -m "not slow"` skips it
@both_backends
def test_sigkill_mid_logging_keeps_every_committed_session(journal_url, journal_backend):
    url = journal_url
    journal = open_journal(url)
    repo.add_profile(journal, "writer")
    journal.close()
    proc = run_writer(url, "writer", 100_000)
    reported = []
    for line in proc.stdout:
        reported.append(int(line))
        if len(reported) == 40:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    reported += [int(line) for line in proc.stdout.read().split()]  # anything still in the pipe
    journal = open_journal(url)
    if journal_backend == "sqlite":  # PostgreSQL keeps its own consistency (its write-ahead log)
        assert integrity_check(journal) == "ok"
    stored = session_ids(journal)
    assert set(reported) <= stored
    assert len(stored) < 100_000  # it really was killed mid-way
    with journal.read() as s:  # every stored row is whole
        rows = s.scalars(select(TherapySession)).all()
    assert all(r.notes == "x" * 2000 and r.surface_fluence_j_cm2 == 30.0 for r in rows)
    repo.log_session(journal, 1, start_at=datetime(2026, 2, 1), duration_s=60, site="knee", device_id="after",
                     distance_mm=100, dose=SessionDose(10.0, 0.6))  # the file is still writable
    assert len(session_ids(journal)) == len(stored) + 1


@pytest.mark.slow  # real processes or many cases: a few seconds each; CI runs it
@both_backends
def test_several_processes_logging_at_once_lose_nothing(journal_url, journal_backend, tmp_path):
    url = journal_url
    journal = open_journal(url)
    names = ("a", "b", "c", "d")
    for name in names:
        repo.add_profile(journal, name)
    n = 40
    go = tmp_path / "go"
    procs = [run_writer(url, name, n, str(go)) for name in names]
    time.sleep(1.0)  # let them import and open the journal, then start them together
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outputs):
        assert p.returncode == 0, err
    reported = [int(x) for out, _ in outputs for x in out.split()]
    assert len(reported) == len(set(reported)) == len(names) * n
    with journal.read() as s:
        found = s.scalar(select(func.count()).select_from(TherapySession))
        rows = s.execute(select(TherapySession.device_id, func.count()).group_by(TherapySession.device_id))
        per_device = {device: count for device, count in rows}
    print(f"concurrent writers on {journal_backend}: {len(names)} processes x {n} sessions, {found} rows found")
    assert found == len(names) * n
    assert per_device == {name: n for name in names}
    if journal_backend == "sqlite":
        assert integrity_check(journal) == "ok"
