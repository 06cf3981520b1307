"""Eye exposure limits for incoherent sources (IEC 62471:2006 / ICNIRP 2013), as pure functions.

Irradiance here is in W/m2 (the standard's unit); 1 mW/cm2 = 10 W/m2.
"""

from __future__ import annotations

import math

IR_EYE_BAND_NM = (780.0, 3000.0)
RETINAL_THERMAL_BAND_NM = (780.0, 1400.0)
IR_EYE_LONG_TERM_W_M2 = 100.0
IR_EYE_TIME_SPLIT_S = 1000.0


def in_band(wavelength_nm: float, band: tuple[float, float]) -> bool:
    return band[0] <= wavelength_nm <= band[1]


def ir_eye_limit_w_m2(time_s: float) -> float:
    """Infrared exposure limit for cornea and lens, 780-3000 nm.

    E_IR <= 18000 * t^-0.75 W/m2 for t <= 1000 s; E_IR <= 100 W/m2 for t > 1000 s.
    At t = 1000 s the short-time branch gives 101.2 W/m2, slightly above the 100 W/m2 long-time branch:
    the standard's two branches do not meet exactly.

    Source: IEC 62471:2006 4.3.7; ICNIRP 2013 (pbm_facts.md section 5).
    """
    if time_s <= 0:
        raise ValueError("time_s must be > 0")
    if time_s <= IR_EYE_TIME_SPLIT_S:
        return 18000.0 * time_s ** -0.75
    return IR_EYE_LONG_TERM_W_M2


def ir_eye_allowed_time_s(irradiance_w_m2: float) -> float:
    """Longest exposure allowed by :func:`ir_eye_limit_w_m2` at a constant IR irradiance at the eye.

    t = (18000 / E)^(4/3) s, capped at 1000 s (beyond 1000 s only E <= 100 W/m2 is allowed);
    ``math.inf`` when E <= 100 W/m2 (no limit at any duration).
    Source: inverse of IEC 62471:2006 4.3.7 (pbm_facts.md section 5).
    """
    if irradiance_w_m2 <= IR_EYE_LONG_TERM_W_M2:
        return math.inf
    return min((18000.0 / irradiance_w_m2) ** (4.0 / 3.0), IR_EYE_TIME_SPLIT_S)


def burn_hazard_weight(wavelength_nm: float) -> float:
    """Burn hazard function R(lambda) used for the retinal thermal hazard (dimensionless).

    1 (500-700 nm); 10^((700-nm)/500) (700-1050); 0.2 (1050-1150); 0.2*10^(0.02*(1150-nm)) (1150-1200);
    0.02 (1200-1400); 0 outside 500-1400 nm.
    Source: IEC 62471:2006 (pbm_facts.md section 5).
    """
    nm = wavelength_nm
    if 500 <= nm <= 700:
        return 1.0
    if 700 < nm <= 1050:
        return 10.0 ** ((700.0 - nm) / 500.0)
    if 1050 < nm <= 1150:
        return 0.2
    if 1150 < nm <= 1200:
        return 0.2 * 10.0 ** (0.02 * (1150.0 - nm))
    if 1200 < nm <= 1400:
        return 0.02
    return 0.0


def retinal_thermal_limit_w_m2_sr(alpha_rad: float) -> float:
    """Retinal thermal limit for a weak visual stimulus (780-1400 nm, t > 10 s): L_IR < 6000 / alpha W m-2 sr-1.

    ``alpha_rad``: angular subtense of the source. IEC 62471's bounds on alpha are not in the sourced facts and are
    not applied. Source: IEC 62471:2006 (pbm_facts.md section 5).
    """
    if alpha_rad <= 0:
        raise ValueError("alpha_rad must be > 0")
    return 6000.0 / alpha_rad


def disc_angular_subtense_rad(source_diameter_mm: float, distance_mm: float) -> float:
    """Full angle subtended by a disc of diameter D at distance d on its axis: alpha = 2 atan(D / 2d)."""
    return 2.0 * math.atan2(source_diameter_mm, 2.0 * distance_mm)


def disc_radiance_w_m2_sr(irradiance_w_m2: float, alpha_rad: float) -> float:
    """Radiance of a uniform Lambertian disc of angular subtense alpha giving irradiance E on its axis.

    From E = pi L R^2 / (R^2 + d^2) = pi L sin^2(alpha/2): L = E / (pi sin^2(alpha/2)).
    Simplification: the luminous area is treated as uniform; single emitters inside it are brighter than this
    average. Source: pbm_facts.md section 3 (uniform Lambertian disc).
    """
    if not 0 < alpha_rad <= math.pi:
        raise ValueError("alpha_rad must be in (0, pi]")
    return irradiance_w_m2 / (math.pi * math.sin(alpha_rad / 2.0) ** 2)


def blue_light_radiance_dose_limit_j_m2_sr(time_s: float) -> float:
    """Blue-light hazard limit on the B(lambda)-weighted radiance dose L_B * t.

    <= 1e6 J m-2 sr-1 for t <= 1e4 s; L_B <= 100 W m-2 sr-1 (i.e. 100 t J m-2 sr-1) for t > 1e4 s.
    Source: IEC 62471:2006 / CIE S 009:2002 as implemented in F. Rudawski's Lighting Toolbox (cieblh.m).
    L_B itself (the B(lambda) weighting) is computed in :mod:`photodose.safety.blue_light`.
    """
    if time_s <= 0:
        raise ValueError("time_s must be > 0")
    return 1e6 if time_s <= 1e4 else 100.0 * time_s
