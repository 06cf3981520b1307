"""Fresnel reflectance of unpolarised light at a plane interface, as MCML's ``RFresnel``.

Model: average of the s and p reflectances, written with the angle-sum identities of MCML 1.2
(Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47 (1995) 131-146, eq. 3.20 and mcmlgo.c).
"""

from __future__ import annotations

import math

from numba import njit

COS_ZERO = 1.0 - 1.0e-12   # MCML's COSZERO: directions closer to normal than this are treated as normal
COS_90 = 1.0e-6            # MCML's COS90D: directions closer to grazing than this are totally reflected


@njit(cache=True, inline="always")
def fresnel_reflectance(n_incident, n_transmitted, cos_incident):
    """Reflectance and cosine of the refracted angle for light going from ``n_incident`` into ``n_transmitted``.

    ``cos_incident`` in [0, 1] (angle to the normal). Returns ``(r, cos_transmitted)``; total internal
    reflection gives ``(1.0, 0.0)``. Dimensionless. One return and selects, no branch (the photon-parallel
    kernel's event loop vectorises through it).
    """
    sin_i = math.sqrt(max(0.0, 1.0 - cos_incident * cos_incident))
    sin_t = n_incident * sin_i / n_transmitted
    total = (cos_incident < COS_90) | (sin_t >= 1.0)
    cos_t = math.sqrt(max(0.0, 1.0 - sin_t * sin_t))
    cap = cos_incident * cos_t - sin_i * sin_t   # cos(a + b)
    cam = cos_incident * cos_t + sin_i * sin_t   # cos(a - b)
    sap = sin_i * cos_t + cos_incident * sin_t   # sin(a + b)
    sam = sin_i * cos_t - cos_incident * sin_t   # sin(a - b)
    den = sap * sap * cam * cam   # 0 only at normal incidence, where r_oblique is not used
    r_oblique = 0.5 * sam * sam * (cam * cam + cap * cap) / (den if den > 0.0 else 1.0)
    q = (n_transmitted - n_incident) / (n_transmitted + n_incident)
    matched = n_incident == n_transmitted
    normal = cos_incident > COS_ZERO
    r = 0.0 if matched else (q * q if normal else (1.0 if total else r_oblique))
    cos_out = cos_incident if (matched | normal) else (0.0 if total else cos_t)
    return r, cos_out


def critical_cosine(n_incident: float, n_transmitted: float) -> float:
    """Cosine of the critical angle going from ``n_incident`` into ``n_transmitted`` (0 when there is none)."""
    if n_incident > n_transmitted:
        return math.sqrt(1.0 - (n_transmitted / n_incident) ** 2)
    return 0.0
