"""The CUDA kernel behind ``gpu_kernel.run_batches_gpu`` (imports numba.cuda: import this module lazily).

Kept apart from ``gpu_kernel`` so that ``cuda`` is a module global: numba's CUDA simulator swaps the module
globals named ``cuda`` for its fake module, not closure variables.
"""

from __future__ import annotations

import math
import types

import numpy as np
from numba import cuda

from . import _fresnel, _kernel, _rng, _walk
from ._kernel import STEP_BLOCK
from ._walk import (DIFFUSE, EVENTS, ROULETTE_NET,
                    ROULETTE_WEIGHT, SPECULAR, TRANSMITTED, Z0)

_THREAD_SALT = np.uint64(0x8CB92BA72F3D8DD7)   # odd, so thread -> thread * salt is a bijection of uint64


@cuda.jit(device=True)
def _max(a, b):
    """max of two numbers (numba 0.68's built-in CUDA target cannot compile the builtin ``max``)."""
    return a if a >= b else b


@cuda.jit(device=True)
def _min(a, b):
    """min of two numbers (see ``_max``)."""
    return a if a <= b else b


def _device_twin(fn, **callees):
    """The CPU ``@njit`` function ``fn`` compiled as a CUDA device function from the same Python source;
    ``callees`` replace the CPU functions it calls by their device twins (``max`` and ``min`` always)."""
    py = fn.py_func
    namespace = dict(py.__globals__)
    namespace.update(max=_max, min=_min, **callees)
    twin = types.FunctionType(py.__code__, namespace, py.__name__, py.__defaults__, py.__closure__)
    return cuda.jit(device=True)(twin)


mix64 = _device_twin(_rng._mix64)
next64 = _device_twin(_rng._next64)
next_uniform = _device_twin(_rng.next_uniform, _next64=next64)
next_pair = _device_twin(_rng.next_pair, _next64=next64)
fresnel = _device_twin(_fresnel.fresnel_reflectance)
entry_reflectance = _device_twin(_walk.entry_reflectance, fresnel_reflectance=fresnel)
launch = _device_twin(_walk.launch, next_pair=next_pair, next_uniform=next_uniform,
                      entry_reflectance=entry_reflectance)
cross_or_reflect = _device_twin(_walk.cross_or_reflect, fresnel_reflectance=fresnel, next_uniform=next_uniform)
hg_cosine = _device_twin(_walk.hg_cosine)
cut_at_boundary = _device_twin(_walk.cut_at_boundary)
roulette = _device_twin(_walk.roulette, next_uniform=next_uniform)
disc_azimuth = _device_twin(_walk.disc_azimuth)
spin = _device_twin(_walk.spin)
layer_constants = _device_twin(_kernel._layer_constants)
to_bin = _device_twin(_walk.tally_bin)
seed_state = _device_twin(_rng.seed_state, _mix64=mix64)


@cuda.jit(device=True)
def thread_state(seed, batch, thread):
    """xoshiro256** state of one thread of a batch: ``_rng.seed_state`` with the thread folded into the seed as
    seed xor SplitMix64(thread * salt); SplitMix64 maps 0 to 0, so thread 0 has the CPU kernel's batch stream."""
    return seed_state(seed ^ mix64(thread * _THREAD_SALT), batch)


@cuda.jit(device=True)
def skip_block(s0, s1, s2, s3):
    """The state after the ``STEP_BLOCK`` draws that the CPU kernel spends on a block of step lengths."""
    for _j in range(STEP_BLOCK):
        _r, s0, s1, s2, s3 = next64(s0, s1, s2, s3)
    return s0, s1, s2, s3


@cuda.jit(device=True)
def scatter(ux, uy, uz, g, g2, half_g3, s0, s1, s2, s3):
    """New direction after a Henyey-Greenstein scattering: the CPU kernel's draws (the cosine, then two disc
    candidates, the first inside taken) and _walk's hg_cosine, disc_azimuth and spin."""
    u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
    cost = hg_cosine(u, g, g2, half_g3)
    a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
    a2, b2, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
    q = a * a + b * b
    if q > 1.0:
        a, b, q = a2, b2, a2 * a2 + b2 * b2
    while q > 1.0:
        a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
        q = a * a + b * b
    cosp, sinp = disc_azimuth(a, b, q)
    ux, uy, uz = spin(ux, uy, uz, cost, cosp, sinp)
    return ux, uy, uz, s0, s1, s2, s3


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
    specular = 0.0
    diffuse = 0.0
    transmitted = 0.0
    roulette_net = 0.0
    events = 0
    for _ in range(nphot):
        x, y, ux, uy, uz, rsp, s0, s1, s2, s3 = launch(s0, s1, s2, s3, table, start_layer, n_above,
                                                       rsp_collimated, beam_code, beam_radius_cm, inc_code,
                                                       cos_half_angle)
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
                s, hit, sleft = cut_at_boundary(s, uz, z, z0, z1, mut)
            x += s * ux
            y += s * uy
            if hit:
                # ---- cross or not (all-or-none)
                z = z0 if uz < 0.0 else z1
                transmit, ux, uy, uz, s0, s1, s2, s3 = cross_or_reflect(table, layer, ux, uy, uz, s0, s1, s2, s3)
                going_up = uz < 0.0
                leaves = (going_up and layer == 0) or ((not going_up) and layer == last)
                if transmit and leaves:
                    ir = to_bin(math.sqrt(x * x + y * y) * inv_dr, nr) if radial else 0
                    ia = to_bin(math.acos(abs(uz)) * inv_da, na)
                    if going_up:
                        diffuse += w
                        cuda.atomic.add(rd_ra, (b, ir, ia), w)
                    else:
                        transmitted += w
                        cuda.atomic.add(tt_ra, (b, ir, ia), w)
                    break
                elif transmit:
                    if absorbed_here != 0.0:
                        cuda.atomic.add(layer_sums, (b, layer), absorbed_here)
                    absorbed_here = 0.0
                    layer += -1 if going_up else 1
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
                events += 1
                ux, uy, uz, s0, s1, s2, s3 = scatter(ux, uy, uz, g, g2, half_g3, s0, s1, s2, s3)
            # ---- roulette
            if w < ROULETTE_WEIGHT:
                w, added, s0, s1, s2, s3 = roulette(w, s0, s1, s2, s3)
                roulette_net += added
                if w == 0.0:
                    break
        if absorbed_here != 0.0:
            cuda.atomic.add(layer_sums, (b, layer), absorbed_here)
    cuda.atomic.add(sums, (b, SPECULAR), specular)
    cuda.atomic.add(sums, (b, DIFFUSE), diffuse)
    cuda.atomic.add(sums, (b, TRANSMITTED), transmitted)
    cuda.atomic.add(sums, (b, ROULETTE_NET), roulette_net)
    cuda.atomic.add(sums, (b, EVENTS), float(events))
