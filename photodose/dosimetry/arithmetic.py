"""Surface dose arithmetic of photobiomodulation.

Model: fluence (radiant exposure) H [J/cm^2] = irradiance E [mW/cm^2] x time t [s] / 1000, and its
inverses; energy Q [J] = H x area [cm^2]; power P [mW] = E x area. Source: the definitions of radiant exposure,
energy and energy density (Jenkins & Carroll, Photomed Laser Surg 29 (2011) 785-787, bibliography key jenkins2011).
All functions accept numpy arrays.
"""

from __future__ import annotations

import numpy as np

MW_PER_W = 1000.0


def fluence_j_cm2(irradiance_mw_cm2, time_s):
    """Fluence H = E * t / 1000 [J/cm^2] for irradiance ``E`` [mW/cm^2] held for ``t`` [s]."""
    return np.multiply(irradiance_mw_cm2, time_s) / MW_PER_W


def time_for_fluence_s(fluence_j_cm2, irradiance_mw_cm2):
    """Time t = 1000 * H / E [s] that delivers fluence ``H`` [J/cm^2] at irradiance ``E`` [mW/cm^2] (E > 0)."""
    return MW_PER_W * np.divide(fluence_j_cm2, irradiance_mw_cm2)


def irradiance_for_fluence_mw_cm2(fluence_j_cm2, time_s):
    """Irradiance E = 1000 * H / t [mW/cm^2] that delivers fluence ``H`` [J/cm^2] in ``t`` [s] (t > 0)."""
    return MW_PER_W * np.divide(fluence_j_cm2, time_s)


def energy_j(fluence_j_cm2, area_cm2):
    """Energy Q = H * A [J] delivered by a uniform fluence ``H`` [J/cm^2] over ``A`` [cm^2]."""
    return np.multiply(fluence_j_cm2, area_cm2)


def power_mw(irradiance_mw_cm2, area_cm2):
    """Power P = E * A [mW] of a uniform irradiance ``E`` [mW/cm^2] over ``A`` [cm^2]."""
    return np.multiply(irradiance_mw_cm2, area_cm2)
