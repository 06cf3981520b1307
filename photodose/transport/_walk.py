"""MCML pieces shared by the scalar and photon-parallel kernels: layer table, launch, spin, tally indices.

Model: Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47 (1995) 131-146 ("MCML"): launch on the beam
with the specular reflection removed, the Henyey-Greenstein polar cosine (MCML's inversion, rewritten with
m = 2 xi - 1 as (m + g (3 + m^2)/2 + g^2 m + g^3 (m^2 - 1)/2) / (1 + g m)^2, free of the cancellation at |g| << 1
and exact at g = 0) and MCML's direction update (its special case for near-normal directions). The azimuth comes
from a point uniform in the unit disc, (cos 2psi, sin 2psi) = ((a^2 - b^2)/q, 2ab/q), without a trigonometric call.
Every function is inlined into the kernels; units: cm.
"""

from __future__ import annotations

import math

from numba import njit

import numpy as np
from ._fresnel import COS_ZERO, critical_cosine, fresnel_reflectance
from ._rng import next_pair, next_uniform

# indices of the per-batch scalar sums
SPECULAR, DIFFUSE, TRANSMITTED, ROULETTE_NET, EVENTS = range(5)
N_SCALARS = 5


ROULETTE_WEIGHT = 1.0e-4   # MCML's WEIGHT
ROULETTE_CHANCE = 0.1      # MCML's CHANCE

# columns of the per-layer table built by layer_table()
N, MUA, MUS, Z0, Z1, MUT, INV_MUT, ABS_FRAC, N_UP, N_DOWN, COS_CRIT_UP, COS_CRIT_DOWN, GLASS, \
    HG_G, HG_G2, HG_HALF_G3 = range(16)
N_COLUMNS = 16

@njit(cache=True, inline="always")
def tally_bin(scaled, n):
    """Bin index of a value already divided by the bin width; the last bin takes everything beyond (MCML)."""
    if scaled < n - 1:
        return int(scaled)
    return n - 1   # also for inf and nan


def layer_table(n: np.ndarray, mua: np.ndarray, mus: np.ndarray, g: np.ndarray, bounds_cm: np.ndarray,
                n_above: float, n_below: float) -> np.ndarray:
    """Per-layer constants for the kernel (one row per layer, columns named above), lengths in cm."""
    nl = len(n)
    table = np.zeros((nl, N_COLUMNS))
    # a semi-infinite last layer has no lower interface: light reaching z = inf (only through a non-scattering
    # layer) leaves as transmitted without Fresnel reflection there
    n_outer = np.concatenate(([n_above], n, [n_below if np.isfinite(bounds_cm[-1]) else n[-1]]))
    for i in range(nl):
        mut = mua[i] + mus[i]
        gi = g[i]
        table[i, N], table[i, MUA], table[i, MUS] = n[i], mua[i], mus[i]
        table[i, Z0], table[i, Z1] = bounds_cm[i], bounds_cm[i + 1]
        table[i, MUT] = mut
        table[i, INV_MUT] = 1.0 / mut if mut > 0 else 0.0
        table[i, ABS_FRAC] = mua[i] / mut if mut > 0 else 0.0
        table[i, N_UP], table[i, N_DOWN] = n_outer[i], n_outer[i + 2]
        table[i, COS_CRIT_UP] = critical_cosine(n[i], n_outer[i])
        table[i, COS_CRIT_DOWN] = critical_cosine(n[i], n_outer[i + 2])
        table[i, GLASS] = 1.0 if mut == 0 else 0.0
        table[i, HG_G] = gi
        table[i, HG_G2] = gi * gi
        table[i, HG_HALF_G3] = 0.5 * gi * gi * gi
    return table


@njit(cache=True)
def entry_reflectance(table, start_layer, n_above, cos_in):
    """Specular reflectance and refracted direction cosine for light entering the stack at ``cos_in``.

    A glass first layer (MCML Rspecular) adds its multiple reflections: r1 + (1 - r1)^2 r2 / (1 - r1 r2),
    and the photon starts below it.
    """
    r1, cos_t = fresnel_reflectance(n_above, table[0, N], cos_in)
    if start_layer == 0:
        return r1, cos_t
    r2, cos_t2 = fresnel_reflectance(table[0, N], table[1, N], cos_t)
    denom = 1.0 - r1 * r2
    r = 1.0 if denom <= 0.0 else r1 + (1.0 - r1) * (1.0 - r1) * r2 / denom
    return r, cos_t2


BEAM_PENCIL, BEAM_FLAT, BEAM_GAUSSIAN, BEAM_WIDE = 0, 1, 2, 3
INCIDENCE_COLLIMATED, INCIDENCE_CONE, INCIDENCE_LAMBERTIAN = 0, 1, 2


@njit(cache=True, inline="always")
def launch(s0, s1, s2, s3, table, start_layer, n_above, rsp_collimated, beam_code, beam_radius_cm, inc_code,
           cos_half_angle):
    """Start position (x, y), direction (ux, uy, uz) and specular reflectance of one photon, and the new state.

    Oblique incidence enters with ``entry_reflectance``; a glass first layer (``start_layer`` 1) shifts the entry
    point laterally by its thickness times the refracted tangent.
    """
    x = 0.0
    y = 0.0
    if beam_code == BEAM_FLAT or beam_code == BEAM_GAUSSIAN:
        while True:   # a point uniform in the unit disc
            a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
            q = a * a + b * b
            if q <= 1.0:
                break
        if beam_code == BEAM_FLAT:
            x = beam_radius_cm * a
            y = beam_radius_cm * b
        else:   # Gaussian, 1/e^2 radius R: r = R sqrt(-ln(xi)/2), xi = q is uniform on (0, 1]
            scale = beam_radius_cm * math.sqrt(-0.5 * math.log(q) / q)
            x = scale * a
            y = scale * b
    if inc_code == INCIDENCE_COLLIMATED:
        return x, y, 0.0, 0.0, 1.0, rsp_collimated, s0, s1, s2, s3
    u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
    if inc_code == INCIDENCE_CONE:
        cos_in = 1.0 - u * (1.0 - cos_half_angle)
    else:
        cos_in = math.sqrt(u)
    rsp, uz = entry_reflectance(table, start_layer, n_above, cos_in)
    sin_in = math.sqrt(max(0.0, 1.0 - cos_in * cos_in))
    sin_t = n_above * sin_in / table[start_layer, N]
    u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
    phi = 2.0 * math.pi * u
    ux = sin_t * math.cos(phi)
    uy = sin_t * math.sin(phi)
    if start_layer == 1 and uz > 0.0:   # lateral shift across the glass layer
        sin_g = n_above * sin_in / table[0, N]
        tan_g = sin_g / math.sqrt(max(1e-300, 1.0 - sin_g * sin_g))
        x += table[0, Z1] * tan_g * math.cos(phi)
        y += table[0, Z1] * tan_g * math.sin(phi)
    return x, y, ux, uy, uz, rsp, s0, s1, s2, s3


@njit(cache=True, inline="always")
def cut_at_boundary(s, uz, z, z0, z1, mut):
    """A step of length ``s`` cut at the layer boundary it would cross (MCML's HitBoundary; compared as a product,
    divided only when hit). Returns (step, hit, the dimensionless remainder carried into the next layer)."""
    if uz > 0.0 and s * uz > z1 - z:
        db = (z1 - z) / uz
        return db, True, (s - db) * mut
    if uz < 0.0 and s * uz < z0 - z:
        db = (z0 - z) / uz
        return db, True, (s - db) * mut
    return s, False, 0.0


@njit(cache=True, inline="always")
def tally_escape(sums, rd_ra, tt_ra, w, x, y, uz, inv_dr, nr, inv_da, na, radial):
    """Add a photon that leaves the stack (direction ``uz`` outside) to Rd (up) or Tt (down), in r and angle."""
    ir = tally_bin(math.sqrt(x * x + y * y) * inv_dr, nr) if radial else 0
    ia = tally_bin(math.acos(abs(uz)) * inv_da, na)
    if uz < 0.0:
        sums[DIFFUSE] += w
        rd_ra[ir, ia] += w
    else:
        sums[TRANSMITTED] += w
        tt_ra[ir, ia] += w


@njit(cache=True, inline="always")
def cross_or_reflect(table, layer, ux, uy, uz, s0, s1, s2, s3):
    """MCML's CrossUpOrNot / CrossDnOrNot at the boundary the photon stands on (all-or-none, Fresnel probability;
    total reflection beyond the critical angle; no draw at an index-matched interface).

    Returns (transmitted, ux, uy, uz, s0, s1, s2, s3): the refracted direction when transmitted, else the mirrored one.
    """
    up = uz < 0.0
    ni = table[layer, N]
    nt = table[layer, N_UP] if up else table[layer, N_DOWN]
    ca = -uz if up else uz
    cos_crit = table[layer, COS_CRIT_UP] if up else table[layer, COS_CRIT_DOWN]
    transmit = False
    ca_t = 0.0
    if ca > cos_crit:
        r, ca_t = fresnel_reflectance(ni, nt, ca)
        if r == 0.0:
            transmit = True
        elif r < 1.0:
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            transmit = u > r
    if not transmit:
        return False, ux, uy, -uz, s0, s1, s2, s3
    ratio = ni / nt
    return True, ux * ratio, uy * ratio, -ca_t if up else ca_t, s0, s1, s2, s3


@njit(cache=True, inline="always")
def roulette(w, s0, s1, s2, s3):
    """MCML's Russian roulette for a weight below ROULETTE_WEIGHT: the photon survives with chance ROULETTE_CHANCE
    at weight w / ROULETTE_CHANCE. Returns (weight after, weight added (negative when it ends), s0, s1, s2, s3); a
    weight after of 0 ends the photon (a zero weight ends it without a draw)."""
    if w == 0.0:
        return 0.0, 0.0, s0, s1, s2, s3
    u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
    if u < ROULETTE_CHANCE:
        boosted = w / ROULETTE_CHANCE
        return boosted, boosted - w, s0, s1, s2, s3
    return 0.0, -w, s0, s1, s2, s3


@njit(cache=True, inline="always")
def hg_cosine(u, g, g2, half_g3):
    """Cosine of the Henyey-Greenstein deflection for a uniform draw ``u`` in (0, 1), clipped to [-1, 1]."""
    m = 2.0 * u - 1.0
    den = 1.0 + g * m
    cost = (m + g * (1.5 + 0.5 * m * m) + g2 * m + half_g3 * (m * m - 1.0)) / (den * den)
    return min(1.0, max(-1.0, cost))


@njit(cache=True, inline="always")
def disc_azimuth(a, b, q):
    """(cos psi, sin psi) of a uniform azimuth from a point (a, b) uniform in the unit disc, q = a^2 + b^2."""
    inv_q = 1.0 / q
    return (a * a - b * b) * inv_q, 2.0 * a * b * inv_q


@njit(cache=True, inline="always")
def spin(ux, uy, uz, cost, cosp, sinp):
    """New direction after a deflection by polar cosine ``cost`` and azimuth (cosp, sinp) (MCML's Spin).

    One return and selects, no branch, so that the photon-parallel kernel's event loop vectorises.
    """
    sint = math.sqrt(1.0 - cost * cost)
    tmp = math.sqrt(max(1.0e-300, 1.0 - uz * uz))
    f = sint / tmp
    near_normal = abs(uz) > COS_ZERO
    new_ux = sint * cosp if near_normal else f * (ux * uz * cosp - uy * sinp) + ux * cost
    new_uy = sint * sinp if near_normal else f * (uy * uz * cosp + ux * sinp) + uy * cost
    new_uz = (cost if uz >= 0.0 else -cost) if near_normal else -sint * cosp * tmp + uz * cost
    return new_ux, new_uy, new_uz
