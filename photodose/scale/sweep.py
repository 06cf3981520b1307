"""Atlas sweeps on Dask: one task per missing grid point, each row stored as soon as it arrives.

A point is one single-threaded ``run_mc`` (its default batches), so a stored point holds exactly the numbers
``photodose.transport.depth_dose`` gets for the same stack, photons, seed and grid. Points already in the store
are not recomputed: rerunning an interrupted sweep finishes it, and a larger sweep into the same store
computes only what it adds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .cluster import dashboard_link, dask_client
from .distributed import iter_completed
from .points import AtlasPoint
from .progress import ProgressFn, rich_progress, say
from .store import completed_keys, result_row, write_row


@dataclass
class SweepReport:
    """What a sweep did: grid points asked for, computed now, found in the store."""

    store: str
    points: int
    computed: int
    reused: int
    seconds: float
    computed_keys: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict:
        return {"store": self.store, "points": self.points, "computed": self.computed, "reused": self.reused,
                "seconds": self.seconds, "computed_keys": self.computed_keys}


def compute_point(point: AtlasPoint) -> dict:
    """Run one grid point (one thread) and return its store row."""
    from ..transport.depth_dose import code_version
    from ..transport.montecarlo import run_mc

    result = run_mc(point.stack, point.photons, seed=point.seed, beam=point.beam, incidence=point.incidence,
                    grid=point.grid, threads=1, kernel=point.kernel)
    return result_row(point, result, code_version())


def missing_points(points: Sequence[AtlasPoint], store_dir: str | Path) -> list[AtlasPoint]:
    """The points whose chunk is not in the store yet (duplicates once)."""
    done = completed_keys(store_dir)
    unique = {p.key: p for p in points}
    return [p for key, p in unique.items() if key not in done]


def sweep_on_client(client, points: Sequence[AtlasPoint], store_dir: str | Path,
                    progress: ProgressFn | None = None) -> SweepReport:
    """Compute the missing points of ``points`` on ``client``, writing each row to ``store_dir`` as it completes."""
    start = time.perf_counter()
    todo = missing_points(points, store_dir)
    futures = dict(zip([p.key for p in todo], client.map(compute_point, todo, pure=False)))
    report = SweepReport(str(store_dir), len({p.key for p in points}), 0, 0, 0.0)
    report.reused = report.points - len(todo)
    for done, (key, row) in enumerate(iter_completed(futures), start=1):
        write_row(store_dir, row)
        report.computed_keys.append(key)
        report.computed = done
        if progress is not None:
            progress(done, len(todo))
    report.seconds = time.perf_counter() - start
    return report


def sweep_atlas(points: Sequence[AtlasPoint], store_dir: str | Path, scheduler: str | None = None,
                progress: bool = True, n_workers: int | None = None,
                say_fn: Callable[[str], None] = say) -> SweepReport:
    """Run a sweep on the cluster at ``scheduler`` or on a LocalCluster sized to this machine."""
    if not missing_points(points, store_dir):
        return SweepReport(str(store_dir), len({p.key for p in points}), 0, len({p.key for p in points}), 0.0)
    with dask_client(scheduler, n_workers) as client:
        link = dashboard_link(client)
        if progress and link:
            say_fn(f"Dask dashboard: {link}")
        with rich_progress("atlas grid points", enabled=progress) as update:
            return sweep_on_client(client, points, store_dir, update)
