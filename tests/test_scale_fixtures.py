"""Shared by the scale tests: a worker killed in the middle of a run (the cluster fixture is in conftest.py)."""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Callable, TypeVar

T = TypeVar("T")


def run_while_killing_a_worker(client, run: Callable[[], T], settle_s: float = 0.3) -> T:
    """``run()`` while one worker busy with a task (of about a second) is SIGKILLed ``settle_s`` into it.

    Asserts that a worker was killed and that its nanny brought a fresh process back."""
    pids = client.run(os.getpid)   # asked up front, so the kill waits on no round trip
    killed = {}

    def kill_a_busy_worker():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            busy = [w for w, keys in client.processing().items() if keys and w in pids]
            if busy:
                time.sleep(settle_s)
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed["worker"] = busy[0]
            time.sleep(0.02)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    result = run()
    killer.join(timeout=60)
    assert "worker" in killed
    client.wait_for_workers(2, timeout=60)
    assert pids[killed["worker"]] not in client.run(os.getpid).values()
    return result
