"""Dose at depth from surface irradiance and the tissue's fluence per unit irradiance.

Model (linear transport): the fluence rate at depth z for a wide uniform beam of irradiance E(lambda) is
E(lambda) * phi(z; lambda), where phi [dimensionless, (mW/cm^2)/(mW/cm^2)] is the transport stage's fluence per
unit irradiance. For a channel with emission spectrum samples (lambda_k, w_k), sum w_k = 1, the effective
phi_ch(z) = sum_k w_k phi(z; lambda_k); the dose after t seconds is D(z) = sum_ch E_ch * t * phi_ch(z) / 1000
[J/cm^2] (the DESIGN.md data flow: D(z) = sum over nm of E(nm) phi(z, nm) t).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .arithmetic import fluence_j_cm2


def spectral_fluence_per_irradiance(phi_at_nm: Callable[[float], np.ndarray], wavelengths_nm, weights) -> np.ndarray:
    """Spectrally weighted fluence per irradiance sum_k w_k phi(z; lambda_k).

    ``phi_at_nm(nm)`` returns phi on a fixed depth grid; ``weights`` are the emission samples' weights (sum 1).
    """
    total = None
    for nm, w in zip(np.atleast_1d(wavelengths_nm), np.atleast_1d(weights)):
        term = float(w) * np.asarray(phi_at_nm(float(nm)), dtype=float)
        total = term if total is None else total + term
    if total is None:
        raise ValueError("no spectral samples")
    return total


def depth_fluence_j_cm2(irradiance_mw_cm2, time_s, fluence_per_irradiance) -> np.ndarray:
    """Fluence at depth D(z) = (E * t / 1000) * phi(z) [J/cm^2] for one channel (or a sum over channels)."""
    return fluence_j_cm2(irradiance_mw_cm2, time_s) * np.asarray(fluence_per_irradiance, dtype=float)
