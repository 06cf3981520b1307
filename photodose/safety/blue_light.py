"""Blue-light hazard (retinal photochemical, 300-700 nm): the B(lambda) weighting and weighted irradiance of a channel.

    E_B = sum over the emission spectrum of E(nm) B(nm)        (W/m2)
    L_B = E_B / (pi sin^2(alpha/2))                              (W m-2 sr-1, uniform Lambertian disc)
    limit: L_B t <= 1e6 J m-2 sr-1 for t <= 1e4 s; L_B <= 100 W m-2 sr-1 beyond

B(lambda): ``data/blue_light_hazard.csv`` (IEC 62471:2006 Table 4.2 / ICNIRP 2013 Table 2, secondary sources named
in its header); linear interpolation between 5 nm rows, 0 outside 300-700 nm. Limits: IEC 62471:2006 / CIE S 009:2002
(see :func:`photodose.safety.eye_limits.blue_light_radiance_dose_limit_j_m2_sr`).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..optics.emission import WAVELENGTH_MAX_NM, WAVELENGTH_MIN_NM, EmissionSpectrum
from ..package_data import read_text

BLUE_LIGHT_BAND_NM = (300.0, 700.0)
BLUE_LIGHT_LONG_TERM_W_M2_SR = 100.0
BLUE_LIGHT_DOSE_J_M2_SR = 1e6
BLUE_LIGHT_TIME_SPLIT_S = 1e4
DEFAULT_FWHM_NM = 20.0  # photodose's default LED line width (EmissionSpectrum's default), used when none is given
SPECTRUM_SAMPLES = 15


@lru_cache(maxsize=1)
def blue_light_table() -> tuple[np.ndarray, np.ndarray]:
    """(wavelength_nm, B) rows of ``data/blue_light_hazard.csv``."""
    text = read_text("photodose.safety", "data", "blue_light_hazard.csv")
    rows = [line.split(",") for line in text.splitlines() if line and not line.startswith("#")][1:]
    table = np.array(rows, dtype=float)
    return table[:, 0], table[:, 1]


def blue_light_weight(wavelength_nm):
    """B(lambda), dimensionless (1 at 435-440 nm); 0 outside 300-700 nm. Accepts scalars or arrays."""
    nm, b = blue_light_table()
    out = np.interp(wavelength_nm, nm, b, left=0.0, right=0.0)
    return float(out) if np.ndim(out) == 0 else out


def spectral_blue_weight(centre_nm: float, spectrum: EmissionSpectrum | None = None) -> float:
    """Spectrum-averaged B: sum of weights x B over ``spectrum.samples`` (sum of weights = 1).

    Without a spectrum, a Gaussian line of ``DEFAULT_FWHM_NM`` at ``centre_nm`` (photodose's assumption, unsourced);
    centres outside the emission model's 400-1400 nm range are treated as monochromatic.
    """
    if spectrum is None:
        if not WAVELENGTH_MIN_NM <= centre_nm <= WAVELENGTH_MAX_NM:
            return blue_light_weight(centre_nm)
        spectrum = EmissionSpectrum.gaussian(centre_nm, DEFAULT_FWHM_NM)
    nm, weights = spectrum.samples(SPECTRUM_SAMPLES)
    return float(np.sum(weights * blue_light_weight(nm)))


def blue_light_allowed_time_s(radiance_w_m2_sr: float) -> float:
    """Longest exposure within the limit at a constant L_B: 1e6 / L_B s, ``math.inf`` when L_B <= 100 W m-2 sr-1."""
    if radiance_w_m2_sr <= BLUE_LIGHT_LONG_TERM_W_M2_SR:
        return math.inf
    return BLUE_LIGHT_DOSE_J_M2_SR / radiance_w_m2_sr
