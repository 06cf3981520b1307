"""Skin exposure limits: IEC 62471 skin thermal hazard (incoherent) and ANSI Z136.1 / ICNIRP laser skin MPE."""

from __future__ import annotations

SKIN_THERMAL_BAND_NM = (380.0, 3000.0)
SKIN_THERMAL_MAX_TIME_S = 10.0
LASER_SKIN_BAND_NM = (400.0, 1400.0)
LASER_SHORT_MIN_S = 100e-9
LASER_LONG_SPLIT_S = 10.0
LASER_LONG_MAX_S = 3e4


def skin_thermal_limit_j_m2(time_s: float) -> float:
    """Skin thermal hazard limit, 380-3000 nm: H <= 20000 * t^0.25 J/m2, valid for t <= 10 s only.

    Source: IEC 62471:2006 (bibliography key iec62471_2006), the ICNIRP 2013 limit (icnirp2013).
    """
    if not 0 < time_s <= SKIN_THERMAL_MAX_TIME_S:
        raise ValueError("the skin thermal hazard limit is defined for 0 < t <= 10 s only")
    return 20000.0 * time_s ** 0.25


def correction_ca(wavelength_nm: float) -> float:
    """ANSI Z136.1 / ICNIRP correction factor C_A (dimensionless).

    1 for 400-700 nm; 10^(0.002 (nm - 700)) for 700-1050 nm; 5 for 1050-1400 nm.
    Source: ANSI Z136.1 (bibliography key ansi_z136_1_2014; not re-checked against the standard's table).
    """
    nm = wavelength_nm
    if not LASER_SKIN_BAND_NM[0] <= nm <= LASER_SKIN_BAND_NM[1]:
        raise ValueError("C_A is defined for 400-1400 nm")
    if nm <= 700:
        return 1.0
    if nm <= 1050:
        return 10.0 ** (0.002 * (nm - 700.0))
    return 5.0


def laser_skin_mpe_mw_cm2(wavelength_nm: float, time_s: float) -> float:
    """Laser skin MPE expressed as a mean irradiance over ``time_s`` (mW/cm2), 400-1400 nm.

    10 s <= t <= 3e4 s: 0.2 C_A W/cm2 (e.g. 332 mW/cm2 at 810 nm, 399 at 850 nm).
    100 ns <= t < 10 s: radiant exposure 1.1 C_A t^0.25 J/cm2, i.e. a mean irradiance of 1.1 C_A t^-0.75 W/cm2.
    Source: ANSI Z136.1 (bibliography key ansi_z136_1_2014; not re-checked against the standard's table).
    """
    ca = correction_ca(wavelength_nm)
    if LASER_LONG_SPLIT_S <= time_s <= LASER_LONG_MAX_S:
        return 0.2 * ca * 1000.0
    if LASER_SHORT_MIN_S <= time_s < LASER_LONG_SPLIT_S:
        return laser_skin_mpe_short_j_cm2(wavelength_nm, time_s) / time_s * 1000.0
    raise ValueError("the laser skin MPE is defined for 100 ns <= t <= 3e4 s")


def laser_skin_mpe_short_j_cm2(wavelength_nm: float, time_s: float) -> float:
    """Laser skin MPE as radiant exposure for 100 ns to 10 s: 1.1 C_A t^0.25 J/cm2 (ANSI Z136.1 / ICNIRP)."""
    return 1.1 * correction_ca(wavelength_nm) * time_s ** 0.25
