"""Eye checks of the gate: infrared (cornea/lens), retinal thermal, blue light, laser. Pure over a SafetyContext.

Each check is evaluated for an unprotected eye; goggles (assumed rated for the device's wavelengths) turn a
failing or unassessed eye check into ok, and the message still says how long unprotected viewing is safe.
"""

from __future__ import annotations

import math

from . import eye_limits as eye
from . import risk_group as rg
from .blue_light import blue_light_allowed_time_s, spectral_blue_weight
from .checks import SafetyCheck
from .context import SafetyContext
from .remedies import duration, either, reduce_irradiance
from .risk_group import HazardGroup
from .sources import source

GOGGLES = "wear goggles rated for these wavelengths"


def ir_eye_irradiance_w_m2(ctx: SafetyContext) -> float:
    """E_IR: mean irradiance summed over channels in 780-3000 nm, W/m2 (1 mW/cm2 = 10 W/m2)."""
    return 10.0 * sum(c.irradiance_mw_cm2 for c in ctx.channels if eye.in_band(c.wavelength_nm, eye.IR_EYE_BAND_NM))


def retinal_ir_radiance_w_m2_sr(ctx: SafetyContext, alpha_rad: float) -> float:
    """L_IR = sum over 780-1400 nm channels of R(nm) x disc radiance (see eye_limits.disc_radiance_w_m2_sr)."""
    return sum(eye.burn_hazard_weight(c.wavelength_nm) * eye.disc_radiance_w_m2_sr(10.0 * c.irradiance_mw_cm2, alpha_rad)
               for c in ctx.channels if eye.in_band(c.wavelength_nm, eye.RETINAL_THERMAL_BAND_NM))


def _protect(check: SafetyCheck, goggles: bool) -> SafetyCheck:
    if goggles and check.status != "ok":
        return check.model_copy(update={"status": "ok", "remedy": None,
                                        "message": check.message + " Eyes protected by goggles."})
    return check


def ir_eye_check(ctx: SafetyContext) -> SafetyCheck:
    e_w_m2 = ir_eye_irradiance_w_m2(ctx)
    allowed_s = eye.ir_eye_allowed_time_s(e_w_m2)
    limit = eye.ir_eye_limit_w_m2(ctx.session_seconds)
    allowed_txt = "no time limit" if math.isinf(allowed_s) else f"{allowed_s:.0f} s"
    msg = (f"Infrared at the eye {e_w_m2 / 10:.1f} mW/cm2; unprotected viewing is safe for {allowed_txt} "
           f"(limit for this session {limit / 10:.1f} mW/cm2).")
    ok = e_w_m2 <= limit
    remedy = None if ok else either(GOGGLES, f"keep unprotected viewing under {duration(allowed_s)}",
                                    reduce_irradiance(limit / e_w_m2, ctx.irradiance_vs_distance, ctx.distance_mm))
    check = SafetyCheck(name="eye:infrared", status="ok" if ok else "fail", message=msg, value=e_w_m2 / 10.0,
                        limit=limit / 10.0, unit="mW/cm2", source=source("ir_eye"), remedy=remedy)
    return check


def retinal_thermal_check(ctx: SafetyContext) -> SafetyCheck | None:
    if not any(eye.in_band(c.wavelength_nm, eye.RETINAL_THERMAL_BAND_NM) and c.irradiance_mw_cm2 > 0
               for c in ctx.channels):
        return None
    name, src = "eye:retinal_thermal", source("retinal_thermal")
    alpha = ctx.alpha_rad()
    if alpha is None:
        return SafetyCheck(name=name, status="caution", source=src, remedy=GOGGLES,
                           message="Retinal thermal hazard not assessed: the source size is unknown.")
    if ctx.session_seconds <= 10.0:
        return SafetyCheck(name=name, status="caution", source=src, remedy=GOGGLES,
                           message="Retinal thermal hazard not assessed: the sourced limit covers t > 10 s only.")
    radiance = retinal_ir_radiance_w_m2_sr(ctx, alpha)
    limit = eye.retinal_thermal_limit_w_m2_sr(alpha)
    ok = radiance < limit
    return SafetyCheck(
        name=name, status="ok" if ok else "fail", value=radiance, limit=limit, unit="W m-2 sr-1", source=src,
        message=(f"Burn-weighted radiance {radiance:.0f} W m-2 sr-1 for a source subtending {alpha * 1000:.0f} mrad "
                 f"(limit {limit:.0f}); radiance averaged over the luminous area (single emitters are brighter)."),
        remedy=None if ok else either(GOGGLES, "do not look into the source"))


def blue_weighted_irradiance_w_m2(ctx: SafetyContext) -> float:
    """E_B: mean irradiance x spectrum-averaged B(lambda), summed over channels, W/m2 (see blue_light.py)."""
    return 10.0 * sum(c.irradiance_mw_cm2 * spectral_blue_weight(c.wavelength_nm, c.spectrum)
                      for c in ctx.channels if c.irradiance_mw_cm2 > 0)


def blue_light_radiance_w_m2_sr(ctx: SafetyContext) -> float | None:
    """L_B of the source as a uniform Lambertian disc (eye_limits.disc_radiance_w_m2_sr); None if its size is unknown.

    Not averaged over the standard's field of view: for sources smaller than that field this overestimates L_B
    (conservative).
    """
    alpha = ctx.alpha_rad()
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
        return SafetyCheck(name=name, status="caution", source=src, remedy=GOGGLES,
                           message=f"Blue-light hazard not assessed: the source size is unknown "
                                   f"(B-weighted irradiance {e_b:.3g} W/m2).")
    t = ctx.session_seconds
    dose, limit = radiance * t, eye.blue_light_radiance_dose_limit_j_m2_sr(t)
    allowed_s = blue_light_allowed_time_s(radiance)
    allowed_txt = "without time limit" if math.isinf(allowed_s) else f"for {duration(allowed_s)}"
    ok = dose <= limit
    remedy = None if ok else either(GOGGLES, f"keep unprotected viewing under {duration(allowed_s)}",
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
    goggles_required = any(c.status != "ok" for c in unprotected)
    return [_protect(c, ctx.goggles) for c in unprotected], goggles_required, allowed_s


def hazard_groups(ctx: SafetyContext) -> list[HazardGroup]:
    """IEC 62471 group per eye hazard at the context's distance (infrared always; retinal thermal and blue light
    when the device emits in their bands)."""
    groups = [rg.infrared_eye_group(ir_eye_irradiance_w_m2(ctx))]
    if any(eye.in_band(c.wavelength_nm, eye.RETINAL_THERMAL_BAND_NM) and c.irradiance_mw_cm2 > 0 for c in ctx.channels):
        alpha = ctx.alpha_rad()
        radiance = retinal_ir_radiance_w_m2_sr(ctx, alpha) if alpha else None
        groups.append(rg.retinal_thermal_group(radiance, alpha))
    if blue_weighted_irradiance_w_m2(ctx) > 0:
        groups.append(rg.blue_light_group(blue_light_radiance_w_m2_sr(ctx)))
    return groups


def risk_group(ctx: SafetyContext) -> str | None:
    """Overall IEC 62471 risk group at the context's distance (see risk_group.overall_group); None for lasers."""
    if ctx.is_laser:
        return None
    return rg.overall_group(hazard_groups(ctx))


def risk_groups_by_hazard(ctx: SafetyContext) -> dict[str, str]:
    """{hazard: group} at the context's distance; empty for lasers."""
    return {} if ctx.is_laser else {g.hazard: g.group for g in hazard_groups(ctx)}
