"""Finite-beam correction: on-axis fluence under a flat beam of radius R relative to an infinitely wide beam.

Model: a uniform flat beam of radius R (collimated, normal incidence) on the layered ``stack``, traced with the
Monte Carlo kernel (MCML physics, :mod:`photodose.transport.montecarlo`) and tallied on a cylindrical grid.
The on-axis fluence per unit irradiance is the fluence averaged over r < R/4 (two radial bins of width R/8),
per unit incident power, times the beam area pi R^2:

    phi_axis(z) = [A(r < R/4, z) / mua(z)] * pi R^2         (J/cm^2 per J/cm^2 incident, dimensionless)
    ratio(z)    = phi_axis(z) / phi_wide(z)

with phi_wide(z) the wide-beam fluence per irradiance of :func:`photodose.transport.depth_dose.
fluence_per_irradiance` (``method="mc"``, same photons and seed). Why: diffuse light spreads sideways over
about 1/mu_eff; under a wide beam what leaves a column is replaced from its neighbours, under a small beam it
escapes, so ratio <= 1 and it falls with depth. Limits: ratio -> 1 for R >> 1/mu_eff (the beam looks infinite
from its axis), and it rises towards 1 as z -> 0 where the unscattered (collimated) light dominates the
fluence; near the surface of a strongly scattering medium the diffuse part still lacks its backscatter from
beyond R, so the shallow ratio of a beam not much wider than 1/mu_eff stays below 1.
Standard error: the batch spread of phi_axis (the run's independent batches) and the stderr of phi_wide,
combined in quadrature (relative). Depths are interpolated linearly between 0.1 mm bin centres.
Results are cached on disk (:mod:`photodose.transport.cache`) under stack, R, depths, photons, seed and code
version.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import PhotodoseInputError, require_in_range
from . import cache, montecarlo
from .beams import Beam, Incidence
from .depth_dose import code_version, fluence_per_irradiance
from ..optics.layers import LayerStack
from .result import Grid

DZ_MM = 0.1                 # depth bin of the flat-beam tally
AXIS_BINS = 2               # radial bins of width R/8 averaged for "on axis" (r < R/4)


@dataclass(frozen=True)
class FiniteBeamRatio:
    """phi_axis / phi_wide at ``depth_mm`` (dimensionless) with its standard error; ``cached`` if from disk."""

    depth_mm: np.ndarray
    ratio: np.ndarray
    stderr: np.ndarray
    photons: int
    radius_mm: float
    energy_balance_error: float
    cached: bool = False


def axis_grid(radius_mm: float, max_depth_mm: float) -> Grid:
    """Flat-beam tally grid: 0.1 mm depth bins past ``max_depth_mm`` (last bin = overflow), radial bins of R/8
    (bins 0-1 are the axis r < R/4, bin 2 collects everything further out)."""
    return Grid(dz_mm=DZ_MM, nz=int(math.ceil(max_depth_mm / DZ_MM)) + 2, dr_mm=radius_mm / 8.0,
                nr=AXIS_BINS + 1, na=1)


def _axis_fluence(stack: LayerStack, radius_mm: float, grid: Grid, photons: int, seed: int):
    """On-axis phi per irradiance at the bin centres, its batch stderr, and the run's energy balance error."""
    beam, incidence = Beam(kind="flat", radius_mm=radius_mm), Incidence()
    counts = montecarlo.batch_sizes(photons, None, grid, beam)
    batches = [montecarlo.run_batch(stack, n, seed, i, beam, incidence, grid) for i, n in enumerate(counts)]
    result = montecarlo.merge_batches(batches)
    mua = result.mua_at_depth_per_cm()
    axis_raw = np.stack([b.absorbed_rz[:AXIS_BINS].sum(axis=0) for b in batches])   # (batches, nz) weight
    n = np.array(counts, dtype=float)
    # weight / (pi (R/4)^2 dz N mua) x pi R^2 = 16 weight / (dz N mua)
    scale = (8.0 / AXIS_BINS) ** 2 / (grid.dz_mm / 10.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_unit = np.where(mua > 0, scale / np.where(mua > 0, mua, 1.0), np.nan)
        phi = axis_raw.sum(axis=0) / n.sum() * per_unit
        stderr = montecarlo._batch_stderr(axis_raw, n) * per_unit
    inside = slice(0, grid.nz - 1)
    return phi[inside], stderr[inside], result.energy_balance_error()


def beam_axis_ratio(stack: LayerStack, radius_mm: float, depth_mm, photons: int = 100_000,
                    seed: int = 1) -> FiniteBeamRatio:
    """On-axis fluence per irradiance of a flat beam of radius ``radius_mm`` over the wide-beam value at
    ``depth_mm`` (see the module docstring); one Monte Carlo run, cached on disk."""
    require_in_range("radius_mm", radius_mm, 1e-3, 1000.0)
    photons = int(require_in_range("photons", photons, 1000))
    depth = np.atleast_1d(np.asarray(depth_mm, dtype=float))
    if depth.size == 0 or np.any(~np.isfinite(depth)) or np.any(depth < 0):
        raise PhotodoseInputError("depth_mm", depth.tolist(), "one or more finite depths >= 0 mm")
    key = cache.cache_key({"kind": "finite_beam_ratio", "stack": stack.to_json_dict(), "radius_mm": float(radius_mm),
                           "depth_mm": depth.tolist(), "photons": photons, "seed": seed, "code": code_version()})
    hit = cache.load(key)
    if hit is not None:
        return FiniteBeamRatio(depth, np.asarray(hit["ratio"], float), np.asarray(hit["stderr"], float), photons,
                               float(radius_mm), float(hit["energy_balance_error"]), cached=True)
    grid = axis_grid(float(radius_mm), float(max(depth.max(), DZ_MM)))
    phi_axis, se_axis, balance = _axis_fluence(stack, float(radius_mm), grid, photons, seed)
    z = (np.arange(grid.nz - 1) + 0.5) * grid.dz_mm
    axis = np.interp(depth, z, phi_axis)
    axis_se = np.interp(depth, z, se_axis)
    wide = fluence_per_irradiance(stack, depth, method="mc", photons=photons, seed=seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = axis / wide.fluence_per_irradiance
        stderr = np.abs(ratio) * np.hypot(axis_se / axis, wide.stderr / wide.fluence_per_irradiance)
    cache.store(key, {"ratio": ratio.tolist(), "stderr": stderr.tolist(), "energy_balance_error": balance})
    return FiniteBeamRatio(depth, ratio, stderr, photons, float(radius_mm), balance)
