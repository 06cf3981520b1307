"""One scattering walk, several absorption values: wide-beam Monte Carlo for a set of stacks that differ only in mua.

Model. MCML's walk (Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47 (1995) 131-146; the scalar kernel
``photodose.transport._kernel``) is traced once, with reference absorption mua_r per layer. With implicit capture
a photon's weight after a path with n interactions and length L_i in layer i is prod (mus/mut_r)^n, whose expected
value over the walk equals that of an absorption-free (analog-scattering) walk weighted by exp(-sum_i mua_r,i L_i).
The same path therefore also estimates the answer for any other absorption mua_k if its weight is multiplied by

    R_k = exp(-sum_i (mua_k,i - mua_r,i) L_i)     (the microscopic Beer-Lambert law of "white" Monte Carlo,
                                                   Alerstam, Andersson-Engels & Svensson, J Biomed Opt 13 (2008)
                                                   041304, applied here per layer)

This holds only while scattering, anisotropy, refractive indices and thicknesses are the same: the stacks must
differ in mua alone (checked). Russian roulette acts on the reference weight, which keeps every target unbiased.

Tallies per target k (wide beam; tallied as ``photodose.transport.montecarlo`` does, merged with its
``merge_batches``, so each target is an ordinary ``MCResult``):
- phi(z): the collision estimator, w R_k / mut_r at every interaction (stored as the absorbed A(z) = phi mua_k);
- absorbed per layer: the loss of the target weight W_k = w R_k inside that layer, at interactions
  (W_k mua_r/mut_r) and along each step (W_k (1 - exp(-(mua_k - mua_r) s)), negative where mua_k < mua_r); so
  Rsp + Rd + A + Tt = 1 + roulette_net holds exactly for every target, and the expected loss per unit path is
  W_k mua_k, the absorption of the target;
- Rd and Tt: W_k at escape; roulette: its boost and kills times R_k.
The absorbed depth profile A(z) of a target is therefore phi(z) mua_k(z) from the collision estimator, equal to
the layer totals in expectation, not to rounding.

Variance. R_k < 1 where mua_k > mua_r (bounded; long paths count less), R_k > 1 where mua_k < mua_r (unbounded;
rare long paths carry large weights). The default reference is the smallest mua of the set in every layer, so all
R_k <= 1. ``benchmarks/variance_reduction.py`` measures the cost at equal standard error against separate runs.
Units: stacks in mm and 1/cm; cm inside the kernel.
"""

from __future__ import annotations

import math
import time
from typing import Sequence

import numpy as np
from numba import njit, prange

from ..errors import PhotodoseInputError
from ..optics.layers import LayerStack
from ._fresnel import fresnel_reflectance
from ._kernel import STEP_BLOCK, _layer_constants
from ._kernel_log import log_positive
from ._rng import next_pair, next_uniform, seed_state
from ._walk import (COS_CRIT_DOWN, COS_CRIT_UP, DIFFUSE, EVENTS, MUT, N, N_DOWN, N_SCALARS, N_UP, ROULETTE_CHANCE,
                    ROULETTE_NET, ROULETTE_WEIGHT, SPECULAR, TRANSMITTED, Z0, disc_azimuth, hg_cosine, launch, spin,
                    tally_bin)
from .beams import Beam, Incidence
from .montecarlo import BatchTallies, _check_seed, _kernel_inputs, batch_sizes, merge_batches
from .result import Grid, MCResult

KERNEL_NAME = "reweight"   # MCResult.extra["kernel"] of its results
WIDE = Beam(kind="wide")


@njit(cache=True, inline="always")
def _draw_steps(steps, s0, s1, s2, s3):
    """Fill ``steps`` with dimensionless exponential step lengths -ln(xi) (the logarithm as one SIMD loop)."""
    for j in range(steps.size):
        u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
        steps[j] = u
    for j in range(steps.size):
        steps[j] = -log_positive(steps[j])
    return s0, s1, s2, s3


@njit(cache=True, fastmath={"contract"}, error_model="numpy")
def _photons_reweighted(nphot, s0, s1, s2, s3, table, dmua, varying, abs_k, start_layer, n_above, rsp_collimated,
                        inc_code, cos_half_angle, inv_dz, nz, inv_da, na,
                        sums, layer_sums, a_z, rd_a, tt_a, ratio):
    """Trace ``nphot`` photons at the reference absorption; tally every target k with its weight ratio R_k.

    ``dmua[k, l]`` = mua_k - mua_r of layer l; ``varying[l]``: some target differs there; ``abs_k[k, l]`` =
    mua_k / mut_r (the collision estimator's deposit). ``sums[k]``, ``layer_sums[k]``, ``a_z[:, k]``, ``rd_a[k]``,
    ``tt_a[k]``: raw tallies of target k; ``ratio``: scratch array of K.
    """
    nk = dmua.shape[0]
    last = table.shape[0] - 1
    z_start = table[start_layer, Z0]
    events = 0
    steps = np.empty(STEP_BLOCK)
    next_step = STEP_BLOCK
    for _ in range(nphot):
        x, y, ux, uy, uz, rsp, s0, s1, s2, s3 = launch(s0, s1, s2, s3, table, start_layer, n_above, rsp_collimated,
                                                       0, 0.0, inc_code, cos_half_angle)
        for k in range(nk):
            sums[k, SPECULAR] += rsp
            ratio[k] = 1.0
        w = 1.0 - rsp
        if w <= 0.0:
            continue
        z = z_start
        layer = start_layer
        sleft = 0.0
        mut, inv_mut, abs_frac, z0, z1, glass, g, g2, half_g3 = _layer_constants(table, layer)
        stay_loss = 0.0   # reference weight lost in the current (non-varying) layer by this photon
        alive = True
        while alive:
            # ---- hop: an exponential step at the reference mut (or the carried remainder), cut at the boundary
            hit = glass
            if glass:
                if uz == 0.0:   # parallel to a non-scattering layer: never leaves it; removed
                    for k in range(nk):
                        sums[k, ROULETTE_NET] -= w * ratio[k]
                    break
                s = ((z1 if uz > 0.0 else z0) - z) / uz
            else:
                if sleft == 0.0:
                    if next_step == STEP_BLOCK:
                        s0, s1, s2, s3 = _draw_steps(steps, s0, s1, s2, s3)
                        next_step = 0
                    sleft = steps[next_step]
                    next_step += 1
                s = sleft * inv_mut
                zb = z1 if uz > 0.0 else z0
                if uz != 0.0 and s * uz * (1.0 if uz > 0.0 else -1.0) > abs(zb - z):
                    hit = True
                    db = (zb - z) / uz
                    sleft = (s - db) * mut
                    s = db
                else:
                    sleft = 0.0
            x += s * ux
            y += s * uy
            if varying[layer]:   # the targets' weights change along the step (microscopic Beer-Lambert law)
                for k in range(nk):
                    before = ratio[k]
                    ratio[k] = before * math.exp(-dmua[k, layer] * s)
                    layer_sums[k, layer] += w * (before - ratio[k])
            if hit:
                # ---- cross or reflect (MCML, all-or-none)
                going_up = uz < 0.0
                z = z0 if going_up else z1
                ni = table[layer, N]
                nt = table[layer, N_UP] if going_up else table[layer, N_DOWN]
                ca = abs(uz)
                transmit = False
                ca_t = 0.0
                if ca > (table[layer, COS_CRIT_UP] if going_up else table[layer, COS_CRIT_DOWN]):
                    r, ca_t = fresnel_reflectance(ni, nt, ca)
                    if r == 0.0:
                        transmit = True
                    elif r < 1.0:
                        u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                        transmit = u > r
                if not transmit:
                    uz = -uz
                elif (going_up and layer == 0) or ((not going_up) and layer == last):
                    ia = tally_bin(math.acos(ca_t) * inv_da, na)
                    for k in range(nk):
                        wk = w * ratio[k]
                        if going_up:
                            sums[k, DIFFUSE] += wk
                            rd_a[k, ia] += wk
                        else:
                            sums[k, TRANSMITTED] += wk
                            tt_a[k, ia] += wk
                    break
                else:
                    for k in range(nk):
                        layer_sums[k, layer] += stay_loss * ratio[k]
                    stay_loss = 0.0
                    ux *= ni / nt
                    uy *= ni / nt
                    layer += -1 if going_up else 1
                    uz = -ca_t if going_up else ca_t
                    mut, inv_mut, abs_frac, z0, z1, glass, g, g2, half_g3 = _layer_constants(table, layer)
            else:
                z += s * uz
                # ---- drop: the reference loses w mua_r/mut_r; every target scores its collision estimate
                iz = tally_bin(z * inv_dz, nz)
                for k in range(nk):   # a_z[iz] holds the K targets side by side: one cache line
                    a_z[iz, k] += w * ratio[k] * abs_k[k, layer]
                if varying[layer]:
                    for k in range(nk):
                        layer_sums[k, layer] += w * ratio[k] * abs_frac
                else:   # the ratios are constant here: one sum, spread over the targets when the photon leaves
                    stay_loss += w * abs_frac
                w -= w * abs_frac
                # ---- spin: Henyey-Greenstein polar angle, uniform azimuth from a point in the unit disc
                events += 1
                u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                cost = hg_cosine(u, g, g2, half_g3)
                while True:
                    a, b, s0, s1, s2, s3 = next_pair(s0, s1, s2, s3)
                    q = a * a + b * b
                    if q <= 1.0:
                        break
                cosp, sinp = disc_azimuth(a, b, q)
                ux, uy, uz = spin(ux, uy, uz, cost, cosp, sinp)
            # ---- roulette on the reference weight; every target keeps its ratio
            if w < ROULETTE_WEIGHT:
                if w == 0.0:
                    break
                u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                change = w / ROULETTE_CHANCE - w if u < ROULETTE_CHANCE else -w
                for k in range(nk):
                    sums[k, ROULETTE_NET] += change * ratio[k]
                w += change
                alive = w > 0.0
        for k in range(nk):
            layer_sums[k, layer] += stay_loss * ratio[k]
    for k in range(nk):
        sums[k, EVENTS] += events


@njit(cache=True, parallel=True)
def _run_batches(seed, first_batch, batch_photons, table, dmua, varying, abs_k, start_layer, n_above,
                 rsp_collimated, inc_code, cos_half_angle, inv_dz, nz, inv_da, na,
                 sums, layer_sums, a_z, rd_a, tt_a):
    """Batches ``first_batch + i`` in parallel, each with the random stream of ``(seed, batch)``."""
    nk = dmua.shape[0]
    for i in prange(batch_photons.shape[0]):
        s0, s1, s2, s3 = seed_state(seed, np.uint64(first_batch + i))
        _photons_reweighted(batch_photons[i], s0, s1, s2, s3, table, dmua, varying, abs_k, start_layer, n_above,
                            rsp_collimated, inc_code, cos_half_angle, inv_dz, nz, inv_da, na,
                            sums[i], layer_sums[i], a_z[i], rd_a[i], tt_a[i], np.empty(nk))


def _scattering(stack: LayerStack) -> tuple:
    return (stack.n_above, stack.n_below, tuple((layer.n, layer.mus_per_cm, layer.g, layer.thickness_mm)
                                               for layer in stack.layers))


def differ_in_mua_only(stacks: Sequence[LayerStack]) -> bool:
    """Whether every stack has the first one's layers, n, mus, g and thicknesses (so one walk serves them all)."""
    return all(_scattering(stack) == _scattering(stacks[0]) for stack in stacks[1:])


def reference_mua_per_cm(stacks: Sequence[LayerStack]) -> np.ndarray:
    """The default reference absorption: the smallest mua of the set in every layer (all weight ratios <= 1)."""
    return np.min([stack.arrays()["mua"] for stack in stacks], axis=0)


def run_mc_absorption_set(stacks: Sequence[LayerStack], photons: int, seed: int = 1, grid: Grid = Grid(),
                          incidence: Incidence = Incidence(), reference_mua: np.ndarray | None = None,
                          batches: int | None = None) -> list[MCResult]:
    """Wide-beam Monte Carlo for every stack of ``stacks`` (differing in mua only) from one shared walk.

    Each result is an ``MCResult`` (phi(z) and its batch standard error, Rd, A per layer, Tt) as ``run_mc`` would
    give for that stack with a wide beam, statistically; the results are correlated with each other (one walk).
    ``reference_mua`` (1/cm per layer; default :func:`reference_mua_per_cm`) is the absorption the walk is traced
    at. ``seconds`` of every result is the time of the shared walk.
    """
    stacks = list(stacks)
    if not stacks:
        raise PhotodoseInputError("stacks", 0, "at least one layer stack")
    for i, stack in enumerate(stacks[1:], start=1):
        if not differ_in_mua_only([stacks[0], stack]):
            raise PhotodoseInputError(f"stacks[{i}]", "a different n, mus, g or thickness",
                                      "stacks that differ from stacks[0] in mua_per_cm only (one scattering walk)")
    seed = _check_seed(seed)
    ref = reference_mua_per_cm(stacks) if reference_mua is None else np.asarray(reference_mua, dtype=float)
    if ref.shape != (len(stacks[0].layers),) or not np.all(np.isfinite(ref)) or np.any(ref < 0):
        raise PhotodoseInputError("reference_mua", ref.tolist(), f"{len(stacks[0].layers)} finite values >= 0 (1/cm)")
    reference = LayerStack(n_above=stacks[0].n_above, n_below=stacks[0].n_below,
                           layers=[layer.model_copy(update={"mua_per_cm": float(m)})
                                   for layer, m in zip(stacks[0].layers, ref)])
    k = _kernel_inputs(reference, WIDE, incidence, grid)
    mua = np.array([stack.arrays()["mua"] for stack in stacks])
    mut_r = k.table[:, MUT]
    dmua = mua - ref[None, :]
    varying = np.any(dmua != 0.0, axis=0)
    abs_k = np.where(mut_r[None, :] > 0, mua / np.where(mut_r > 0, mut_r, 1.0)[None, :], 0.0)
    counts = np.array(batch_sizes(photons, batches, grid, WIDE), dtype=np.int64)
    nb, nk, nl = len(counts), len(stacks), k.n_layers
    sums = np.zeros((nb, nk, N_SCALARS))
    layer_sums = np.zeros((nb, nk, nl))
    a_z = np.zeros((nb, k.nz, nk))
    rd_a = np.zeros((nb, nk, k.na))
    tt_a = np.zeros((nb, nk, k.na))
    start = time.perf_counter()
    _run_batches(np.uint64(seed), np.int64(0), counts, k.table, dmua, varying, abs_k, k.start_layer, k.n_above,
                 k.rsp_collimated, k.inc_code, k.cos_half_angle, k.inv_dz, k.nz, k.inv_da, k.na,
                 sums, layer_sums, a_z, rd_a, tt_a)
    seconds = time.perf_counter() - start
    results = []
    for t, stack in enumerate(stacks):
        tallies = [BatchTallies(stack=stack, beam=WIDE, incidence=incidence, grid=grid, seed=seed, kernel=KERNEL_NAME,
                                batch_index=b, photons=int(n), specular=float(sums[b, t, SPECULAR]),
                                diffuse_reflectance=float(sums[b, t, DIFFUSE]),
                                transmittance=float(sums[b, t, TRANSMITTED]),
                                roulette_net_weight=float(sums[b, t, ROULETTE_NET]),
                                scattering_events=int(sums[b, t, EVENTS]), layer_absorbed=layer_sums[b, t],
                                absorbed_rz=a_z[b, :, t][None, :], rd_ra=rd_a[b, t][None, :],
                                tt_ra=tt_a[b, t][None, :])
                   for b, n in enumerate(counts)]
        result = merge_batches(tallies, seconds)
        result.extra.update({"reference_mua_per_cm": ref.tolist(), "shared_walk_targets": nk})
        results.append(result)
    return results
