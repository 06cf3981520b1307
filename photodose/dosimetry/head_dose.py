"""The light dose a device delivers to the cortex, traced in 3-D through a segmented head.

One function, :func:`head_dose`, that the CLI (``photodose head``) and the planner (``plan --transport head3d``,
:mod:`photodose.planning.head3d`) call:
device (catalog) -> emitters placed at 10-20 positions on the head (``photodose.transport.head``) -> voxel
Monte Carlo (``photodose.transport.voxel``) -> fluence in J/cm^2 under the target and on the scalp, with
standard errors; beside it, the flat forehead layer stack's answer for one site (layered Monte Carlo).
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..errors import PhotodoseInputError, require_in_range

FLAT_STACK_SITE = "forehead"
FLAT_CORTEX_RADIUS_MM = 15.0      # same radius as the head's target region
FLAT_CORTEX_DEPTH_MM = 2.0        # the top 2 mm of the grey-matter layer
MAX_AREA_EMITTERS = 300           # point emitters that stand for a uniform emitting area (per site)


class GreyMatterSummary(BaseModel):
    model_config = ConfigDict(frozen=True)
    absorbed_fraction: float          # of the emitted energy, whole grey matter
    absorbed_fraction_stderr: float
    energy_j: float
    fluence_median_j_cm2: float       # over grey-matter voxels that received light
    fluence_p99_j_cm2: float
    fluence_max_j_cm2: float


class SiteAnatomy(BaseModel):
    """Tissue met going inward along the scalp normal under a position: the mean over a 5-degree patch (see
    :func:`photodose.transport.head.layers_under`)."""

    model_config = ConfigDict(frozen=True)
    position: str
    scalp_mm: float
    skull_mm: float
    csf_mm: float
    scalp_to_cortex_mm: float


class FlatStackAnswer(BaseModel):
    """The layered forehead stack (one site, a flat beam of the device's emitting area, contact)."""

    model_config = ConfigDict(frozen=True)
    site: str
    cortex_fluence_j_cm2: float
    cortex_fluence_stderr_j_cm2: float
    fraction_at_cortex: float         # cortex fluence / incident fluence
    energy_fraction_at_cortex: float  # absorbed in the target's cortical surface / emitted
    grey_matter_depth_mm: float
    note: str


class ChannelHeadDose(BaseModel):
    """One channel's share of the session: its power (all sites) and the cortex fluence it gives."""

    model_config = ConfigDict(frozen=True)
    channel: str
    wavelength_nm: float
    power_w: float                    # time-averaged, all sites together
    cortex_fluence_j_cm2: float
    cortex_fluence_stderr_j_cm2: float


class HeadDose(BaseModel):
    """Dose in the head for one session. Fluence in J/cm^2 (time-averaged power x time); fractions of the
    energy the device emits (all sites); standard errors from the Monte Carlo batches."""

    model_config = ConfigDict(frozen=True)
    device: str
    positions: list[str]
    target: str
    minutes: float
    wavelengths_nm: list[float]
    power_per_site_w: float
    energy_emitted_j: float
    cortex_fluence_j_cm2: float
    cortex_fluence_stderr_j_cm2: float
    scalp_fluence_j_cm2: float
    scalp_fluence_stderr_j_cm2: float
    incident_fluence_j_cm2: float     # nominal: power per site x time / the device's emitting area
    fraction_at_cortex: float         # cortex fluence / incident fluence ("the share of the light that reaches")
    fraction_at_cortex_stderr: float
    energy_fraction_at_cortex: float  # energy absorbed in the target grey matter / energy emitted (all sites)
    energy_fraction_at_cortex_stderr: float
    cortex_to_scalp_fluence_ratio: float
    by_channel: list[ChannelHeadDose]
    grey_matter: GreyMatterSummary
    sites: list[SiteAnatomy]
    flat_stack: FlatStackAnswer
    specular_fraction: float
    missed_fraction: float
    photons: int
    seed: int
    batches: int
    threads: int
    seconds: float
    head_model: str
    assumptions: list[str]
    citations: list[str]


def device_emitters(device, channel, distance_mm: float):
    """(offsets_mm (K, 2), power shares (K,), order m) of one channel's emitters in the device plane."""
    from ..devices.emitters import lambertian_order_from_half_angle
    from ..devices.sampling import emitter_positions_mm

    layout = device.layout_for(channel)
    if layout.kind == "beam":   # a laser probe: the beam's disc, directions within its divergence
        from ..devices.sampling import _disc_samples

        x, y, share = _disc_samples(layout.diameter_mm / 2, max(layout.diameter_mm / 8, 0.05))
        div = layout.divergence_half_angle_deg
        order = 1e6 if div <= 0 else lambertian_order_from_half_angle(div)
        return np.column_stack([x, y]), share, order
    x, y, share = emitter_positions_mm(layout, max(distance_mm, 1.0), max_samples=MAX_AREA_EMITTERS)
    return np.column_stack([x, y]), share, channel.order_m


def _flat_per_watt(nm: float, radius_mm: float, photons: int, seed: int, threads: int | None):
    """(cortex fluence per W in 1/cm^2, its relative standard error, grey-matter absorbed fraction within the
    radius, grey-matter depth in mm) of the flat forehead stack under a flat beam."""
    from ..optics.sites import body_stack
    from ..transport.beams import Beam
    from ..transport.montecarlo import run_mc
    from ..transport.result import Grid

    stack = body_stack(FLAT_STACK_SITE, nm)
    names = [layer.name for layer in stack.layers]
    gm = names.index("grey_matter")
    top_mm = sum(layer.thickness_mm for layer in stack.layers[:gm])
    grid = Grid(dz_mm=0.5, nz=int(math.ceil((top_mm + FLAT_CORTEX_DEPTH_MM + 2) / 0.5)), dr_mm=1.0,
                nr=int(FLAT_CORTEX_RADIUS_MM) + 10, na=1)
    result = run_mc(stack, photons, seed=seed, beam=Beam(kind="flat", radius_mm=radius_mm), grid=grid,
                    threads=threads)
    z = result.depth_mm
    rows = (z > top_mm) & (z < top_mm + FLAT_CORTEX_DEPTH_MM)
    r = result.radius_mm
    ring = r < FLAT_CORTEX_RADIUS_MM
    mua = stack.layers[gm].mua_per_cm
    ring_cm3 = 2 * math.pi * (r[ring] / 10.0) * (grid.dr_mm / 10.0) * (grid.dz_mm / 10.0)
    a = result.absorbed_rz_per_cm3[np.ix_(ring, rows)]
    volume_cm3 = ring_cm3.sum() * rows.sum()
    phi_per_w = float((a * ring_cm3[:, None]).sum() / volume_cm3 / mua)
    gm_rows = (z > top_mm)
    gm_absorbed = float((result.absorbed_rz_per_cm3[np.ix_(ring, gm_rows)] * ring_cm3[:, None]).sum())
    # the layered kernel gives no standard error per (r, z) cell: the relative error of the grey-matter layer
    rel = float(result.stderr["layer_absorbed"][gm] / result.layer_absorbed[gm]) if result.layer_absorbed[gm] else 0
    return phi_per_w, rel, gm_absorbed, top_mm


def _flat_stack(channels_nm_w: list[tuple[float, float]], seconds: float, radius_mm: float, photons: int, seed: int,
                threads: int | None) -> FlatStackAnswer:
    """The flat forehead stack's answer for one site: each channel (wavelength, W) traced and summed."""
    fluence = var = energy_abs = 0.0
    top_mm = 0.0
    total_w = sum(w for _, w in channels_nm_w)
    for nm, watts in channels_nm_w:
        phi_per_w, rel, gm_absorbed, top_mm = _flat_per_watt(nm, radius_mm, photons, seed, threads)
        fluence += phi_per_w * watts * seconds
        var += (phi_per_w * watts * seconds * rel) ** 2
        energy_abs += gm_absorbed * watts / total_w
    incident = total_w * seconds / (math.pi * (radius_mm / 10.0) ** 2)
    return FlatStackAnswer(
        site=FLAT_STACK_SITE, cortex_fluence_j_cm2=fluence, cortex_fluence_stderr_j_cm2=math.sqrt(var),
        fraction_at_cortex=fluence / incident, energy_fraction_at_cortex=energy_abs, grey_matter_depth_mm=top_mm,
        note=(f"one site; flat beam of radius {radius_mm:.1f} mm (the device's emitting area) in contact; mean over "
              f"r < {FLAT_CORTEX_RADIUS_MM:g} mm and the top {FLAT_CORTEX_DEPTH_MM:g} mm of grey matter; "
              "standard error scaled from the grey-matter layer's"))


def _anatomy(model, position: str) -> SiteAnatomy:
    from ..transport import head as H

    return SiteAnatomy(position=position, **H.layers_under(model, position))


def head_dose(device_id, positions: list[str], minutes: float, wavelength_nm: float | None = None,
              photons: int = 200_000, target: str = "dlpfc", distance_mm: float | None = None, seed: int = 1,
              threads: int | None = None, scheduler: str | None = None,
              channel_ids: list[str] | None = None) -> HeadDose:
    """Trace one session of ``device_id`` at ``positions``; see :func:`head_dose_and_fluence`."""
    return head_dose_and_fluence(device_id, positions, minutes, wavelength_nm, photons, target, distance_mm, seed,
                                 threads, scheduler, channel_ids)[0]


def head_dose_and_fluence(device_id, positions: list[str], minutes: float, wavelength_nm: float | None = None,
                          photons: int = 200_000, target: str = "dlpfc", distance_mm: float | None = None,
                          seed: int = 1, threads: int | None = None, scheduler: str | None = None,
                          channel_ids: list[str] | None = None) -> tuple[HeadDose, np.ndarray]:
    """The session's :class:`HeadDose` and its fluence per voxel of the head model (J/cm^2).

    ``scheduler``: run the head's batches on Dask (``tcp://HOST:PORT``, or ``local`` for a LocalCluster); the
    numbers are the same as the threaded run's.

    Trace one session of ``device_id`` (a catalog id, a device file or a Device) placed at each of ``positions``
    (10-20 names) for ``minutes``; ``channel_ids`` limits it to those channels (default: every enabled one).

    ``wavelength_nm`` replaces every channel's centre wavelength (a what-if); ``distance_mm`` the device's
    usual standoff. The photons are shared equally among the device's enabled channels.
    """
    from ..transport import head as H
    from .session_dose import load_device_any

    device = load_device_any(device_id).require_light()
    require_in_range("minutes", minutes, 0, 24 * 60, low_inclusive=False)
    if wavelength_nm is not None:
        require_in_range("nm", wavelength_nm, 400, 1400)
    if not positions:
        raise PhotodoseInputError("position", positions, "at least one 10-20 position, e.g. --position F3")
    model = H.load_head()
    names = [H.resolve_position(p, model) for p in positions]
    if len(set(names)) != len(names):
        raise PhotodoseInputError("position", positions, "each position once")
    target_name, _, _ = H.resolve_target(target, model)
    standoff = device.default_distance_mm if distance_mm is None else float(distance_mm)
    channels = [c for c in device.channels if device.average_power_mw(c) > 0
                and (channel_ids is None or c.id in channel_ids)]
    if not channels:
        raise PhotodoseInputError("device", device_id, "a device with at least one enabled channel")
    seconds = float(minutes) * 60.0
    per_channel = max(1, int(photons) // len(channels))
    scalp_points = [H.scalp_point(model, n)[0] for n in names]
    cortex = scalp = frac = gm_abs = 0.0
    var_cortex = var_scalp = var_frac = var_gm = 0.0
    gm_fluence = None
    spec = missed = 0.0
    power_site_w = sum(device.average_power_mw(c) for c in channels) / 1000.0
    total_w = power_site_w * len(names)
    used_nm, runs, by_channel = [], [], []
    runner = None
    if scheduler is not None:
        from functools import partial

        from ..scale.voxel_distributed import run_voxel_distributed

        runner = partial(run_voxel_distributed, scheduler=None if scheduler == "local" else scheduler)
    for c in channels:
        nm = float(wavelength_nm) if wavelength_nm is not None else float(c.wavelength_nm)
        used_nm.append(nm)
        offsets, share, order = device_emitters(device, c, standoff)
        conformal = device.layout_for(c).conformal
        pos, dirs, pw, orders = [], [], [], []
        for n in names:
            p, d, w, m = H.place_emitters(model, n, offsets, share, order, standoff, conformal)
            pos.append(p), dirs.append(d), pw.append(w), orders.append(m)
        run = H.run_head(np.vstack(pos), np.vstack(dirs), np.concatenate(pw), np.concatenate(orders), nm,
                         target=target_name, scalp_points_mm=scalp_points, photons=per_channel, seed=seed,
                         threads=threads, head=model, runner=runner)
        runs.append(run)
        watts = device.average_power_mw(c) / 1000.0 * len(names)
        e = watts * seconds
        (phi_t, se_t), (phi_s, se_s) = run.per_watt("target"), run.per_watt("scalp")
        (a_t, sa_t), (a_g, sa_g) = run.absorbed("target"), run.absorbed("grey_matter")
        cortex += phi_t * e
        var_cortex += (se_t * e) ** 2
        by_channel.append(ChannelHeadDose(channel=c.id, wavelength_nm=nm, power_w=watts,
                                          cortex_fluence_j_cm2=phi_t * e, cortex_fluence_stderr_j_cm2=se_t * e))
        scalp += phi_s * e
        var_scalp += (se_s * e) ** 2
        frac += a_t * watts / total_w
        var_frac += (sa_t * watts / total_w) ** 2
        gm_abs += a_g * watts / total_w
        var_gm += (sa_g * watts / total_w) ** 2
        f = run.result.fluence_per_cm2 * e
        gm_fluence = f if gm_fluence is None else gm_fluence + f
        spec += run.result.specular * watts / total_w
        missed += run.result.missed * watts / total_w
    gm_values = gm_fluence[(model.volume.labels == H.GREY) & (gm_fluence > 0)]
    energy = total_w * seconds
    radius = math.sqrt(device.emitting_area_mm2 / math.pi)
    incident = power_site_w * seconds / (device.emitting_area_mm2 / 100.0)
    flat = _flat_stack([(nm, device.average_power_mw(c) / 1000.0) for nm, c in zip(used_nm, channels)], seconds,
                       radius, max(20_000, per_channel // 4), seed, threads)
    first = runs[0].result
    sites = [_anatomy(model, n) for n in names]
    dose = HeadDose(
        device=device.id, positions=names, target=target_name, minutes=float(minutes), wavelengths_nm=used_nm,
        power_per_site_w=power_site_w, energy_emitted_j=energy,
        cortex_fluence_j_cm2=cortex, cortex_fluence_stderr_j_cm2=math.sqrt(var_cortex),
        scalp_fluence_j_cm2=scalp, scalp_fluence_stderr_j_cm2=math.sqrt(var_scalp),
        incident_fluence_j_cm2=incident, fraction_at_cortex=cortex / incident,
        fraction_at_cortex_stderr=math.sqrt(var_cortex) / incident,
        energy_fraction_at_cortex=frac, energy_fraction_at_cortex_stderr=math.sqrt(var_frac),
        cortex_to_scalp_fluence_ratio=cortex / scalp if scalp > 0 else float("nan"), by_channel=by_channel,
        grey_matter=GreyMatterSummary(
            absorbed_fraction=gm_abs, absorbed_fraction_stderr=math.sqrt(var_gm), energy_j=gm_abs * energy,
            fluence_median_j_cm2=float(np.median(gm_values)) if gm_values.size else 0.0,
            fluence_p99_j_cm2=float(np.percentile(gm_values, 99)) if gm_values.size else 0.0,
            fluence_max_j_cm2=float(gm_values.max()) if gm_values.size else 0.0),
        sites=sites, flat_stack=flat, specular_fraction=spec, missed_fraction=missed,
        photons=sum(r.result.photons for r in runs), seed=seed, batches=first.batches, threads=first.threads,
        seconds=sum(r.result.seconds for r in runs), head_model=str(model.meta["name"]),
        assumptions=[
            "head: ICBM152 2009a brain with scalp and skull shells of measured regional mean thickness (here "
            f"scalp {np.mean([s.scalp_mm for s in sites]):.1f} mm and skull {np.mean([s.skull_mm for s in sites]):.1f} "
            f"mm under the positions) and a {model.meta['thickness_mm']['csf']:g} mm CSF shell (no frontal sinus, "
            "no temporalis muscle)",
            "optical properties: Cassano 2019 Table 1 at 670, 810, 850, 980 and 1064 nm, scaled through an assumed "
            "composition's spectrum between them (tissues.yaml)",
            f"target '{target_name}': the cortical surface (grey matter touching CSF) within the target radius of the "
            "cortex under its 10-20 positions",
            f"scalp fluence: mean over scalp voxels within {model.scalp_radius_mm:g} mm of each position "
            "(photodose assumption)",
            "the 10-20 positions of the MNI template scalp moved radially onto this head's scalp",
            "time-averaged power x time; no heating, no hair",
            "fraction_at_cortex: target fluence over the nominal incident fluence (power per site x time over the "
            "device's emitting area)",
        ],
        citations=["cassano2019", "fonov2009", "fonov2011", "oostenveld2001", "beam2009", "fang2009",
                   "craniofac2021", "thulung2019", "cakmakoglu2025", "wysong2013"],
    )
    return dose, gm_fluence
