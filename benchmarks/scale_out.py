"""Scale-out benchmark: batch-split Monte Carlo throughput on a LocalCluster with 1 and 2 workers, and the
cost per Dask task, so batch sizes can be chosen.

Run:  python benchmarks/scale_out.py [--photons 2e5] [--batches 32] [--json]

Measures (wall clock, after every worker has loaded the numba kernel):
- photons/s of one fixed run (knee, 800 nm, phototype III, wide beam) with 1 worker and with 2 workers, and
  their ratio (target >= 1.8 on two free cores);
- per-task overhead: the wall time of N no-op tasks / N on the 2-worker cluster;
- the per-task cost model t(photons) = a + b * photons, fitted over batch sizes on 1 worker, and the batch
  size at which the fixed cost a is 10 % of a task.
The machine's load average is printed too: other processes on a shared machine slow the 2-worker run most.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from photodose.optics import body_stack
from photodose.scale.cluster import dask_client
from photodose.scale.distributed import run_mc_on_client, submit_batches
from photodose.transport.beams import Beam, Incidence
from photodose.transport.depth_dose import depth_grid

STACK = body_stack("knee", 800, "III")
BEAM, INCIDENCE, GRID = Beam(kind="wide"), Incidence(), depth_grid(10.0)


def _noop(i: int) -> int:
    return i


def _warm_up(client) -> None:
    """Load the kernel in every worker (numba's on-disk cache) before anything is timed."""
    futures = submit_batches(client, STACK, [10] * len(client.scheduler_info()["workers"]), 1, BEAM, INCIDENCE, GRID)
    client.gather(list(futures.values()))


def throughput(n_workers: int, photons: int, batches: int, repeats: int) -> dict:
    """Best-of-``repeats`` photons/s of the fixed run on a fresh LocalCluster of ``n_workers``."""
    with dask_client(n_workers=n_workers) as client:
        client.wait_for_workers(n_workers, timeout=120)
        _warm_up(client)
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            run_mc_on_client(client, STACK, photons, 1, BEAM, INCIDENCE, GRID, batches)
            seconds.append(time.perf_counter() - start)
    return {"workers": n_workers, "photons": photons, "batches": batches, "seconds": seconds,
            "photons_per_second": photons / min(seconds)}


def task_overhead_s(client, tasks: int) -> float:
    """Wall time per no-op task (submit, schedule, run, gather) with every worker busy."""
    start = time.perf_counter()
    client.gather(client.map(_noop, range(tasks), pure=False))
    return (time.perf_counter() - start) / tasks


def batch_cost_fit(client, sizes: list[int], repeats: int) -> dict:
    """Fit wall time per task t = a + b * photons over batch ``sizes`` (``repeats`` tasks each, one worker)."""
    per_task = []
    for size in sizes:
        start = time.perf_counter()
        futures = submit_batches(client, STACK, [size] * repeats, 7, BEAM, INCIDENCE, GRID)
        client.gather(list(futures.values()))
        per_task.append((time.perf_counter() - start) / repeats)
    b, a = np.polyfit(np.asarray(sizes, float), np.asarray(per_task), 1)
    return {"sizes": sizes, "seconds_per_task": per_task, "a_seconds": float(a), "b_seconds_per_photon": float(b),
            "photons_for_10_percent_overhead": float(9 * a / b) if a > 0 and b > 0 else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photons", type=float, default=2e5)
    parser.add_argument("--batches", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--noop-tasks", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    photons = int(args.photons)
    load_before = os.getloadavg()
    runs = [throughput(n, photons, args.batches, args.repeats) for n in (1, 2)]
    with dask_client(n_workers=1) as client:
        client.wait_for_workers(1, timeout=120)
        _warm_up(client)
        overhead_1 = task_overhead_s(client, args.noop_tasks)
        fit = batch_cost_fit(client, [500, 2000, 8000], 4)
    with dask_client(n_workers=2) as client:
        client.wait_for_workers(2, timeout=120)
        overhead_2 = task_overhead_s(client, args.noop_tasks)
    figures = {"cpu_cores": os.cpu_count(), "load_average_before": load_before, "load_average_after": os.getloadavg(),
               "runs": runs, "speedup_2_vs_1": runs[1]["photons_per_second"] / runs[0]["photons_per_second"],
               "noop_task_seconds_1_worker": overhead_1, "noop_task_seconds_2_workers": overhead_2,
               "batch_cost_fit_1_worker": fit}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for run in runs:
        print(f"{run['workers']} worker(s): {run['photons_per_second']:,.0f} photons/s "
              f"({run['photons']:,} photons in {run['batches']} batches, best of {[round(s, 2) for s in run['seconds']]} s)")
    print(f"speed-up 2 vs 1 worker: {figures['speedup_2_vs_1']:.2f}x (target >= 1.8)")
    print(f"no-op task overhead: {overhead_1 * 1e3:.2f} ms/task (1 worker), {overhead_2 * 1e3:.2f} ms/task (2 workers)")
    print(f"task cost fit (1 worker): t = {fit['a_seconds'] * 1e3:.1f} ms + {fit['b_seconds_per_photon'] * 1e6:.1f} "
          f"us/photon; fixed cost is 10 % of a task at {fit['photons_for_10_percent_overhead'] or float('nan'):,.0f} "
          f"photons/batch")
    print(f"load average before {load_before}, after {figures['load_average_after']} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
