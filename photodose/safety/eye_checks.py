"""Eye checks of the gate: infrared (cornea/lens), retinal thermal, blue light, laser. Pure over a SafetyContext.

Each check is evaluated for an unprotected eye; goggles (assumed rated for the device's wavelengths) turn a
failing or unassessed eye check into ok, and the message still says how long unprotected viewing is safe.
"""

from __future__ import annotations

import math

from . import eye_limits as eye
from .checks import SafetyCheck
from .context import SafetyContext
from .remedies import duration, either, reduce_irradiance
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


def blue_light_check(ctx: SafetyContext) -> SafetyCheck | None:
    blue = [c for c in ctx.channels if c.wavelength_nm < eye.BLUE_LIGHT_BELOW_NM and c.irradiance_mw_cm2 > 0]
    if not blue:
        return None
    nms = ", ".join(f"{c.wavelength_nm:g}" for c in blue)
    return SafetyCheck(name="eye:blue_light", status="caution", source=source("blue_light"), remedy=GOGGLES,
                       message=f"Blue-light hazard not assessed ({nms} nm): no sourced B(lambda) weighting.")


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
        if any(c.name == "eye:retinal_thermal" and c.status == "fail" for c in unprotected):
            allowed_s = 0.0
    goggles_required = any(c.status != "ok" for c in unprotected)
    return [_protect(c, ctx.goggles) for c in unprotected], goggles_required, allowed_s


def risk_group(ctx: SafetyContext) -> str | None:
    """IEC 62471 risk group as far as sourced: 'exempt' when E_IR <= 100 W/m2 (no IR eye hazard at any duration).

    The RG1/RG2/RG3 time bases are not sourced, so above that the group is not resolved. None for lasers.
    """
    if ctx.is_laser:
        return None
    if ir_eye_irradiance_w_m2(ctx) <= eye.IR_EYE_LONG_TERM_W_M2:
        return "exempt (infrared eye hazard)"
    return "not exempt (infrared eye hazard); RG1/RG2/RG3 not resolved: classification times not sourced"
