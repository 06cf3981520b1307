"""Background jobs (a Monte Carlo run at a high photon count): one worker thread, an id per job, progress and an
estimate of the time left polled by the page, cancel on request. Jobs belong to the user who started them.

A finished job (done, failed or cancelled) is written to ``store_dir`` (one JSON file per job, mode 0600, written
atomically), so its result survives a restart of the server; a job that a restart interrupted reads back as
failed, saying so. The time estimate before a job starts comes from the speed of the last finished job of the
same kind (work units, e.g. photons, per second on this machine); once it runs, from its own progress."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from ..errors import PhotodoseInputError

MAX_JOBS_KEPT = 50
FINISHED = ("done", "failed", "cancelled")


@dataclass
class Job:
    id: str
    owner: str
    title: str
    kind: str = "job"
    units: float | None = None  # work units (photons) for the estimate
    status: str = "queued"  # queued | running | done | failed | cancelled
    progress: float = 0.0   # 0..1
    detail: str = ""
    result: Any = None
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    estimate_s: float | None = None  # whole run, from the last finished job's speed
    cancel_requested: bool = False

    def elapsed_s(self) -> float | None:
        if self.started_at is None:
            return None
        return (self.finished_at or time.time()) - self.started_at

    def remaining_s(self) -> float | None:
        """Seconds left: from the job's own progress once it has some, else the estimate; None when unknown."""
        if self.status in FINISHED:
            return 0.0
        elapsed = self.elapsed_s()
        if elapsed is not None and self.progress >= 0.02:
            return elapsed * (1.0 - self.progress) / self.progress
        if self.estimate_s is not None:
            return max(self.estimate_s - (elapsed or 0.0), 0.0)
        return None

    def public(self) -> dict:
        remaining = self.remaining_s()
        elapsed = self.elapsed_s()
        return {"id": self.id, "title": self.title, "status": self.status, "progress": round(self.progress, 4),
                "detail": self.detail, "estimate_s": None if self.estimate_s is None else round(self.estimate_s, 1),
                "elapsed_s": None if elapsed is None else round(elapsed, 1),
                "remaining_s": None if remaining is None else round(remaining, 1),
                "result": self.result if self.status == "done" else None}


class JobCancelled(Exception):
    """Raised inside a job's progress report once it is cancelled or the runner is shutting down."""


class JobRunner:
    """Runs ``work(report)`` functions one at a time; ``report(fraction, text)`` updates the job's progress and is
    where a cancelled job stops. ``store_dir``: where finished jobs are kept across restarts (None: memory only)."""

    def __init__(self, workers: int = 1, store_dir: Path | None = None):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="photodose-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._store = Path(store_dir) if store_dir is not None else None
        self._speed: dict[str, float] = {}  # kind -> units per second of the last finished job
        self._load()

    # --- the store ----------------------------------------------------------------------------------------------
    def _load(self) -> None:
        if self._store is None or not self._store.is_dir():
            return
        jobs = []
        for path in self._store.glob("*.json"):
            try:
                jobs.append(Job(**json.loads(path.read_text())))
            except (OSError, ValueError, TypeError):
                continue  # an unreadable file is skipped, never fatal
        for job in sorted(jobs, key=lambda j: j.created_at)[-MAX_JOBS_KEPT:]:
            if job.status not in FINISHED:
                job.status, job.detail = "failed", "the server restarted while this job ran; start it again"
            self._jobs[job.id] = job
            self._note_speed(job)

    def _save(self, job: Job) -> None:
        if self._store is None:
            return
        try:
            self._store.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self._store, prefix=".job-", suffix=".tmp")  # created 0600
            with os.fdopen(fd, "w") as f:
                json.dump(asdict(job), f)
            os.replace(tmp, self._store / f"{job.id}.json")
        except (OSError, TypeError, ValueError):
            pass  # a job that cannot be stored still answers from memory until the restart

    def _forget(self, job_id: str) -> None:
        self._jobs.pop(job_id, None)
        if self._store is not None:
            (self._store / f"{job_id}.json").unlink(missing_ok=True)

    def _note_speed(self, job: Job) -> None:
        elapsed = job.elapsed_s()
        if job.status == "done" and job.units and elapsed and elapsed > 0:
            self._speed[job.kind] = job.units / elapsed

    # --- running ------------------------------------------------------------------------------------------------
    def estimate_s(self, kind: str, units: float | None) -> float | None:
        """Seconds a job of ``units`` work units would take at the last finished ``kind`` job's speed."""
        speed = self._speed.get(kind)
        return None if speed is None or not units else units / speed

    def submit(self, owner: str, title: str, work: Callable[[Callable[[float, str], None]], Any], *,
               kind: str = "job", units: float | None = None) -> Job:
        job = Job(secrets.token_urlsafe(12), owner, title, kind=kind, units=units,
                  estimate_s=self.estimate_s(kind, units))
        with self._lock:
            self._jobs[job.id] = job
            for old in [j for j in self._jobs.values() if j.status in FINISHED][:-MAX_JOBS_KEPT]:
                self._forget(old.id)
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work) -> None:
        def report(fraction: float, text: str = "") -> None:
            if self._stopping.is_set():
                raise JobCancelled("the server is shutting down")
            if job.cancel_requested:
                raise JobCancelled("cancelled")
            job.progress, job.detail = min(max(fraction, 0.0), 1.0), text

        if job.cancel_requested:
            return  # cancelled while queued: already marked
        job.status, job.started_at = "running", time.time()
        result = None
        try:
            result = work(report)
            status, detail = "done", ""
        except JobCancelled:
            if self._stopping.is_set() and not job.cancel_requested:
                status, detail = "failed", "the server restarted while this job ran; start it again"
            else:
                status, detail = "cancelled", f"cancelled at {job.progress:.0%}"
        except PhotodoseInputError as exc:
            status, detail = "failed", str(exc)
        except Exception as exc:  # a job must end in a state the page can show, never hang at "running"
            status, detail = "failed", f"{exc.__class__.__name__}: {exc}"
        progress = 1.0 if status == "done" else job.progress   # where a stopped job got to
        final = replace(job, status=status, detail=detail, result=result, progress=progress, finished_at=time.time())
        self._save(final)          # stored, and its speed noted, before anyone can see the job finished
        self._note_speed(final)
        job.result, job.progress, job.detail, job.finished_at = result, progress, detail, final.finished_at
        job.status = status        # last: a reader that sees it finished finds it complete

    def get(self, owner: str, job_id: str) -> Job | None:
        """The job ``job_id`` if ``owner`` started it, else None."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def cancel(self, owner: str, job_id: str) -> Job | None:
        """Ask ``owner``'s job to stop: a queued one never starts, a running one stops at its next progress
        report. A finished job is left as it is. None when ``owner`` has no such job."""
        job = self.get(owner, job_id)
        if job is None or job.status in FINISHED:
            return job
        job.cancel_requested = True
        if job.status == "queued":
            job.status, job.detail, job.finished_at = "cancelled", "cancelled before it started", time.time()
            self._save(job)
        return job

    def shutdown(self) -> None:
        """Drop queued jobs and stop the running one at its next progress report."""
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
