"""Background jobs (a Monte Carlo run at a high photon count): one worker thread, an id per job, progress
polled by the page. Jobs live in memory and belong to the user who started them."""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import PhotodoseInputError

MAX_JOBS_KEPT = 50


@dataclass
class Job:
    id: str
    owner: str
    title: str
    status: str = "queued"  # queued | running | done | failed
    progress: float = 0.0   # 0..1
    detail: str = ""
    result: Any = None
    started_at: float = field(default_factory=time.time)

    def public(self) -> dict:
        return {"id": self.id, "title": self.title, "status": self.status, "progress": round(self.progress, 4),
                "detail": self.detail, "result": self.result if self.status == "done" else None}


class JobCancelled(Exception):
    """Raised inside a job's progress report once the runner is shutting down."""


class JobRunner:
    """Runs ``work(report)`` functions one at a time; ``report(fraction, text)`` updates the job's progress."""

    def __init__(self, workers: int = 1):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="photodose-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def submit(self, owner: str, title: str, work: Callable[[Callable[[float, str], None]], Any]) -> Job:
        job = Job(secrets.token_urlsafe(12), owner, title)
        with self._lock:
            self._jobs[job.id] = job
            for old in [j for j in self._jobs.values() if j.status in ("done", "failed")][:-MAX_JOBS_KEPT]:
                del self._jobs[old.id]
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work) -> None:
        def report(fraction: float, text: str = "") -> None:
            if self._stopping.is_set():
                raise JobCancelled("the server is shutting down")
            job.progress, job.detail = min(max(fraction, 0.0), 1.0), text

        job.status = "running"
        try:
            job.result = work(report)
            job.progress, job.status, job.detail = 1.0, "done", ""
        except PhotodoseInputError as exc:
            job.status, job.detail = "failed", str(exc)
        except Exception as exc:  # a job must end in a state the page can show, never hang at "running"
            job.status, job.detail = "failed", f"{exc.__class__.__name__}: {exc}"

    def get(self, owner: str, job_id: str) -> Job | None:
        """The job ``job_id`` if ``owner`` started it, else None."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def shutdown(self) -> None:
        """Drop queued jobs and stop the running one at its next progress report."""
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
