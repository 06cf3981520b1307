"""Lateral spread of the absorbed light of a narrow beam, per depth, from the Monte Carlo kernel.

Model: a pencil beam (collimated, normal incidence) on the layered ``stack``, traced with the MCML kernel
(:mod:`photodose.transport.montecarlo`) and tallied as absorbed power A(r, z) on a cylindrical grid. In each depth
band the power-weighted mean square radius of the absorbed power gives the radius of the top-hat disc with the same
second moment,

    s(z) = sqrt(2 <r^2>(z)),   <r^2>(z) = sum_r A(r, z) r^2 2 pi r dr / sum_r A(r, z) 2 pi r dr

(a uniform disc of radius s has <r^2> = s^2 / 2). A top hat of radius a convolved with the pencil-beam spread has
<r^2> = a^2 / 2 + <r^2>_pencil, so the disc of radius sqrt(a^2 + s^2) that the heating model spreads a finite
beam's absorbed power over (:func:`photodose.safety.bioheat.skin_heating_session`) has the convolution's second
moment at every depth. Matching the second moment is the choice that keeps the far-field temperature of a
conducting medium (the leading term of its multipole expansion beyond the first) right; the centre of a
sharply peaked spread is hotter than the disc says, which the thermal diffusion length of a session (millimetres
after seconds, about a centimetre after minutes) smooths.

Bands: 0-0.1, 0.1-0.2, 0.2-0.5, 0.5-1, 1-2, 2-4, 4-8, 8-16 and 16-32 mm (the thin epidermis resolved, the deep
bands wide enough to hold many absorption events); each band's value is assigned to its mid-depth and
interpolated between, held beyond the first and last. Absorption beyond the grid's 40 mm radius (the overflow bin)
is left out. Results are cached on disk (:mod:`photodose.transport.cache`) under stack, photons, seed and code
version.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import cache, montecarlo
from .beams import Beam
from .depth_dose import code_version
from ..optics.layers import LayerStack
from .result import Grid

BAND_EDGES_MM = (0.0, 0.1, 0.2, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
SPREAD_GRID = Grid(dz_mm=0.1, nz=int(BAND_EDGES_MM[-1] / 0.1) + 1, dr_mm=0.2, nr=201, na=1)
DEFAULT_PHOTONS = 20_000


@dataclass(frozen=True)
class LateralSpread:
    """s(z) in mm at band mid-depths ``depth_mm``; ``at(depths)`` interpolates (held beyond the ends)."""

    depth_mm: tuple[float, ...]
    spread_mm: tuple[float, ...]
    photons: int
    cached: bool = False

    def at(self, depth_mm) -> np.ndarray:
        return np.interp(np.asarray(depth_mm, dtype=float), self.depth_mm, self.spread_mm)


def band_spread_mm(absorbed_rz: np.ndarray, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """(band mid-depths, s per band) from an A(r, z) tally (any units; shape (nr, nz), last bins = overflow)."""
    r = (np.arange(grid.nr - 1) + 0.5) * grid.dr_mm
    ring = absorbed_rz[:-1, :-1] * (2.0 * np.pi * r * grid.dr_mm)[:, None]     # power per ring and depth bin
    z_top = np.arange(grid.nz - 1) * grid.dz_mm
    mids, spreads = [], []
    for top, bottom in zip(BAND_EDGES_MM[:-1], BAND_EDGES_MM[1:]):
        cols = (z_top >= top - 1e-9) & (z_top < bottom - 1e-9)
        power = ring[:, cols].sum(axis=1)
        if power.sum() <= 0:
            continue
        mids.append(0.5 * (top + bottom))
        spreads.append(float(np.sqrt(2.0 * (power * r ** 2).sum() / power.sum())))
    return np.array(mids), np.array(spreads)


def lateral_spread(stack: LayerStack, photons: int = DEFAULT_PHOTONS, seed: int = 1) -> LateralSpread:
    """The depth-resolved lateral spread s(z) of ``stack`` under a pencil beam (module docstring); cached on disk."""
    key = cache.cache_key({"kind": "lateral_spread", "stack": stack.to_json_dict(), "photons": int(photons),
                           "seed": int(seed), "bands": list(BAND_EDGES_MM), "code": code_version(),
                           "grid": [SPREAD_GRID.dz_mm, SPREAD_GRID.nz, SPREAD_GRID.dr_mm, SPREAD_GRID.nr]})
    hit = cache.load(key)
    if hit is not None:
        return LateralSpread(tuple(hit["depth_mm"]), tuple(hit["spread_mm"]), int(photons), cached=True)
    result = montecarlo.run_mc(stack, int(photons), seed=seed, beam=Beam(kind="pencil"), grid=SPREAD_GRID)
    mids, spreads = band_spread_mm(result.absorbed_rz_per_cm3, SPREAD_GRID)
    cache.store(key, {"depth_mm": mids.tolist(), "spread_mm": spreads.tolist()})
    return LateralSpread(tuple(mids.tolist()), tuple(spreads.tolist()), int(photons))
