"""The CUDA kernel behind ``gpu_kernel.run_batches_gpu`` (imports numba.cuda: import this module lazily).

Kept apart from ``gpu_kernel`` so that ``cuda`` is a module global: numba's CUDA simulator swaps the module
globals named ``cuda`` for its fake module, not closure variables.
"""

from __future__ import annotations

import math
import types

import numpy as np
from numba import cuda

from . import _fresnel, _kernel, _rng
from ._kernel import (BEAM_FLAT, BEAM_GAUSSIAN, COS_CRIT_DOWN, COS_CRIT_UP, DIFFUSE, INCIDENCE_COLLIMATED,
                      INCIDENCE_CONE, N, N_DOWN, N_UP, ROULETTE_CHANCE, ROULETTE_NET, ROULETTE_WEIGHT, SPECULAR,
                      STEP_BLOCK, TRANSMITTED, Z0, Z1)

_THREAD_SALT = np.uint64(0x8CB92BA72F3D8DD7)   # odd, so thread -> thread * salt is a bijection of uint64


def _device_twin(fn, **callees):
    """The CPU ``@njit`` function ``fn`` compiled as a CUDA device function from the same Python source;
    ``callees`` replace the CPU functions it calls by their device twins."""
    py = fn.py_func
    namespace = dict(py.__globals__)
    namespace.update(callees)
    twin = types.FunctionType(py.__code__, namespace, py.__name__, py.__defaults__, py.__closure__)
    return cuda.jit(device=True)(twin)


mix64 = _device_twin(_rng._mix64)
next64 = _device_twin(_rng._next64)
next_uniform = _device_twin(_rng.next_uniform, _next64=next64)
next_pair = _device_twin(_rng.next_pair, _next64=next64)
fresnel = _device_twin(_fresnel.fresnel_reflectance)
entry_reflectance = _device_twin(_kernel.entry_reflectance, fresnel_reflectance=fresnel)
layer_constants = _device_twin(_kernel._layer_constants)
to_bin = _device_twin(_kernel._bin)
_GOLDEN, _BATCH_SALT = _rng._GOLDEN, _rng._BATCH_SALT


@cuda.jit(device=True)
def thread_state(seed, batch, thread):
    """_rng.seed_state's key for (seed, batch) xor SplitMix64(thread * salt), expanded by SplitMix64."""
    x = mix64(seed + _GOLDEN) ^ mix64(batch * _BATCH_SALT + _GOLDEN + _GOLDEN) ^ mix64(thread * _THREAD_SALT)
    x = x + _GOLDEN
    s0 = mix64(x)
    x = x + _GOLDEN
    s1 = mix64(x)
    x = x + _GOLDEN
    s2 = mix64(x)
    x = x + _GOLDEN
    s3 = mix64(x)
    return s0, s1, s2, s3


@cuda.jit(device=True)
def skip_block(s0, s1, s2, s3):
    """The state after the ``STEP_BLOCK`` draws that the CPU kernel spends on a block of step lengths."""
    for _j in range(STEP_BLOCK):
        _r, s0, s1, s2, s3 = next64(s0, s1, s2, s3)
    return s0, s1, s2, s3


@cuda.jit(device=True)
def spin(uz, ux, uy, g, g2, half_g3, s0, s1, s2, s3):
    """New direction after a Henyey-Greenstein scattering (the CPU kernel's spin, same draws)."""
    u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
    m = 2.0 * u - 1.0
    den = 1.0 + g * m
    cost = (m + g * (1.5 + 0.5 * m * m) + g2 * m + half_g3 * (m * m - 1.0)) / (den * den)
    if cost < -1.0:   # (no min/max in device code: numba 0.68's built-in CUDA target cannot compile them)
        cost = -1.0
    elif cost > 1.0:
        cost = 1.0
    sint = math.sqrt(1.0 - cost * cost)
    a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
    a2, b2, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
    q = a * a + b * b
    if q > 1.0:
        a, b, q = a2, b2, a2 * a2 + b2 * b2
    while q > 1.0:
        a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
        q = a * a + b * b
    inv_q = 1.0 / q
    cosp = (a * a - b * b) * inv_q
    sinp = 2.0 * a * b * inv_q
    if abs(uz) > _fresnel.COS_ZERO:
        return sint * cosp, sint * sinp, (cost if uz >= 0.0 else -cost), s0, s1, s2, s3
    tmp = math.sqrt(1.0 - uz * uz)
    f = sint / tmp
    return (f * (ux * uz * cosp - uy * sinp) + ux * cost, f * (uy * uz * cosp + ux * sinp) + uy * cost,
            -sint * cosp * tmp + uz * cost, s0, s1, s2, s3)


@cuda.jit
def walk(seed, first_batch, counts, per_batch, table, start_layer, n_above, rsp_collimated,
         beam_code, beam_radius_cm, inc_code, cos_half_angle,
         inv_dz, nz, inv_dr, nr, inv_da, na, radial,
         sums, layer_sums, a_rz, rd_ra, tt_ra):
    tid = cuda.grid(1)
    b = tid // per_batch
    if b >= counts.shape[0]:
        return
    t = tid - b * per_batch
    nphot = (counts[b] - t + per_batch - 1) // per_batch
    if nphot <= 0:
        return
    s0, s1, s2, s3 = thread_state(seed, np.uint64(first_batch + b), np.uint64(t))
    k0, k1, k2, k3 = s0, s1, s2, s3   # the state the block of step lengths is drawn from
    steps_left = 0
    last = table.shape[0] - 1
    z_start = table[start_layer, Z0]
    glass_depth = table[0, Z1] if start_layer == 1 else 0.0
    n_start = table[start_layer, N]
    specular = 0.0
    diffuse = 0.0
    transmitted = 0.0
    roulette_net = 0.0
    for _ in range(nphot):
        # ---- launch
        x = 0.0
        y = 0.0
        if beam_code == BEAM_FLAT or beam_code == BEAM_GAUSSIAN:
            q = 2.0
            while q > 1.0:
                a, c, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
                q = a * a + c * c
            if beam_code == BEAM_FLAT:
                x = beam_radius_cm * a
                y = beam_radius_cm * c
            else:
                scale = beam_radius_cm * math.sqrt(-0.5 * math.log(q) / q)
                x = scale * a
                y = scale * c
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
            sin_in2 = 1.0 - cos_in * cos_in
            sin_in = n_above * math.sqrt(sin_in2 if sin_in2 > 0.0 else 0.0)
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            phi = 2.0 * math.pi * u
            ux = sin_in / n_start * math.cos(phi)
            uy = sin_in / n_start * math.sin(phi)
            if start_layer == 1 and uz > 0.0:   # lateral shift across the glass layer
                sin_g = sin_in / table[0, N]
                cos_g2 = 1.0 - sin_g * sin_g
                tan_g = sin_g / math.sqrt(cos_g2 if cos_g2 > 1e-300 else 1e-300)
                x += glass_depth * tan_g * math.cos(phi)
                y += glass_depth * tan_g * math.sin(phi)
        specular += rsp
        w = 1.0 - rsp
        if w <= 0.0:
            continue
        z = z_start
        layer = start_layer
        sleft = 0.0
        absorbed_here = 0.0
        mut, inv_mut, abs_frac, z0, z1, glass, g, g2, half_g3 = layer_constants(table, layer)
        while True:
            # ---- hop, cut at the boundary
            hit = False
            if glass:
                if uz == 0.0:   # parallel to a non-scattering layer: never leaves it; removed
                    roulette_net -= w
                    break
                s = ((z1 if uz > 0.0 else z0) - z) / uz
                hit = True
            else:
                if sleft == 0.0:
                    if steps_left == 0:
                        k0, k1, k2, k3 = s0, s1, s2, s3
                        s0, s1, s2, s3 = skip_block(s0, s1, s2, s3)
                        steps_left = STEP_BLOCK
                    u, k0, k1, k2, k3 = next_uniform(k0, k1, k2, k3)
                    steps_left -= 1
                    s = -math.log(u) * inv_mut
                else:
                    s = sleft * inv_mut
                    sleft = 0.0
                db = 0.0
                if uz > 0.0 and s * uz > z1 - z:
                    hit = True
                    db = (z1 - z) / uz
                elif uz < 0.0 and s * uz < z0 - z:
                    hit = True
                    db = (z0 - z) / uz
                if hit:
                    sleft = (s - db) * mut
                    s = db
            x += s * ux
            y += s * uy
            if hit:
                # ---- cross or not (all-or-none)
                going_up = uz < 0.0
                ni = table[layer, N]
                if going_up:
                    z = z0
                    nt = table[layer, N_UP]
                    ca = -uz
                    cos_crit = table[layer, COS_CRIT_UP]
                else:
                    z = z1
                    nt = table[layer, N_DOWN]
                    ca = uz
                    cos_crit = table[layer, COS_CRIT_DOWN]
                transmit = False
                ca_t = 0.0
                if ca > cos_crit:
                    r, ca_t = fresnel(ni, nt, ca)
                    if r == 0.0:
                        transmit = True
                    elif r < 1.0:
                        u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                        transmit = u > r
                if not transmit:
                    uz = -uz
                elif (going_up and layer == 0) or ((not going_up) and layer == last):
                    ir = to_bin(math.sqrt(x * x + y * y) * inv_dr, nr) if radial else 0
                    ia = to_bin(math.acos(ca_t) * inv_da, na)
                    if going_up:
                        diffuse += w
                        cuda.atomic.add(rd_ra, (b, ir, ia), w)
                    else:
                        transmitted += w
                        cuda.atomic.add(tt_ra, (b, ir, ia), w)
                    break
                else:
                    if absorbed_here != 0.0:
                        cuda.atomic.add(layer_sums, (b, layer), absorbed_here)
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
                    mut, inv_mut, abs_frac, z0, z1, glass, g, g2, half_g3 = layer_constants(table, layer)
            else:
                z += s * uz
                # ---- drop, then spin
                dwa = w * abs_frac
                w -= dwa
                absorbed_here += dwa
                iz = to_bin(z * inv_dz, nz)
                ir = to_bin(math.sqrt(x * x + y * y) * inv_dr, nr) if radial else 0
                cuda.atomic.add(a_rz, (b, ir, iz), dwa)
                ux, uy, uz, s0, s1, s2, s3 = spin(uz, ux, uy, g, g2, half_g3, s0, s1, s2, s3)
            # ---- roulette
            if w < ROULETTE_WEIGHT:
                if w == 0.0:
                    break
                u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                if u < ROULETTE_CHANCE:
                    boosted = w / ROULETTE_CHANCE
                    roulette_net += boosted - w
                    w = boosted
                else:
                    roulette_net -= w
                    break
        if absorbed_here != 0.0:
            cuda.atomic.add(layer_sums, (b, layer), absorbed_here)
    cuda.atomic.add(sums, (b, SPECULAR), specular)
    cuda.atomic.add(sums, (b, DIFFUSE), diffuse)
    cuda.atomic.add(sums, (b, TRANSMITTED), transmitted)
    cuda.atomic.add(sums, (b, ROULETTE_NET), roulette_net)
