"""Dask clusters for photodose: connect to an existing scheduler, or start a LocalCluster sized to this machine.

Without a scheduler address: a LocalCluster of worker processes, one per CPU core, one thread each (Monte Carlo
tasks are CPU bound and each sets numba to one thread). With ``tcp://HOST:PORT``: a Client to that scheduler,
given ``timeout_s`` to answer; a scheduler that cannot be reached raises :class:`SchedulerUnreachable`
(a :class:`PhotodoseInputError` naming the address) instead of hanging.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from typing import Iterator

from ..errors import PhotodoseInputError

CONNECT_TIMEOUT_S = 5.0
_ADDRESS = re.compile(r"^((tcp|tls|ucx|ws|wss)://)?(\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+)(:\d{1,5})?/?$")
# Nanny environment of local workers: no nested thread pools inside a one-thread worker.
_WORKER_ENV = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class SchedulerUnreachable(PhotodoseInputError):
    """No Dask scheduler answered at the given address within the timeout (field "scheduler")."""

    def __init__(self, address: str, timeout_s: float, reason: str):
        super().__init__("scheduler", address, f"a reachable Dask scheduler; none answered within {timeout_s:g} s")
        self.timeout_s, self.reason = timeout_s, reason
        self.args = (f"no Dask scheduler answered at {address} within {timeout_s:g} s ({reason}); check the "
                     "address and port, and that the scheduler is running and reachable from here",)

    def __reduce__(self):
        return (type(self), (self.value, self.timeout_s, self.reason))


def check_address(address: str) -> str:
    """``address`` if it looks like a Dask scheduler address (``tcp://HOST:PORT``), else PhotodoseInputError."""
    text = str(address).strip()
    if not _ADDRESS.match(text):
        raise PhotodoseInputError("scheduler", address, "a Dask scheduler address such as tcp://HOST:8786 or HOST:8786")
    return text


def local_worker_count() -> int:
    """CPU cores this process may use (the LocalCluster's default worker count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def connect(address: str, timeout_s: float | None = None):
    """A ``distributed.Client`` connected to the scheduler at ``address``; SchedulerUnreachable if none answers
    within ``timeout_s`` (default :data:`CONNECT_TIMEOUT_S`)."""
    from distributed import Client

    address = check_address(address)
    timeout_s = CONNECT_TIMEOUT_S if timeout_s is None else float(timeout_s)
    try:
        return Client(address, timeout=f"{float(timeout_s)}s", set_as_default=False)
    except Exception as exc:  # OSError/TimeoutError, or garbage from something that is not a scheduler
        raise SchedulerUnreachable(address, timeout_s, type(exc).__name__) from None


def start_local_cluster(n_workers: int | None = None, dashboard_address: str = ":0"):
    """A LocalCluster of ``n_workers`` (default: one per core) single-threaded worker processes with nannies."""
    from distributed import LocalCluster

    workers = local_worker_count() if n_workers is None else int(n_workers)
    if workers < 1:
        raise PhotodoseInputError("workers", n_workers, "at least 1 worker")
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                        dashboard_address=dashboard_address, silence_logs=50, env=dict(_WORKER_ENV))


@contextmanager
def dask_client(scheduler: str | None = None, n_workers: int | None = None,
                timeout_s: float | None = None) -> Iterator:
    """Context manager yielding a Client: to ``scheduler`` if given, else to a new LocalCluster (closed after)."""
    if scheduler is not None:
        client = connect(scheduler, timeout_s)
        try:
            yield client
        finally:
            client.close()
        return
    cluster = start_local_cluster(n_workers)
    try:
        from distributed import Client

        client = Client(cluster, set_as_default=False)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def dashboard_link(client) -> str | None:
    """The Dask dashboard URL when the scheduler serves one (the pages need bokeh on the scheduler), else None."""
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:
        return None
    return client.dashboard_link if "dashboard" in services else None
