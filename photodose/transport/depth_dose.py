"""Fluence per unit irradiance phi(z) at chosen depths: the transport question the planner asks.

``method="fast"``: 1D diffusion theory (:mod:`photodose.transport.diffusion`), milliseconds, no error bar.
``method="mc"``: the Monte Carlo kernel with an infinitely wide collimated beam, tallied on a depth grid that
covers the deepest requested depth and interpolated linearly between bin centres (clamped to the first bin
above its centre); its batch standard error comes along. Monte Carlo answers are cached on disk
(:mod:`photodose.transport.cache`) under a key of stack, photons, seed, grid, beam, incidence and code version.
phi is dimensionless: J/cm^2 of fluence at depth per J/cm^2 incident on the surface.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import PhotodoseInputError, require_choice, require_in_range
from . import cache
from .beams import Beam, Incidence
from .diffusion import VALIDITY as DIFFUSION_VALIDITY
from .diffusion import diffusion_fluence_per_irradiance
from ..optics.layers import LayerStack
from .result import Grid

METHODS = ("fast", "mc")
MC_VALIDITY = ("Monte Carlo (MCML physics), wide collimated beam: exact to within the stated standard error "
               "and the depth-bin width")
_FINE_DZ_MM = 0.02          # depth bin for profiles down to _FINE_MAX_DEPTH_MM
_FINE_MAX_DEPTH_MM = 10.0
_MAX_BINS = 1000


@dataclass(frozen=True)
class DepthFluence:
    """phi(z) at ``depth_mm`` with its standard error (zeros for the fast model) and how it was obtained."""

    depth_mm: np.ndarray
    fluence_per_irradiance: np.ndarray
    stderr: np.ndarray
    method: str
    validity: str
    cached: bool = False

    def to_json_dict(self) -> dict:
        return {"depth_mm": self.depth_mm.tolist(), "fluence_per_irradiance": self.fluence_per_irradiance.tolist(),
                "stderr": None if self.method == "fast" else self.stderr.tolist(),  # a deterministic model has none
                "method": self.method, "validity": self.validity}


def depth_grid(max_depth_mm: float) -> Grid:
    """Wide-beam tally grid past ``max_depth_mm``: 0.02 mm bins to 10 mm, else about 1000 bins.

    Two bins spare: the last bin also collects everything absorbed deeper (as in MCML) and is dropped.
    """
    dz = _FINE_DZ_MM if max_depth_mm <= _FINE_MAX_DEPTH_MM else max_depth_mm / _MAX_BINS
    return Grid(dz_mm=dz, nz=int(math.ceil(max_depth_mm / dz)) + 2, dr_mm=1.0, nr=1, na=1)


def code_version() -> str:
    """photodose's version plus a digest of the Monte Carlo sources, so a changed kernel misses the cache."""
    from . import montecarlo

    digest = hashlib.sha256()
    for path in sorted(Path(montecarlo.__file__).parent.glob("_kernel*.py")) + [Path(montecarlo.__file__)]:
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def _mc_profile(stack: LayerStack, photons: int, seed: int, grid: Grid) -> tuple[dict, bool]:
    """The wide-beam phi(z) on ``grid`` (bin centres), from the cache or a fresh Monte Carlo run."""
    beam, incidence = Beam(kind="wide"), Incidence()
    from .montecarlo import resolve_kernel, run_mc

    kernel = resolve_kernel("auto")   # the numbers depend on the kernel: a GPU machine caches its own
    key = cache.cache_key({"stack": stack.to_json_dict(), "method": "mc", "photons": photons, "seed": seed,
                           "grid": vars(grid), "beam": beam.model_dump(), "incidence": incidence.model_dump(),
                           "code": code_version(), "kernel": kernel})
    hit = cache.load(key)
    if hit is not None:
        return hit, True
    result = run_mc(stack, photons, seed=seed, beam=beam, incidence=incidence, grid=grid, kernel=kernel)
    stderr = result.fluence_z_stderr if result.fluence_z_stderr is not None else np.full(grid.nz, np.nan)
    inside = slice(0, grid.nz - 1)   # the last bin holds the overflow beyond the grid
    profile = {"depth_mm": result.depth_mm[inside].tolist(), "phi": result.fluence_per_irradiance[inside].tolist(),
               "stderr": np.asarray(stderr)[inside].tolist(), "summary": result.summary()}
    cache.store(key, profile)
    return profile, False


def fluence_per_irradiance(stack: LayerStack, depth_mm: np.ndarray, method: str = "fast",
                           photons: int = 200_000, seed: int = 1) -> DepthFluence:
    """phi(z) per unit irradiance at ``depth_mm`` for wide, collimated, normal illumination of ``stack``."""
    method = require_choice("method", method, METHODS)
    depth = np.atleast_1d(np.asarray(depth_mm, dtype=float))
    if depth.size == 0 or np.any(~np.isfinite(depth)) or np.any(depth < 0):
        raise PhotodoseInputError("depth_mm", depth.tolist(), "one or more finite depths >= 0 mm")
    if method == "fast":
        phi = diffusion_fluence_per_irradiance(stack, depth)
        return DepthFluence(depth, phi, np.zeros_like(phi), "fast", DIFFUSION_VALIDITY)
    photons = int(require_in_range("photons", photons, 1))
    grid = depth_grid(float(max(depth.max(), _FINE_DZ_MM)))
    profile, cached = _mc_profile(stack, photons, seed, grid)
    z = np.asarray(profile["depth_mm"], dtype=float)
    phi = np.interp(depth, z, np.asarray(profile["phi"], dtype=float))
    stderr = np.interp(depth, z, np.asarray(profile["stderr"], dtype=float))
    if not stack.semi_infinite:
        outside = depth > stack.total_thickness_mm()
        phi[outside], stderr[outside] = np.nan, np.nan
    return DepthFluence(depth, phi, stderr, "mc", MC_VALIDITY, cached)
