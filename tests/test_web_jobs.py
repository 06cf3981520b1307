"""Background jobs: an estimate and progress, cancel, and finished results kept across a restart (the store)."""

from __future__ import annotations

import stat
import threading
import time

import pytest

from photodose.web.jobs import JobRunner
from test_web_fixtures import client_for, csrf_of, make_app


def _wait(runner, owner, job_id, statuses, timeout_s=30.0):
    deadline = time.monotonic() + timeout_s
    while (job := runner.get(owner, job_id)).status not in statuses:
        assert time.monotonic() < deadline, job.public()
        time.sleep(0.02)
    return job


def _steps(n, pause_s, gate=None):
    """A job of ``n`` steps (work units), reporting after each."""
    def work(report):
        for i in range(n):
            if gate is not None:
                gate.wait(5)
            time.sleep(pause_s)
            report((i + 1) / n, f"{i + 1} of {n}")
        return {"steps": n}
    return work


def test_a_running_job_is_cancelled_at_its_next_report_and_a_queued_one_never_starts(tmp_path):
    runner = JobRunner(store_dir=tmp_path)
    gate = threading.Event()
    running = runner.submit("ann", "long", _steps(1000, 0.001, gate))
    queued = runner.submit("ann", "next", _steps(3, 0.0))
    assert runner.cancel("bob", running.id) is None  # only the owner can cancel
    gate.set()
    deadline = time.monotonic() + 30
    while runner.get("ann", running.id).progress == 0:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    runner.cancel("ann", queued.id)
    runner.cancel("ann", running.id)
    done = _wait(runner, "ann", running.id, ("cancelled",))
    assert 0 < done.progress < 1 and done.detail.startswith("cancelled at")
    assert _wait(runner, "ann", queued.id, ("cancelled",)).started_at is None
    runner.shutdown()


def test_finished_jobs_survive_a_restart_and_give_the_next_estimate(tmp_path):
    runner = JobRunner(store_dir=tmp_path)
    job = runner.submit("ann", "ten steps", _steps(10, 0.02), kind="mc", units=1000)
    assert job.estimate_s is None  # no earlier run: no estimate before it starts
    done = _wait(runner, "ann", job.id, ("done",))
    speed = 1000 / done.elapsed_s()
    assert runner.estimate_s("mc", 4000) == pytest.approx(4000 / speed)
    runner.shutdown()
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600

    again = JobRunner(store_dir=tmp_path)  # a restarted server
    kept = again.get("ann", job.id)
    assert kept.status == "done" and kept.public()["result"] == {"steps": 10}
    assert again.get("bob", job.id) is None
    assert again.estimate_s("mc", 4000) == pytest.approx(4000 / speed)  # the speed is remembered
    later = again.submit("ann", "again", _steps(2, 0.0), kind="mc", units=2000)
    assert later.estimate_s == pytest.approx(2000 / speed)
    again.shutdown()


def test_a_job_cut_off_by_a_restart_reads_back_as_failed(tmp_path):
    runner = JobRunner(store_dir=tmp_path)
    gate = threading.Event()
    job = runner.submit("ann", "cut", _steps(100, 0.01, gate))
    gate.set()
    _wait(runner, "ann", job.id, ("running",))
    runner.shutdown()  # stops it at its next report
    time.sleep(0.3)
    kept = JobRunner(store_dir=tmp_path).get("ann", job.id)
    assert kept.status == "failed" and "restarted" in kept.detail


def test_time_left_comes_from_progress_once_running():
    from photodose.web.jobs import Job

    job = Job("x", "ann", "t", status="running", progress=0.25, started_at=time.time() - 10.0, estimate_s=100.0)
    assert job.remaining_s() == pytest.approx(30.0, abs=0.5)  # 10 s for a quarter: 30 s for the rest
    job.progress = 0.0
    assert job.remaining_s() == pytest.approx(90.0, abs=0.5)  # no progress yet: the estimate less the time spent


@pytest.mark.slow
def test_monte_carlo_job_cancel_and_result_after_restart(tmp_path, monkeypatch):
    client = client_for(make_app(tmp_path, monkeypatch))
    small = client.post("/api/jobs/montecarlo", json={"site": "knee", "wavelength_nm": 850, "photons": 5000}).json()
    deadline = time.monotonic() + 120
    while client.get(f"/api/jobs/{small['id']}").json()["status"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    big = client.post("/api/jobs/montecarlo", json={"site": "knee", "wavelength_nm": 850, "photons": 2_000_000})
    assert big.json()["estimate_s"] > 0  # from the first run's speed
    page = client.get(f"/montecarlo?job={big.json()['id']}").text
    assert "Cancel run" in page and "s left" in page
    r = client.post("/montecarlo/cancel", data={"job": big.json()["id"], "csrf_token": csrf_of(client, "/montecarlo")},
                    follow_redirects=False)
    assert r.status_code == 303
    while (job := client.get(f"/api/jobs/{big.json()['id']}").json())["status"] != "cancelled":
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["progress"] < 1 and job["result"] is None

    restarted = client_for(make_app(tmp_path, monkeypatch))  # same PHOTODOSE_HOME: the job store is read back
    kept = restarted.get(f"/api/jobs/{small['id']}").json()
    assert kept["status"] == "done" and kept["result"]["summary"]["photons"] == 5000
    assert 'data-plotly="mc-figure"' in restarted.get(f"/montecarlo?job={small['id']}").text


def test_a_job_is_stored_and_its_speed_noted_before_it_shows_as_done(tmp_path):
    """A reader that sees "done" (the page, a restart right after) must find the job on disk and its speed known:
    the runner stored it after publishing "done", so a shutdown at that moment lost the file (seen once in CI)."""
    seen_at_save = []

    class Watching(JobRunner):
        def _save(self, job):
            seen_at_save.append((job.status, self._jobs[job.id].status, self.estimate_s("mc", 1)))
            super()._save(job)

    runner = Watching(store_dir=tmp_path)
    job = runner.submit("ann", "two steps", _steps(2, 0.0), kind="mc", units=100)
    _wait(runner, "ann", job.id, ("done",))
    runner.shutdown()
    assert seen_at_save == [("done", "running", None)]   # stored as done while still shown running
    assert len(list(tmp_path.glob("*.json"))) == 1 and runner.estimate_s("mc", 100) is not None
