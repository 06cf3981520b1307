"""A segmented adult head for the voxel Monte Carlo: tissues, 10-20 positions, cortical targets, placement.

Model: five tissues (scalp, skull, CSF, grey and white matter) on the MNI ICBM152 2009a brain (Fonov et al.
2009, 2011: bibliography keys fonov2009, fonov2011), 2 mm voxels, built by ``data/build_head_icbm152.py``;
provenance, licence, segmentation method and the thickness check are in ``data/head_icbm152.yaml``. The
brain (grey/white matter and sulcal CSF) comes from the template; scalp and skull are shells whose thickness
varies over the head with measured regional means (frontal, parietal, temporal, occipital bone; midline and
lower lateral forehead soft tissue), the CSF shell is 2 mm, because the template's image is skull-stripped.
Optical properties per tissue and wavelength: the ``*_cassano2019`` presets (Cassano et al. 2019, Table 1 at
670-1064 nm; see ``photodose.optics.tissues``).
10-20 positions: the standard_1020 electrode file on the MNI scalp (Oostenveld & Praamstra 2001), moved onto
this head's scalp along the ray from the midpoint of the preauricular points (LPA, RPA).
Devices are placed from plain emitter arrays (the transport stage does not know the device catalog): a flat
layout lies in the plane tangent to the scalp at the position, ``standoff_mm`` above it, facing inward; a
conformal one (mask, helmet) puts each emitter ``standoff_mm`` above the scalp point beneath it, facing along
that point's inward normal. Units: mm (MNI coordinates), 1/cm, W.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import PhotodoseInputError, did_you_mean
from ..package_data import load_yaml
from .voxel import LabelOptics, VoxelResult, VoxelSource, VoxelVolume, run_voxel_mc

SCALP, SKULL, CSF, GREY, WHITE = 1, 2, 3, 4, 5
MIN_STANDOFF_MM = 1.0    # emitters start at least this far above the voxel scalp (in air, never inside a voxel)
_RAY_STEP_MM = 0.25


@dataclass(frozen=True)
class HeadModel:
    volume: VoxelVolume
    tissues: tuple[str, ...]                        # tissue preset per label (label 0: air)
    positions_mm: dict[str, tuple[float, float, float]]
    targets: dict[str, dict]
    scalp_radius_mm: float
    meta: dict


@lru_cache(maxsize=1)
def load_head() -> HeadModel:
    """The packaged head (cached; treat as read-only)."""
    from importlib import resources

    meta = load_yaml("photodose.transport", "data", "head_icbm152.yaml")
    with resources.files("photodose.transport").joinpath("data", "head_icbm152_2mm.npz").open("rb") as fh:
        data = np.load(fh)
        labels = np.ascontiguousarray(data["labels"])
        volume = VoxelVolume(labels=labels, voxel_mm=float(data["voxel_mm"]),
                             origin_mm=tuple(float(v) for v in data["origin_mm"]),
                             label_names=tuple(str(s) for s in data["label_names"]))
    labels.setflags(write=False)
    tissues = tuple(meta["labels"][i] for i in range(len(meta["labels"])))
    positions = {k: tuple(float(c) for c in v) for k, v in meta["positions"]["mm"].items()}
    return HeadModel(volume=volume, tissues=tissues, positions_mm=positions, targets=meta["targets"],
                     scalp_radius_mm=float(meta["scalp_radius_mm"]), meta=meta)


def position_names(head: HeadModel | None = None) -> list[str]:
    head = head or load_head()
    return [k for k in head.positions_mm if k not in ("LPA", "RPA", "nasion")]


def resolve_position(name: str, head: HeadModel | None = None, field: str = "position") -> str:
    """The 10-20 label as listed (case-insensitive), else PhotodoseInputError naming ``field``."""
    names = position_names(head)
    by_lower = {n.lower(): n for n in names}
    key = str(name).strip().lower()
    if key in by_lower:
        return by_lower[key]
    hint = did_you_mean(name, names)
    raise PhotodoseInputError(field, name, f"{hint}a 10-20 position: {', '.join(names)}")


def label_optics(wavelength_nm: float, head: HeadModel | None = None) -> LabelOptics:
    """(mua, mus, g, n) per label at ``wavelength_nm`` from the tissue presets; label 0 is air (n = 1)."""
    from ..optics.tissues import tissue_properties

    head = head or load_head()
    rows = [(0.0, 0.0, 0.0, 1.0)]
    for tissue in head.tissues[1:]:
        t = tissue_properties(tissue, float(wavelength_nm))
        rows.append((float(t.mua_per_cm), float(t.mus_per_cm), float(t.g), float(t.n)))
    mua, mus, g, n = zip(*rows)
    return LabelOptics(mua_per_cm=mua, mus_per_cm=mus, g=g, n=n)


def _voxel_indices(volume: VoxelVolume, points_mm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(integer voxel indices (N, 3), inside the volume (N,)) of points (N, 3) in mm."""
    i = np.floor((points_mm - np.asarray(volume.origin_mm)) / volume.voxel_mm).astype(int)
    return i, np.all((i >= 0) & (i < np.asarray(volume.labels.shape)), axis=1)


def _index(volume: VoxelVolume, point_mm) -> tuple[int, int, int] | None:
    i, inside = _voxel_indices(volume, np.asarray(point_mm, float)[None, :])
    return (int(i[0, 0]), int(i[0, 1]), int(i[0, 2])) if inside[0] else None


def _label(volume: VoxelVolume, point_mm) -> int:
    return int(_labels_at(volume, np.asarray(point_mm, float)[None, :])[0])


def _labels_at(volume: VoxelVolume, points_mm: np.ndarray) -> np.ndarray:
    """Labels at many points (N, 3) at once; 0 (air) outside the volume."""
    i, inside = _voxel_indices(volume, points_mm)
    out = np.zeros(len(points_mm), volume.labels.dtype)
    out[inside] = volume.labels[i[inside, 0], i[inside, 1], i[inside, 2]]
    return out


def centre_mm(head: HeadModel) -> np.ndarray:
    """Midpoint of the preauricular points (LPA, RPA): the origin of the placement rays."""
    return (np.asarray(head.positions_mm["LPA"]) + np.asarray(head.positions_mm["RPA"])) / 2.0


@lru_cache(maxsize=4)
def _outward_field(head_id: int) -> np.ndarray:
    from scipy import ndimage

    head = load_head()
    smooth = ndimage.gaussian_filter((head.volume.labels > 0).astype(float), 1.5)
    return np.stack(np.gradient(smooth), axis=-1)


def surface_along_ray(head: HeadModel, origin_mm, through_mm) -> np.ndarray:
    """The outermost point of tissue on the ray from ``origin_mm`` through ``through_mm`` (mm)."""
    o = np.asarray(origin_mm, float)
    d = np.asarray(through_mm, float) - o
    d /= np.linalg.norm(d)
    extent = float(np.linalg.norm(np.asarray(head.volume.labels.shape) * head.volume.voxel_mm)) + 50.0
    t = extent - _RAY_STEP_MM * np.arange(int(math.ceil(extent / _RAY_STEP_MM)))   # from outside inward
    tissue = np.flatnonzero(_labels_at(head.volume, o + t[:, None] * d) > 0)
    if tissue.size == 0:
        raise PhotodoseInputError("position", tuple(through_mm),
                                  "a point whose ray from the head centre meets the scalp")
    return o + t[tissue[0]] * d


def outward_normal(head: HeadModel, point_mm) -> np.ndarray:
    """Unit outward normal of the head surface near ``point_mm`` (gradient of the smoothed head mask)."""
    idx = _index(head.volume, point_mm)
    grad = _outward_field(id(head))[idx]
    n = -grad
    norm = np.linalg.norm(n)
    if norm == 0:
        n = np.asarray(point_mm, float) - centre_mm(head)
        norm = np.linalg.norm(n)
    return n / norm


def scalp_point(head: HeadModel, position: str) -> tuple[np.ndarray, np.ndarray]:
    """(point on this head's scalp, outward normal there) for a 10-20 ``position``."""
    name = resolve_position(position, head)
    p = surface_along_ray(head, centre_mm(head), head.positions_mm[name])
    return p, outward_normal(head, p)


def depth_profile(head: HeadModel, point_mm, normal, depth_mm: float = 40.0) -> list[tuple[int, float]]:
    """Labels met going inward along ``-normal`` from ``point_mm``: [(label, thickness_mm), ...]."""
    runs: list[tuple[int, float]] = []
    steps = (np.arange(int(depth_mm / _RAY_STEP_MM)) + 0.5) * _RAY_STEP_MM
    samples = _labels_at(head.volume, np.asarray(point_mm, float) - steps[:, None] * np.asarray(normal, float))
    for lab in samples.tolist():
        if runs and runs[-1][0] == lab:
            runs[-1] = (lab, runs[-1][1] + _RAY_STEP_MM)
        else:
            runs.append((lab, _RAY_STEP_MM))
    return runs


def layers_under(head: HeadModel, position: str, spread_deg: float = 5.0, rays: int = 24) -> dict[str, float]:
    """Mean scalp, skull and CSF thickness and scalp-to-grey-matter depth (mm) under a 10-20 ``position``.

    Averaged over ``rays`` scalp points spread evenly (a Fibonacci disc) within ``spread_deg`` of the position's
    direction from the head centre, each measured inward along its own normal: one ray through 2 mm voxels reads
    a shell to +-2 mm, the mean over a patch to a few tenths of a millimetre."""
    name = resolve_position(position, head)
    centre = centre_mm(head)
    axis = np.asarray(head.positions_mm[name], float) - centre
    reach = float(np.linalg.norm(axis))
    axis /= reach
    u, v = _tangent_basis(axis)
    sums = np.zeros(4)
    for k in range(rays):
        tilt = math.radians(spread_deg) * math.sqrt((k + 0.5) / rays)
        turn = k * math.pi * (3.0 - math.sqrt(5.0))
        d = math.cos(tilt) * axis + math.sin(tilt) * (math.cos(turn) * u + math.sin(turn) * v)
        p = surface_along_ray(head, centre, centre + reach * d)
        row = np.zeros(4)
        for label, mm in depth_profile(head, p, outward_normal(head, p), depth_mm=60.0):
            if label == GREY:
                break
            if label in (SCALP, SKULL, CSF):
                row[label - SCALP] += mm
            row[3] += mm
        sums += row
    scalp_mm, skull_mm, csf_mm, depth_mm = sums / rays
    return {"scalp_mm": float(scalp_mm), "skull_mm": float(skull_mm), "csf_mm": float(csf_mm),
            "scalp_to_cortex_mm": float(depth_mm)}


def cortex_point(head: HeadModel, position: str) -> np.ndarray:
    """The first grey-matter point under a 10-20 ``position`` (inward along the scalp normal)."""
    p, n = scalp_point(head, position)
    for k in range(int(60.0 / _RAY_STEP_MM)):
        q = p - k * _RAY_STEP_MM * n
        if _label(head.volume, q) == GREY:
            return q
    raise PhotodoseInputError("position", position, "a position with grey matter within 60 mm below the scalp")


def _world_grid(volume: VoxelVolume) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.meshgrid(volume.centres_mm(0), volume.centres_mm(1), volume.centres_mm(2), indexing="ij")


def near_mask(volume: VoxelVolume, points_mm, radius_mm: float, label: int) -> np.ndarray:
    """Voxels of ``label`` within ``radius_mm`` of any of ``points_mm``."""
    x, y, z = _world_grid(volume)
    mask = np.zeros(volume.labels.shape, bool)
    for p in points_mm:
        mask |= (x - p[0]) ** 2 + (y - p[1]) ** 2 + (z - p[2]) ** 2 <= radius_mm ** 2
    return mask & (volume.labels == label)


def resolve_target(target: str, head: HeadModel | None = None, field: str = "target") -> tuple[str, list[str], float]:
    """(name, positions, radius_mm) of a named target (``dlpfc``, ``frontopolar``) or of one 10-20 position; else
    PhotodoseInputError naming ``field``."""
    head = head or load_head()
    key = str(target).strip().lower()
    if key in head.targets:
        t = head.targets[key]
        return key, list(t["positions"]), float(t["radius_mm"])
    names = {n.lower(): n for n in position_names(head)}
    if key in names:
        return names[key], [names[key]], 15.0
    raise PhotodoseInputError(field, target, f"{did_you_mean(target, list(head.targets) + position_names(head))}"
                              f"one of {', '.join(head.targets)} or a 10-20 position")


def cortical_surface(volume: VoxelVolume) -> np.ndarray:
    """Grey-matter voxels that touch CSF (face neighbours): the outer 2 mm of cortex, on gyri and sulcal walls."""
    from scipy import ndimage

    return (volume.labels == GREY) & ndimage.binary_dilation(volume.labels == CSF)


def target_mask(head: HeadModel, target: str) -> np.ndarray:
    """The target's cortical surface: grey matter touching CSF within the target radius of the cortex under its
    positions (the dose on the grey-matter surface, as the flat stack's top 2 mm of grey matter)."""
    _, positions, radius = resolve_target(target, head)
    near = near_mask(head.volume, [cortex_point(head, p) for p in positions], radius, GREY)
    return near & cortical_surface(head.volume)


def _tangent_basis(normal) -> tuple[np.ndarray, np.ndarray]:
    n = np.asarray(normal, float)
    up = np.array([0.0, 0.0, 1.0]) if abs(n[2]) < 0.9 else np.array([0.0, 1.0, 0.0])
    e1 = np.cross(up, n)
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(n, e1)


def place_emitters(head: HeadModel, position: str, offsets_mm, powers_w, order_m, standoff_mm: float,
                   conformal: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """World positions, inward directions, powers (W) and orders of a device's emitters centred on ``position``.

    ``offsets_mm`` (K, 2): each emitter's (x, y) in the device plane (x along the scalp's horizontal tangent,
    y upward); ``powers_w`` (K,) and ``order_m`` (K,) or scalars.
    """
    if not (math.isfinite(standoff_mm) and 0 <= standoff_mm <= 500):
        raise PhotodoseInputError("distance", standoff_mm, "a standoff from 0 to 500 mm")
    p, n = scalp_point(head, position)
    e1, e2 = _tangent_basis(n)
    uv = np.asarray(offsets_mm, float).reshape(-1, 2)
    k = len(uv)
    powers = np.broadcast_to(np.asarray(powers_w, float), (k,)).copy()
    orders = np.broadcast_to(np.asarray(order_m, float), (k,)).copy()
    gap = max(standoff_mm, MIN_STANDOFF_MM)
    plane = p[None, :] + uv[:, :1] * e1[None, :] + uv[:, 1:] * e2[None, :]
    if not conformal:
        return plane + gap * n, np.broadcast_to(-n, (k, 3)).copy(), powers, orders
    centre = centre_mm(head)
    pos = np.empty((k, 3))
    dirs = np.empty((k, 3))
    for i in range(k):
        s = surface_along_ray(head, centre, plane[i])
        ni = outward_normal(head, s)
        pos[i] = s + gap * ni
        dirs[i] = -ni
    return pos, dirs, powers, orders


@dataclass
class HeadTransport:
    """A head run per unit launched power (1 W): fluence in J/cm^2 per J, fractions of the launched energy."""

    wavelength_nm: float
    target: str
    result: VoxelResult
    target_voxels: int
    scalp_voxels: int

    def per_watt(self, region: str) -> tuple[float, float]:
        """(mean fluence in 1/cm^2 per W, i.e. J/cm^2 per J, its standard error) over a region."""
        return (self.result.region_fluence_per_cm2[region],
                self.result.stderr["region_fluence_per_cm2"][region])

    def absorbed(self, region: str) -> tuple[float, float]:
        return self.result.region_absorbed[region], self.result.stderr["region_absorbed"][region]


def run_head(positions_mm, directions, powers_w, order_m, wavelength_nm: float, target: str = "dlpfc",
             scalp_points_mm=(), photons: int = 200_000, seed: int = 1, threads: int | None = None,
             batches: int | None = None, head: HeadModel | None = None, runner=None) -> HeadTransport:
    """Trace light from placed emitters through the head; regions ``target`` (grey matter), ``scalp`` (within
    the scalp radius of ``scalp_points_mm``), ``grey_matter`` (all). ``runner`` replaces ``run_voxel_mc``
    (same arguments and result, e.g. the Dask split of ``photodose.scale.voxel_distributed``)."""
    head = head or load_head()
    name, _, _ = resolve_target(target, head)
    optics = label_optics(wavelength_nm, head)
    source = VoxelSource("emitters", tuple(map(tuple, np.asarray(positions_mm, float))),
                         tuple(map(tuple, np.asarray(directions, float))), weights=tuple(np.asarray(powers_w, float)),
                         lambertian_order_m=tuple(np.asarray(order_m, float)))
    regions = {"target": target_mask(head, name),
               "scalp": near_mask(head.volume, scalp_points_mm, head.scalp_radius_mm, SCALP),
               "grey_matter": head.volume.labels == GREY}
    if runner is None:
        result = run_voxel_mc(head.volume, optics, source, photons, seed=seed, threads=threads, batches=batches,
                              regions=regions)
    else:
        result = runner(head.volume, optics, source, photons, seed=seed, batches=batches, regions=regions)
    return HeadTransport(wavelength_nm=float(wavelength_nm), target=name, result=result,
                         target_voxels=int(regions["target"].sum()), scalp_voxels=int(regions["scalp"].sum()))
