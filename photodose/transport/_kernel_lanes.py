"""The photon-parallel numba kernel: MCML 1.2's random walk with LANES photons advancing in lock-step.

Same physics, tallies, beams, incidences and bookkeeping as the scalar kernel (``_kernel``; Wang, Jacques &
Zheng, Comput. Methods Programs Biomed. 47 (1995) 131-146). What differs is the order of the work: the state of
LANES photons is kept as structure-of-arrays rows of one packed array, and each event's hop (to the next
interaction or boundary), drop and spin is computed for all lanes in one branch-free loop that LLVM turns into SIMD
code (selects instead of branches; the logarithm is ``_kernel_log.log_positive``; no libm call). Then a branch-free
loop adds each lane's drop into A(r, z) (zero for a boundary hit or an idle lane), and a per-lane loop visits only
the lanes with a rare event: a boundary (``_walk.cross_or_reflect``, then a change of layer with its constants
reloaded, or escape), Russian roulette, the redraw of an azimuth, and the launch of the next photon into a lane
whose photon has left or died (refill from the launch queue). The absorption per layer and the event count are kept
per lane and flushed when the photon changes layer or ends. Every lane draws three 64-bit numbers per event (step
and HG cosine as two 32-bit halves, two azimuth candidates) whether it uses them or not.

Random streams: lane j of batch b runs xoshiro256** from the (seed, b) state of ``_rng.seed_state`` advanced by j
jumps of 2^128 draws (Blackman & Vigna's ``jump``), so lanes never overlap and a batch's result depends only on
(seed, b) and LANES, not on threads. The results are statistically equal to the scalar kernel's, not identical.
Units: cm inside the kernel.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._kernel_log import log_positive
from ._rng import _next64, next_pair, seed_state
from ._walk import (ABS_FRAC, COS_CRIT_DOWN, COS_CRIT_UP, EVENTS, GLASS, HG_G, HG_G2, HG_HALF_G3, INV_MUT,
                    MUT, N, N_DOWN, N_UP, ROULETTE_NET, ROULETTE_WEIGHT, SPECULAR, Z0,
                    Z1, cross_or_reflect, disc_azimuth, hg_cosine, launch, roulette, spin, tally_bin, tally_escape)

LANES = 16   # photons in flight per batch: two AVX-512 (four AVX2) vectors of float64

# rows of the packed per-lane float state f[row * LANES + lane]: the photon, then its layer's constants
(X, Y, Z, UX, UY, UZ, W, SLEFT, COST, DWA, ABSORBED_HERE, EVENTS_HERE,
 L_MUT, L_INV_MUT, L_ABS, L_Z0, L_Z1, L_G, L_G2, L_HALF_G3, L_N, L_N_UP, L_N_DOWN, L_CC_UP, L_CC_DOWN,
 L_GLASS) = range(26)
N_FLOAT_ROWS = 26
# rows of the packed per-lane integers
LAYER, CODE, CELL = range(3)
N_INT_ROWS = 3
# event code bits set by the vector pass for the per-lane pass (all but DEPOSIT are rare)
DEPOSIT, BOUNDARY, AZIMUTH_REDRAW, ROULETTE, STUCK = 1, 2, 4, 8, 16
RARE = BOUNDARY | AZIMUTH_REDRAW | ROULETTE | STUCK

_JUMP = (np.uint64(0x180EC6D33CFD0ABA), np.uint64(0xD5A61266F0C9392C), np.uint64(0xA9582618E03FC9AA),
         np.uint64(0x39ABDC4529B1661C))


@njit(cache=True)
def _jump(s0, s1, s2, s3):
    """The xoshiro256 state 2^128 draws ahead (Blackman & Vigna's reference ``jump``)."""
    j0 = np.uint64(0)
    j1 = np.uint64(0)
    j2 = np.uint64(0)
    j3 = np.uint64(0)
    for word in _JUMP:
        for bit in range(64):
            if (word >> np.uint64(bit)) & np.uint64(1):
                j0 ^= s0
                j1 ^= s1
                j2 ^= s2
                j3 ^= s3
            _, s0, s1, s2, s3 = _next64(s0, s1, s2, s3)
    return j0, j1, j2, j3


@njit(cache=True)
def lane_states(seed, batch_index):
    """xoshiro256** states of the LANES lanes of one batch, packed as rng[k * LANES + lane], k = 0..3."""
    rng = np.empty(4 * LANES, dtype=np.uint64)
    s0, s1, s2, s3 = seed_state(seed, batch_index)
    for lane in range(LANES):
        rng[lane], rng[LANES + lane], rng[2 * LANES + lane], rng[3 * LANES + lane] = s0, s1, s2, s3
        s0, s1, s2, s3 = _jump(s0, s1, s2, s3)
    return rng


@njit(cache=True, inline="always")
def _load_layer(f, lane, table, layer):
    """Copy one layer's constants into a lane's rows."""
    row = table[layer]
    f[L_MUT * LANES + lane] = row[MUT]
    f[L_INV_MUT * LANES + lane] = row[INV_MUT]
    f[L_ABS * LANES + lane] = row[ABS_FRAC]
    f[L_Z0 * LANES + lane] = row[Z0]
    f[L_Z1 * LANES + lane] = row[Z1]
    f[L_G * LANES + lane] = row[HG_G]
    f[L_G2 * LANES + lane] = row[HG_G2]
    f[L_HALF_G3 * LANES + lane] = row[HG_HALF_G3]
    f[L_N * LANES + lane] = row[N]
    f[L_N_UP * LANES + lane] = row[N_UP]
    f[L_N_DOWN * LANES + lane] = row[N_DOWN]
    f[L_CC_UP * LANES + lane] = row[COS_CRIT_UP]
    f[L_CC_DOWN * LANES + lane] = row[COS_CRIT_DOWN]
    f[L_GLASS * LANES + lane] = row[GLASS]


@njit(cache=True, inline="always")
def launch_into_lane(f, iv, rng, j, table, start_layer, n_above, rsp_collimated, beam_code, beam_radius_cm,
                     inc_code, cos_half_angle):
    """Launch the next photon into lane ``j`` (``_walk.launch`` on the lane's stream; its rows, layer and layer
    constants); returns its specular reflectance. A photon reflected whole (1 - rsp <= 0) leaves the lane as it was."""
    x, y, ux, uy, uz, rsp, s0, s1, s2, s3 = launch(
        rng[j], rng[LANES + j], rng[2 * LANES + j], rng[3 * LANES + j], table, start_layer, n_above,
        rsp_collimated, beam_code, beam_radius_cm, inc_code, cos_half_angle)
    rng[j], rng[LANES + j], rng[2 * LANES + j], rng[3 * LANES + j] = s0, s1, s2, s3
    if 1.0 - rsp > 0.0:
        f[X * LANES + j] = x
        f[Y * LANES + j] = y
        f[Z * LANES + j] = table[start_layer, Z0]
        f[UX * LANES + j] = ux
        f[UY * LANES + j] = uy
        f[UZ * LANES + j] = uz
        f[W * LANES + j] = 1.0 - rsp
        f[SLEFT * LANES + j] = 0.0
        iv[LAYER * LANES + j] = start_layer
        iv[CODE * LANES + j] = 0
        _load_layer(f, j, table, start_layer)
    return rsp


@njit(cache=True, inline="always")
def lane_redraw_azimuth(f, rng, j):
    """Lane ``j``'s azimuth point fell outside the unit disc: draw until one falls inside, then spin (MCML)."""
    s0, s1, s2, s3 = rng[j], rng[LANES + j], rng[2 * LANES + j], rng[3 * LANES + j]
    while True:
        a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
        q = a * a + b * b
        if q <= 1.0:
            break
    rng[j], rng[LANES + j], rng[2 * LANES + j], rng[3 * LANES + j] = s0, s1, s2, s3
    cosp, sinp = disc_azimuth(a, b, q)
    f[UX * LANES + j], f[UY * LANES + j], f[UZ * LANES + j] = spin(
        f[UX * LANES + j], f[UY * LANES + j], f[UZ * LANES + j], f[COST * LANES + j], cosp, sinp)


@njit(cache=True, inline="always")
def lane_cross_or_reflect(f, rng, j, table, layer):
    """MCML's all-or-none crossing of lane ``j`` at its layer's boundary; returns (transmitted, new uz)."""
    transmit, ux, uy, uz, s0, s1, s2, s3 = cross_or_reflect(
        table, layer, f[UX * LANES + j], f[UY * LANES + j], f[UZ * LANES + j],
        rng[j], rng[LANES + j], rng[2 * LANES + j], rng[3 * LANES + j])
    rng[j], rng[LANES + j], rng[2 * LANES + j], rng[3 * LANES + j] = s0, s1, s2, s3
    f[UX * LANES + j], f[UY * LANES + j], f[UZ * LANES + j] = ux, uy, uz
    return transmit, uz


@njit(cache=True, inline="always")
def lane_roulette(f, rng, j):
    """MCML's roulette on lane ``j``'s weight; returns (new weight, weight added: + on survival, - on death)."""
    w, added, s0, s1, s2, s3 = roulette(f[W * LANES + j], rng[j], rng[LANES + j], rng[2 * LANES + j],
                                        rng[3 * LANES + j])
    rng[j], rng[LANES + j], rng[2 * LANES + j], rng[3 * LANES + j] = s0, s1, s2, s3
    f[W * LANES + j] = w
    return w, added


@njit(cache=True, fastmath={"contract"}, error_model="numpy")
def _advance(f, iv, rng, inv_dz, nz, inv_dr, nr, radial):
    """One event for every lane, branch-free (a SIMD loop): hop, then drop + spin or cross-or-reflect."""
    # the count is read from the array, so LLVM vectorises the loop (a constant count of 16 is unrolled instead);
    # rows LANES apart in one array are then provably independent for vectors of up to LANES elements
    lanes = rng.size // 4
    for j in range(lanes):
        s0 = rng[j]
        s1 = rng[LANES + j]
        s2 = rng[2 * LANES + j]
        s3 = rng[3 * LANES + j]
        # step and HG cosine from one 64-bit draw, 32 bits each: uniform
        # on (0, 1), the step's -ln(xi) reaching 22 mean free paths (MCML's ran3 has fewer bits)
        p_step, p_turn, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
        u_step = 0.5 * p_step + 0.5
        u_turn = 0.5 * p_turn + 0.5
        a1, b1, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
        a2, b2, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
        rng[j] = s0
        rng[LANES + j] = s1
        rng[2 * LANES + j] = s2
        rng[3 * LANES + j] = s3

        x = f[X * LANES + j]
        y = f[Y * LANES + j]
        z = f[Z * LANES + j]
        ux = f[UX * LANES + j]
        uy = f[UY * LANES + j]
        uz = f[UZ * LANES + j]
        w = f[W * LANES + j]
        sleft = f[SLEFT * LANES + j]
        mut = f[L_MUT * LANES + j]
        glass = f[L_GLASS * LANES + j] != 0.0
        z0 = f[L_Z0 * LANES + j]
        z1 = f[L_Z1 * LANES + j]

        # ---- hop: a new exponential step unless one is carried over a boundary; cut at the boundary
        s = (sleft if sleft > 0.0 else -log_positive(u_step)) * f[L_INV_MUT * LANES + j]
        up = uz < 0.0
        zb = z0 if up else z1
        db = (zb - z) / uz
        moving = uz != 0.0
        hit = moving & (glass | (s > db))
        step = db if hit else s
        x += step * ux
        y += step * uy
        z = zb if hit else z + step * uz
        sleft = ((sleft if glass else (s - db) * mut) if hit else 0.0)

        # ---- drop and spin (used where the photon interacts)
        dwa = 0.0 if hit else w * f[L_ABS * LANES + j]
        w_new = w - dwa
        cost = hg_cosine(u_turn, f[L_G * LANES + j], f[L_G2 * LANES + j], f[L_HALF_G3 * LANES + j])
        q1 = a1 * a1 + b1 * b1
        take2 = q1 > 1.0
        a = a2 if take2 else a1
        b = b2 if take2 else b1
        q = a2 * a2 + b2 * b2 if take2 else q1
        redraw = q > 1.0
        cosp, sinp = disc_azimuth(a, b, q)
        sx, sy, sz = spin(ux, uy, uz, cost, cosp, sinp)

        # a boundary is crossed or not, and an azimuth outside the disc redrawn, in the per-lane pass (from the old
        # direction)
        keep = redraw | hit
        f[X * LANES + j] = x
        f[Y * LANES + j] = y
        f[Z * LANES + j] = z
        f[UX * LANES + j] = ux if keep else sx
        f[UY * LANES + j] = uy if keep else sy
        f[UZ * LANES + j] = uz if keep else sz
        f[W * LANES + j] = w_new
        f[SLEFT * LANES + j] = sleft
        f[COST * LANES + j] = cost
        f[DWA * LANES + j] = dwa
        f[ABSORBED_HERE * LANES + j] += dwa
        f[EVENTS_HERE * LANES + j] += 1.0 if (w > 0.0) & ~hit else 0.0   # idle lanes carry w = 0
        ir = tally_bin(math.sqrt(x * x + y * y) * inv_dr, nr) if radial else 0
        iv[CELL * LANES + j] = ir * nz + tally_bin(z * inv_dz, nz)   # the A(r, z) cell, flat
        code = 0
        code |= DEPOSIT if not hit else 0
        code |= BOUNDARY if hit else 0
        code |= AZIMUTH_REDRAW if redraw & ~hit else 0
        code |= ROULETTE if w_new < ROULETTE_WEIGHT else 0
        code |= STUCK if (glass and not moving) else 0
        iv[CODE * LANES + j] = code


@njit(cache=True, fastmath={"contract"}, error_model="numpy")
def _photons_lanes(nphot, rng, table, start_layer, n_above, rsp_collimated,
                   beam_code, beam_radius_cm, inc_code, cos_half_angle,
                   inv_dz, nz, inv_dr, nr, inv_da, na, radial,
                   sums, layer_sums, a_rz, rd_ra, tt_ra):
    """Trace ``nphot`` photons through LANES lanes, adding raw weights into the batch tallies."""
    last = table.shape[0] - 1
    a_cells = a_rz.reshape(a_rz.size)   # A(r, z) flat, indexed by the vector pass's CELL
    f = np.zeros(N_FLOAT_ROWS * LANES)
    iv = np.zeros(N_INT_ROWS * LANES, dtype=np.int64)
    active = np.zeros(LANES, dtype=np.bool_)
    queued = nphot
    for j in range(LANES):   # every lane starts empty: the launch below fills it
        active[j] = True
        iv[CODE * LANES + j] = -1
    n_active = LANES
    while True:
        # ---- the drop's tally, branch-free (idle lanes and boundary hits add zero)
        for j in range(LANES):
            a_cells[iv[CELL * LANES + j]] += f[DWA * LANES + j]
            f[DWA * LANES + j] = 0.0
        # ---- the rare events, per lane: layer change, escape, roulette, azimuth redraw, launch
        for j in range(LANES):
            code = iv[CODE * LANES + j]
            if not active[j] or (code >= 0 and (code & RARE) == 0):
                continue
            dead = code < 0
            if not dead:
                layer = iv[LAYER * LANES + j]
                if code & AZIMUTH_REDRAW:
                    lane_redraw_azimuth(f, rng, j)
                w = f[W * LANES + j]
                if code & STUCK:   # parallel to a non-scattering layer: never leaves it; count as removed
                    sums[ROULETTE_NET] -= w
                    dead = True
                elif code & BOUNDARY:
                    transmit, uz = lane_cross_or_reflect(f, rng, j, table, layer)
                    going_up = uz < 0.0
                    leaves = (going_up and layer == 0) or ((not going_up) and layer == last)
                    if transmit and leaves:
                        tally_escape(sums, rd_ra, tt_ra, w, f[X * LANES + j], f[Y * LANES + j], uz, inv_dr, nr,
                                     inv_da, na, radial)
                        dead = True
                    elif transmit:
                        layer_sums[layer] += f[ABSORBED_HERE * LANES + j]
                        f[ABSORBED_HERE * LANES + j] = 0.0
                        layer += -1 if going_up else 1
                        iv[LAYER * LANES + j] = layer
                        _load_layer(f, j, table, layer)
                if not dead and code & ROULETTE:
                    w, added = lane_roulette(f, rng, j)
                    sums[ROULETTE_NET] += added
                    dead = w == 0.0
                if dead:
                    layer_sums[layer] += f[ABSORBED_HERE * LANES + j]
                    f[ABSORBED_HERE * LANES + j] = 0.0
            while dead:   # refill the lane from the launch queue
                if queued == 0:
                    active[j] = False
                    n_active -= 1
                    f[W * LANES + j] = 0.0
                    break
                queued -= 1
                rsp = launch_into_lane(f, iv, rng, j, table, start_layer, n_above, rsp_collimated, beam_code,
                                       beam_radius_cm, inc_code, cos_half_angle)
                sums[SPECULAR] += rsp
                if 1.0 - rsp <= 0.0:
                    continue
                dead = False
        if n_active == 0:
            break
        # ---- vector pass: one event for every lane (idle lanes compute on zero weight and are ignored)
        _advance(f, iv, rng, inv_dz, nz, inv_dr, nr, radial)
    for j in range(LANES):
        sums[EVENTS] += f[EVENTS_HERE * LANES + j]


@njit(cache=True, parallel=True)
def run_batches(seed, first_batch, batch_photons, table, start_layer, n_above, rsp_collimated,
                beam_code, beam_radius_cm, inc_code, cos_half_angle,
                inv_dz, nz, inv_dr, nr, inv_da, na, radial,
                sums, layer_sums, a_rz, rd_ra, tt_ra):
    """Run batches ``first_batch + i`` (i over ``batch_photons``) in parallel, each into its own tally slice."""
    for i in prange(batch_photons.shape[0]):
        rng = lane_states(seed, np.uint64(first_batch + i))
        _photons_lanes(batch_photons[i], rng, table, start_layer, n_above, rsp_collimated,
                       beam_code, beam_radius_cm, inc_code, cos_half_angle,
                       inv_dz, nz, inv_dr, nr, inv_da, na, radial,
                       sums[i], layer_sums[i], a_rz[i], rd_ra[i], tt_ra[i])
