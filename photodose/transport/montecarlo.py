"""Monte Carlo light transport in a layered medium (MCML 1.2 physics), batched and reproducible.

Model: Wang, Jacques & Zheng, "MCML - Monte Carlo modeling of light transport in multi-layered tissues",
Comput. Methods Programs Biomed. 47 (1995) 131-146. Kernels (``resolve_kernel``): ``simd`` (``_kernel_lanes``,
photons in SIMD lanes; the CPU default), ``scalar`` (``_kernel``, one photon at a time; the reference path) and
``gpu`` (``gpu_kernel``, CUDA); all share the MCML steps of ``_walk``.
Units: stack in mm and 1/cm (``LayerStack``), grid in mm (``Grid``); results per unit incident power (a wide
beam: per unit irradiance) in MCML's units (see ``MCResult``).

A run is split into batches fixed by the photon count (never by the thread count); batch ``b`` draws from its
own random stream derived from ``(seed, b)``. Batches run in parallel (numba prange) or anywhere else
(``run_batch``) and ``merge_batches`` sums them in batch order, so a run is reproducible from its seed and a
split run merges to exactly the same tallies. Standard errors come from the spread of the batch means.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..errors import PhotodoseInputError, require_choice, require_in_range
from ._walk import (DIFFUSE, EVENTS, N_SCALARS, ROULETTE_NET, SPECULAR, TRANSMITTED, entry_reflectance,
                    layer_table)
from ._rng import as_uint64
from .beams import Beam, Incidence
from ..optics.layers import LayerStack, layer_index_at
from .result import Grid, MCResult

KERNELS = ("auto", "simd", "scalar", "gpu")   # auto: the GPU when a CUDA device is present, else simd
PHOTONS_PER_BATCH = 5000            # target batch size for the default batch count
MIN_BATCHES, MAX_BATCHES = 16, 128  # enough batches for a standard error and for load balance
TALLY_MEMORY_BYTES = 256 * 2**20    # cap on the per-batch tally arrays held at once


@dataclass(frozen=True)
class BatchTallies:
    """Raw (unnormalised) weight sums of one batch; everything needed to merge it with others."""

    stack: LayerStack
    beam: Beam
    incidence: Incidence
    grid: Grid
    seed: int
    kernel: str                  # the kernel that traced it ("simd", "scalar" or "gpu"); batches merge per kernel
    batch_index: int
    photons: int
    specular: float
    diffuse_reflectance: float
    transmittance: float
    roulette_net_weight: float
    scattering_events: int       # interactions (absorption + scattering steps); for throughput figures
    layer_absorbed: np.ndarray   # (layers,)
    absorbed_rz: np.ndarray      # (nr, nz); (1, nz) for a wide beam
    rd_ra: np.ndarray            # (nr, na); (1, na) for a wide beam
    tt_ra: np.ndarray


@dataclass(frozen=True)
class _KernelInputs:
    table: np.ndarray
    start_layer: int
    n_above: float
    rsp_collimated: float
    beam_code: int
    beam_radius_cm: float
    inc_code: int
    cos_half_angle: float
    inv_dz: float
    nz: int
    inv_dr: float
    nr: int
    inv_da: float
    na: int
    radial: bool

    @property
    def n_layers(self) -> int:
        return self.table.shape[0]

    @property
    def nr_tally(self) -> int:
        return self.nr if self.radial else 1


def _check_grid(grid: Grid) -> None:
    for field in ("dz_mm", "dr_mm"):
        value = getattr(grid, field)
        if not (value > 0 and math.isfinite(value)):
            raise PhotodoseInputError(f"grid.{field}", value, "a finite length > 0 mm")
    for field in ("nz", "nr", "na"):
        require_in_range(f"grid.{field}", getattr(grid, field), 1, 100_000)


def _kernel_inputs(stack: LayerStack, beam: Beam, incidence: Incidence, grid: Grid) -> _KernelInputs:
    _check_grid(grid)
    if beam.kind in ("flat", "gaussian") and not beam.radius_mm > 0:
        raise PhotodoseInputError("beam.radius_mm", beam.radius_mm, f"> 0 mm for a {beam.kind} beam")
    if incidence.kind == "cone" and not 0 < incidence.half_angle_deg <= 90:
        raise PhotodoseInputError("incidence.half_angle_deg", incidence.half_angle_deg, "0 < angle <= 90 degrees")
    arrays = stack.arrays()
    table = layer_table(arrays["n"], arrays["mua"], arrays["mus"], arrays["g"], stack.boundaries_cm(),
                        stack.n_above, stack.n_below)
    first_is_glass = arrays["mua"][0] == 0 and arrays["mus"][0] == 0
    start_layer = 1 if (first_is_glass and len(stack.layers) > 1) else 0
    rsp_collimated, _ = entry_reflectance(table, start_layer, stack.n_above, 1.0)
    return _KernelInputs(
        table=table, start_layer=start_layer, n_above=float(stack.n_above), rsp_collimated=float(rsp_collimated),
        beam_code=beam.code, beam_radius_cm=float(beam.radius_mm) / 10.0,
        inc_code=incidence.code, cos_half_angle=math.cos(math.radians(incidence.half_angle_deg)),
        inv_dz=10.0 / grid.dz_mm, nz=int(grid.nz), inv_dr=10.0 / grid.dr_mm, nr=int(grid.nr),
        inv_da=2.0 * grid.na / math.pi, na=int(grid.na), radial=beam.kind != "wide",
    )


def _gpu_present() -> bool:
    try:
        from .gpu_kernel import cuda_device_present
    except ImportError:   # numba without its CUDA target
        return False
    return cuda_device_present()


def resolve_kernel(kernel: str = "auto") -> str:
    """The kernel a run uses: ``simd`` (photon-parallel, ``_kernel_lanes``), ``scalar`` (the reference walk,
    ``_kernel``) or ``gpu``; ``auto`` is the GPU when a CUDA device is present, else ``simd``."""
    kernel = require_choice("kernel", kernel, KERNELS).lower()
    if kernel == "auto":
        return "gpu" if _gpu_present() else "simd"
    if kernel == "gpu" and not _gpu_present():
        raise PhotodoseInputError("kernel", "gpu", "simd, scalar or auto (no CUDA GPU was found on this machine)")
    return kernel


def _batches_function(kernel: str):
    """``run_batches`` of the named kernel (all three share its signature and tallies)."""
    if kernel == "scalar":
        from ._kernel import run_batches
    elif kernel == "gpu":
        from .gpu_kernel import run_batches_gpu as run_batches
    else:
        from ._kernel_lanes import run_batches
    return run_batches


def _run_kernel(k: _KernelInputs, seed: int, first_batch: int, batch_photons: np.ndarray,
                kernel: str) -> tuple[np.ndarray, ...]:
    nb = len(batch_photons)
    sums = np.zeros((nb, N_SCALARS))
    layer_sums = np.zeros((nb, k.n_layers))
    a_rz = np.zeros((nb, k.nr_tally, k.nz))
    rd_ra = np.zeros((nb, k.nr_tally, k.na))
    tt_ra = np.zeros((nb, k.nr_tally, k.na))
    run_batches = _batches_function(kernel)
    run_batches(as_uint64(seed), np.int64(first_batch), np.asarray(batch_photons, dtype=np.int64), k.table,
                k.start_layer, k.n_above, k.rsp_collimated, k.beam_code, k.beam_radius_cm, k.inc_code,
                k.cos_half_angle, k.inv_dz, k.nz, k.inv_dr, k.nr, k.inv_da, k.na, k.radial,
                sums, layer_sums, a_rz, rd_ra, tt_ra)
    return sums, layer_sums, a_rz, rd_ra, tt_ra


def _tallies(stack, beam, incidence, grid, seed, kernel, first_batch, batch_photons, arrays) -> list[BatchTallies]:
    sums, layer_sums, a_rz, rd_ra, tt_ra = arrays
    return [
        BatchTallies(stack=stack, beam=beam, incidence=incidence, grid=grid, seed=seed, kernel=kernel,
                     batch_index=first_batch + i, photons=int(n),
                     specular=float(sums[i, SPECULAR]), diffuse_reflectance=float(sums[i, DIFFUSE]),
                     transmittance=float(sums[i, TRANSMITTED]), roulette_net_weight=float(sums[i, ROULETTE_NET]),
                     scattering_events=int(sums[i, EVENTS]),
                     layer_absorbed=layer_sums[i], absorbed_rz=a_rz[i], rd_ra=rd_ra[i], tt_ra=tt_ra[i])
        for i, n in enumerate(batch_photons)
    ]


def _check_count(field: str, value, high: int) -> int:
    """A whole number 1 <= value <= high (floats such as 1e6 accepted when whole)."""
    require_in_range(field, value, 1, high)
    if isinstance(value, bool) or float(value) != int(value):
        raise PhotodoseInputError(field, value, f"a whole number from 1 to {high}")
    return int(value)


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**63:
        raise PhotodoseInputError("seed", seed, "an integer 0 <= seed < 2^63")
    return int(seed)


def batch_sizes(photons: int, batches: int | None = None, grid: Grid = Grid(), beam: Beam = Beam()) -> list[int]:
    """Photons per batch: ``batches`` near-equal parts (the first ones one larger); by default about
    5000 photons a batch, 16 to 128 batches, fewer if the per-batch grid tallies would exceed 256 MiB."""
    photons = _check_count("photons", photons, 10**13)
    if batches is None:
        per_batch = 8 * (grid.nr if beam.kind != "wide" else 1) * (grid.nz + 2 * grid.na)
        batches = min(MAX_BATCHES, max(MIN_BATCHES, math.ceil(photons / PHOTONS_PER_BATCH)))
        batches = max(1, min(batches, TALLY_MEMORY_BYTES // max(per_batch, 1), photons))
    batches = _check_count("batches", batches, photons)
    base, extra = divmod(photons, batches)
    return [base + (1 if i < extra else 0) for i in range(batches)]


def run_batch(stack: LayerStack, photons: int, seed: int, batch_index: int, beam: Beam = Beam(),
              incidence: Incidence = Incidence(), grid: Grid = Grid(), kernel: str = "auto") -> BatchTallies:
    """Trace one batch of ``photons`` with the random stream of ``(seed, batch_index)``; raw tallies."""
    seed = _check_seed(seed)
    kernel = resolve_kernel(kernel)
    photons = _check_count("photons", photons, 10**13)
    require_in_range("batch_index", batch_index, 0, 2**62)
    k = _kernel_inputs(stack, beam, incidence, grid)
    counts = np.array([photons], dtype=np.int64)
    return _tallies(stack, beam, incidence, grid, seed, kernel, int(batch_index), counts,
                    _run_kernel(k, seed, int(batch_index), counts, kernel))[0]


def _sum_in_order(arrays: Sequence[np.ndarray]) -> np.ndarray:
    total = np.zeros_like(arrays[0], dtype=np.float64)
    for a in arrays:
        total += a
    return total


def _batch_stderr(raw: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Standard error of the photon-weighted mean of per-batch means ``raw[b] / counts[b]`` (nan for 1 batch)."""
    nb = len(counts)
    if nb < 2:
        return np.full(raw.shape[1:], np.nan)
    total = counts.sum()
    means = raw / counts.reshape((-1,) + (1,) * (raw.ndim - 1))
    overall = raw.sum(axis=0) / total
    weights = (counts / total).reshape(means.shape[:1] + (1,) * (raw.ndim - 1))
    return np.sqrt(nb / (nb - 1) * np.sum((weights * (means - overall)) ** 2, axis=0))


def merge_batches(batches: Sequence[BatchTallies], seconds: float = 0.0) -> MCResult:
    """Merge batches (summed in batch-index order) into normalised MCML tallies with standard errors."""
    if not batches:
        raise PhotodoseInputError("batches", 0, "at least one batch")
    batches = sorted(batches, key=lambda b: b.batch_index)
    first = batches[0]
    for b in batches[1:]:
        if (b.stack, b.beam, b.incidence, b.grid, b.seed, b.kernel) != (first.stack, first.beam, first.incidence,
                                                                        first.grid, first.seed, first.kernel):
            raise PhotodoseInputError("batches", b.batch_index, "batches of the same stack, beam, grid, seed and "
                                      "kernel")
    if len({b.batch_index for b in batches}) != len(batches):
        raise PhotodoseInputError("batches", [b.batch_index for b in batches], "distinct batch indices")
    grid, stack = first.grid, first.stack
    counts = np.array([b.photons for b in batches], dtype=np.float64)
    n = float(counts.sum())
    dz_cm, dr_cm, da = grid.dz_mm / 10.0, grid.dr_mm / 10.0, math.pi / (2 * grid.na)

    def scalar(name):
        return float(_sum_in_order([np.float64(getattr(b, name)) for b in batches])) / n

    layer_raw = np.stack([b.layer_absorbed for b in batches])
    layer_absorbed = _sum_in_order(list(layer_raw)) / n
    a_rz = _sum_in_order([b.absorbed_rz for b in batches])
    rd_ra = _sum_in_order([b.rd_ra for b in batches])
    tt_ra = _sum_in_order([b.tt_ra for b in batches])
    az_raw = np.stack([b.absorbed_rz.sum(axis=0) for b in batches])
    scalars_raw = np.array([[b.diffuse_reflectance, b.transmittance, float(b.layer_absorbed.sum()), b.specular]
                            for b in batches])
    se_scalars = _batch_stderr(scalars_raw, counts)
    mua_z = _mua_at_depth(stack, grid)
    with np.errstate(divide="ignore", invalid="ignore"):
        fluence_z_stderr = np.where(mua_z > 0,
                                    _batch_stderr(az_raw, counts) / (dz_cm * np.where(mua_z > 0, mua_z, 1.0)),
                                    np.nan)
    result = MCResult(
        stack=stack, beam=first.beam, incidence=first.incidence, grid=grid, photons=int(n), seed=first.seed,
        batches=len(batches), seconds=float(seconds),
        specular=scalar("specular"), diffuse_reflectance=scalar("diffuse_reflectance"),
        absorbed=float(layer_absorbed.sum()), transmittance=scalar("transmittance"),
        layer_absorbed=layer_absorbed, roulette_net_weight=scalar("roulette_net_weight"),
        stderr={"diffuse_reflectance": float(se_scalars[0]), "transmittance": float(se_scalars[1]),
                "absorbed": float(se_scalars[2]), "layer_absorbed": _batch_stderr(layer_raw, counts)},
        absorbed_z_per_cm=a_rz.sum(axis=0) / (dz_cm * n),
        fluence_z_stderr=fluence_z_stderr,
        extra={"batch_photons": [b.photons for b in batches], "specular_stderr": float(se_scalars[3]),
               "rng": "xoshiro256** seeded by SplitMix64(seed, batch)",
               "scattering_events": int(sum(b.scattering_events for b in batches)), "kernel": first.kernel},
    )
    angle_bins = (np.arange(grid.na) + 0.5) * da
    solid_angle_sr = 2.0 * math.pi * da * np.sin(angle_bins) * n          # MCML ScaleRdTt
    result.rd_a_per_sr = rd_ra.sum(axis=0) / solid_angle_sr
    result.tt_a_per_sr = tt_ra.sum(axis=0) / solid_angle_sr
    if first.beam.kind != "wide":
        ring = (np.arange(grid.nr) + 0.5)[:, None]
        result.absorbed_rz_per_cm3 = a_rz / (2.0 * math.pi * dr_cm * dr_cm * dz_cm * n * ring)
        ring_area = 2.0 * math.pi * dr_cm * dr_cm * n * ring[:, 0]
        result.rd_r_per_cm2 = rd_ra.sum(axis=1) / ring_area
        result.tt_r_per_cm2 = tt_ra.sum(axis=1) / ring_area
        ra_scale = 4.0 * math.pi**2 * dr_cm * math.sin(da / 2.0) * dr_cm * n * ring * np.sin(2.0 * angle_bins)[None, :]
        result.rd_ra = rd_ra / ra_scale
        result.tt_ra = tt_ra / ra_scale
    return result


def _mua_at_depth(stack: LayerStack, grid: Grid) -> np.ndarray:
    z_cm = (np.arange(grid.nz) + 0.5) * grid.dz_mm / 10.0
    bounds = stack.boundaries_cm()
    idx = layer_index_at(bounds, z_cm)
    return np.where(z_cm < bounds[-1], stack.arrays()["mua"][idx], 0.0)


def _set_threads(threads: int | None) -> int:
    import numba

    previous = numba.get_num_threads()
    if threads is not None:
        require_in_range("threads", threads, 1, numba.config.NUMBA_NUM_THREADS)
        numba.set_num_threads(int(threads))
    return previous


def run_mc(stack: LayerStack, photons: int, seed: int = 1, beam: Beam = Beam(), incidence: Incidence = Incidence(),
           grid: Grid = Grid(), threads: int | None = None, batches: int | None = None,
           progress: Callable[[int, int], None] | None = None, kernel: str = "auto") -> MCResult:
    """Monte Carlo run of ``photons`` photon packets; MCML tallies with batch standard errors.

    ``threads`` (default: all numba threads) changes only the speed; ``batches`` (default from ``photons``),
    ``seed`` and the kernel (``resolve_kernel``) fix the numbers. ``progress(done, total)`` is called after
    each group of batches.
    """
    seed = _check_seed(seed)
    kernel = resolve_kernel(kernel)
    counts = np.array(batch_sizes(photons, batches, grid, beam), dtype=np.int64)
    k = _kernel_inputs(stack, beam, incidence, grid)
    previous = _set_threads(threads)
    try:
        import numba

        start = time.perf_counter()
        group = len(counts) if progress is None else max(1, 2 * numba.get_num_threads())
        tallies: list[BatchTallies] = []
        for first in range(0, len(counts), group):
            part = counts[first:first + group]
            tallies += _tallies(stack, beam, incidence, grid, seed, kernel, first, part,
                                _run_kernel(k, seed, first, part, kernel))
            if progress is not None:
                progress(int(counts[:first + len(part)].sum()), int(counts.sum()))
        result = merge_batches(tallies)
        result.seconds = time.perf_counter() - start
        result.extra["threads"] = numba.get_num_threads()
        return result
    finally:
        import numba

        numba.set_num_threads(previous)
