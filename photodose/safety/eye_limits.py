"""Eye exposure limits for incoherent sources (IEC 62471:2006 4.3.5-4.3.7 / ICNIRP 2013), as pure functions.

Irradiance here is in W/m2 (the standard's unit); 1 mW/cm2 = 10 W/m2.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..package_data import read_text

VISIBLE_BAND_NM = (380.0, 780.0)                # visible light (CIE; IEC 62471's visible band)
IR_EYE_BAND_NM = (780.0, 3000.0)
RETINAL_THERMAL_BAND_NM = (380.0, 1400.0)      # R(lambda)-weighted radiance L_R (IEC 62471 4.3.5)
WEAK_STIMULUS_BAND_NM = (780.0, 1400.0)        # L_IR of a weak visual stimulus (IEC 62471 4.3.6)
RETINAL_THERMAL_ALPHA_RAD = (0.0017, 0.1)      # alpha_min, alpha_max of 4.3.5
WEAK_STIMULUS_ALPHA_RAD = (0.011, 0.1)         # alpha_min, alpha_max of 4.3.6
RETINAL_THERMAL_MAX_TIME_S = 10.0              # the standard's maximum assessment time for the retinal thermal hazard
# below this luminance the source is a weak visual stimulus (no aversion response), for IEC 62471 4.3.6: photodose
# assumption (unsourced), the threshold NOT checked against the standard's own text
WEAK_STIMULUS_LUMINANCE_CD_M2 = 10.0
LUMINOUS_EFFICACY_LM_W = 683.0                 # K_m, photopic maximum luminous efficacy (SI definition of the candela)
IR_EYE_LONG_TERM_W_M2 = 100.0
IR_EYE_TIME_SPLIT_S = 1000.0


@lru_cache(maxsize=None)
def _csv_table(name: str) -> tuple[np.ndarray, np.ndarray]:
    text = read_text("photodose.safety", "data", name)
    rows = [line.split(",") for line in text.splitlines() if line and not line.startswith("#")][1:]
    table = np.array(rows, dtype=float)
    return table[:, 0], table[:, 1]


def in_band(wavelength_nm: float, band: tuple[float, float]) -> bool:
    return band[0] <= wavelength_nm <= band[1]


def ir_eye_limit_w_m2(time_s: float) -> float:
    """Infrared exposure limit for cornea and lens, 780-3000 nm.

    E_IR <= 18000 * t^-0.75 W/m2 for t <= 1000 s; E_IR <= 100 W/m2 for t > 1000 s.
    At t = 1000 s the short-time branch gives 101.2 W/m2, slightly above the 100 W/m2 long-time branch:
    the standard's two branches do not meet exactly.

    Source: IEC 62471:2006 4.3.7; ICNIRP 2013 (Health Phys 105(1):74-96).
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
    Source: inverse of IEC 62471:2006 4.3.7.
    """
    if irradiance_w_m2 <= IR_EYE_LONG_TERM_W_M2:
        return math.inf
    return min((18000.0 / irradiance_w_m2) ** (4.0 / 3.0), IR_EYE_TIME_SPLIT_S)


def _burn_hazard_table() -> tuple[np.ndarray, np.ndarray]:
    """(wavelength_nm, R) rows of ``data/burn_hazard_380_500.csv`` (IEC 62471:2006 Table 4.2, 380-500 nm)."""
    return _csv_table("burn_hazard_380_500.csv")


def burn_hazard_weight(wavelength_nm: float) -> float:
    """Burn hazard function R(lambda) of the retinal thermal hazard (dimensionless), 380-1400 nm.

    380-500 nm: the standard's 5 nm table (``data/burn_hazard_380_500.csv``, up to 10 at 435-440 nm), linear
    between rows; 1 (500-700 nm); 10^((700-nm)/500) (700-1050); 0.2 (1050-1150); 0.2*10^(0.02*(1150-nm))
    (1150-1200); 0.02 (1200-1400); 0 outside 380-1400 nm.
    Source: IEC 62471:2006 Table 4.2 (see the data file's header for the transcription used).
    """
    nm = wavelength_nm
    if 380 <= nm < 500:
        table_nm, r = _burn_hazard_table()
        return float(np.interp(nm, table_nm, r))
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


def spectral_weight(weight, centre_nm: float, spectrum=None, samples: int = 15) -> float:
    """Spectrum-averaged weight: sum over the emission line's samples of w_k x weight(nm_k) (sum of w_k = 1).

    Without a spectrum, a Gaussian line of 20 nm FWHM at ``centre_nm`` (photodose's default LED line,
    unsourced); centres outside the emission model's 400-1400 nm are treated as monochromatic.
    """
    from ..optics.emission import WAVELENGTH_MAX_NM, WAVELENGTH_MIN_NM, EmissionSpectrum

    if spectrum is None:
        if not WAVELENGTH_MIN_NM <= centre_nm <= WAVELENGTH_MAX_NM:
            return float(weight(centre_nm))
        spectrum = EmissionSpectrum.gaussian(centre_nm, 20.0)
    nm, w = spectrum.samples(samples)
    return float(sum(wk * weight(float(x)) for wk, x in zip(w, nm)))


def photopic_weight(wavelength_nm: float) -> float:
    """CIE 1924 photopic luminous efficiency V(lambda) (``data/photopic_v.csv``), 0 outside 360-830 nm."""
    nm, v = _csv_table("photopic_v.csv")
    return float(np.interp(wavelength_nm, nm, v, left=0.0, right=0.0))


def clamp_alpha_rad(alpha_rad: float, bounds: tuple[float, float]) -> float:
    """The angular subtense the limit uses: alpha limited to the standard's [alpha_min, alpha_max]."""
    if alpha_rad <= 0:
        raise ValueError("alpha_rad must be > 0")
    return min(max(alpha_rad, bounds[0]), bounds[1])


def retinal_thermal_limit_w_m2_sr(alpha_rad: float, time_s: float) -> float:
    """Retinal thermal limit on L_R = sum R(lambda) L_lambda over 380-1400 nm (a visible source).

    L_R <= 50000 / (alpha t^0.25) W m-2 sr-1 for 10 us <= t <= 10 s, alpha limited to 0.0017-0.1 rad; the
    standard assesses this hazard up to t = 10 s (its maximum assessment time), so longer sessions are held to
    the 10 s value 50000 / (alpha 10^0.25) = 28117 / alpha (CIE e-ILV 17-26-023, note 1: in IEC 62471 the
    maximum assessment time of retinal thermal injury is 10 s).
    Source: IEC 62471:2006 4.3.5 (the same limits as Directive 2006/25/EC Annex I Table 1.1 rows g-h:
    2.8e7 / C_alpha for t > 10 s, 5e7 / (C_alpha t^0.25) for 10 us-10 s, C_alpha in mrad within 1.7-100).
    """
    if time_s <= 0:
        raise ValueError("time_s must be > 0")
    alpha = clamp_alpha_rad(alpha_rad, RETINAL_THERMAL_ALPHA_RAD)
    return 50000.0 / (alpha * min(max(time_s, 1e-5), RETINAL_THERMAL_MAX_TIME_S) ** 0.25)


def retinal_thermal_weak_stimulus_limit_w_m2_sr(alpha_rad: float, time_s: float = math.inf) -> float:
    """Retinal thermal limit for a weak visual stimulus on L_IR = sum R(lambda) L_lambda over 780-1400 nm.

    L_IR <= 6000 / alpha W m-2 sr-1 for t > 10 s; 50000 / (alpha t^0.25) for 10 us-10 s; alpha limited to
    0.011-0.1 rad. Applies only where no strong visual stimulus triggers the aversion response (photodose:
    visible luminance below WEAK_STIMULUS_LUMINANCE_CD_M2).
    Source: IEC 62471:2006 4.3.6 (the same limits as Directive 2006/25/EC Annex I Table 1.1 rows j-k:
    6e6 / C_alpha for t > 10 s, 5e7 / (C_alpha t^0.25), C_alpha in mrad within 11-100).
    """
    if time_s <= 0:
        raise ValueError("time_s must be > 0")
    alpha = clamp_alpha_rad(alpha_rad, WEAK_STIMULUS_ALPHA_RAD)
    if time_s > RETINAL_THERMAL_MAX_TIME_S:
        return 6000.0 / alpha
    return 50000.0 / (alpha * max(time_s, 1e-5) ** 0.25)


def disc_angular_subtense_rad(source_diameter_mm: float, distance_mm: float) -> float:
    """Full angle subtended by a disc of diameter D at distance d on its axis: alpha = 2 atan(D / 2d)."""
    return 2.0 * math.atan2(source_diameter_mm, 2.0 * distance_mm)


def disc_radiance_w_m2_sr(irradiance_w_m2: float, alpha_rad: float) -> float:
    """Radiance of a uniform Lambertian disc of angular subtense alpha giving irradiance E on its axis.

    From E = pi L R^2 / (R^2 + d^2) = pi L sin^2(alpha/2): L = E / (pi sin^2(alpha/2)).
    Simplification: the luminous area is treated as uniform; single emitters inside it are brighter than this
    average. The disc formula is the m = 1 case of devices/emitters.py's disc_on_axis_irradiance_mw_cm2.
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
