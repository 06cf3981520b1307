"""Batch-split Monte Carlo on Dask: one task per photon batch, merged in batch-index order.

Batch ``b`` of a run draws from the random stream of ``(seed, b)`` (``photodose.transport.montecarlo``), so where
and when it runs does not matter: results are gathered as they complete, then merged sorted by batch index with
``merge_batches``, giving bit-for-bit the tallies and standard errors of a single-process run of the same batches,
whatever the number of workers, the completion order, or a worker lost and its tasks rerun elsewhere.
"""

from __future__ import annotations

import time
from typing import Callable, Hashable, Iterator, Mapping

from ..errors import require_choice
from ..transport.beams import Beam, Incidence
from ..optics.layers import LayerStack
from ..transport.result import Grid, MCResult
from .cluster import dashboard_link, dask_client
from .progress import ProgressFn, rich_progress, say


def iter_completed(futures: Mapping[Hashable, object]) -> Iterator[tuple[Hashable, object]]:
    """Yield ``(label, result)`` for ``{label: future}`` as tasks finish; unfinished ones are cancelled on exit
    (an exception, Ctrl-C, or the consumer stopping early). A failed task raises its exception here."""
    from distributed import as_completed

    if not futures:
        return
    label_of = {future.key: label for label, future in futures.items()}
    pending = dict(futures)
    client = next(iter(futures.values())).client
    try:
        for future in as_completed(list(futures.values()), loop=client.loop):
            label = label_of[future.key]
            result = future.result()
            pending.pop(label, None)
            yield label, result
    finally:
        if pending:
            client.cancel(list(pending.values()))


def _run_batch_one_thread(stack, photons, seed, batch_index, beam, incidence, grid, kernel="simd"):
    """``run_batch`` with numba limited to one thread (the task is the unit of parallelism)."""
    import numba

    from ..transport.montecarlo import run_batch

    numba.set_num_threads(1)
    return run_batch(stack, photons, seed, batch_index, beam, incidence, grid, kernel)


def submit_batches(client, stack: LayerStack, sizes: list[int], seed: int, beam: Beam, incidence: Incidence,
                   grid: Grid, kernel: str = "simd") -> dict[int, object]:
    """Submit batch ``b`` of ``sizes[b]`` photons as one task each; ``{batch_index: future}``."""
    n = len(sizes)
    futures = client.map(_run_batch_one_thread, [stack] * n, list(sizes), [seed] * n, list(range(n)), [beam] * n,
                         [incidence] * n, [grid] * n, [kernel] * n, pure=False)
    return dict(enumerate(futures))


def run_mc_on_client(client, stack: LayerStack, photons: int, seed: int = 1, beam: Beam = Beam(),
                     incidence: Incidence = Incidence(), grid: Grid = Grid(), batches: int | None = None,
                     progress: ProgressFn | None = None, kernel: str = "simd") -> MCResult:
    """Monte Carlo run split into batch tasks on ``client``; identical to ``run_mc`` with the same batches and
    kernel (``simd`` by default: workers are CPUs; ``scalar`` or ``gpu`` where the workers have one).

    ``progress(photons_done, photons)`` is called as batches complete."""
    from ..transport.montecarlo import KERNELS, batch_sizes, merge_batches

    require_choice("kernel", kernel, KERNELS[1:])
    start = time.perf_counter()
    sizes = batch_sizes(photons, batches, grid, beam)
    futures = submit_batches(client, stack, sizes, seed, beam, incidence, grid, kernel.lower())
    tallies = {}
    for index, batch in iter_completed(futures):
        tallies[index] = batch
        if progress is not None:
            progress(sum(sizes[i] for i in tallies), sum(sizes))
    result = merge_batches([tallies[i] for i in sorted(tallies)])
    result.seconds = time.perf_counter() - start
    result.extra["dask_workers"] = len(client.scheduler_info().get("workers", {}))
    return result


def run_mc_distributed(stack: LayerStack, photons: int, seed: int = 1, beam: Beam = Beam(),
                       incidence: Incidence = Incidence(), grid: Grid = Grid(), batches: int | None = None,
                       scheduler: str | None = None, progress: bool | ProgressFn = True,
                       n_workers: int | None = None, say_fn: Callable[[str], None] = say,
                       kernel: str = "simd") -> MCResult:
    """Monte Carlo run on Dask: the cluster at ``scheduler`` (``tcp://HOST:PORT``) or a LocalCluster.

    ``progress``: True for a Rich bar on a terminal, or a callback ``(photons_done, photons)``; either way the
    dashboard address is told to ``say_fn`` when there is one. Numbers depend only on (stack, photons, seed,
    beam, incidence, grid, batches, kernel), exactly as for ``run_mc``.
    """
    with dask_client(scheduler, n_workers) as client:
        link = dashboard_link(client)
        if progress and link:
            say_fn(f"Dask dashboard: {link}")
        if callable(progress):
            return run_mc_on_client(client, stack, photons, seed, beam, incidence, grid, batches, progress, kernel)
        with rich_progress(f"Monte Carlo, {photons:,} photons", enabled=progress) as update:
            return run_mc_on_client(client, stack, photons, seed, beam, incidence, grid, batches, update, kernel)
