"""The numba photon-transport kernel: MCML 1.2's random walk, one independent random stream per batch.

Algorithm (Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47 (1995) 131-146, "MCML"):
step s = -ln(xi)/mut; a step that reaches a layer boundary is cut there and its remaining dimensionless
length carried into the next step; at the boundary the photon is reflected or transmitted all-or-none with
the Fresnel probability (internal reflection at every interface, total reflection beyond the critical angle);
at each interaction the weight w*mua/mut is deposited (A(r, z), per layer) and the direction is drawn from
the Henyey-Greenstein phase function (MCML's inversion cos = (1 + g^2 - ((1 - g^2)/(1 - g + 2 g xi))^2)/(2g),
rewritten with m = 2 xi - 1 as (m + g (3 + m^2)/2 + g^2 m + g^3 (m^2 - 1)/2) / (1 + g m)^2: the same function
without the cancellation that breaks MCML's form for |g| << 1, and exact at g = 0); Russian roulette below
w = 1e-4 with survival chance 0.1. Layers with mua = mus = 0 (glass) are crossed in one step to the boundary.
Units: cm inside the kernel.

Differences from MCML that do not change the physics: xoshiro256** instead of ran3; the dimensionless step
lengths -ln(xi) are drawn ahead in blocks of STEP_BLOCK so that the logarithm runs as a SIMD loop
(``_kernel_log``: fdlibm's algorithm, < 1 ulp) instead of a libm call per step; the azimuth of a scattering
event is drawn by rejection in the unit disc (no trigonometric call; both coordinates from one 64-bit draw;
two candidates per event, selected without a branch); a step is compared with the distance to the boundary
by a product, not a quotient; floating-point contraction (fused multiply-add) is the only fast-math flag; a
photon that reaches a boundary is placed exactly on it; no random number is drawn at an index-matched
interface (R = 0).
Bookkeeping: the weight roulette adds (survivors) or removes (kills) is summed, so that
Rsp + Rd + A + Tt = photons + roulette_net exactly, to rounding.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._fresnel import COS_ZERO, critical_cosine, fresnel_reflectance
from ._kernel_log import log_positive
from ._rng import next_pair, next_uniform, seed_state

ROULETTE_WEIGHT = 1.0e-4   # MCML's WEIGHT
ROULETTE_CHANCE = 0.1      # MCML's CHANCE
STEP_BLOCK = 32            # exponential step lengths drawn ahead in blocks (a SIMD loop for the logarithm)

# columns of the per-layer table built by layer_table()
N, MUA, MUS, Z0, Z1, MUT, INV_MUT, ABS_FRAC, N_UP, N_DOWN, COS_CRIT_UP, COS_CRIT_DOWN, GLASS, \
    HG_G, HG_G2, HG_HALF_G3 = range(16)
N_COLUMNS = 16

# indices of the per-batch scalar sums
SPECULAR, DIFFUSE, TRANSMITTED, ROULETTE_NET = range(4)
N_SCALARS = 4

BEAM_PENCIL, BEAM_FLAT, BEAM_GAUSSIAN, BEAM_WIDE = 0, 1, 2, 3
INCIDENCE_COLLIMATED, INCIDENCE_CONE, INCIDENCE_LAMBERTIAN = 0, 1, 2


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


@njit(cache=True, inline="always")
def _bin(scaled, n):
    """Bin index of a value already divided by the bin width; the last bin takes everything beyond (MCML)."""
    if scaled < n - 1:
        return int(scaled)
    return n - 1   # also for inf and nan


@njit(cache=True, inline="always")
def _layer_constants(table, layer):
    """The current layer's constants the random walk uses at every step."""
    row = table[layer]
    return (row[MUT], row[INV_MUT], row[ABS_FRAC], row[Z0], row[Z1], row[GLASS] != 0.0,
            row[HG_G], row[HG_G2], row[HG_HALF_G3])


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


@njit(cache=True, fastmath={"contract"}, error_model="numpy")   # FMA only (+5 % on the skin); no physics change
def _photons(nphot, s0, s1, s2, s3, table, start_layer, n_above, rsp_collimated,
             beam_code, beam_radius_cm, inc_code, cos_half_angle,
             inv_dz, nz, inv_dr, nr, inv_da, na, radial,
             sums, layer_sums, a_rz, rd_ra, tt_ra):
    """Trace ``nphot`` photons, adding raw weights into the batch tallies; returns nothing."""
    nl = table.shape[0]
    last = nl - 1
    z_start = table[start_layer, Z0]
    glass_depth = table[0, Z1] if start_layer == 1 else 0.0
    n_start = table[start_layer, N]
    steps_ahead = np.empty(STEP_BLOCK)
    next_step = STEP_BLOCK
    for _ in range(nphot):
        # ---- launch: position on the beam, incident direction, specular reflection
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
            rsp = rsp_collimated
            ux = 0.0
            uy = 0.0
            uz = 1.0
        else:
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            if inc_code == INCIDENCE_CONE:
                cos_in = 1.0 - u * (1.0 - cos_half_angle)
            else:
                cos_in = math.sqrt(u)
            rsp, uz = entry_reflectance(table, start_layer, n_above, cos_in)
            sin_t = n_above * math.sqrt(max(0.0, 1.0 - cos_in * cos_in)) / n_start
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            phi = 2.0 * math.pi * u
            ux = sin_t * math.cos(phi)
            uy = sin_t * math.sin(phi)
            if start_layer == 1 and uz > 0.0:   # lateral shift across the glass layer
                sin_g = n_above * math.sqrt(max(0.0, 1.0 - cos_in * cos_in)) / table[0, N]
                tan_g = sin_g / math.sqrt(max(1e-300, 1.0 - sin_g * sin_g))
                x += glass_depth * tan_g * math.cos(phi)
                y += glass_depth * tan_g * math.sin(phi)
        sums[SPECULAR] += rsp
        w = 1.0 - rsp
        if w <= 0.0:
            continue
        z = z_start
        layer = start_layer
        sleft = 0.0
        absorbed_here = 0.0   # weight absorbed in the current layer by this photon (flushed on layer change)
        mut, inv_mut, abs_frac, z0, z1, glass, g, g2, half_g3 = _layer_constants(table, layer)
        while True:
            # ---- hop: step length, cut at the boundary
            hit = False
            db = 0.0
            if glass:
                if uz > 0.0:
                    s = (z1 - z) / uz
                elif uz < 0.0:
                    s = (z0 - z) / uz
                else:   # parallel to a non-scattering layer: never leaves it; count as removed
                    sums[ROULETTE_NET] -= w
                    break
                hit = True
            else:
                if sleft == 0.0:
                    if next_step == STEP_BLOCK:
                        for j in range(STEP_BLOCK):
                            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                            steps_ahead[j] = u
                        for j in range(STEP_BLOCK):
                            steps_ahead[j] = -log_positive(steps_ahead[j])
                        next_step = 0
                    s = steps_ahead[next_step] * inv_mut
                    next_step += 1
                else:
                    s = sleft * inv_mut
                    sleft = 0.0
                if uz > 0.0:   # compare s uz with the distance: no division unless the boundary is hit
                    if s * uz > z1 - z:
                        hit = True
                        db = (z1 - z) / uz
                elif uz < 0.0:
                    if s * uz < z0 - z:
                        hit = True
                        db = (z0 - z) / uz
                if hit:
                    sleft = (s - db) * mut
                    s = db
            x += s * ux
            y += s * uy
            if hit:
                # ---- cross or not (MCML CrossUpOrNot / CrossDnOrNot, all-or-none)
                if uz < 0.0:
                    z = z0
                    ni = table[layer, N]
                    nt = table[layer, N_UP]
                    ca = -uz
                    cos_crit = table[layer, COS_CRIT_UP]
                else:
                    z = z1
                    ni = table[layer, N]
                    nt = table[layer, N_DOWN]
                    ca = uz
                    cos_crit = table[layer, COS_CRIT_DOWN]
                if ca <= cos_crit:
                    transmit = False
                    ca_t = 0.0
                else:
                    r, ca_t = fresnel_reflectance(ni, nt, ca)
                    if r == 0.0:
                        transmit = True
                    elif r >= 1.0:
                        transmit = False
                    else:
                        u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                        transmit = u > r
                if not transmit:
                    uz = -uz
                else:
                    going_up = uz < 0.0
                    if (going_up and layer == 0) or ((not going_up) and layer == last):
                        ir = _bin(math.sqrt(x * x + y * y) * inv_dr, nr) if radial else 0
                        ia = _bin(math.acos(ca_t) * inv_da, na)
                        if going_up:
                            sums[DIFFUSE] += w
                            rd_ra[ir, ia] += w
                        else:
                            sums[TRANSMITTED] += w
                            tt_ra[ir, ia] += w
                        break
                    layer_sums[layer] += absorbed_here
                    absorbed_here = 0.0
                    ratio = ni / nt
                    ux *= ratio
                    uy *= ratio
                    if going_up:
                        layer -= 1
                        uz = -ca_t
                    else:
                        layer += 1
                        uz = ca_t
                    mut, inv_mut, abs_frac, z0, z1, glass, g, g2, half_g3 = _layer_constants(table, layer)
            else:
                z += s * uz
                # ---- drop
                dwa = w * abs_frac
                w -= dwa
                absorbed_here += dwa
                iz = _bin(z * inv_dz, nz)
                ir = _bin(math.sqrt(x * x + y * y) * inv_dr, nr) if radial else 0
                a_rz[ir, iz] += dwa
                # ---- spin: Henyey-Greenstein polar angle, uniform azimuth
                u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                m = 2.0 * u - 1.0
                den = 1.0 + g * m
                cost = (m + g * (1.5 + 0.5 * m * m) + g2 * m + half_g3 * (m * m - 1.0)) / (den * den)
                if cost < -1.0:
                    cost = -1.0
                elif cost > 1.0:
                    cost = 1.0
                sint = math.sqrt(1.0 - cost * cost)
                # azimuth psi of a point uniform in the unit disc (no trigonometric call); two candidates are
                # drawn and the first inside the disc selected without a branch (both outside: 4.6 %, loop)
                a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
                a2, b2, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
                q = a * a + b * b
                q2 = a2 * a2 + b2 * b2
                take2 = q > 1.0
                a = a2 if take2 else a
                b = b2 if take2 else b
                q = q2 if take2 else q
                while q > 1.0:
                    a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
                    q = a * a + b * b
                inv_q = 1.0 / q
                cosp = (a * a - b * b) * inv_q
                sinp = 2.0 * a * b * inv_q
                if abs(uz) > COS_ZERO:
                    ux = sint * cosp
                    uy = sint * sinp
                    uz = cost if uz >= 0.0 else -cost
                else:
                    tmp = math.sqrt(1.0 - uz * uz)
                    f = sint / tmp
                    ux_new = f * (ux * uz * cosp - uy * sinp) + ux * cost
                    uy_new = f * (uy * uz * cosp + ux * sinp) + uy * cost
                    uz = -sint * cosp * tmp + uz * cost
                    ux = ux_new
                    uy = uy_new
            # ---- roulette
            if w < ROULETTE_WEIGHT:
                if w == 0.0:
                    break
                u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                if u < ROULETTE_CHANCE:
                    boosted = w / ROULETTE_CHANCE
                    sums[ROULETTE_NET] += boosted - w
                    w = boosted
                else:
                    sums[ROULETTE_NET] -= w
                    break
        layer_sums[layer] += absorbed_here


@njit(cache=True, parallel=True)
def run_batches(seed, first_batch, batch_photons, table, start_layer, n_above, rsp_collimated,
                beam_code, beam_radius_cm, inc_code, cos_half_angle,
                inv_dz, nz, inv_dr, nr, inv_da, na, radial,
                sums, layer_sums, a_rz, rd_ra, tt_ra):
    """Run batches ``first_batch + i`` (i over ``batch_photons``) in parallel, each into its own tally slice."""
    for i in prange(batch_photons.shape[0]):
        s0, s1, s2, s3 = seed_state(seed, np.uint64(first_batch + i))
        _photons(batch_photons[i], s0, s1, s2, s3, table, start_layer, n_above, rsp_collimated,
                 beam_code, beam_radius_cm, inc_code, cos_half_angle,
                 inv_dz, nz, inv_dr, nr, inv_da, na, radial,
                 sums[i], layer_sums[i], a_rz[i], rd_ra[i], tt_ra[i])
