"""Which transport model gives the planner phi(z; lambda): fast diffusion, Monte Carlo, or a Dask-built atlas.

``fast`` (default): the 1D multi-layer delta-Eddington diffusion model (``transport.diffusion``; ~2 ms, its
validity stated there). ``mc[:PHOTONS]``: a wide-beam Monte Carlo run per wavelength sample (``transport.
depth_dose``, cached on disk; seconds per wavelength). ``atlas:DIR``: interpolated from an atlas store written by
``photodose atlas``; a question outside it falls back to Monte Carlo, and the plan says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..errors import PhotodoseInputError

DEFAULT_MC_PHOTONS = 200_000
ALLOWED = "fast | mc | mc:PHOTONS | atlas:DIR"


@dataclass(frozen=True)
class DepthModel:
    method: Literal["fast", "mc", "atlas"] = "fast"
    photons: int = DEFAULT_MC_PHOTONS
    atlas_dir: str | None = None
    seed: int = 1

    def label(self) -> str:
        if self.method == "mc":
            return f"wide-field Monte Carlo ({self.photons:,} photons per wavelength, seed {self.seed})"
        if self.method == "atlas":
            return f"wide-field Monte Carlo atlas {self.atlas_dir} (Monte Carlo outside it)"
        return "wide-field fast transport model (delta-Eddington diffusion)"


def parse_depth_model(text: "str | DepthModel | None") -> DepthModel:
    """``fast``, ``mc``, ``mc:PHOTONS`` (e.g. mc:1e6) or ``atlas:DIR``; a DepthModel passes through."""
    if isinstance(text, DepthModel):
        return text
    if text is None or str(text).strip().lower() in ("", "fast"):
        return DepthModel()
    name, _, arg = str(text).strip().partition(":")
    name = name.lower()
    if name == "mc":
        try:
            photons = int(float(arg)) if arg else DEFAULT_MC_PHOTONS
        except ValueError:
            photons = 0
        if not 1_000 <= photons <= 100_000_000:
            raise PhotodoseInputError("transport", text, "mc:PHOTONS with 1e3 <= PHOTONS <= 1e8; allowed: " + ALLOWED)
        return DepthModel("mc", photons=photons)
    if name == "atlas" and arg:
        open_atlas_cached(arg)  # refuse a missing or unreadable store now, naming it
        return DepthModel("atlas", atlas_dir=arg)
    raise PhotodoseInputError("transport", text, "allowed: " + ALLOWED)


@lru_cache(maxsize=8)
def open_atlas_cached(atlas_dir: str):
    from ..scale.atlas import open_atlas

    return open_atlas(atlas_dir)
