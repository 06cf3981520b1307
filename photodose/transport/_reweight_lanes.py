"""The reweighted walk of ``photodose.transport.reweight`` on the photon-parallel kernel's vector pass.

The event itself (hop, then drop + spin, for LANES photons in one SIMD loop) is ``_kernel_lanes._advance``,
unchanged, and a boundary is ``_walk.cross_or_reflect``, so the walk is the default kernel's (same physics, streams
and batches).
What differs is the per-lane pass: every target k keeps its weight ratio R_k per lane, multiplied by
exp(-(mua_k - mua_r) s) for each step s taken in a layer where the targets differ (s is the distance between the
lane's positions before and after the event), and every tally is made once per target (see ``reweight``).
Units: cm inside the kernel.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._kernel_lanes import (ABSORBED_HERE, AZIMUTH_REDRAW, BOUNDARY, CELL, CODE, DEPOSIT, DWA, EVENTS_HERE,
                            LANES, LAYER, N_FLOAT_ROWS, N_INT_ROWS, RARE, ROULETTE, STUCK, W, X,
                            Y, Z, _advance, _load_layer, lane_cross_or_reflect, lane_redraw_azimuth, lane_roulette,
                            lane_states, launch_into_lane)
from ._walk import EVENTS, ROULETTE_NET, SPECULAR, tally_escape


@njit(cache=True, fastmath={"contract"}, error_model="numpy")
def _photons_reweighted(nphot, rng, table, dmua, varying, abs_k, start_layer, n_above, rsp_collimated,
                        inc_code, cos_half_angle, inv_dz, nz, inv_da, na, sums, layer_sums, a_z, rd_a, tt_a):
    """Trace ``nphot`` photons at the reference absorption through LANES lanes; tally every target k.

    ``dmua[l, k]`` = mua_k - mua_r of layer l; ``varying[l]``: some target differs there; ``abs_k[l, k]`` =
    mua_k / mut_r. Raw tallies of target k: ``sums[k]``, ``layer_sums[k]``, ``a_z[:, k]``, ``rd_a[k]`` and
    ``tt_a[k]`` (1, na).
    In a layer where no target differs the ratios are constant, so the reference weight lost there (the vector
    pass's ABSORBED_HERE) is spread over the targets once, when the photon leaves the layer or ends.
    """
    nk = dmua.shape[1]
    last = table.shape[0] - 1
    f = np.zeros(N_FLOAT_ROWS * LANES)
    iv = np.zeros(N_INT_ROWS * LANES, dtype=np.int64)
    ratio = np.ones((LANES, nk))
    before = np.zeros(4 * LANES)  # x, y, z and weight of every lane before the event
    active = np.ones(LANES, dtype=np.bool_)
    for j in range(LANES):
        iv[CODE * LANES + j] = -1   # an empty lane: launched below
    queued = nphot
    n_active = LANES
    while True:
        # ---- the common event, a drop where no target differs (ratios constant): the tallies only
        for j in range(LANES):
            code = iv[CODE * LANES + j]
            layer = iv[LAYER * LANES + j]
            if code > 0 and code & DEPOSIT and not varying[layer]:   # idle lanes carry w = 0
                w0 = before[3 * LANES + j]
                iz = iv[CELL * LANES + j]
                for k in range(nk):
                    a_z[iz, k] += w0 * ratio[j, k] * abs_k[layer, k]
        # ---- per lane: steps in a varying layer, boundaries, roulette, azimuth redraws, launches
        for j in range(LANES):
            code = iv[CODE * LANES + j]
            layer = iv[LAYER * LANES + j]
            if not active[j] or (code >= 0 and (code & RARE) == 0 and not varying[layer]):
                continue
            dead = code < 0
            if not dead:
                w0 = before[3 * LANES + j]
                if varying[layer]:   # the targets' weights change along the step (microscopic Beer-Lambert law)
                    dx = f[X * LANES + j] - before[j]
                    dy = f[Y * LANES + j] - before[LANES + j]
                    dz = f[Z * LANES + j] - before[2 * LANES + j]
                    s = math.sqrt(dx * dx + dy * dy + dz * dz)
                    for k in range(nk):
                        r0 = ratio[j, k]
                        ratio[j, k] = r0 * math.exp(-dmua[layer, k] * s)
                        layer_sums[k, layer] += w0 * (r0 - ratio[j, k])
                if code & DEPOSIT:
                    if varying[layer]:
                        iz = iv[CELL * LANES + j]
                        dwa = f[DWA * LANES + j]
                        for k in range(nk):
                            a_z[iz, k] += w0 * ratio[j, k] * abs_k[layer, k]
                            layer_sums[k, layer] += dwa * ratio[j, k]
                        f[ABSORBED_HERE * LANES + j] = 0.0
                    if code & AZIMUTH_REDRAW:
                        lane_redraw_azimuth(f, rng, j)
                w = f[W * LANES + j]
                if code & STUCK:   # parallel to a non-scattering layer: never leaves it; removed
                    for k in range(nk):
                        sums[k, ROULETTE_NET] -= w * ratio[j, k]
                    dead = True
                elif code & BOUNDARY:
                    transmit, uz = lane_cross_or_reflect(f, rng, j, table, layer)
                    going_up = uz < 0.0
                    if transmit and ((going_up and layer == 0) or ((not going_up) and layer == last)):
                        for k in range(nk):
                            tally_escape(sums[k], rd_a[k], tt_a[k], w * ratio[j, k], 0.0, 0.0, uz, 1.0, 1, inv_da,
                                         na, False)
                        dead = True
                    elif transmit:   # the photon leaves this layer: its loss here goes to the targets
                        for k in range(nk):
                            layer_sums[k, layer] += f[ABSORBED_HERE * LANES + j] * ratio[j, k]
                        f[ABSORBED_HERE * LANES + j] = 0.0
                        layer += -1 if going_up else 1
                        iv[LAYER * LANES + j] = layer
                        _load_layer(f, j, table, layer)
                if not dead and code & ROULETTE:   # on the reference weight; every target keeps its ratio
                    w, added = lane_roulette(f, rng, j)
                    for k in range(nk):
                        sums[k, ROULETTE_NET] += added * ratio[j, k]
                    dead = w == 0.0
                if dead:
                    for k in range(nk):
                        layer_sums[k, layer] += f[ABSORBED_HERE * LANES + j] * ratio[j, k]
                    f[ABSORBED_HERE * LANES + j] = 0.0
            while dead:   # the next photon from the launch queue
                if queued == 0:
                    active[j] = False
                    n_active -= 1
                    f[W * LANES + j] = 0.0
                    break
                queued -= 1
                rsp = launch_into_lane(f, iv, rng, j, table, start_layer, n_above, rsp_collimated, 0, 0.0, inc_code,
                                       cos_half_angle)
                for k in range(nk):
                    sums[k, SPECULAR] += rsp
                    ratio[j, k] = 1.0
                if 1.0 - rsp <= 0.0:
                    continue
                dead = False
        if n_active == 0:
            break
        for j in range(LANES):
            before[j] = f[X * LANES + j]
            before[LANES + j] = f[Y * LANES + j]
            before[2 * LANES + j] = f[Z * LANES + j]
            before[3 * LANES + j] = f[W * LANES + j]
        _advance(f, iv, rng, inv_dz, nz, 1.0, 1, False)
    for k in range(nk):
        for j in range(LANES):
            sums[k, EVENTS] += f[EVENTS_HERE * LANES + j]


@njit(cache=True, parallel=True)
def run_batches(seed, first_batch, batch_photons, table, dmua, varying, abs_k, start_layer, n_above,
                rsp_collimated, inc_code, cos_half_angle, inv_dz, nz, inv_da, na,
                sums, layer_sums, a_z, rd_a, tt_a):
    """Batches ``first_batch + i`` in parallel, each with the lane streams of ``(seed, batch)``."""
    for i in prange(batch_photons.shape[0]):
        rng = lane_states(seed, np.uint64(first_batch + i))
        _photons_reweighted(batch_photons[i], rng, table, dmua, varying, abs_k, start_layer, n_above,
                            rsp_collimated, inc_code, cos_half_angle, inv_dz, nz, inv_da, na,
                            sums[i], layer_sums[i], a_z[i], rd_a[i], tt_a[i])
