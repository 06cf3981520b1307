"""Atlas sweeps on Dask: one task per missing grid point, each row stored as soon as it arrives.

A point is one single-threaded ``run_mc`` (its default batches), so a stored point holds exactly the numbers
``photodose.transport.depth_dose`` gets for the same stack, photons, seed and grid. Points already in the store
are not recomputed: rerunning an interrupted sweep finishes it, and a larger sweep into the same store
computes only what it adds.

``shared_walk=True``: wide-beam points that differ only in absorption (the phototypes of one site, wavelength
and thickness: melanin changes the epidermis's mua, nothing else) are one task, one Monte Carlo walk reweighted
for each (``photodose.transport.reweight``; about 3x less CPU at equal standard error for six phototypes, see
``benchmarks/variance_reduction.py``). Their rows are statistically equal to ``run_mc``'s, not identical; their
``code_version`` ends in ``+reweight-<digest>``.
"""

from __future__ import annotations

import hashlib
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


def shared_walk_groups(points: Sequence[AtlasPoint]) -> list[list[AtlasPoint]]:
    """Points that one reweighted walk can serve, grouped: wide beam, the CPU kernel (``simd``), same site,
    wavelength, thicknesses, photons, seed, depth and incidence, and stacks that differ in mua only; every other
    point alone (on a GPU machine, every point)."""
    from ..transport.reweight import differ_in_mua_only

    groups: dict[tuple, list[AtlasPoint]] = {}
    for p in points:
        shared = p.beam.kind == "wide" and p.kernel == "simd"   # the walk is the CPU photon-parallel kernel's
        key = ((p.site, p.wavelength_nm, p.thickness_mm, p.photons, p.seed, p.max_depth_mm, p.incidence) if shared
               else (p.key,))
        groups.setdefault(key, []).append(p)
    out: list[list[AtlasPoint]] = []
    for group in groups.values():
        out += [group] if differ_in_mua_only([p.stack for p in group]) else [[p] for p in group]
    return out


def reweight_version() -> str:
    """``code_version`` of rows from a shared walk: the kernel's version plus a digest of the reweighting walk."""
    from ..transport import reweight
    from ..transport.depth_dose import code_version

    digest = hashlib.sha256()
    for path in sorted(Path(reweight.__file__).parent.glob("*reweight*.py")):   # reweight.py, _reweight_lanes.py
        digest.update(path.read_bytes())
    return f"{code_version()}+reweight-{digest.hexdigest()[:8]}"


def compute_group(points: Sequence[AtlasPoint]) -> list[dict]:
    """Store rows of a group from :func:`shared_walk_groups`: one reweighted walk (one thread), or ``run_mc`` alone."""
    if len(points) == 1:
        return [compute_point(points[0])]
    from ..transport.reweight import run_mc_absorption_set

    first = points[0]
    results = run_mc_absorption_set([p.stack for p in points], first.photons, seed=first.seed, grid=first.grid,
                                    incidence=first.incidence)
    version = reweight_version()
    return [result_row(p, r, version) for p, r in zip(points, results)]


def missing_points(points: Sequence[AtlasPoint], store_dir: str | Path) -> list[AtlasPoint]:
    """The points whose chunk is not in the store yet (duplicates once)."""
    done = completed_keys(store_dir)
    unique = {p.key: p for p in points}
    return [p for key, p in unique.items() if key not in done]


def sweep_on_client(client, points: Sequence[AtlasPoint], store_dir: str | Path,
                    progress: ProgressFn | None = None, shared_walk: bool = False) -> SweepReport:
    """Compute the missing points of ``points`` on ``client``, writing each row to ``store_dir`` as it completes
    (``shared_walk``: phototype groups as one reweighted walk each, see the module docstring)."""
    start = time.perf_counter()
    todo = missing_points(points, store_dir)
    groups = shared_walk_groups(todo) if shared_walk else [[p] for p in todo]
    futures = dict(zip([g[0].key for g in groups], client.map(compute_group, groups, pure=False)))
    report = SweepReport(str(store_dir), len({p.key for p in points}), 0, 0, 0.0)
    report.reused = report.points - len(todo)
    for _, rows in iter_completed(futures):
        for row in rows:
            write_row(store_dir, row)
            report.computed_keys.append(row["key"])
        report.computed = len(report.computed_keys)
        if progress is not None:
            progress(report.computed, len(todo))
    report.seconds = time.perf_counter() - start
    return report


def sweep_atlas(points: Sequence[AtlasPoint], store_dir: str | Path, scheduler: str | None = None,
                progress: bool = True, n_workers: int | None = None,
                say_fn: Callable[[str], None] = say, shared_walk: bool = False) -> SweepReport:
    """Run a sweep on the cluster at ``scheduler`` or on a LocalCluster sized to this machine."""
    if not missing_points(points, store_dir):
        return SweepReport(str(store_dir), len({p.key for p in points}), 0, len({p.key for p in points}), 0.0)
    with dask_client(scheduler, n_workers) as client:
        link = dashboard_link(client)
        if progress and link:
            say_fn(f"Dask dashboard: {link}")
        with rich_progress("atlas grid points", enabled=progress) as update:
            return sweep_on_client(client, points, store_dir, update, shared_walk)
