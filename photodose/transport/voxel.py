"""Voxel Monte Carlo light transport (MCML physics in a labelled voxel volume), batched and reproducible.

Model: MCML's random walk (Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47 (1995) 131-146) in the
voxel geometry of mcxyz and MCX (Fang & Boas, Opt. Express 17 (2009) 20178-20190); the kernel and every
convention are in ``photodose.transport.voxel_kernel``.
Units: volume and source positions in mm (world coordinates: voxel (i, j, k) spans
origin_mm + [i, i+1) voxel_mm ...), optical properties in 1/cm. Results per unit launched power:
``absorbed_per_voxel`` is the fraction of the launched power absorbed in each voxel; ``fluence_per_cm2`` is the
fluence rate per unit launched power, phi = A / (mua V) in 1/cm^2 (multiply by a power in W and a time in s
to get J/cm^2).

A run is split into batches fixed by the photon count (never by the thread count); batch ``b`` draws from its
own random stream derived from ``(seed, b)`` (``_rng``), batches run in parallel in fixed groups of
``GROUP_BATCHES`` and are summed in batch order, so the numbers do not depend on the thread count. Standard
errors come from the spread of the batch means (as ``montecarlo``), for the scalars, the absorbed fraction
per label and every region passed in ``regions``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..errors import PhotodoseInputError, require_in_range
from ._rng import as_uint64
from .montecarlo import _batch_stderr, _check_count, _check_seed, _set_threads
from .voxel_kernel import (BEAM_DISC, BEAM_GAUSSIAN, BEAM_POINT, ESCAPED, MISSED, N_SCALARS, ROULETTE_NET,
                           SPECULAR, label_table, run_batches)

PHOTONS_PER_BATCH = 5000
MIN_BATCHES, MAX_BATCHES = 16, 128
GROUP_BATCHES = 8                 # batches traced at once (each holds a full voxel tally); fixed, not per thread
FACES = ("-x", "+x", "-y", "+y", "-z", "+z")


@dataclass(frozen=True)
class VoxelVolume:
    """A labelled voxel volume: ``labels[i, j, k]`` (0 = outside medium), cubic voxels of ``voxel_mm``."""

    labels: np.ndarray
    voxel_mm: float
    origin_mm: tuple[float, float, float] = (0.0, 0.0, 0.0)
    label_names: tuple[str, ...] = ()

    def centres_mm(self, axis: int) -> np.ndarray:
        """World coordinates of the voxel centres along ``axis`` (mm)."""
        return self.origin_mm[axis] + (np.arange(self.labels.shape[axis]) + 0.5) * self.voxel_mm


@dataclass(frozen=True)
class LabelOptics:
    """Optical properties per label (index = label; label 0 is the outside medium and is never entered)."""

    mua_per_cm: tuple[float, ...]
    mus_per_cm: tuple[float, ...]
    g: tuple[float, ...]
    n: tuple[float, ...]


@dataclass(frozen=True)
class VoxelSource:
    """Where light comes from, in world mm.

    ``kind``: ``pencil`` (one point, collimated), ``disc`` (uniform disc of ``radius_mm``, collimated),
    ``gaussian`` (1/e^2 radius ``radius_mm``, collimated) or ``emitters`` (points with powers ``weights`` and
    a generalised Lambertian pattern I ~ cos^m about each axis, m = ``lambertian_order_m``).
    ``positions_mm`` (K, 3) and ``directions`` (K, 3) (unit vectors, normalised here).
    """

    kind: Literal["pencil", "disc", "gaussian", "emitters"]
    positions_mm: tuple[tuple[float, float, float], ...]
    directions: tuple[tuple[float, float, float], ...]
    weights: tuple[float, ...] = (1.0,)
    radius_mm: float = 0.0
    lambertian_order_m: tuple[float, ...] = (1.0,)

    @classmethod
    def isotropic_point(cls, at_mm: tuple[float, float, float]) -> "VoxelSource":
        """An isotropic point source at ``at_mm``: two back-to-back hemispheres of a cos^0 emitter."""
        return cls("emitters", (at_mm, at_mm), ((0.0, 0.0, 1.0), (0.0, 0.0, -1.0)), weights=(1.0, 1.0),
                   lambertian_order_m=(0.0, 0.0))


@dataclass
class VoxelResult:
    """Tallies per unit launched power with batch standard errors (``stderr``: same keys)."""

    photons: int
    seed: int
    batches: int
    seconds: float
    threads: int
    specular: float
    escaped: float
    escaped_by_face: dict[str, float]
    missed: float
    absorbed: float
    absorbed_by_label: np.ndarray
    roulette_net_weight: float
    absorbed_per_voxel: np.ndarray       # fraction of the launched power absorbed in each voxel
    fluence_per_cm2: np.ndarray          # phi = A / (mua V), 1/cm^2 per unit launched power (nan where mua = 0)
    region_absorbed: dict[str, float] = field(default_factory=dict)       # fraction absorbed in the region
    region_fluence_per_cm2: dict[str, float] = field(default_factory=dict)  # mean phi over the region's voxels
    stderr: dict[str, object] = field(default_factory=dict)

    @property
    def photons_per_second(self) -> float:
        return self.photons / self.seconds if self.seconds > 0 else float("inf")

    def energy_balance_error(self) -> float:
        """|Rsp + escaped + A + missed - 1 - roulette_net_weight|: zero to rounding."""
        return abs(self.specular + self.escaped + self.absorbed + self.missed - 1.0 - self.roulette_net_weight)


def _unit_rows(rows, field_name: str) -> np.ndarray:
    a = np.asarray(rows, float).reshape(-1, 3)
    norms = np.linalg.norm(a, axis=1)
    if not np.all(np.isfinite(a)) or np.any(norms == 0):
        raise PhotodoseInputError(field_name, rows, "non-zero finite direction vectors")
    return a / norms[:, None]


def _perpendiculars(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors perpendicular to each unit row of ``d`` and to each other."""
    helper = np.where(np.abs(d[:, :1]) < 0.9, np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]]))
    e1 = np.cross(d, helper)
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(d, e1)
    return e1, e2


def _check_inputs(volume: VoxelVolume, optics: LabelOptics, source: VoxelSource) -> None:
    labels = volume.labels
    if labels.ndim != 3 or labels.size == 0:
        raise PhotodoseInputError("volume.labels", labels.shape, "a non-empty 3-D array of labels")
    if not (volume.voxel_mm > 0 and math.isfinite(volume.voxel_mm)):
        raise PhotodoseInputError("volume.voxel_mm", volume.voxel_mm, "a finite length > 0 mm")
    nl = len(optics.mua_per_cm)
    for name in ("mus_per_cm", "g", "n"):
        if len(getattr(optics, name)) != nl:
            raise PhotodoseInputError(f"optics.{name}", len(getattr(optics, name)), f"{nl} values, one per label")
    if int(labels.max()) >= nl or int(labels.min()) < 0:
        raise PhotodoseInputError("volume.labels", int(labels.max()), f"labels 0 to {nl - 1} (one optics row each)")
    for i in range(1, nl):
        require_in_range(f"optics.mua_per_cm[{i}]", optics.mua_per_cm[i], 0, 1e5)
        require_in_range(f"optics.mus_per_cm[{i}]", optics.mus_per_cm[i], 0, 1e6)
        require_in_range(f"optics.g[{i}]", optics.g[i], -1, 1, low_inclusive=False, high_inclusive=False)
        require_in_range(f"optics.n[{i}]", optics.n[i], 1.0, 3.0)
    if source.kind not in ("pencil", "disc", "gaussian", "emitters"):
        raise PhotodoseInputError("source.kind", source.kind, "pencil, disc, gaussian or emitters")
    if source.kind in ("disc", "gaussian"):
        require_in_range("source.radius_mm", source.radius_mm, 0, 1e4, low_inclusive=False)


def _source_arrays(volume: VoxelVolume, source: VoxelSource):
    pos = np.asarray(source.positions_mm, float).reshape(-1, 3)
    if not np.all(np.isfinite(pos)):
        raise PhotodoseInputError("source.positions_mm", source.positions_mm, "finite coordinates in mm")
    d = _unit_rows(source.directions, "source.directions")
    if len(d) != len(pos):
        raise PhotodoseInputError("source.directions", len(d), f"{len(pos)} directions, one per position")
    k = len(pos)
    weights = np.broadcast_to(np.asarray(source.weights, float), (k,)).copy()
    if not np.all(np.isfinite(weights)) or np.any(weights < 0) or weights.sum() <= 0:
        raise PhotodoseInputError("source.weights", source.weights, "finite weights >= 0 with a positive sum")
    order = np.broadcast_to(np.asarray(source.lambertian_order_m, float), (k,)).copy()
    if not np.all(np.isfinite(order)) or np.any(order < 0):
        raise PhotodoseInputError("source.lambertian_order_m", source.lambertian_order_m, "orders m >= 0")
    cdf = np.cumsum(weights) / weights.sum()
    cdf[-1] = 1.0
    e1, e2 = _perpendiculars(d)
    pos_cm = (pos - np.asarray(volume.origin_mm, float)) / 10.0
    beam = {"pencil": BEAM_POINT, "disc": BEAM_DISC, "gaussian": BEAM_GAUSSIAN, "emitters": BEAM_POINT}[source.kind]
    return pos_cm, d, e1, e2, cdf, order, source.kind != "emitters", beam, source.radius_mm / 10.0


def voxel_batch_sizes(photons: int, batches: int | None = None) -> list[int]:
    """Photons per batch: about 5000 a batch, 16 to 128 batches by default (as the layered runs)."""
    photons = _check_count("photons", photons, 10**12)
    if batches is None:
        batches = min(MAX_BATCHES, max(MIN_BATCHES, math.ceil(photons / PHOTONS_PER_BATCH)), photons)
    batches = _check_count("batches", batches, photons)
    base, extra = divmod(photons, batches)
    return [base + (1 if i < extra else 0) for i in range(batches)]


@dataclass(frozen=True)
class _Prepared:
    labels: np.ndarray
    table: np.ndarray
    h_cm: float
    src: tuple
    n_outside: float
    inv_mua_v: np.ndarray
    region_index: dict


def _prepare(volume: VoxelVolume, optics: LabelOptics, source: VoxelSource, n_outside: float,
             regions: dict[str, np.ndarray] | None) -> _Prepared:
    _check_inputs(volume, optics, source)
    require_in_range("n_outside", n_outside, 1.0, 3.0)
    labels = np.ascontiguousarray(volume.labels, dtype=np.int32)
    table = label_table(optics.mua_per_cm, optics.mus_per_cm, optics.g, optics.n)
    h_cm = volume.voxel_mm / 10.0
    mua_voxel = table[labels, 0]
    with np.errstate(divide="ignore"):
        inv_mua_v = np.where(mua_voxel > 0, 1.0 / (np.where(mua_voxel > 0, mua_voxel, 1.0) * h_cm ** 3), np.nan)
    region_index = {}
    for name, mask in (regions or {}).items():
        mask = np.asarray(mask, bool)
        if mask.shape != labels.shape:
            raise PhotodoseInputError(f"regions[{name!r}]", mask.shape, f"a mask shaped {labels.shape}")
        flat = np.flatnonzero(mask & (mua_voxel > 0))
        region_index[name] = (flat, inv_mua_v.ravel()[flat])
    return _Prepared(labels, table, h_cm, _source_arrays(volume, source), float(n_outside), inv_mua_v, region_index)


@dataclass(frozen=True)
class VoxelBatch:
    """Raw (unnormalised) weight sums of one batch: what a worker sends back to be merged."""

    batch_index: int
    photons: int
    sums: np.ndarray          # (N_SCALARS,)
    label_sums: np.ndarray    # (labels,)
    voxels: np.ndarray        # absorbed weight per voxel
    region_absorbed: dict[str, float]
    region_phi: dict[str, float]


def _run_group(prep: _Prepared, seed: int, first: int, part: np.ndarray, voxels: np.ndarray) -> list[VoxelBatch]:
    g = len(part)
    sums = np.zeros((g, N_SCALARS))
    label_sums = np.zeros((g, prep.table.shape[0]))
    voxels[:g] = 0.0
    run_batches(as_uint64(seed), np.int64(first), part, prep.labels, prep.h_cm, prep.table, prep.n_outside, *prep.src,
                sums, label_sums, voxels[:g])
    out = []
    for i in range(g):
        flat = voxels[i].ravel()
        ra, rp = {}, {}
        for name, (idx, inv) in prep.region_index.items():
            vals = flat[idx]
            ra[name] = float(vals.sum())
            rp[name] = float((vals * inv).sum() / max(len(idx), 1))
        out.append(VoxelBatch(first + i, int(part[i]), sums[i], label_sums[i], voxels[i], ra, rp))
    return out


def run_voxel_batch(volume: VoxelVolume, optics: LabelOptics, source: VoxelSource, photons: int, seed: int,
                    batch_index: int, n_outside: float = 1.0,
                    regions: dict[str, np.ndarray] | None = None) -> VoxelBatch:
    """Trace one batch with the random stream of ``(seed, batch_index)`` (a task for Dask or any worker);
    :func:`merge_voxel_batches` of all batches equals :func:`run_voxel_mc` with the same sizes, bit for bit."""
    seed = _check_seed(seed)
    photons = _check_count("photons", photons, 10**12)
    require_in_range("batch_index", batch_index, 0, 2**62)
    prep = _prepare(volume, optics, source, n_outside, regions)
    voxels = np.zeros((1,) + prep.labels.shape)
    batch = _run_group(prep, seed, int(batch_index), np.array([photons], dtype=np.int64), voxels)[0]
    return VoxelBatch(batch.batch_index, batch.photons, batch.sums, batch.label_sums, voxels[0].copy(),
                      batch.region_absorbed, batch.region_phi)


class _Accumulator:
    """Sums batches in batch-index order (the voxel tally as it comes, the per-batch scalars kept)."""

    def __init__(self, shape, region_names):
        self.total = np.zeros(shape)
        self.counts, self.sums, self.label_sums = [], [], []
        self.region_abs = {name: [] for name in region_names}
        self.region_phi = {name: [] for name in region_names}

    def add(self, b: VoxelBatch) -> None:
        self.total += b.voxels
        self.counts.append(b.photons)
        self.sums.append(b.sums)
        self.label_sums.append(b.label_sums)
        for name in self.region_abs:
            self.region_abs[name].append(b.region_absorbed[name])
            self.region_phi[name].append(b.region_phi[name])

    def result(self, prep: _Prepared, seed: int, seconds: float, threads: int) -> VoxelResult:
        counts = np.asarray(self.counts, float)
        sums = np.asarray(self.sums)
        label_sums = np.asarray(self.label_sums)
        n = float(counts.sum())
        per_photon = self.total / n
        escaped = {face: float(sums[:, ESCAPED + i].sum() / n) for i, face in enumerate(FACES)}
        scalar_raw = np.column_stack([sums[:, ESCAPED:ESCAPED + 6].sum(axis=1), label_sums.sum(axis=1),
                                      sums[:, SPECULAR], sums[:, ESCAPED:ESCAPED + 6]])
        se = _batch_stderr(scalar_raw, counts)
        stderr: dict[str, object] = {"escaped": float(se[0]), "absorbed": float(se[1]), "specular": float(se[2]),
                                     "escaped_by_face": {face: float(se[3 + i]) for i, face in enumerate(FACES)},
                                     "absorbed_by_label": _batch_stderr(label_sums, counts),
                                     "region_absorbed": {}, "region_fluence_per_cm2": {}}
        result = VoxelResult(
            photons=int(n), seed=seed, batches=len(counts), seconds=seconds, threads=threads,
            specular=float(sums[:, SPECULAR].sum() / n), escaped=float(sum(escaped.values())),
            escaped_by_face=escaped, missed=float(sums[:, MISSED].sum() / n),
            absorbed=float(label_sums.sum() / n), absorbed_by_label=label_sums.sum(axis=0) / n,
            roulette_net_weight=float(sums[:, ROULETTE_NET].sum() / n),
            absorbed_per_voxel=per_photon, fluence_per_cm2=per_photon * prep.inv_mua_v, stderr=stderr,
        )
        for name in self.region_abs:
            ra, rp = np.asarray(self.region_abs[name]), np.asarray(self.region_phi[name])
            result.region_absorbed[name] = float(ra.sum() / n)
            result.region_fluence_per_cm2[name] = float(rp.sum() / n)
            pair = _batch_stderr(np.column_stack([ra, rp]), counts)
            stderr["region_absorbed"][name] = float(pair[0])
            stderr["region_fluence_per_cm2"][name] = float(pair[1])
        return result


def merge_voxel_batches(batches, volume: VoxelVolume, optics: LabelOptics, source: VoxelSource, seed: int,
                        n_outside: float = 1.0, regions: dict[str, np.ndarray] | None = None,
                        seconds: float = 0.0) -> VoxelResult:
    """Merge :class:`VoxelBatch` results (any order in, summed in batch-index order) into a :class:`VoxelResult`."""
    batches = sorted(batches, key=lambda b: b.batch_index)
    if not batches:
        raise PhotodoseInputError("batches", 0, "at least one batch")
    if len({b.batch_index for b in batches}) != len(batches):
        raise PhotodoseInputError("batches", [b.batch_index for b in batches], "distinct batch indices")
    prep = _prepare(volume, optics, source, n_outside, regions)
    acc = _Accumulator(prep.labels.shape, prep.region_index)
    for b in batches:
        acc.add(b)
    return acc.result(prep, _check_seed(seed), seconds, 0)


def run_voxel_mc(volume: VoxelVolume, optics: LabelOptics, source: VoxelSource, photons: int, seed: int = 1,
                 n_outside: float = 1.0, threads: int | None = None, batches: int | None = None,
                 regions: dict[str, np.ndarray] | None = None) -> VoxelResult:
    """Voxel Monte Carlo run of ``photons`` photon packets; tallies per unit launched power with standard errors.

    ``regions`` maps a name to a boolean mask shaped like the volume: the result gives each region's absorbed
    fraction and mean fluence (1/cm^2 per unit power) with batch standard errors. ``threads`` changes only the
    speed; ``seed`` and ``batches`` fix the numbers. For a run split over machines use :func:`run_voxel_batch`
    per batch index (sizes from :func:`voxel_batch_sizes`) and :func:`merge_voxel_batches`.
    """
    seed = _check_seed(seed)
    prep = _prepare(volume, optics, source, n_outside, regions)
    counts = np.array(voxel_batch_sizes(photons, batches), dtype=np.int64)
    nb = len(counts)
    acc = _Accumulator(prep.labels.shape, prep.region_index)
    previous = _set_threads(threads)
    try:
        import numba

        start = time.perf_counter()
        group = min(GROUP_BATCHES, nb)
        voxels = np.zeros((group,) + prep.labels.shape)
        for first in range(0, nb, group):
            for batch in _run_group(prep, seed, first, counts[first:first + group], voxels):
                acc.add(batch)
        seconds = time.perf_counter() - start
        used_threads = numba.get_num_threads()
    finally:
        import numba

        numba.set_num_threads(previous)
    return acc.result(prep, seed, seconds, used_threads)


def layered_volume(thickness_mm, lateral_mm: float, voxel_mm: float, depth_mm: float | None = None) -> VoxelVolume:
    """A slab stack voxelised along z: labels 1..L from the top (z = 0) down; lateral extent ``lateral_mm``
    square centred on x = y = 0. A ``None`` last thickness fills to ``depth_mm``."""
    edges = [0.0]
    for t in thickness_mm:
        edges.append(edges[-1] + (float(t) if t is not None else float(depth_mm) - edges[-1]))
    nz = int(round(edges[-1] / voxel_mm))
    nxy = int(round(lateral_mm / voxel_mm))
    zc = (np.arange(nz) + 0.5) * voxel_mm
    layer = np.searchsorted(np.asarray(edges[1:]), zc, side="right") + 1
    labels = np.broadcast_to(layer.astype(np.uint8), (nxy, nxy, nz)).copy()
    half = nxy * voxel_mm / 2.0
    return VoxelVolume(labels=labels, voxel_mm=float(voxel_mm), origin_mm=(-half, -half, 0.0))
