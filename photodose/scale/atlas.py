"""Reading an atlas store: query it, and interpolate fluence per unit irradiance phi(z) for the planner.

Interpolation: multilinear between grid points in wavelength and in every layer thickness the atlas varies
(for a site, phototype and beam), each profile linearly interpolated in depth between bin centres. Layers the
atlas does not vary must match the request. A request outside the gridded ranges, past the tallied depth,
or whose surrounding grid points are not all in the store raises :class:`OutsideAtlas`. The standard error
is combined as sum(w_i * se_i), an upper bound (the grid points share a seed, so their errors correlate).
Accuracy between grid points is that of linear interpolation; the grid spacing sets it.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import PhotodoseInputError
from ..optics.phototypes import normalise_skin_type
from ..optics.sites import resolve_site_name
from ..transport.depth_dose import DepthFluence
from .points import layer_thicknesses_mm
from .store import read_store

ATLAS_VALIDITY = ("Monte Carlo atlas (MCML physics, wide collimated beam), interpolated linearly between grid "
                  "points in wavelength and layer thickness; standard error is an upper bound")
_TOLERANCE = 1e-9


class OutsideAtlas(PhotodoseInputError):
    """The question lies outside what the atlas holds (range, depth, or a missing grid point)."""


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _brackets(axis: str, value: float, grid_values: np.ndarray) -> list[tuple[float, float]]:
    """``[(grid value, weight)]``: one exact point, or the two neighbours with linear weights."""
    low, high = float(grid_values.min()), float(grid_values.max())
    if not low - _TOLERANCE <= value <= high + _TOLERANCE:
        raise OutsideAtlas(axis, value, f"the atlas covers {low:g} to {high:g}")
    exact = grid_values[np.abs(grid_values - value) <= _TOLERANCE]
    if exact.size:
        return [(float(exact[0]), 1.0)]
    hi = float(grid_values[grid_values > value].min())
    lo = float(grid_values[grid_values < value].max())
    t = (value - lo) / (hi - lo)
    return [(lo, 1.0 - t), (hi, t)]


class Atlas:
    """An opened atlas store (``table``: one row per grid point, columns of :data:`photodose.scale.store.SCHEMA`)."""

    def __init__(self, path: str | Path, table: pa.Table):
        self.path = Path(path)
        self.table = table

    def __len__(self) -> int:
        return self.table.num_rows

    @property
    def code_versions(self) -> set[str]:
        """photodose + kernel versions that computed the stored points. More than one: the store was extended
        across an upgrade; each point is still a valid estimate, but not bit-identical to a rerun today."""
        return set(self.table["code_version"].to_pylist())

    def query(self, **filters) -> pa.Table:
        """Rows whose columns equal the given values (a list: any of them), e.g. ``query(site="knee",
        skin_type=["I", "VI"])``; site and phototype names are resolved like everywhere else."""
        if "site" in filters:
            filters["site"] = [resolve_site_name(s) for s in _as_list(filters["site"])]
        if "skin_type" in filters:
            filters["skin_type"] = [normalise_skin_type(s) for s in _as_list(filters["skin_type"])]
        mask = pa.array(np.ones(len(self), dtype=bool))
        for column, wanted in filters.items():
            if column not in self.table.column_names:
                raise PhotodoseInputError("query column", column, "one of: " + ", ".join(self.table.column_names))
            mask = pc.and_(mask, pc.is_in(self.table[column], value_set=pa.array(_as_list(wanted))))
        return self.table.filter(mask)

    def fluence_per_irradiance(self, site: str, skin_type: str, wavelength_nm: float, depth_mm,
                               thickness_mm: dict[str, float] | None = None, beam: str = "wide") -> DepthFluence:
        """phi(z) per unit irradiance at ``depth_mm``, interpolated from the atlas; OutsideAtlas if it cannot."""
        site = resolve_site_name(site)
        rows = self.query(site=site, skin_type=skin_type, beam=beam)
        if rows.num_rows == 0:
            raise OutsideAtlas("site/skin_type/beam", f"{site}/{normalise_skin_type(skin_type)}/{beam}",
                               f"the atlas at {self.path} has no such grid points")
        depth = np.atleast_1d(np.asarray(depth_mm, dtype=float))
        names, wanted_mm = layer_thicknesses_mm(site, thickness_mm)
        grid_mm = np.array(rows["layer_thickness_mm"].to_pylist(), dtype=float)
        axes = [("wavelength_nm", float(wavelength_nm), rows["wavelength_nm"].to_numpy())]
        for j, name in enumerate(names):
            column = grid_mm[:, j]
            if np.all(np.isnan(column)) and np.isnan(wanted_mm[j]):
                continue
            if np.unique(column).size > 1:
                axes.append((f"thickness_mm.{name}", float(wanted_mm[j]), column))
            elif not abs(column[0] - wanted_mm[j]) <= _TOLERANCE:
                raise OutsideAtlas(f"thickness_mm.{name}", wanted_mm[j], f"the atlas holds only {column[0]:g} mm")
        coordinates = np.column_stack([values for _, _, values in axes])
        photons = rows["photons"].to_numpy()
        phi = np.zeros_like(depth)
        stderr = np.zeros_like(depth)
        for corner in itertools.product(*[_brackets(axis, value, np.unique(values)) for axis, value, values in axes]):
            point = np.array([c for c, _ in corner])
            weight = float(np.prod([w for _, w in corner]))
            matches = np.flatnonzero(np.all(np.abs(coordinates - point) <= _TOLERANCE, axis=1))
            if matches.size == 0:
                raise OutsideAtlas("grid point", dict(zip([a for a, _, _ in axes], point.tolist())),
                                   "a complete grid around the request; this point is missing from the atlas")
            row = int(matches[np.argmax(photons[matches])])  # the most photons when several runs exist
            z = np.asarray(rows["depth_mm"][row].as_py())
            if depth.max() > z[-1] + _TOLERANCE:
                raise OutsideAtlas("depth_mm", float(depth.max()), f"the atlas is tallied to {z[-1]:g} mm")
            phi += weight * np.interp(depth, z, np.asarray(rows["fluence_per_irradiance"][row].as_py(), float))
            stderr += weight * np.interp(depth, z, np.asarray(rows["fluence_stderr"][row].as_py(), float))
        return DepthFluence(depth, phi, stderr, "atlas", ATLAS_VALIDITY)


def open_atlas(path: str | Path) -> Atlas:
    """Open an atlas store directory (written by ``photodose atlas`` / :func:`photodose.scale.sweep.sweep_atlas`)."""
    root = Path(path)
    if not root.is_dir():
        raise PhotodoseInputError("atlas", str(path), "an existing atlas store directory")
    return Atlas(root, read_store(root))


def fluence_per_irradiance_or_mc(atlas: Atlas, site: str, skin_type: str, wavelength_nm: float, depth_mm,
                                 thickness_mm: dict[str, float] | None = None, photons: int = 200_000,
                                 seed: int = 1, say_fn=None) -> DepthFluence:
    """From the atlas when the question lies inside it, else a Monte Carlo run (``depth_dose``, method "mc");
    ``say_fn(message)`` is told when and why it fell back."""
    try:
        return atlas.fluence_per_irradiance(site, skin_type, wavelength_nm, depth_mm, thickness_mm)
    except OutsideAtlas as outside:
        from ..optics.sites import body_stack
        from ..transport.depth_dose import fluence_per_irradiance

        if say_fn is not None:
            say_fn(f"outside the atlas ({outside}); running Monte Carlo with {photons:,} photons")
        stack = body_stack(site, wavelength_nm, skin_type, thickness_mm)
        return fluence_per_irradiance(stack, depth_mm, method="mc", photons=photons, seed=seed)
