"""The planner: from device, body and condition to distance, time, schedule, dose at depth and verdicts.

Steps: resolve the protocol (or custom target) and the device channels; compute each channel's spectrally
weighted fluence per irradiance at the target (cached, fast model); scan distances (or take the given one)
and solve for the time that puts the planning dose at the window's geometric middle (:mod:`.inverse`);
evaluate the session (:mod:`.session_dose`) and, where fat lies above the target, the same session under each fat
preset (:mod:`.sensitivity`); judge skin and target against their windows; add the schedule,
the Jenkins & Carroll parameter table, reasons, warnings, citations; pass the plan through the safety gate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..bibliography import UNSOURCED, citation
from ..errors import PhotodoseInputError
from ..optics.phototypes import normalise_skin_type
from ..optics.sites import site_layers
from ..protocols.library import citations_for, get_protocol
from ..protocols.model import DoseWindow
from ..units import format_length
from .inverse import Constraints, Solution, solve
from ..devices.provenance import device_provenance
from .options import distance_time_options, option_grid
from .plan_model import BLOCKING_WORDS, STATUS_MEANING, Plan
from .points import finite_beam_dose, plan_points, point_protocol, points_doc, points_reasons, points_window
from .reporting import SOURCE as JENKINS_CARROLL, reporting_parameters
from .request import PlanRequest
from ..dosimetry.depth_model import parse_depth_model
from .head3d import check_head_plan, plan_head, plan_transport
from .safety_link import safety_for_plan
from .schedule import recommend_schedule
from .sensitivity import fat_preset_sensitivity
from ..dosimetry.session_dose import (MM2_PER_CM2, TissueModel, channel_lights, channel_phis, load_device_any,
                                      session_dose_from_lights, treatment_area_cm2)
from ..dosimetry.surface import SurfaceIrradiance, choose_channels
from ..dosimetry.tissue import model_notes
from .uncertainty import dose_distribution
from .windows import verdict, window_goal_j_cm2

NOTE = "photodose informs; it does not diagnose or prescribe."
DISTANCE_RANGE_MM = (20.0, 600.0)   # photodose default search range for projected devices (stated choice)
DISTANCE_SCAN_POINTS = 16
CUSTOM_SESSION_S = (60.0, 1800.0)   # photodose default bounds for a custom target (stated choice, unsourced)
ANY_SESSION_S = (60.0, 3600.0)  # photodose default hard bounds where a protocol's range is unsourced (unsourced)
WAVELENGTH_TOLERANCE_NM = 30.0
WORN_KINDS = ("mask", "headset", "pad")  # worn on the body: distance fixed at the device's standoff


def _window_doc(w: DoseWindow | None, value: float | None, where: str) -> dict | None:
    if w is None:
        return None
    return {"at": where, "low_j_cm2": w.low_j_cm2, "high_j_cm2": w.high_j_cm2,
            "goal_j_cm2": window_goal_j_cm2(w.low_j_cm2, w.high_j_cm2),
            "fluence_j_cm2": value, "verdict": None if value is None else verdict(value, w.low_j_cm2, w.high_j_cm2),
            "source": w.source, "unsourced": w.unsourced, "citations": list(w.citations)}


def _custom_window(req: PlanRequest) -> DoseWindow | None:
    if req.window_j_cm2 is None:
        return None
    lo, hi = req.window_j_cm2
    return DoseWindow(low_j_cm2=lo, high_j_cm2=hi, source="given by the user", unsourced=True)


def _distances(req: PlanRequest, device, unit: str, fixed: bool = False) -> tuple[np.ndarray, float, str]:
    """The distances to scan (one where given, worn or ``fixed``), the preferred one and why (in ``unit``)."""
    if req.distance_mm is not None:
        return np.array([req.distance_mm]), req.distance_mm, "distance given by the user"
    if fixed:
        d = device.default_distance_mm
        return np.array([d]), d, "3-D head: the device at its usual standoff"
    if device.contact or device.kind in WORN_KINDS or device.layout.conformal:
        d = device.default_distance_mm
        worn = f"{'contact' if device.contact else 'worn'} {device.kind.replace('_', ' ')}"
        return np.array([d]), d, f"{worn}: used at its standoff"
    lo, hi = req.distance_range_mm or DISTANCE_RANGE_MM
    lo = max(lo, 1.0)
    pref = min(max(device.default_distance_mm, lo), hi)
    scan = np.unique(np.round(np.concatenate([np.geomspace(lo, hi, DISTANCE_SCAN_POINTS), [pref]]), 1))
    why = ("preferred range" if req.distance_range_mm else "photodose default search range")
    return scan, pref, (f"distance chosen in the {why} {lo:.0f}-{hi:.0f} mm, balancing the window's goal, the "
                        f"device's usual {format_length(pref, unit)} and the usual session "
                        "length (least squares on log scales, photodose choice)")


def distance_unit(req: PlanRequest, device) -> str:
    """The unit distances are shown in: the one the person typed, else the one of the device's usual distance."""
    return req.distance_unit or device.default_distance_unit


@dataclass(frozen=True)
class Goal:
    """What the plan aims at: the window it plans on ("target" or "skin"), both windows, the target depth."""

    basis: str
    window: DoseWindow
    skin_window: DoseWindow | None
    target_window: DoseWindow | None
    target_depth_mm: float
    depth_source: str

    @property
    def goal_j_cm2(self) -> float:
        return window_goal_j_cm2(self.window.low_j_cm2, self.window.high_j_cm2)


def resolve_goal(req: PlanRequest, protocol) -> Goal:
    """The planning goal: a custom target window wins over the protocol's target window, else the skin window."""
    target_window = _custom_window(req) or (protocol.target_window if protocol else None)
    skin_window = protocol.skin_window if protocol else None
    custom_depth = req.target_depth_mm is not None
    return Goal(basis="target" if target_window is not None else "skin", window=target_window or skin_window,
                skin_window=skin_window, target_window=target_window,
                target_depth_mm=req.target_depth_mm if custom_depth else protocol.target.depth_mm,
                depth_source="given by the user" if custom_depth else protocol.target.source)


def _planning_rate_mw_cm2(mean_mw_cm2: dict, channels, phis, basis: str) -> float:
    """The planning dose rate from each channel's mean irradiance: the fluence rate at the target (``basis``
    "target": sum of E_ch phi_ch) or the total surface irradiance."""
    if basis == "target":
        return sum(mean_mw_cm2[c.id] * phis[c.id][0] for c in channels)
    return sum(mean_mw_cm2.values())


def _scan(channels, surface, phis, distances, basis: str) -> tuple[list, list, list]:
    """Planning dose rate, total mean and total peak surface irradiance (mW/cm^2) at each distance."""
    mean = [surface.mean_mw_cm2(d) for d in distances]
    peak = [sum(surface.peak_mw_cm2(d).values()) for d in distances]
    surf = [sum(m.values()) for m in mean]
    rate = [_planning_rate_mw_cm2(m, channels, phis, basis) for m in mean]
    return rate, surf, peak


def plan(req: PlanRequest) -> Plan:
    """Plan a session: the typed :class:`~photodose.planning.plan_model.Plan` (the ``plan --json`` contract)."""
    device = load_device_any(req.device)
    protocol = get_protocol(req.condition) if req.condition else None
    model = parse_depth_model(req.transport)
    tissue = TissueModel(req.site or protocol.site, normalise_skin_type(req.skin_type or "III"), req.thickness_mm,
                         model.slab, req.tissue)
    goal = resolve_goal(req, protocol)
    warnings: list[str] = []

    channels = choose_channels(device, req.channels)
    surface = SurfaceIrradiance(device, [c.id for c in channels])
    head3d = model.method == "head3d"
    unit = distance_unit(req, device)
    distances, preferred, distance_reason = _distances(req, device, unit, fixed=head3d)
    laser_points = point_protocol(device, protocol)
    head = None
    check_head_plan(req, device, protocol, tissue.site, laser_points, head3d)
    if head3d:
        head = plan_head(req, device, protocol, channels, preferred, model)
        goal = replace(goal, target_depth_mm=head.depth_mm, depth_source=head.depth_source)
    phis = channel_phis(channels, tissue, goal.target_depth_mm)
    if head is not None:
        phis = head.phis(phis, surface.mean_mw_cm2(preferred))
    irr_limit, irr_source = _irradiance_limit(protocol, req)
    if laser_points is None:
        rate, surf, peak = _scan(channels, surface, phis, distances, goal.basis)
        bounds = session_bounds(protocol, req, warnings)
        t_lo, t_hi, t_source = bounds.min_s, bounds.max_s, bounds.source
        skin_bounds = ((goal.skin_window.low_j_cm2, goal.skin_window.high_j_cm2)
                       if (goal.skin_window and goal.basis == "target") else None)
        sol = solve(distances, rate, surf, peak, goal.goal_j_cm2,
                    Constraints(t_lo, t_hi, irr_limit, skin_bounds, t_source, irr_source,
                                window_j_cm2=(goal.window.low_j_cm2, goal.window.high_j_cm2),
                                fixed_time_s=bounds.fixed_s, preferred_time_s=bounds.preferred_s), preferred)
        points, dose_time_s, area_cm2 = None, sol.time_s, treatment_area_cm2(device)
    else:
        points = plan_points(laser_points, sum(device.average_power_mw(c) for c in channels),
                             device.emitting_area_mm2 / MM2_PER_CM2, [c.wavelength_nm for c in channels],
                             max_session_s=None if req.max_minutes is None else req.max_minutes * 60,
                             max_irradiance_mw_cm2=req.max_irradiance_mw_cm2)
        sol = Solution(preferred, points.session_seconds, not points.blocking, points.blocking, points.messages)
        dose_time_s, area_cm2 = points.seconds_per_point, points.beam_area_cm2
        t_lo, t_hi = (points.count * t for t in laser_points.seconds_per_point)
        t_source = "WALT 2010: points x 20-300 s per point"
        warnings.extend(points.warnings)

    lights = channel_lights(channels, surface, sol.distance_mm, phis)
    dose = session_dose_from_lights(lights, dose_time_s, area_cm2, goal.target_depth_mm)
    beam = None
    if points is not None:
        dose, beam = finite_beam_dose(dose, tissue, points.beam_area_cm2)
    spread = None
    if points is None and dose["target"] is not None:
        spread = dose_distribution(tissue, channels, lights, dose_time_s, goal.target_depth_mm, goal.skin_window,
                                   goal.target_window, device, sol.distance_mm, surface=surface)
        dose = _with_distribution(dose, spread)
    fat = fat_preset_sensitivity(tissue, channels, lights, dose_time_s, goal.target_depth_mm, goal.target_window)
    if fat and points is not None and beam is not None:  # the finite-beam ratio is only known for the plan's presets
        fat["model"] += (f"; wide-field values: this plan's own target dose also applies the finite-beam ratio "
                         f"{beam.ratio:.2f} (computed for its presets only)")
    skin_doc = _window_doc(goal.skin_window, dose["surface"]["fluence_j_cm2"], "skin")
    target_doc = _window_doc(goal.target_window, dose["target"]["fluence_j_cm2"], "target")
    if points is None:
        window = dict(target_doc if goal.basis == "target" else skin_doc, basis=goal.basis)
        if spread is not None:
            window["probability_inside"] = (spread.target_probability_inside if goal.basis == "target"
                                            else spread.skin_probability_inside)
    else:
        window = points_window(points, skin_doc)
        dose = dict(dose, session_seconds=points.session_seconds, energy_j=points.total_energy_j)
    schedule = recommend_schedule(protocol)
    if not sol.feasible:
        warnings.append("no plan meets every constraint; blocked by: "
                        + ", ".join(BLOCKING_WORDS.get(b, b.replace("_", " ")) for b in sol.blocking))
        warnings.extend(sol.messages)
    _protocol_warnings(protocol, channels, goal.window if points is None else None, warnings)
    _reach_warnings(req, protocol, tissue.site, goal, dose, warnings)
    warnings.extend(model_notes(tissue.site, tissue.skin_type, tissue.depth_model))
    if points is not None and window["verdict"] != "inside":
        warnings.append(f"{points.j_per_point:.3g} J per point is {window['verdict']} the WALT 2010 dose "
                        f"{points.required_j_per_point:.3g} J per point")
    elif window["verdict"] != "inside":
        warnings.append(f"{goal.basis} dose {window['fluence_j_cm2']:.3g} J/cm2 is {window['verdict']} the window")

    if points is None:
        warnings.extend(_preference_notes(bounds, sol))
    doc = {
        "status": "planned" if sol.feasible else (
            "compromise" if window["verdict"] == "inside" else "no_feasible_plan"),
        "device": device.id, "condition": protocol.id if protocol else None,
        "category": protocol.category if protocol else "custom",
        "protocol": _protocol_doc(protocol), "site": tissue.site, "skin_type": tissue.skin_type,
        "session_seconds": round(dose["session_seconds"], 1), "distance_mm": sol.distance_mm, "distance_unit": unit,
        "surface": dose["surface"], "area_cm2": dose["area_cm2"], "energy_j": dose["energy_j"],
        "target": dict(dose["target"], tissue=protocol.target.tissue if (protocol and req.target_depth_mm is None)
                       else "custom target", sensitivity={"subcutaneous_fat_preset": fat} if fat else {},
                       judged=goal.basis == "target" and points is None,
                       probability_inside=spread.target_probability_inside if spread else None),
        "tissue_presets": dict(tissue.tissue or {}),
        "window": window, "windows": {"skin": skin_doc, "target": target_doc},
        "schedule": schedule, "depth_dose": dose["depth_dose"],
        "constraints": {"min_session_s": t_lo, "max_session_s": t_hi, "max_irradiance_mw_cm2": irr_limit,
                        "blocking": sol.blocking},
        "reasons": _reasons(channels, f"{distance_reason}: {format_length(sol.distance_mm, unit)}", sol, goal,
                            (t_lo, t_hi, t_source), tissue, schedule,
                            points_reasons(points, laser_points, beam) if points else None)
                   + (head.reasons() if head else []),
        "warnings": warnings,
        "reporting_parameters": reporting_parameters(device, channels, dose, sol.distance_mm, tissue.site,
                                                     protocol.target.tissue if protocol else None, schedule,
                                                     points, unit),
        "citations": _citations(protocol, spread, head.record.citations if head else ()),
        "note": NOTE,
        "options": [] if points is not None else _options(req, device, surface, channels, phis, goal, sol, unit,
                                                          head3d),
        "device_provenance": device_provenance(device),
        "transport": plan_transport(model, head),
    }
    if points is not None:
        doc["points"] = points_doc(points, dose["target"]["fluence_j_cm2"] if dose["target"] else None, beam)
    doc = _apply_safety(doc, safety_for_plan(doc, device, channels, req, surface, tissue))
    return Plan.model_validate(doc | {"status_meaning": STATUS_MEANING[doc["status"]]})


def _with_distribution(dose: dict, spread) -> dict:
    """The dose document with the target as its median and 90 % interval, and the depth band."""
    nominal = dose["target"]["fluence_j_cm2"]
    target = dict(dose["target"], fluence_j_cm2=spread.fluence_j_cm2, fluence_j_cm2_nominal=nominal,
                  fluence_j_cm2_interval=list(spread.fluence_j_cm2_interval))
    band = spread.depth_band
    depth_dose = dict(dose["depth_dose"], total_j_cm2_p05=list(band.p5_j_cm2), total_j_cm2_p95=list(band.p95_j_cm2))
    return dict(dose, target=target, depth_dose=depth_dose)


def _options(req: PlanRequest, device, surface, channels, phis, goal: Goal, sol, unit: str,
             head3d: bool = False) -> list[dict]:
    """The distance x time table (:mod:`.options`) around the plan, in ``unit`` (:func:`distance_unit`; one distance for
    a worn device and for a 3-D head plan, whose target dose is known at its own standoff only)."""
    fixed = head3d or device.contact or device.kind in WORN_KINDS or device.layout.conformal
    distances, minutes = option_grid(sol.distance_mm, sol.time_s / 60, unit, fixed, req.max_minutes)
    if req.minutes is not None:
        minutes = sorted({*minutes, float(req.minutes)})

    def skin(d):
        return sum(surface.mean_mw_cm2(d).values())

    def planning(d):
        return _planning_rate_mw_cm2(surface.mean_mw_cm2(d), channels, phis, goal.basis)

    return distance_time_options(skin, planning, distances, minutes,
                                 (goal.window.low_j_cm2, goal.window.high_j_cm2), unit)


def _preference_notes(bounds: SessionBounds, sol) -> list[str]:
    """Say where the plan departs from an unsourced preference (it never blocks a plan)."""
    notes = []
    if bounds.preferred_s is not None and not (bounds.preferred_s[0] <= sol.time_s <= bounds.preferred_s[1]):
        lo, hi = (x / 60 for x in bounds.preferred_s)
        side = "shorter" if sol.time_s < bounds.preferred_s[0] else "longer"
        notes.append(f"{sol.time_s / 60:.1f} min is {side} than the usual {lo:g}-{hi:g} min, a preference only "
                     f"({bounds.preferred_source}); the dose window decides. See the options table for other "
                     "distances and times")
    return notes


def _reasons(channels, distance_line: str, sol, goal: Goal, bounds: tuple, tissue, schedule: dict,
             dose_reasons: list[str] | None = None) -> list[str]:
    """Why each choice; ``dose_reasons`` (a point plan's) replace the window-goal and session-time lines."""
    t_lo, t_hi, t_source = bounds
    w = goal.window
    timing = ("puts the dose inside the window, as near its goal as the preferences allow" if sol.feasible
              else "is the bound nearest the goal (no time within the bounds reaches it; see warnings)")
    return [
        f"channels: {', '.join(f'{c.id} ({c.wavelength_nm:g} nm)' for c in channels)}",
        distance_line,
        *(dose_reasons or [
            f"planning on the {goal.basis} window {w.low_j_cm2:g}-{w.high_j_cm2:g} J/cm2; goal "
            f"{goal.goal_j_cm2:.3g} J/cm2 = geometric middle sqrt(low x high) (log-dose middle of a biphasic window)",
            f"session time {sol.time_s:.0f} s {timing}; bounds {t_lo:.0f}-{t_hi:.0f} s ({t_source})"]),
        f"target depth {goal.target_depth_mm:g} mm: {goal.depth_source}",
        f"dose at depth: {tissue.depth_model.label()} on the {tissue.site} stack, phototype {tissue.skin_type}, "
        "integrated over each channel's emission spectrum",
        *_tissue_reasons(tissue),
        f"schedule: {schedule['source']}",
    ]


def _tissue_reasons(tissue) -> list[str]:
    """One line naming the layers whose tissue preset the user swapped, with the site's own presets."""
    if not tissue.tissue:
        return []
    own = {layer["name"]: layer["tissue"] for layer in site_layers(tissue.site)}
    return ["tissue presets chosen by the user: " + ", ".join(
        f"{layer} = {preset} (instead of the site's {own[layer]})" for layer, preset in tissue.tissue.items())]


def _apply_safety(doc: dict, safety: dict) -> dict:
    """Attach the gate's verdict; a refused plan recommends no session time and lists each failed check."""
    doc["safety"] = safety
    if safety["status"] == "refused":
        doc.update(status="refused", session_seconds=None)
        doc["warnings"].insert(0, "refused by the safety gate: " + "; ".join(
            f"{c['name']}: {c['message']}" + (f" (remedy: {c['remedy']})" if c.get("remedy") else "")
            for c in safety["checks"] if c["status"] == "fail"))
    return doc


@dataclass(frozen=True)
class SessionBounds:
    """Hard session bounds (s) with their source, a fixed time (s) and the preferred, unsourced range (s)."""

    min_s: float
    max_s: float
    source: str
    fixed_s: float | None = None
    preferred_s: tuple[float, float] | None = None
    preferred_source: str | None = None


def session_bounds(protocol, req: PlanRequest, warnings: list) -> SessionBounds:
    """What the session time must and should be.

    ``--minutes`` fixes it; ``--min-minutes`` / ``--max-minutes`` and a sourced protocol range bound it; an
    unsourced protocol range is only a preference (the planner leans towards it, never past the window); without
    any, photodose's wide default bounds apply (:data:`ANY_SESSION_S`, unsourced).
    """
    preferred = preferred_source = None
    if protocol is not None and not protocol.session.unsourced:
        lo, hi, source = protocol.session.min_s, protocol.session.max_s, protocol.session.source
    else:
        lo, hi = ANY_SESSION_S if protocol is not None else CUSTOM_SESSION_S
        source = f"{UNSOURCED}: sessions of {lo / 60:g}-{hi / 60:g} min"
        if protocol is not None:
            preferred = (protocol.session.min_s, protocol.session.max_s)
            preferred_source = protocol.session.source
    if req.min_minutes is not None:
        lo, source = req.min_minutes * 60, f"your shortest session, {req.min_minutes:g} min"
    if req.max_minutes is not None:
        hi, source = req.max_minutes * 60, (f"your longest session, {req.max_minutes:g} min" if req.min_minutes is None
                                            else f"your sessions of {req.min_minutes:g}-{req.max_minutes:g} min")
    if hi < lo:
        if req.min_minutes is not None and req.max_minutes is not None:
            raise PhotodoseInputError("min-minutes", req.min_minutes,
                                      f"at most --max-minutes ({req.max_minutes:g})")
        warnings.append(f"the session is capped at {hi:.0f} s, below the minimum {lo:.0f} s; the minimum is "
                        "lowered to it")
        lo = hi
    fixed = None
    if req.minutes is not None:
        fixed = req.minutes * 60
        lo = hi = fixed
        source = f"your session length, {req.minutes:g} min"
    return SessionBounds(lo, hi, source, fixed, preferred if fixed is None else None, preferred_source)


def _irradiance_limit(protocol, req: PlanRequest) -> tuple[float | None, str]:
    limits = []
    if req.max_irradiance_mw_cm2 is not None:
        limits.append((req.max_irradiance_mw_cm2, "--max-irradiance"))
    if protocol is not None and protocol.max_irradiance is not None:
        limits.append((protocol.max_irradiance.value_mw_cm2, protocol.max_irradiance.source))
    if not limits:
        return None, "no irradiance limit"
    return min(limits)


def _protocol_warnings(protocol, channels, window, warnings: list) -> None:
    if window is not None and window.unsourced:
        warnings.append(f"the dose window is unsourced: {window.source}")
    if protocol is None:
        return
    for ch in channels:
        if min(abs(ch.wavelength_nm - nm) for nm in protocol.wavelengths_nm) > WAVELENGTH_TOLERANCE_NM:
            warnings.append(f"channel {ch.id} ({ch.wavelength_nm:g} nm) is outside the protocol's wavelengths "
                            f"({', '.join(f'{nm:g}' for nm in protocol.wavelengths_nm)} nm); its dose is counted")
    if (protocol.evidence.level in ("mixed", "negative", "unsourced", "early")
            or "UNVERIFIED" in protocol.evidence.level):
        warnings.append(f"evidence: {protocol.evidence.label} - {protocol.evidence.statement}")
    if protocol.site_note:
        warnings.append(protocol.site_note)


# photodose display choice (unsourced): below this share of the skin dose, a skin-window verdict is flagged as
# saying nothing about the target.
NEGLIGIBLE_TARGET_SHARE = 0.01


def _reach_warnings(req: PlanRequest, protocol, site: str, goal: Goal, dose: dict, warnings: list) -> None:
    """Flag a plan whose verdict could mislead: another site than the protocol's, or a target the light barely
    reaches."""
    if protocol is not None and req.site and site != protocol.site:
        warnings.append(f"site {site} is not the protocol's site ({protocol.site}): its target depth and dose window "
                        f"were set for {protocol.site}")
    skin_j_cm2, target_j_cm2 = dose["surface"]["fluence_j_cm2"], dose["target"]["fluence_j_cm2"]
    if goal.basis == "skin" and skin_j_cm2 > 0 and target_j_cm2 < NEGLIGIBLE_TARGET_SHARE * skin_j_cm2:
        warnings.append(f"only {100 * target_j_cm2 / skin_j_cm2:.2g} % of the skin dose reaches the target at "
                        f"{goal.target_depth_mm:g} mm ({target_j_cm2:.2g} J/cm2): the verdict is about the skin, "
                        "not the target (photodose flags shares under 1 %, a display choice)")


def _protocol_doc(protocol) -> dict | None:
    if protocol is None:
        return None
    return {"id": protocol.id, "name": protocol.name, "wavelengths_nm": list(protocol.wavelengths_nm),
            "evidence": {"level": protocol.evidence.level, "label": protocol.evidence.label,
                         "statement": protocol.evidence.statement},
            "reference_dose": protocol.reference_dose}


def _citations(protocol, spread=None, keys=()) -> list[dict]:
    """The protocol's citations, the uncertainty ranges' and those of ``keys`` (bibliography keys), once each."""
    cites = [c.model_dump() | {"text": c.short()} for c in citations_for(protocol)] if protocol else []
    if spread is not None:
        known = {c["key"] for c in cites}
        cites += [{"key": key, "text": text} for key, text in spread.citations.items() if key not in known]
    known = {c["key"] for c in cites}
    cites += [citation(key).model_dump() | {"text": citation(key).short()} for key in keys if key not in known]
    cites.append({"key": "jenkins2011", "text": JENKINS_CARROLL})
    return cites
