"""One safety verdict for one session (:func:`session_safety`): ``plan``, ``safety device`` and ``log session``.

The context is filled from the session: per-channel mean irradiance at the skin (spatial and pulse peak for the
short skin limit), the irradiance at the eye where the eye is (:mod:`photodose.safety.eye_geometry`), the
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
from pydantic import BaseModel, ConfigDict

from ..safety.checks import SafetyReport
from ..safety.eye_geometry import EyeGeometry
from ..dosimetry.tissue import CURVE_DEPTHS_MM, absorbed_per_irradiance_per_cm, lateral_spread_mm
from ..safety.skin_checks import contact_beam_radius_mm

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


def overdose_bounds(protocol_id: str | None) -> dict:
    """The overdose bounds for a session: its protocol's (:func:`protocol_bounds`), else :data:`DEFAULT_BOUNDS`."""
    if protocol_id is None:
        return dict(DEFAULT_BOUNDS)
    from ..protocols import get_protocol

    return protocol_bounds(get_protocol(protocol_id))


DEFAULT_SITE_BY_KIND = {"mask": "face", "headset": "forehead"}
# photodose assumption (unsourced): `safety device` without --site judges a body device on the thigh (eye off axis)
DEFAULT_BODY_SITE = "thigh"


def default_site(device_kind: str) -> str:
    """The site a device kind is usually used on (mask: face, headset: forehead), else DEFAULT_BODY_SITE."""
    return DEFAULT_SITE_BY_KIND.get(device_kind, DEFAULT_BODY_SITE)


class SessionSafety(BaseModel):
    """The gate's verdict on one session (``report``) and where the eye was assumed to be (``eye``)."""

    model_config = ConfigDict(frozen=True)
    report: SafetyReport
    eye: EyeGeometry

    def doc(self) -> dict:
        """The JSON-ready verdict: what ``plan --json`` holds as ``safety`` and ``safety device --json`` prints."""
        return self.report.model_dump()


def session_context(device, *, site: str, distance_mm: float, session_seconds: float, channels=None,
                    surface=None, tissue=None, eye_distance_mm: float | None = None, goggles: bool = False,
                    transcranial: bool | None = None, person: dict | None = None):
    """The gate's :class:`SafetyContext` for one session of ``device`` at ``site`` (see :func:`session_safety`)."""
    from ..devices.irradiance import on_axis_irradiance_mw_cm2
    from ..safety.from_device import classification_channels, distance_table, eye_channels, pulsed_visible
    from ..safety.eye_geometry import canonical_site, eye_geometry
    from ..safety.gate import SafetyContext
    from ..dosimetry.session_dose import TissueModel
    from ..dosimetry.surface import SurfaceIrradiance, choose_channels

    channels = list(channels) if channels is not None else choose_channels(device, None)
    surface = surface or SurfaceIrradiance(device, [c.id for c in channels])
    site = canonical_site(site)
    if site == "unspecified":
        from ..errors import PhotodoseInputError

        raise PhotodoseInputError("site", site, "a body site (the heating and eye checks depend on it)")
    tissue = tissue or TissueModel(site)
    person = dict(person or {})
    goggles = bool(person.pop("goggles", goggles))
    rows = surface.at(distance_mm)
    skin = [{"wavelength_nm": ch.wavelength_nm, "spectrum": ch.spectrum,
             "irradiance_mw_cm2": rows[ch.id]["mean_irradiance_mw_cm2"],
             "peak_irradiance_mw_cm2": max(rows[ch.id]["peak_irradiance_mw_cm2"],
                                           rows[ch.id].get("peak_pulse_irradiance_mw_cm2") or 0.0)}
            for ch in channels]
    heat_depths_mm = heat_source_depths_mm(tissue)
    heat_per_channel = [rows[ch.id]["mean_irradiance_mw_cm2"]
                        * absorbed_per_irradiance_per_cm(ch.spectrum, tissue.site, tissue.skin_type, heat_depths_mm,
                                                         tissue.thickness_mm, model=tissue.depth_model,
                                                         tissue=tissue.tissue) / MW_PER_W
                        for ch in channels]
    heat = sum(heat_per_channel)
    is_laser = device.kind == "laser_probe"
    source_diameter_mm = math.sqrt(4 * device.emitting_area_mm2 / math.pi)
    spread = None
    if contact_beam_radius_mm(is_laser, source_diameter_mm, distance_mm) is not None:
        spread = _lateral_spread_mm(channels, heat_per_channel, tissue, heat_depths_mm)
    geometry = eye_geometry(site, device.kind, distance_mm, eye_distance_mm)
    at_eye, alpha_eye = eye_channels(device, channels, geometry)
    return SafetyContext(
        device_kind=device.kind, is_laser=is_laser, channels=skin,
        source_diameter_mm=source_diameter_mm,
        irradiance_vs_distance=distance_table(
            lambda d: on_axis_irradiance_mw_cm2(device, d, [c.id for c in channels]), distance_mm),
        distance_mm=distance_mm, session_seconds=max(session_seconds, 1e-3), site=site,
        transcranial=(site == "forehead") if transcranial is None else transcranial,
        pulsed_visible=pulsed_visible(device, channels),
        goggles=goggles, eye=geometry, eye_channels=at_eye, eye_alpha_rad=alpha_eye,
        classification_channels=classification_channels(device, channels, distance_mm),
        heat_source={"depth_mm": list(heat_depths_mm), "w_per_cm3": [float(q) for q in heat],
                     "lateral_spread_mm": spread},
        thermal_stack=_thermal_stack(tissue),
        **person,
    )


def _lateral_spread_mm(channels, heat_per_channel, tissue, depths_mm) -> list[float]:
    """The finite beam's lateral spread s(z) for the heating check: each channel's Monte Carlo spread
    (:func:`photodose.dosimetry.tissue.lateral_spread_mm`), combined where several channels heat as the second
    moment of their sum, s^2 = sum_k Q_k s_k^2 / sum_k Q_k."""
    spreads = [lateral_spread_mm(ch.spectrum, tissue.site, tissue.skin_type, depths_mm, tissue.thickness_mm,
                                 tissue.tissue) for ch in channels]
    q = np.array(heat_per_channel, dtype=float)
    s2 = np.array(spreads) ** 2
    total = q.sum(axis=0)
    mean_s2 = np.where(total > 0, (q * s2).sum(axis=0) / np.where(total > 0, total, 1.0), s2.mean(axis=0))
    return [float(v) for v in np.sqrt(mean_s2)]


FINE_HEAT_DEPTH_MM = 2.0     # the top of the skin, where the thin epidermis absorbs most of a dark skin's light
FINE_HEAT_STEP_MM = 0.01
BOUNDARY_OFFSET_MM = 1e-4     # sample each layer boundary just above and below, so no layer's absorption smears


def _thermal_stack(tissue):
    """The heating model's layers on this person's stack (measured fat and other thickness overrides included)."""
    from ..optics.sites import layer_table
    from ..safety.bioheat import ThermalStack

    return ThermalStack.default().for_site_layers(layer_table(tissue.site, tissue.thickness_mm, tissue.tissue))


def heat_source_depths_mm(tissue) -> tuple[float, ...]:
    """Depths for the absorbed-power source Q(z) of the heating check: 0.01 mm steps in the top 2 mm, the depth-dose
    grid below, and both sides of every layer boundary. On the depth-dose grid alone (0.25 mm) the 0.1 mm
    epidermis smeared over a whole step: for phototype VI the interpolated Q held 128 % of the incident light."""
    from ..optics.sites import layer_table

    tops = [layer["top_mm"] for layer in layer_table(tissue.site, tissue.thickness_mm, tissue.tissue)][1:]
    fine = np.arange(0.0, FINE_HEAT_DEPTH_MM, FINE_HEAT_STEP_MM)
    edges = [t + d for t in tops for d in (-BOUNDARY_OFFSET_MM, BOUNDARY_OFFSET_MM)]
    z = np.unique(np.round(np.concatenate([fine, [z for z in CURVE_DEPTHS_MM if z >= FINE_HEAT_DEPTH_MM], edges]), 6))
    return tuple(float(v) for v in z[(z >= 0) & (z <= CURVE_DEPTHS_MM[-1])])


def session_safety(device, *, site: str, distance_mm: float, session_seconds: float, channels=None,
                   surface=None, tissue=None, eye_distance_mm: float | None = None, goggles: bool = False,
                   transcranial: bool | None = None, person: dict | None = None) -> SessionSafety:
    """ONE safety verdict for one session: what ``plan``, ``safety device`` and ``log session`` all show.

    device: a device model; channels: its channels used (default: the enabled ones); site: body site (aliases
    resolved); distance_mm: skin to device; session_seconds: session length; tissue: a
    :class:`~photodose.dosimetry.session_dose.TissueModel` (default: the site's stack, phototype III, fast model)
    for the heating source Q(z) = sum_ch E_ch absorbed_per_irradiance(z); eye_distance_mm: where the eye is
    (``--eye-distance``; default: :func:`photodose.safety.eye_geometry.eye_geometry`); person: the gate's
    person fields (``screening``, ``now``, ``planned_start``, ``prior_sessions``, ``bounds``, ``goggles``), as
    ``PlanRequest.safety`` holds them. ``surface`` (a SurfaceIrradiance) only shares the plan's cached rows.
    """
    from ..safety.gate import evaluate

    ctx = session_context(device, site=site, distance_mm=distance_mm, session_seconds=session_seconds,
                          channels=channels, surface=surface, tissue=tissue, eye_distance_mm=eye_distance_mm,
                          goggles=goggles, transcranial=transcranial, person=person)
    return SessionSafety(report=evaluate(ctx), eye=ctx.eye)


def safety_for_plan(plan_doc: dict, device, channels, req, surface, tissue) -> dict:
    """The gate's verdict on the plan as a JSON-ready dict (:func:`session_safety` on the plan's session).

    Also sets ``plan_doc["eye"]`` (the plan's ``eye``: the :class:`~photodose.safety.eye_geometry.EyeGeometry`).
    """
    verdict = session_safety(device, site=tissue.site, distance_mm=plan_doc["distance_mm"],
                             session_seconds=plan_doc["session_seconds"], channels=channels, surface=surface,
                             tissue=tissue, eye_distance_mm=getattr(req, "eye_distance_mm", None),
                             transcranial=_transcranial(plan_doc, tissue), person=_person(plan_doc, req))
    plan_doc["eye"] = verdict.eye.model_dump()
    return verdict.doc()


def _transcranial(plan_doc: dict, tissue) -> bool:
    return bool(plan_doc.get("protocol") and plan_doc.get("category") == "transcranial") or tissue.site == "forehead"


def _person(plan_doc: dict, req) -> dict:
    protocol = plan_doc.get("protocol")
    person = dict(req.safety or {})
    if protocol and "bounds" not in person:
        person["bounds"] = overdose_bounds(protocol["id"])
    return person


def build_context(plan_doc: dict, device, channels, req, surface, tissue):
    """The gate's SafetyContext for a plan (the context :func:`safety_for_plan` judges)."""
    return session_context(device, site=tissue.site, distance_mm=plan_doc["distance_mm"],
                           session_seconds=plan_doc["session_seconds"], channels=channels, surface=surface,
                           tissue=tissue, eye_distance_mm=getattr(req, "eye_distance_mm", None),
                           transcranial=_transcranial(plan_doc, tissue), person=_person(plan_doc, req))
