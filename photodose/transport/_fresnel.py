"""Fresnel reflectance of unpolarised light at a plane interface, as MCML's ``RFresnel``.

Model: average of the s and p reflectances, written with the angle-sum identities of MCML 1.2
(Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47 (1995) 131-146, eq. 3.20 and mcmlgo.c).
"""

from __future__ import annotations

import math

from numba import njit

COS_ZERO = 1.0 - 1.0e-12   # MCML's COSZERO: directions closer to normal than this are treated as normal
COS_90 = 1.0e-6            # MCML's COS90D: directions closer to grazing than this are totally reflected


@njit(cache=True)
def fresnel_reflectance(n_incident, n_transmitted, cos_incident):
    """Reflectance and cosine of the refracted angle for light going from ``n_incident`` into ``n_transmitted``.

    ``cos_incident`` in [0, 1] (angle to the normal). Returns ``(r, cos_transmitted)``; total internal
    reflection gives ``(1.0, 0.0)``. Dimensionless.
    """
    if n_incident == n_transmitted:
        return 0.0, cos_incident
    if cos_incident > COS_ZERO:
        q = (n_transmitted - n_incident) / (n_transmitted + n_incident)
        return q * q, cos_incident
    if cos_incident < COS_90:
        return 1.0, 0.0
    sin_i = math.sqrt(1.0 - cos_incident * cos_incident)
    sin_t = n_incident * sin_i / n_transmitted
    if sin_t >= 1.0:
        return 1.0, 0.0
    cos_t = math.sqrt(1.0 - sin_t * sin_t)
    cap = cos_incident * cos_t - sin_i * sin_t   # cos(a + b)
    cam = cos_incident * cos_t + sin_i * sin_t   # cos(a - b)
    sap = sin_i * cos_t + cos_incident * sin_t   # sin(a + b)
    sam = sin_i * cos_t - cos_incident * sin_t   # sin(a - b)
    r = 0.5 * sam * sam * (cam * cam + cap * cap) / (sap * sap * cam * cam)
    return r, cos_t


def critical_cosine(n_incident: float, n_transmitted: float) -> float:
    """Cosine of the critical angle going from ``n_incident`` into ``n_transmitted`` (0 when there is none)."""
    if n_incident > n_transmitted:
        return math.sqrt(1.0 - (n_transmitted / n_incident) ** 2)
    return 0.0
