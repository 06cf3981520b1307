"""Eye checks of the gate: infrared (cornea/lens), retinal thermal, blue light, laser, in beam; pure functions.

The eye's exposure is the irradiance at the eye's position (``SafetyContext.eye_exposure``: in the beam, the spatial
peak on the treatment plane; elsewhere, the device's emitter model evaluated off axis at the eye, see
:mod:`photodose.safety.eye_geometry`), never a mean over the treatment area. Each check is evaluated for an
unprotected eye; goggles (rated for the device's wavelengths) turn a failing or unassessed eye check into ok, and
the message still says how long unprotected viewing is safe.

Retinal thermal hazard (IEC 62471:2006 4.3.5 / 4.3.6): the source's radiance per channel is that of a uniform
Lambertian disc with the emitting area's angular subtense alpha (limited to the standard's bounds in the limit);
when the source's visible luminance is at least WEAK_STIMULUS_LUMINANCE_CD_M2 it is a strong visual stimulus and
L_R (R(lambda) over 380-1400 nm) is held to 50000 / (alpha t^0.25) at t <= 10 s; otherwise the weak-stimulus
limit holds L_IR (780-1400 nm) to 6000 / alpha (t > 10 s).
"""

from __future__ import annotations

import math

from . import eye_limits as eye
from . import risk_group as rg
from .blue_light import blue_light_allowed_time_s, spectral_blue_weight
from .checks import SafetyCheck
from .context import Channel, SafetyContext
from .eye_geometry import EYELID_NOTE
from .remedies import duration, either, reduce_irradiance
from .risk_group import HazardGroup
from .sources import source

GOGGLES = "wear goggles rated for these wavelengths"


def _goggles_for(channels: list[Channel]) -> str:
    nms = sorted({round(c.wavelength_nm) for c in channels if c.irradiance_mw_cm2 > 0})
    return f"wear goggles rated for {' and '.join(f'{n} nm' for n in nms)}" if nms else GOGGLES


def ir_irradiance_w_m2(channels: list[Channel]) -> float:
    """E_IR: irradiance summed over channels in 780-3000 nm, W/m2 (1 mW/cm2 = 10 W/m2)."""
    return 10.0 * sum(c.irradiance_mw_cm2 for c in channels if eye.in_band(c.wavelength_nm, eye.IR_EYE_BAND_NM))


def ir_eye_irradiance_w_m2(ctx: SafetyContext) -> float:
    """E_IR at the eye's position, W/m2."""
    return ir_irradiance_w_m2(ctx.eye_exposure())


def _where(ctx: SafetyContext) -> str:
    if ctx.eye is None:
        return "eye assumed in the beam"
    if ctx.eye.in_beam:
        return "eye in the beam, at its peak"
    return f"eye {ctx.eye.distance_mm / 10:g} cm from the device, {ctx.eye.off_axis_deg:g}° off its axis"


def _protect(check: SafetyCheck, goggles: bool) -> SafetyCheck:
    if goggles and check.status != "ok":
        return check.model_copy(update={"status": "ok", "remedy": None,
                                        "message": check.message + " Eyes protected by goggles."})
    return check


def _move_away(ctx: SafetyContext, scale: float) -> str | None:
    if ctx.eye_in_beam:
        return reduce_irradiance(scale, ctx.irradiance_vs_distance, ctx.distance_mm)
    return "keep your eyes further from the device and do not look into it"


def ir_eye_check(ctx: SafetyContext) -> SafetyCheck:
    e_w_m2 = ir_eye_irradiance_w_m2(ctx)
    allowed_s = eye.ir_eye_allowed_time_s(e_w_m2)
    limit = eye.ir_eye_limit_w_m2(ctx.session_seconds)
    allowed_txt = "no time limit" if math.isinf(allowed_s) else f"{allowed_s:.0f} s"
    msg = (f"Infrared at the eye {e_w_m2 / 10:.3g} mW/cm2 ({_where(ctx)}); unprotected viewing is safe for "
           f"{allowed_txt} (limit for this session {limit / 10:.3g} mW/cm2).")
    ok = e_w_m2 <= limit
    remedy = None if ok else either(_goggles_for(ctx.eye_exposure()),
                                    f"keep unprotected viewing under {duration(allowed_s)}",
                                    _move_away(ctx, limit / e_w_m2))
    return SafetyCheck(name="eye:infrared", status="ok" if ok else "fail", message=msg, value=e_w_m2 / 10.0,
                       limit=limit / 10.0, unit="mW/cm2", source=source("ir_eye"), remedy=remedy)


def source_radiances_w_m2_sr(channels: list[Channel], alpha_rad: float, weight, band) -> float:
    """sum over channels in ``band`` of (spectrum-averaged weight) x disc radiance of the channel at the eye."""
    return sum(eye.spectral_weight(weight, c.wavelength_nm, c.spectrum)
               * eye.disc_radiance_w_m2_sr(10.0 * c.irradiance_mw_cm2, alpha_rad)
               for c in channels if eye.in_band(c.wavelength_nm, band) and c.irradiance_mw_cm2 > 0)


def luminance_cd_m2(channels: list[Channel], alpha_rad: float) -> float:
    """Visible luminance of the source seen from the eye: K_m x sum V(lambda)-weighted disc radiance, cd/m2."""
    return eye.LUMINOUS_EFFICACY_LM_W * source_radiances_w_m2_sr(channels, alpha_rad, eye.photopic_weight,
                                                                (360.0, 830.0))


def retinal_thermal_terms(channels: list[Channel], alpha_rad: float, time_s: float) -> dict:
    """The applicable retinal thermal quantity and limit: {"weak_stimulus", "luminance_cd_m2", "radiance", "limit"}.

    Weak visual stimulus (luminance < WEAK_STIMULUS_LUMINANCE_CD_M2): L_IR over 780-1400 nm against
    6000 / alpha (t > 10 s); otherwise L_R over 380-1400 nm against 50000 / (alpha min(t, 10 s)^0.25).
    """
    luminance = luminance_cd_m2(channels, alpha_rad)
    weak = luminance < eye.WEAK_STIMULUS_LUMINANCE_CD_M2
    if weak:
        radiance = source_radiances_w_m2_sr(channels, alpha_rad, eye.burn_hazard_weight, eye.WEAK_STIMULUS_BAND_NM)
        limit = eye.retinal_thermal_weak_stimulus_limit_w_m2_sr(alpha_rad, time_s)
    else:
        radiance = source_radiances_w_m2_sr(channels, alpha_rad, eye.burn_hazard_weight,
                                            eye.RETINAL_THERMAL_BAND_NM)
        limit = eye.retinal_thermal_limit_w_m2_sr(alpha_rad, time_s)
    return {"weak_stimulus": weak, "luminance_cd_m2": luminance, "radiance": radiance, "limit": limit}


def _retinal_relevant(channels: list[Channel]) -> bool:
    return any(eye.in_band(c.wavelength_nm, eye.RETINAL_THERMAL_BAND_NM) and c.irradiance_mw_cm2 > 0
               for c in channels)


def retinal_thermal_check(ctx: SafetyContext) -> SafetyCheck | None:
    channels = ctx.eye_exposure()
    if not _retinal_relevant(channels):
        return None
    name, src = "eye:retinal_thermal", source("retinal_thermal")
    alpha = ctx.eye_alpha()
    if alpha is None:
        return SafetyCheck(name=name, status="caution", source=src, remedy=_goggles_for(channels),
                           message="Retinal thermal hazard not assessed: the source size is unknown.")
    terms = retinal_thermal_terms(channels, alpha, ctx.session_seconds)
    radiance, limit = terms["radiance"], terms["limit"]
    ok = radiance <= limit
    kind = (f"weak visual stimulus ({terms['luminance_cd_m2']:.3g} cd/m2 < "
            f"{eye.WEAK_STIMULUS_LUMINANCE_CD_M2:g}): L_IR over 780-1400 nm" if terms["weak_stimulus"]
            else f"visible source ({terms['luminance_cd_m2']:.3g} cd/m2): L_R over 380-1400 nm")
    return SafetyCheck(
        name=name, status="ok" if ok else "fail", value=radiance, limit=limit, unit="W m-2 sr-1", source=src,
        message=(f"Burn-weighted radiance {radiance:.3g} W m-2 sr-1, {kind}, source subtending {alpha * 1000:.3g} "
                 f"mrad (limit {limit:.3g}); radiance averaged over the luminous area (single emitters are "
                 "brighter)."),
        remedy=None if ok else either(_goggles_for(channels), "do not look into the source"))


def blue_weighted_irradiance_w_m2(ctx: SafetyContext) -> float:
    """E_B at the eye: irradiance x spectrum-averaged B(lambda), summed over channels, W/m2 (see blue_light.py)."""
    return 10.0 * sum(c.irradiance_mw_cm2 * spectral_blue_weight(c.wavelength_nm, c.spectrum)
                      for c in ctx.eye_exposure() if c.irradiance_mw_cm2 > 0)


def blue_light_radiance_w_m2_sr(ctx: SafetyContext) -> float | None:
    """L_B of the source as a uniform Lambertian disc (eye_limits.disc_radiance_w_m2_sr); None if its size is unknown.

    Not averaged over the standard's field of view: for sources smaller than that field this overestimates L_B
    (conservative).
    """
    alpha = ctx.eye_alpha()
    if alpha is None:
        return None
    return eye.disc_radiance_w_m2_sr(blue_weighted_irradiance_w_m2(ctx), alpha)


def blue_light_check(ctx: SafetyContext) -> SafetyCheck | None:
    """B-weighted radiance dose L_B t against 1e6 J m-2 sr-1 (t <= 1e4 s) or L_B against 100 W m-2 sr-1 beyond."""
    e_b = blue_weighted_irradiance_w_m2(ctx)
    if e_b <= 0:
        return None
    name, src = "eye:blue_light", source("blue_light")
    radiance = blue_light_radiance_w_m2_sr(ctx)
    if radiance is None:
        return SafetyCheck(name=name, status="caution", source=src, remedy=_goggles_for(ctx.eye_exposure()),
                           message=f"Blue-light hazard not assessed: the source size is unknown "
                                   f"(B-weighted irradiance {e_b:.3g} W/m2).")
    t = ctx.session_seconds
    dose, limit = radiance * t, eye.blue_light_radiance_dose_limit_j_m2_sr(t)
    allowed_s = blue_light_allowed_time_s(radiance)
    allowed_txt = "without time limit" if math.isinf(allowed_s) else f"for {duration(allowed_s)}"
    ok = dose <= limit
    remedy = None if ok else either(_goggles_for(ctx.eye_exposure()),
                                    f"keep unprotected viewing under {duration(allowed_s)}",
                                    f"use a lower power setting (at most {limit / dose:.0%} of the planned "
                                    "irradiance; moving away does not lower a source's radiance)")
    return SafetyCheck(
        name=name, status="ok" if ok else "fail", value=dose, limit=limit, unit="J m-2 sr-1", source=src,
        message=(f"Blue-light weighted radiance {radiance:.3g} W m-2 sr-1 (B-weighted irradiance {e_b:.3g} W/m2); "
                 f"unprotected viewing is safe {allowed_txt}."),
        remedy=remedy)


def laser_eye_check(ctx: SafetyContext) -> SafetyCheck:
    return SafetyCheck(name="eye:laser", status="fail", source=source("laser_eye"), remedy=GOGGLES,
                       message="Laser device: photodose has no sourced eye limit for lasers, so eyes must be "
                               "protected.")


def in_beam_check(ctx: SafetyContext) -> SafetyCheck | None:
    """An in-beam session (head site or head-worn device) needs goggles, whatever the limits say: one sentence."""
    if ctx.eye is None or not ctx.eye.in_beam:
        return None
    goggles = _goggles_for(ctx.channels)
    msg = f"Your eyes are in the beam ({ctx.eye.reason or 'head site'}): {goggles}."
    if ctx.goggles:
        return SafetyCheck(name="eye:in_beam", status="ok", source=source("in_beam"),
                           message=msg + " Eyes protected by goggles.")
    return SafetyCheck(name="eye:in_beam", status="caution", source=source("in_beam"), message=msg,
                       remedy=f"{goggles}; {EYELID_NOTE}")


def eye_checks(ctx: SafetyContext) -> tuple[list[SafetyCheck], bool, float]:
    """(checks, goggles_required, unprotected_viewing_allowed_s) for the context."""
    if ctx.is_laser:
        unprotected = [laser_eye_check(ctx)]
        allowed_s = 0.0
    else:
        unprotected = [c for c in (ir_eye_check(ctx), retinal_thermal_check(ctx), blue_light_check(ctx)) if c]
        allowed_s = eye.ir_eye_allowed_time_s(ir_eye_irradiance_w_m2(ctx))
        blue_radiance = blue_light_radiance_w_m2_sr(ctx)
        if blue_radiance is not None:
            allowed_s = min(allowed_s, blue_light_allowed_time_s(blue_radiance))
        if any(c.name == "eye:retinal_thermal" and c.status == "fail" for c in unprotected):
            allowed_s = 0.0
    beam = in_beam_check(ctx)
    goggles_required = any(c.status != "ok" for c in unprotected) or beam is not None
    checks = [_protect(c, ctx.goggles) for c in unprotected] + ([beam] if beam else [])
    return checks, goggles_required, allowed_s


def hazard_groups(ctx: SafetyContext) -> list[HazardGroup]:
    """IEC 62471 group per eye hazard at the context's distance, on the plane's peak (``ctx.classification()``):
    infrared always; retinal thermal and blue light when the device emits in their bands."""
    channels = ctx.classification()
    groups = [rg.infrared_eye_group(ir_irradiance_w_m2(channels))]
    if _retinal_relevant(channels):
        alpha = ctx.alpha_rad()
        terms = retinal_thermal_terms(channels, alpha, math.inf) if alpha else None
        groups.append(rg.retinal_thermal_group(terms, alpha))
    e_b = 10.0 * sum(c.irradiance_mw_cm2 * spectral_blue_weight(c.wavelength_nm, c.spectrum)
                     for c in channels if c.irradiance_mw_cm2 > 0)
    if e_b > 0:
        alpha = ctx.alpha_rad()
        groups.append(rg.blue_light_group(eye.disc_radiance_w_m2_sr(e_b, alpha) if alpha else None))
    return groups


def risk_group(ctx: SafetyContext) -> str | None:
    """Overall IEC 62471 risk group at the context's distance (see risk_group.overall_group); None for lasers."""
    if ctx.is_laser:
        return None
    return rg.overall_group(hazard_groups(ctx))


def risk_groups_by_hazard(ctx: SafetyContext) -> dict[str, str]:
    """{hazard: group} at the context's distance; empty for lasers."""
    return {} if ctx.is_laser else {g.hazard: g.group for g in hazard_groups(ctx)}
