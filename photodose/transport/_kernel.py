"""The scalar numba kernel (``kernel="scalar"``, the reference path): MCML 1.2's random walk, one photon at a time,
one independent random stream per batch. Its steps (launch, boundary cut, cross-or-reflect, escape tally, roulette,
HG cosine, spin) are ``_walk``'s, shared with the simd and gpu kernels.

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

from ._kernel_log import log_positive
from ._rng import next_pair, next_uniform, seed_state
from ._walk import (ABS_FRAC, EVENTS, GLASS, HG_G, HG_G2, HG_HALF_G3, INV_MUT, MUT, ROULETTE_NET, ROULETTE_WEIGHT,
                    SPECULAR, Z0, Z1, cross_or_reflect, cut_at_boundary, disc_azimuth, hg_cosine, launch, roulette,
                    spin, tally_bin, tally_escape)

STEP_BLOCK = 32            # exponential step lengths drawn ahead in blocks (a SIMD loop for the logarithm)


@njit(cache=True, inline="always")
def _layer_constants(table, layer):
    """The current layer's constants the random walk uses at every step."""
    row = table[layer]
    return (row[MUT], row[INV_MUT], row[ABS_FRAC], row[Z0], row[Z1], row[GLASS] != 0.0,
            row[HG_G], row[HG_G2], row[HG_HALF_G3])


@njit(cache=True, fastmath={"contract"}, error_model="numpy")   # FMA only (+5 % on the skin); no physics change
def _photons(nphot, s0, s1, s2, s3, table, start_layer, n_above, rsp_collimated,
             beam_code, beam_radius_cm, inc_code, cos_half_angle,
             inv_dz, nz, inv_dr, nr, inv_da, na, radial,
             sums, layer_sums, a_rz, rd_ra, tt_ra):
    """Trace ``nphot`` photons, adding raw weights into the batch tallies; returns nothing."""
    nl = table.shape[0]
    last = nl - 1
    z_start = table[start_layer, Z0]
    steps_ahead = np.empty(STEP_BLOCK)
    next_step = STEP_BLOCK
    events = 0
    for _ in range(nphot):
        # ---- launch: position on the beam, incident direction, specular reflection
        x, y, ux, uy, uz, rsp, s0, s1, s2, s3 = launch(s0, s1, s2, s3, table, start_layer, n_above, rsp_collimated,
                                                       beam_code, beam_radius_cm, inc_code, cos_half_angle)
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
                s, hit, sleft = cut_at_boundary(s, uz, z, z0, z1, mut)
            x += s * ux
            y += s * uy
            if hit:
                # ---- cross or not (MCML CrossUpOrNot / CrossDnOrNot, all-or-none)
                z = z0 if uz < 0.0 else z1
                transmit, ux, uy, uz, s0, s1, s2, s3 = cross_or_reflect(table, layer, ux, uy, uz, s0, s1, s2, s3)
                if transmit:
                    going_up = uz < 0.0
                    if (going_up and layer == 0) or ((not going_up) and layer == last):
                        tally_escape(sums, rd_ra, tt_ra, w, x, y, uz, inv_dr, nr, inv_da, na, radial)
                        break
                    layer_sums[layer] += absorbed_here
                    absorbed_here = 0.0
                    layer += -1 if going_up else 1
                    mut, inv_mut, abs_frac, z0, z1, glass, g, g2, half_g3 = _layer_constants(table, layer)
            else:
                z += s * uz
                # ---- drop
                dwa = w * abs_frac
                w -= dwa
                absorbed_here += dwa
                iz = tally_bin(z * inv_dz, nz)
                ir = tally_bin(math.sqrt(x * x + y * y) * inv_dr, nr) if radial else 0
                a_rz[ir, iz] += dwa
                # ---- spin: Henyey-Greenstein polar angle, uniform azimuth
                events += 1
                u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                cost = hg_cosine(u, g, g2, half_g3)
                # azimuth from a point uniform in the unit disc: two candidates, the first inside the disc selected
                # without a branch (both outside: 4.6 %, loop)
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
                cosp, sinp = disc_azimuth(a, b, q)
                ux, uy, uz = spin(ux, uy, uz, cost, cosp, sinp)
            # ---- roulette
            if w < ROULETTE_WEIGHT:
                w, added, s0, s1, s2, s3 = roulette(w, s0, s1, s2, s3)
                sums[ROULETTE_NET] += added
                if w == 0.0:
                    break
        layer_sums[layer] += absorbed_here
    sums[EVENTS] += events


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
