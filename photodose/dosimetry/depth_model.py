"""Which transport model gives the planner phi(z; lambda): fast diffusion, Monte Carlo, or a Dask-built atlas.

``fast`` (default): the 1D multi-layer delta-Eddington diffusion model (``transport.diffusion``; ~2 ms, its
validity stated there). ``mc[:PHOTONS]``: a wide-beam Monte Carlo run per wavelength sample (``transport.
depth_dose``, cached on disk; seconds per wavelength). ``atlas:DIR``: interpolated from an atlas store written by
``photodose atlas``; a question outside it falls back to Monte Carlo, and the plan says so. ``head3d[:PHOTONS]``
(transcranial plans): the target dose is the cortex fluence from a voxel Monte Carlo run of the device placed on
the segmented ICBM152 head (:mod:`photodose.dosimetry.head_dose`, :mod:`photodose.planning.head3d`); the depth-dose
curve stays the flat stack's, from the fast model (:attr:`DepthModel.slab`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..errors import PhotodoseInputError

DEFAULT_MC_PHOTONS = 200_000
# head3d default (photodose choice): 2e5 photons give the generic headset's cortex fluence at F3 + F4 with a
# standard error of about 4 % and a plan in well under a minute on one core (docs/head.md, "Plans in the head");
# every plan states its own standard error
DEFAULT_HEAD3D_PHOTONS = 200_000
HEAD3D_PHOTONS = (10_000, 10_000_000)   # the bounds the refusal message states
ALLOWED = "fast | mc | mc:PHOTONS | atlas:DIR | head3d | head3d:PHOTONS"
HEAD3D_LABEL = "3-D head (voxel Monte Carlo, ICBM152)"


@dataclass(frozen=True)
class DepthModel:
    method: Literal["fast", "mc", "atlas", "head3d"] = "fast"
    photons: int = DEFAULT_MC_PHOTONS
    atlas_dir: str | None = None
    seed: int = 1

    @property
    def slab(self) -> "DepthModel":
        """The model of the flat layer stack's phi(z): this one, or the fast model for ``head3d``."""
        return DepthModel() if self.method == "head3d" else self

    def label(self) -> str:
        if self.method == "head3d":
            return f"{HEAD3D_LABEL}, {self.photons:,} photons, seed {self.seed}"
        if self.method == "mc":
            return f"wide-field Monte Carlo ({self.photons:,} photons per wavelength, seed {self.seed})"
        if self.method == "atlas":
            return f"wide-field Monte Carlo atlas {self.atlas_dir} (Monte Carlo outside it)"
        return "wide-field fast transport model (delta-Eddington diffusion)"


def parse_depth_model(text: "str | DepthModel | None") -> DepthModel:
    """``fast``, ``mc``, ``mc:PHOTONS`` (e.g. mc:1e6), ``atlas:DIR``, ``head3d`` or ``head3d:PHOTONS``; a DepthModel
    passes through."""
    if isinstance(text, DepthModel):
        return text
    if text is None or str(text).strip().lower() in ("", "fast"):
        return DepthModel()
    name, _, arg = str(text).strip().partition(":")
    name = name.lower()
    if name == "head3d":
        low, high = HEAD3D_PHOTONS
        photons = _photons(arg, DEFAULT_HEAD3D_PHOTONS)
        if not low <= photons <= high:
            raise PhotodoseInputError("transport", text, "head3d:PHOTONS with 1e4 <= PHOTONS <= 1e7; allowed: "
                                      + ALLOWED)
        return DepthModel("head3d", photons=photons)
    if name == "mc":
        photons = _photons(arg, DEFAULT_MC_PHOTONS)
        if not 1_000 <= photons <= 100_000_000:
            raise PhotodoseInputError("transport", text, "mc:PHOTONS with 1e3 <= PHOTONS <= 1e8; allowed: " + ALLOWED)
        return DepthModel("mc", photons=photons)
    if name == "atlas" and arg:
        open_atlas_cached(arg)  # refuse a missing or unreadable store now, naming it
        return DepthModel("atlas", atlas_dir=arg)
    raise PhotodoseInputError("transport", text, "allowed: " + ALLOWED)


def _photons(arg: str, default: int) -> int:
    """The photon count after ``NAME:`` (e.g. 1e6), the default when empty, 0 when unreadable (then refused)."""
    try:
        value = float(arg) if arg else default
        return int(value) if value == value and abs(value) < 1e12 else 0
    except ValueError:
        return 0


@lru_cache(maxsize=8)
def open_atlas_cached(atlas_dir: str):
    from ..scale.atlas import open_atlas

    return open_atlas(atlas_dir)
