"""Transcranial plans in 3-D (``plan --transport head3d``): the target dose is the cortex fluence in a real head.

Model. The device is placed at each 10-20 position (default: the positions of the protocol's head target, e.g. F3
and F4 for the dorsolateral prefrontal cortex, Beam et al. 2009), each placement for the whole session, and one
minute of it is traced through the segmented ICBM152 head by :func:`photodose.dosimetry.head_dose.head_dose` (voxel
Monte Carlo). Its cortex fluence per channel and minute, H_ch [J/cm^2/min], gives the channel's fluence rate at the
target psi_ch = 1000 H_ch / 60 [mW/cm^2], which replaces the flat stack's E_ch phi_ch(z_target): the planner's
phi_ch at the target becomes psi_ch / E_ch(d), with E_ch(d) the channel's mean irradiance over the treatment area at
the device's standoff d. Fluence is linear in power and time, so the planner's time solve, its options table and its
uncertainty samples all use the head's cortex dose unchanged. The target depth becomes the head's mean
scalp-to-cortex depth under the positions (the flat stack's depth-dose curve and its uncertainty ratios are taken
there). The standard error is the Monte Carlo's, from its batches.

Which plans (photodose choice, unsourced): a site on the head (:data:`HEAD_SITES`) and a device worn on or held to
the head (:data:`HEAD_DEVICE_KINDS`), at a fixed standoff (the one given, else the device's); panels and other
devices are refused, as are laser point plans and a custom target depth (the cortex is the target).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..dosimetry.depth_model import HEAD3D_LABEL, DepthModel
from ..errors import PhotodoseInputError
from .plan_model import HeadTransport, PlanTransport

HEAD_SITES = ("forehead", "scalp")
HEAD_DEVICE_KINDS = ("headset", "mask", "pad", "laser_probe", "wand")
SECONDS_PER_MINUTE = 60.0


@dataclass(frozen=True)
class HeadPlan:
    """The head run of one plan: per channel the target fluence rate psi_ch [mW/cm^2], and its record."""

    rate_mw_cm2: dict[str, float]
    record: HeadTransport

    @property
    def depth_mm(self) -> float:
        sites = self.record.sites
        return round(4 * sum(s.scalp_to_cortex_mm for s in sites) / len(sites)) / 4

    @property
    def depth_source(self) -> str:
        return (f"3-D head: mean scalp-to-cortex depth under {', '.join(self.record.positions)} "
                f"({', '.join(f'{s.scalp_to_cortex_mm:.1f}' for s in self.record.sites)} mm)")

    def phis(self, phis: dict, mean_mw_cm2: dict) -> dict:
        """The planner's (phi at target, phi curve) per channel with the head's psi_ch / E_ch at the target."""
        return {cid: (self.rate_mw_cm2[cid] / mean_mw_cm2[cid] if mean_mw_cm2[cid] > 0 else 0.0, curve)
                for cid, (_, curve) in phis.items()}

    def reasons(self) -> list[str]:
        r = self.record
        return [
            f"target dose: {HEAD3D_LABEL}: the device at {' and '.join(r.positions)}, {r.distance_mm:g} mm from the "
            f"scalp, each placement for the whole session; cortex = grey matter of the '{r.target}' target; "
            f"{r.cortex_fluence_j_cm2_per_min:.3g} +- {r.cortex_fluence_stderr_j_cm2_per_min:.2g} J/cm2 per minute "
            f"(Monte Carlo standard error {100 * r.relative_stderr:.1f} %, {r.photons:,} photons, seed {r.seed}, "
            f"{r.seconds:.0f} s); the flat {r.flat_stack_site} stack gives "
            f"{r.flat_stack_cortex_fluence_j_cm2_per_min:.3g} J/cm2 per minute at its cortex",
            "skin dose, energy and the options table are per placement; the depth-dose curve is the flat stack's",
            "the target's 90 % interval scales the head's cortex dose by the flat stack's relative change over the "
            "input ranges (photodose assumption: the head's shells vary as the flat stack's layers)",
        ]


def check_head_plan(req, device, protocol, site: str, points, head3d: bool) -> None:
    """Refuse, naming the option, what the 3-D head cannot plan (and head options without it)."""
    if not head3d:
        for option, value in (("position", req.head_positions), ("head-target", req.head_target)):
            if value:
                raise PhotodoseInputError(option, value, "only with --transport head3d")
        return
    if site not in HEAD_SITES:
        raise PhotodoseInputError("transport", "head3d", f"a site on the head ({', '.join(HEAD_SITES)}); this "
                                  f"plan's site is {site}")
    if device.kind not in HEAD_DEVICE_KINDS:
        raise PhotodoseInputError("transport", "head3d", f"a device worn on or held to the head "
                                  f"({', '.join(HEAD_DEVICE_KINDS)}); {device.id} is a {device.kind}")
    if req.target_depth_mm is not None:
        raise PhotodoseInputError("target-depth-mm", req.target_depth_mm, "no target depth with --transport head3d "
                                  "(the target is the cortex under --head-target)")
    if points is not None:
        raise PhotodoseInputError("transport", "head3d", f"a plan by dose per area; {protocol.id} is planned by "
                                  "laser points (WALT)")


def head_target(req, protocol) -> str:
    """The head target: --head-target, else the protocol's, else refused."""
    from ..transport.head import resolve_target

    name = req.head_target or (protocol.target.head_target if protocol else None)
    if name is None:
        raise PhotodoseInputError("head-target", None, "give --head-target: dlpfc, frontopolar or a 10-20 position "
                                  f"({protocol.id if protocol else 'the plan'} names no target in the head)")
    return resolve_target(name, field="head-target")[0]


def plan_head(req, device, protocol, channels, distance_mm: float, model: DepthModel) -> HeadPlan:
    """Place the device, trace one minute in the head (cached per device, channels, placement, photons and seed:
    :func:`plan_head_run` finds the run again)."""
    from ..transport.head import resolve_position, resolve_target

    target = head_target(req, protocol)
    positions = tuple(resolve_position(p) for p in (req.head_positions or resolve_target(target)[1]))
    if len(set(positions)) != len(positions):
        raise PhotodoseInputError("position", list(req.head_positions), "each position once")
    dose, _ = _head_minute(device.model_dump_json(), tuple(c.id for c in channels), positions, target,
                           float(distance_mm), model.photons, model.seed)
    rate = {row.channel: row.cortex_fluence_j_cm2 * 1000.0 / SECONDS_PER_MINUTE for row in dose.by_channel}
    return HeadPlan(rate_mw_cm2=rate, record=HeadTransport(
        head_model=dose.head_model, target=dose.target, positions=dose.positions, distance_mm=float(distance_mm),
        cortex_fluence_j_cm2_per_min=dose.cortex_fluence_j_cm2,
        cortex_fluence_stderr_j_cm2_per_min=dose.cortex_fluence_stderr_j_cm2,
        scalp_fluence_j_cm2_per_min=dose.scalp_fluence_j_cm2,
        fraction_at_cortex=dose.fraction_at_cortex, fraction_at_cortex_stderr=dose.fraction_at_cortex_stderr,
        flat_stack_site=dose.flat_stack.site,
        flat_stack_cortex_fluence_j_cm2_per_min=dose.flat_stack.cortex_fluence_j_cm2,
        sites=[s.model_dump() for s in dose.sites], photons=dose.photons, seed=dose.seed, seconds=dose.seconds,
        assumptions=dose.assumptions, citations=dose.citations))


def plan_transport(model: DepthModel, head: HeadPlan | None) -> PlanTransport:
    return PlanTransport(method=model.method, label=model.label(), head=None if head is None else head.record)


def plan_head_run(plan, device):
    """(HeadDose, fluence per voxel in J/cm^2) of the one-minute head run behind a ``head3d`` plan, None for others.

    Asked for by the plan's recorded inputs (``device``: the plan's Device; its channels, positions, target,
    distance, photons and seed), so a report or a page draws the run the plan's numbers come from: in the process
    that made the plan this is the cached run (no second Monte Carlo). On a cache miss (another process, an evicted
    entry) the run is repeated with the same inputs and seed; the voxel Monte Carlo is deterministic for a seed and
    the same at any thread count, so it is the same run. The caller should still compare its cortex fluence with
    the plan's (a changed device file or head model would give another run).
    """
    head = plan.transport.head if plan.transport is not None else None
    if head is None:
        return None
    channel_ids = tuple(row.channel for row in plan.surface.by_wavelength)
    return _head_minute(device.model_dump_json(), channel_ids, tuple(head.positions), head.target,
                        float(head.distance_mm), head.photons, head.seed)


@lru_cache(maxsize=16)
def _head_minute(device_json: str, channel_ids: tuple, positions: tuple, target: str, distance_mm: float,
                 photons: int, seed: int):
    """(HeadDose, fluence volume in J/cm^2 as float32: 3 MB) of one minute of the device at the positions."""
    from ..devices.model import Device
    from ..dosimetry.head_dose import head_dose_and_fluence

    dose, fluence = head_dose_and_fluence(Device.model_validate_json(device_json), list(positions), 1.0,
                                          photons=photons, target=target, distance_mm=distance_mm, seed=seed,
                                          channel_ids=list(channel_ids))
    fluence = fluence.astype("float32")
    fluence.flags.writeable = False   # shared by every caller of the cache
    return dose, fluence
