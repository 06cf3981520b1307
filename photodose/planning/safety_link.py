"""Pass a plan through the safety gate (``photodose.safety.gate.evaluate``); return {"status", "checks", ...}.

The context is filled from the plan: per-channel mean and pulse-peak irradiance at the chosen distance, the
device kind, its luminous size (equivalent disc of the emitting area), irradiance against distance (so remedies
can name a distance), session length, site, transcranial use, and the absorbed power density
Q(z) = sum_ch E_ch sum_k w_k mua(z; lambda_k) phi(z; lambda_k) for the bioheat check. The person's screening
answers, goggles and prior sessions come from ``PlanRequest.safety`` when given (``photodose plan --profile`` and
the web app fill them from the journal: ``planning.person``); the overdose bounds come from the protocol
(:func:`protocol_bounds`) unless the request gives its own.
"""

from __future__ import annotations

import math

import numpy as np

from .tissue import CURVE_DEPTHS_MM, absorbed_per_irradiance_per_cm

VISIBLE_MAX_NM = 700.0
MW_PER_W = 1000.0
# photodose default, unsourced: sessions on one site on different days, as a 3-5 sessions a week schedule implies
MIN_HOURS_BETWEEN_SESSIONS = 20.0


# Without a protocol (a session logged without a plan): photodose defaults, not published limits (photodose
# assumption (unsourced)): the top of the commonly quoted 4-60 J/cm2 window as the day's bound at one site, and
# at most 5 sessions a week. Huang et al. 2009 (huang2009) supports only that more is not better, not these numbers.
DEFAULT_BOUNDS_SOURCE = ("photodose defaults without a protocol (photodose assumption (unsourced)): 60 J/cm2 a day "
                         "at one site, 5 sessions a week, 20 h apart; not published limits (Huang et al. 2009 "
                         "supports only that more is not better)")
DEFAULT_BOUNDS = {"max_fluence_per_day_j_cm2": 60.0, "max_sessions_per_week": 5,
                  "min_hours_between_sessions": MIN_HOURS_BETWEEN_SESSIONS}


def protocol_bounds(protocol) -> dict:
    """Overdose bounds of a protocol, photodose defaults (photodose assumption (unsourced)), not published limits:
    a day's surface fluence at one site at most the top of the protocol's skin window, at most its schedule's
    sessions per week (the top of its range), and sessions at least MIN_HOURS_BETWEEN_SESSIONS apart. Huang et al.
    2009 (huang2009) supports only the principle (more is not better), none of these numbers."""
    schedule = protocol.schedule
    per_week = schedule.sessions_per_week_range[1] if schedule.sessions_per_week_range else schedule.sessions_per_week
    return {"max_fluence_per_day_j_cm2": protocol.skin_window.high_j_cm2 if protocol.skin_window else None,
            "max_sessions_per_week": per_week, "min_hours_between_sessions": MIN_HOURS_BETWEEN_SESSIONS}


def safety_for_plan(plan_doc: dict, device, channels, req, surface, tissue) -> dict:
    """The gate's verdict on the plan as a JSON-ready dict."""
    from ..safety.gate import evaluate

    report = evaluate(build_context(plan_doc, device, channels, req, surface, tissue))
    return {"status": report.status, "checks": [c.model_dump() for c in report.checks],
            "risk_group": report.risk_group, "risk_groups": report.risk_groups,
            "goggles_required": report.goggles_required,
            "unprotected_viewing_allowed_s": report.unprotected_viewing_allowed_s}


def _distance_points(device, channel_ids, distance_mm: float) -> list[dict] | None:
    from ..devices.irradiance import on_axis_irradiance_mw_cm2

    d = np.unique(np.concatenate([np.geomspace(max(distance_mm, 5.0) / 4, max(distance_mm, 5.0) * 8, 12),
                                  [distance_mm]]))
    d = d[d > 0] if device.layout.kind != "area" else d
    e = np.asarray(on_axis_irradiance_mw_cm2(device, d, channel_ids), float)
    e_use = float(np.interp(distance_mm, d, e))
    if e_use <= 0:
        return None
    return [{"distance_mm": float(x), "relative_irradiance": float(v / e_use)} for x, v in zip(d, e)]


def build_context(plan_doc: dict, device, channels, req, surface, tissue):
    """Fill the gate's SafetyContext from the plan."""
    from ..safety.gate import SafetyContext

    distance = plan_doc["distance_mm"]
    rows = surface.at(distance)
    ctx_channels = [{"wavelength_nm": ch.wavelength_nm, "spectrum": ch.spectrum,
                     "irradiance_mw_cm2": rows[ch.id]["mean_irradiance_mw_cm2"],
                     "peak_irradiance_mw_cm2": rows[ch.id].get("peak_pulse_irradiance_mw_cm2")} for ch in channels]
    heat = sum(rows[ch.id]["mean_irradiance_mw_cm2"]
               * absorbed_per_irradiance_per_cm(ch.spectrum, tissue.site, tissue.skin_type, CURVE_DEPTHS_MM,
                                                tissue.thickness_mm, model=tissue.depth_model, tissue=tissue.tissue)
               for ch in channels) / MW_PER_W
    protocol = plan_doc.get("protocol")
    person = dict(req.safety or {})
    if protocol and "bounds" not in person:
        from ..protocols import get_protocol

        person["bounds"] = protocol_bounds(get_protocol(protocol["id"]))
    return SafetyContext(
        device_kind=device.kind, is_laser=device.kind == "laser_probe", channels=ctx_channels,
        source_diameter_mm=math.sqrt(4 * device.emitting_area_mm2 / math.pi),
        irradiance_vs_distance=_distance_points(device, [c.id for c in channels], distance),
        distance_mm=distance, session_seconds=max(plan_doc["session_seconds"], 1e-3), site=tissue.site,
        transcranial=bool(protocol and plan_doc.get("category") == "transcranial") or tissue.site == "forehead",
        pulsed_visible=any(device.pulsing_for(c) is not None and c.wavelength_nm < VISIBLE_MAX_NM for c in channels),
        heat_source={"depth_mm": list(CURVE_DEPTHS_MM), "w_per_cm3": [float(q) for q in heat]},
        **person,
    )
