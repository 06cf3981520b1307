"""Scale-out benchmark: batch-split Monte Carlo throughput on a LocalCluster with 1 and 2 workers, and the
cost per Dask task, so batch sizes can be chosen.

Run:  python benchmarks/scale_out.py [--photons 2e5] [--batches 32] [--json]

Measures (wall clock, after every worker has loaded the numba kernel):
- photons/s of one fixed run (knee, 800 nm, phototype III, wide beam) with 1 worker and with 2 workers, and
  their ratio (target >= 1.8 on two free cores);
- per-task overhead: the wall time of N no-op tasks / N on the 2-worker cluster;
- the per-batch-task cost model t(photons) = a + b * photons: a from one-photon batch tasks (Dask, kernel
  set-up, tallies' transfer), b from the worker CPU time per photon of the 1-worker run; and the batch size at
  which a is 10 % of a task.
The machine's load average, the CPU share each worker got, and a control (the CPU share of 1 and 2 plain
busy-loop processes) are printed too: on a shared machine a share well below 1 says the cores were not free,
and the wall-clock speed-up then measures the machine, not Dask.
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


def _spin(seconds: float, shares) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        pass
    shares.put((time.process_time() - cpu) / (time.perf_counter() - start))


def free_cpu_shares(processes: int, seconds: float = 2.0) -> list[float]:
    """Control: CPU share each of ``processes`` plain busy-loop processes gets (1.0 each on free cores)."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    shares = context.Queue()
    workers = [context.Process(target=_spin, args=(seconds, shares)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sorted(round(shares.get(), 2) for _ in workers)


def _warm_up(client) -> None:
    """Load the kernel in every worker (numba's on-disk cache) before anything is timed."""
    futures = submit_batches(client, STACK, [10] * len(client.scheduler_info()["workers"]), 1, BEAM, INCIDENCE, GRID)
    client.gather(list(futures.values()))


def _workers_cpu_s(client) -> dict[str, float]:
    return client.run(time.process_time)


def throughput(n_workers: int, photons: int, batches: int, repeats: int) -> dict:
    """Best-of-``repeats`` photons/s of the fixed run on a fresh LocalCluster of ``n_workers``, and the CPU
    time the workers got during it (``cpu_share`` = worker CPU s / (wall s x workers): 1 on free cores)."""
    with dask_client(n_workers=n_workers) as client:
        client.wait_for_workers(n_workers, timeout=120)
        _warm_up(client)
        seconds, cpu_share = [], []
        for _ in range(repeats):
            cpu_before = _workers_cpu_s(client)
            start = time.perf_counter()
            run_mc_on_client(client, STACK, photons, 1, BEAM, INCIDENCE, GRID, batches)
            seconds.append(time.perf_counter() - start)
            cpu_after = _workers_cpu_s(client)
            cpu_s = sum(cpu_after[w] - cpu_before[w] for w in cpu_after if w in cpu_before)
            cpu_share.append(cpu_s / (seconds[-1] * n_workers))
    best = int(np.argmin(seconds))
    return {"workers": n_workers, "photons": photons, "batches": batches, "seconds": seconds,
            "photons_per_second": photons / seconds[best], "cpu_share": cpu_share,
            "photons_per_worker_cpu_second": photons / (seconds[best] * n_workers * cpu_share[best])}


def task_overhead_s(client, tasks: int) -> float:
    """Wall time per no-op task (submit, schedule, run, gather) with every worker busy."""
    start = time.perf_counter()
    client.gather(client.map(_noop, range(tasks), pure=False))
    return (time.perf_counter() - start) / tasks


def tiny_batch_seconds(client, tasks: int) -> float:
    """Wall time per one-photon batch task: Dask's cost plus the kernel's set-up and the tallies' transfer."""
    start = time.perf_counter()
    futures = submit_batches(client, STACK, [1] * tasks, 7, BEAM, INCIDENCE, GRID)
    client.gather(list(futures.values()))
    return (time.perf_counter() - start) / tasks


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
    control = {n: free_cpu_shares(n) for n in (1, 2)}
    runs = [throughput(n, photons, args.batches, args.repeats) for n in (1, 2)]
    with dask_client(n_workers=1) as client:
        client.wait_for_workers(1, timeout=120)
        _warm_up(client)
        overhead_1 = task_overhead_s(client, args.noop_tasks)
        tiny_1 = tiny_batch_seconds(client, args.noop_tasks)
    with dask_client(n_workers=2) as client:
        client.wait_for_workers(2, timeout=120)
        overhead_2 = task_overhead_s(client, args.noop_tasks)
    figures = {"cpu_cores": os.cpu_count(), "busy_loop_cpu_shares": control, "load_average_before": load_before,
               "load_average_after": os.getloadavg(),
               "runs": runs, "speedup_2_vs_1": runs[1]["photons_per_second"] / runs[0]["photons_per_second"],
               "speedup_per_worker_cpu_2_vs_1": 2 * runs[1]["photons_per_worker_cpu_second"]
               / runs[0]["photons_per_worker_cpu_second"],
               "noop_task_seconds_1_worker": overhead_1, "noop_task_seconds_2_workers": overhead_2,
               "tiny_batch_task_seconds_1_worker": tiny_1}
    # cost model per batch task: t = a + b * photons, a from one-photon batches, b from the 1-worker run's CPU time
    b_s = 1.0 / runs[0]["photons_per_worker_cpu_second"]
    figures["cost_model"] = {"a_seconds": tiny_1, "b_seconds_per_photon": b_s,
                             "photons_per_batch_for_10_percent_overhead": 9 * tiny_1 / b_s}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for run in runs:
        print(f"{run['workers']} worker(s): {run['photons_per_second']:,.0f} photons/s "
              f"({run['photons']:,} photons in {run['batches']} batches, "
              f"best of {[round(s, 2) for s in run['seconds']]} s; "
              f"CPU share per worker {[round(c, 2) for c in run['cpu_share']]}, "
              f"{run['photons_per_worker_cpu_second']:,.0f} photons per worker CPU second)")
    print(f"speed-up 2 vs 1 worker: {figures['speedup_2_vs_1']:.2f}x wall clock (target >= 1.8); "
          f"{figures['speedup_per_worker_cpu_2_vs_1']:.2f}x counting only the CPU time the workers got")
    print(f"no-op task overhead: {overhead_1 * 1e3:.2f} ms/task (1 worker), {overhead_2 * 1e3:.2f} ms/task (2 workers)")
    model = figures["cost_model"]
    print(f"batch task cost: t = {model['a_seconds'] * 1e3:.1f} ms (one-photon batch task) + "
          f"{model['b_seconds_per_photon'] * 1e6:.1f} us/photon (worker CPU); the fixed part is 10 % of a task at "
          f"{model['photons_per_batch_for_10_percent_overhead']:,.0f} photons/batch")
    print(f"load average before {load_before}, after {figures['load_average_after']} on {os.cpu_count()} cores; "
          f"control: CPU share of 1 busy-loop process {control[1]}, of 2 {control[2]} (1.0 each on free cores)")


if __name__ == "__main__":
    main()
