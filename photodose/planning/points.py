"""Per-point planning for a contact laser probe, after the WALT 2010 dose table (bibliography key walt2010).

WALT doses 780-860 nm GaAlAs lasers per treatment: ``energy_j`` joules over N points, 20-300 s per point,
5-500 mW, with a minimum J per point or a maximum irradiance where the table gives one. Model:

    N = ceil((points_min + points_max) / 2)          photodose choice: the middle of the range, rounded up
    Q_pt = max(energy_j / N, min_j_per_point)        J per point (raised to the table's minimum where given)
    t_pt = Q_pt / P                                  s per point, P the probe power in W
    E = P / A,  H_pt = Q_pt / A                      irradiance (mW/cm^2) and skin fluence per point (J/cm^2)
    t_session = N t_pt

The verdict is judged on the energy per point: "inside" when the delivered J per point meets the table's
dose, "below" when a session cap cuts it short. The table gives no upper dose, so there is no "above".

Dose at the target depth per point: H_target = phi_wide(z) x H_pt x ratio(z), with phi_wide the wide-field
fluence per irradiance of the planner's transport model and ratio the finite-beam correction of
:func:`photodose.transport.finite_beam.beam_axis_ratio` (on-axis fluence under a flat disc of the probe's area,
radius sqrt(A / pi), over the wide-field value). photodose choice: the ratio is computed at each channel's centre
wavelength (not integrated over its spectrum: a laser line is narrow) with FINITE_BEAM_PHOTONS photons, seed 1.
The depth-dose curve stays wide-field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .windows import verdict

POINT_DEVICE_KIND = "laser_probe"
REL_TOL = 1e-9
JUDGED_ON = ("energy per point (WALT 2010 dose table): inside when the J delivered per point meets the table's "
             "dose (energy per treatment / points, raised to its minimum J per point where given); the table "
             "gives no upper dose. The skin window shown is the commonly quoted 4-60 J/cm2 window (photodose "
             "assumption (unsourced)), for reference only (not judged).")

FINITE_BEAM_PHOTONS = 20_000   # a few seconds the first time (then cached); stderr a few percent
FINITE_BEAM_SEED = 1


def points_count(points_min: int, points_max: int) -> int:
    """Number of points: the middle of WALT's range, rounded up (photodose choice, stated)."""
    return math.ceil((points_min + points_max) / 2)


def required_j_per_point(energy_j: float, count: int, min_j_per_point: float | None = None) -> float:
    """WALT energy per point [J]: energy per treatment / points, raised to the table's minimum per point."""
    return max(energy_j / count, min_j_per_point or 0.0)


def point_protocol(device, protocol):
    """The protocol's ``laser_points`` when ``device`` is a contact laser probe, else None (plan as before)."""
    if protocol is None or protocol.laser_points is None:
        return None
    if device.kind != POINT_DEVICE_KIND or not device.contact:
        return None
    return protocol.laser_points


@dataclass(frozen=True)
class PointPlan:
    """A per-point session: counts, per-point energy and time, and what the table's bounds say about them."""

    count: int
    required_j_per_point: float
    j_per_point: float
    seconds_per_point: float
    power_mw: float
    beam_area_cm2: float
    source: str
    blocking: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def session_seconds(self) -> float:
        return self.count * self.seconds_per_point

    @property
    def total_energy_j(self) -> float:
        return self.count * self.j_per_point

    @property
    def irradiance_mw_cm2(self) -> float:
        return self.power_mw / self.beam_area_cm2

    @property
    def skin_fluence_per_point_j_cm2(self) -> float:
        return self.j_per_point / self.beam_area_cm2

    @property
    def verdict(self) -> str:
        return verdict(self.j_per_point, self.required_j_per_point, math.inf, rel_tol=REL_TOL)


def plan_points(laser_points, power_mw: float, beam_area_cm2: float, wavelengths_nm, *,
                max_session_s: float | None = None, max_irradiance_mw_cm2: float | None = None) -> PointPlan:
    """Plan a per-point session for a probe of ``power_mw`` over ``beam_area_cm2`` (see the module docstring).

    ``max_session_s`` (e.g. --max-minutes) caps the total time, shortening each point; ``max_irradiance_mw_cm2``
    (the user's) joins the table's limit. Constraints the probe breaks are named in ``blocking``.
    """
    lp = laser_points
    count = points_count(lp.points_min, lp.points_max)
    required = required_j_per_point(lp.energy_j, count, lp.min_j_per_point)
    seconds = required / (power_mw / 1000.0)
    blocking, messages, warnings = [], [], []
    t_lo, t_hi = lp.seconds_per_point
    if seconds > t_hi * (1 + REL_TOL):
        blocking.append("max_seconds_per_point")
        messages.append(f"WALT 2010: {required:.3g} J per point at {power_mw:g} mW takes {seconds:.0f} s per point, "
                        f"above the table's {t_hi:g} s; a stronger probe is needed")
    elif seconds < t_lo * (1 - REL_TOL):
        blocking.append("min_seconds_per_point")
        messages.append(f"WALT 2010: {required:.3g} J per point at {power_mw:g} mW takes {seconds:.1f} s per point, "
                        f"below the table's {t_lo:g} s; a weaker probe (or lower power setting) is needed")
    if max_session_s is not None and count * seconds > max_session_s * (1 + REL_TOL):
        blocking.append("max_session_time")
        messages.append(f"longest session: {count} points x {seconds:.0f} s = {count * seconds:.0f} s exceeds "
                        f"{max_session_s:.0f} s; each point is cut to {max_session_s / count:.0f} s")
        seconds = max_session_s / count
    irradiance = power_mw / beam_area_cm2
    limits = [(v, s) for v, s in ((lp.max_irradiance_mw_cm2, "WALT 2010"), (max_irradiance_mw_cm2, "--max-irradiance"))
              if v is not None]
    for limit, who in limits:
        if irradiance > limit * (1 + REL_TOL):
            blocking.append("max_irradiance")
            messages.append(f"{who}: the probe's {irradiance:.1f} mW/cm2 exceeds the maximum {limit:g} mW/cm2")
    p_lo, p_hi = lp.power_mw
    if not p_lo <= power_mw <= p_hi:
        warnings.append(f"probe power {power_mw:g} mW is outside the WALT 2010 table's {p_lo:g}-{p_hi:g} mW")
    w_lo, w_hi = lp.wavelength_nm
    outside = [nm for nm in wavelengths_nm if not w_lo <= nm <= w_hi]
    if outside:
        warnings.append(f"wavelength {', '.join(f'{nm:g}' for nm in outside)} nm is outside the WALT 2010 table's "
                        f"{w_lo:g}-{w_hi:g} nm (GaAlAs); its per-point doses are extrapolated")
    if lp.unverified:
        warnings.append(f"the WALT 2010 entry is UNVERIFIED: {lp.source}")
    return PointPlan(count, required, seconds * power_mw / 1000.0, seconds, power_mw, beam_area_cm2, lp.source,
                     blocking, messages, warnings)


@dataclass(frozen=True)
class BeamCorrection:
    """The finite-beam ratio applied to the target dose (fluence-weighted over channels) and its stderr."""

    ratio: float
    stderr: float
    radius_mm: float
    depth_mm: float
    photons: int


def beam_radius_mm(beam_area_cm2: float) -> float:
    """Radius of a flat disc of ``beam_area_cm2`` [mm]: 10 sqrt(A / pi) (1 cm2 -> 5.64 mm)."""
    return 10.0 * math.sqrt(beam_area_cm2 / math.pi)


def finite_beam_dose(dose: dict, tissue, beam_area_cm2: float,
                     photons: int = FINITE_BEAM_PHOTONS) -> tuple[dict, BeamCorrection | None]:
    """``dose`` with each target row's fluence times the finite-beam ratio at its centre wavelength.

    ``tissue`` is the plan's TissueModel (site, phototype, thickness overrides, tissue presets). Rows gain
    ``finite_beam_ratio`` and ``finite_beam_stderr``; the wide-field ``fluence_per_irradiance`` is kept.
    Returns (dose, None) when the plan has no target depth.
    """
    from ..optics.sites import body_stack
    from ..transport.finite_beam import beam_axis_ratio

    target = dose.get("target")
    if not target:
        return dose, None
    radius_mm, depth_mm = beam_radius_mm(beam_area_cm2), float(target["depth_mm"])
    rows, wide_total, se2 = [], 0.0, 0.0
    for row in target["by_wavelength"]:
        stack = body_stack(tissue.site, row["wavelength_nm"], skin_type=tissue.skin_type,
                           thickness_mm=tissue.thickness_mm, tissue=tissue.tissue)
        fb = beam_axis_ratio(stack, radius_mm, [depth_mm], photons=photons, seed=FINITE_BEAM_SEED)
        ratio, stderr = float(fb.ratio[0]), float(fb.stderr[0])
        rows.append(dict(row, fluence_j_cm2=row["fluence_j_cm2"] * ratio, finite_beam_ratio=ratio,
                         finite_beam_stderr=stderr))
        wide_total += row["fluence_j_cm2"]
        se2 += (row["fluence_j_cm2"] * stderr) ** 2
    total = sum(r["fluence_j_cm2"] for r in rows)
    ratio = total / wide_total if wide_total > 0 else float(rows[0]["finite_beam_ratio"])
    stderr = math.sqrt(se2) / wide_total if wide_total > 0 else float(rows[0]["finite_beam_stderr"])
    corrected = dict(dose, target=dict(target, fluence_j_cm2=total, by_wavelength=rows))
    return corrected, BeamCorrection(ratio, stderr, radius_mm, depth_mm, photons)


def finite_beam_reason(beam: BeamCorrection) -> str:
    """The reason line for the finite-beam correction of the target dose."""
    return (f"dose at depth per point x finite-beam ratio {beam.ratio:.3f} +/- {beam.stderr:.3f} (stderr): on-axis "
            f"fluence under a flat {beam.radius_mm:.2f} mm radius beam over the wide-field value at "
            f"{beam.depth_mm:g} mm (Monte Carlo, {beam.photons:,} photons, seed {FINITE_BEAM_SEED}, at the channel's "
            "centre wavelength); a small beam loses light sideways that a wide field gets back")


def points_doc(pp: PointPlan, target_fluence_per_point_j_cm2: float | None,
               beam: BeamCorrection | None = None) -> dict:
    """The plan's ``points`` object (stable keys)."""
    return {"count": pp.count, "j_per_point": pp.j_per_point, "required_j_per_point": pp.required_j_per_point,
            "seconds_per_point": pp.seconds_per_point, "total_energy_j": pp.total_energy_j,
            "power_mw": pp.power_mw, "beam_area_cm2": pp.beam_area_cm2, "irradiance_mw_cm2": pp.irradiance_mw_cm2,
            "skin_fluence_per_point_j_cm2": pp.skin_fluence_per_point_j_cm2,
            "target_fluence_per_point_j_cm2": target_fluence_per_point_j_cm2,
            "finite_beam_ratio": beam.ratio if beam else None, "finite_beam_stderr": beam.stderr if beam else None,
            "source": pp.source, "citations": ["walt2010"]}


def points_window(pp: PointPlan, skin_doc: dict | None) -> dict:
    """The plan's ``window`` for a point plan: judged on J per point; the unsourced skin window kept for display."""
    shown = skin_doc or {}
    return {"basis": "energy_per_point", "at": "each point", "judged_on": JUDGED_ON,
            "j_per_point": pp.j_per_point, "required_j_per_point": pp.required_j_per_point, "verdict": pp.verdict,
            "low_j_cm2": shown.get("low_j_cm2"), "high_j_cm2": shown.get("high_j_cm2"),
            "goal_j_cm2": shown.get("goal_j_cm2"), "fluence_j_cm2": pp.skin_fluence_per_point_j_cm2,
            "source": (f"judged on energy per point: {pp.j_per_point:.3g} J per point against WALT 2010's "
                       f"{pp.required_j_per_point:.3g} J per point ({pp.source}); the J/cm2 range shown is the "
                       "commonly quoted skin window (photodose assumption (unsourced)), not judged"),
            "unsourced": False, "citations": ["walt2010"]}


def points_reasons(pp: PointPlan, lp, beam: BeamCorrection | None = None) -> list[str]:
    """Reasons for a point plan's count, energy and time (and the finite-beam correction when applied)."""
    raised = (f", raised to the table's minimum {lp.min_j_per_point:g} J per point"
              if lp.min_j_per_point and lp.min_j_per_point > lp.energy_j / pp.count else "")
    return [
        f"per-point laser plan (WALT 2010): {lp.points_min}-{lp.points_max} points, {lp.energy_j:g} J per treatment; "
        f"{pp.count} points = middle of the range rounded up (photodose choice)",
        f"{pp.required_j_per_point:.3g} J per point = {lp.energy_j:g} J / {pp.count}{raised}",
        f"{pp.seconds_per_point:.1f} s per point = J per point / probe power {pp.power_mw:g} mW; table bounds "
        f"{lp.seconds_per_point[0]:g}-{lp.seconds_per_point[1]:g} s per point; session {pp.session_seconds:.0f} s "
        f"= {pp.count} points x {pp.seconds_per_point:.1f} s",
        f"skin fluence per point {pp.skin_fluence_per_point_j_cm2:.3g} J/cm2 = J per point / beam area "
        f"{pp.beam_area_cm2:.3g} cm2; irradiance {pp.irradiance_mw_cm2:.3g} mW/cm2; dose at depth per point = "
        "fluence per irradiance x skin fluence per point" + (" x finite-beam ratio" if beam else ""),
        *([finite_beam_reason(beam)] if beam else []),
        "verdict judged on " + JUDGED_ON,
    ]
