"""Atlas grid points: (site, phototype, wavelength, layer thickness overrides, beam) and their identity.

A point's ``key`` is the SHA-256 of its full inputs (names, the layer stack it builds, photons, seed, tally grid,
beam, incidence): the store names its chunk after it, so rerunning or extending a sweep finds what is done.
Depth tally: the wide-beam grid of ``photodose.transport.depth_dose.depth_grid(max_depth_mm)``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import PhotodoseInputError, require_in_range
from ..optics.phototypes import normalise_skin_type
from ..optics.sites import apply_thickness_overrides, body_stack, resolve_site_name, site_layers
from ..transport.beams import Beam, Incidence
from ..transport.cache import cache_key
from ..transport.depth_dose import depth_grid
from ..optics.layers import LayerStack
from ..transport.result import Grid

DEFAULT_MAX_DEPTH_MM = 20.0


def canonical_thickness(site: str, thickness_mm: dict[str, float] | None) -> tuple[tuple[str, float], ...]:
    """Overrides as sorted ``((layer_name, mm), ...)`` with aliases resolved (``fat`` -> ``subcutaneous_fat``)."""
    layers = apply_thickness_overrides(site_layers(site), thickness_mm, site)
    return tuple(sorted((layer["name"], float(layer["thickness_mm"])) for layer in layers
                        if layer["source"] == "given by the user"))


def layer_thicknesses_mm(site: str, thickness_mm: dict[str, float] | None) -> tuple[list[str], np.ndarray]:
    """Layer names and thicknesses of a site after overrides (NaN for the semi-infinite last layer)."""
    layers = apply_thickness_overrides(site_layers(site), thickness_mm, site)
    return ([layer["name"] for layer in layers],
            np.array([np.nan if layer["thickness_mm"] is None else float(layer["thickness_mm"]) for layer in layers]))


@dataclass(frozen=True)
class AtlasPoint:
    """One Monte Carlo run of an atlas sweep (wide or finite beam, collimated normal incidence)."""

    site: str
    skin_type: str
    wavelength_nm: float
    thickness_mm: tuple[tuple[str, float], ...]
    beam: Beam
    photons: int
    seed: int
    max_depth_mm: float = DEFAULT_MAX_DEPTH_MM
    incidence: Incidence = Incidence()

    @classmethod
    def make(cls, site: str, skin_type: str, wavelength_nm: float, thickness_mm: dict[str, float] | None = None,
             beam: Beam = Beam(kind="wide"), photons: int = 100_000, seed: int = 1,
             max_depth_mm: float = DEFAULT_MAX_DEPTH_MM) -> "AtlasPoint":
        """A point with names resolved (site aliases, phototype spelling, layer aliases) and counts checked."""
        require_in_range("photons", photons, 1, 10**13)
        require_in_range("seed", seed, 0, 2**63 - 1)
        require_in_range("max_depth_mm", max_depth_mm, 0.1, 1000)
        name = resolve_site_name(site)
        return cls(name, normalise_skin_type(skin_type), float(wavelength_nm), canonical_thickness(name, thickness_mm),
                   beam, int(photons), int(seed), float(max_depth_mm))

    @cached_property
    def stack(self) -> LayerStack:
        return body_stack(self.site, self.wavelength_nm, self.skin_type, dict(self.thickness_mm) or None)

    @property
    def grid(self) -> Grid:
        return depth_grid(self.max_depth_mm)

    def inputs(self) -> dict:
        """Every input that fixes the numbers, JSON-ready."""
        return {"site": self.site, "skin_type": self.skin_type, "wavelength_nm": self.wavelength_nm,
                "thickness_mm": dict(self.thickness_mm), "beam": self.beam.model_dump(),
                "incidence": self.incidence.model_dump(), "photons": self.photons, "seed": self.seed,
                "grid": vars(self.grid), "stack": self.stack.to_json_dict(), "kernel": self.kernel}

    @cached_property
    def kernel(self) -> str:
        """The Monte Carlo kernel this machine runs the point with (``resolve_kernel('auto')``)."""
        from ..transport.montecarlo import resolve_kernel

        return resolve_kernel("auto")

    @cached_property
    def key(self) -> str:
        return cache_key(self.inputs())[:32]


def sweep_points(sites, skin_types, wavelengths_nm, thickness_grid: dict[str, list[float]] | None = None,
                 beams=(Beam(kind="wide"),), photons: int = 100_000, seed: int = 1,
                 max_depth_mm: float = DEFAULT_MAX_DEPTH_MM) -> list[AtlasPoint]:
    """The full product of the sweep axes (``thickness_grid``: layer name -> thicknesses in mm); duplicates dropped."""
    layers = sorted((thickness_grid or {}).items())
    combos = [dict(zip([name for name, _ in layers], values))
              for values in itertools.product(*[list(v) for _, v in layers])]
    points = {}
    for site, skin, nm, overrides, beam in itertools.product(sites, skin_types, wavelengths_nm, combos, beams):
        point = AtlasPoint.make(site, skin, nm, overrides or None, beam, photons, seed, max_depth_mm)
        points.setdefault(point.key, point)
    return list(points.values())


def parse_number_range(text: str, field: str) -> list[float]:
    """``START..STOP:STEP`` (STOP included), ``START..STOP`` (step 1) or a comma list ``700,810,850``."""
    try:
        if ".." in text:
            span, _, step_text = str(text).partition(":")
            start, stop = (float(x) for x in span.split(".."))
            step = float(step_text) if step_text else 1.0
            if not step > 0 or stop < start:
                raise ValueError
            return [float(x) for x in np.round(np.arange(start, stop + step / 2, step), 9)]
        values = [float(x) for x in str(text).split(",") if x.strip()]
        if not values:
            raise ValueError
        return values
    except ValueError:
        raise PhotodoseInputError(field, text, "START..STOP:STEP (e.g. 600..1100:50) or a list (700,810)") from None


def parse_thickness_axis(text: str) -> tuple[str, list[float]]:
    """``LAYER=MM[,MM...]`` or ``LAYER=START..STOP:STEP`` -> (layer, thicknesses in mm)."""
    layer, sep, values = str(text).partition("=")
    if not sep or not layer.strip():
        raise PhotodoseInputError("thickness", text, "LAYER=MM,MM,... e.g. fat=2,4,8")
    return layer.strip(), parse_number_range(values, f"thickness {layer.strip()}")


def split_list(text: str) -> list[str]:
    """``knee,forearm`` -> ['knee', 'forearm']."""
    return [part.strip() for part in str(text).split(",") if part.strip()]
