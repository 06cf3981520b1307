"""One scattering walk, several absorption values: wide-beam Monte Carlo for a set of stacks that differ only in mua.

Model. MCML's walk (Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47 (1995) 131-146), as the default
photon-parallel kernel traces it (its vector pass; ``_reweight_lanes``), is traced once, with reference absorption
mua_r per layer. With implicit capture
a photon's weight after a path with n interactions and length L_i in layer i is prod (mus/mut_r)^n, whose expected
value over the walk equals that of an absorption-free (analog-scattering) walk weighted by exp(-sum_i mua_r,i L_i).
The same path therefore also estimates the answer for any other absorption mua_k if its weight is multiplied by

    R_k = exp(-sum_i (mua_k,i - mua_r,i) L_i)     (the microscopic Beer-Lambert law of "white" Monte Carlo,
                                                   Alerstam, Andersson-Engels & Svensson, J Biomed Opt 13 (2008)
                                                   041304, bibliography key alerstam2008; here per layer)

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

import time
from typing import Sequence

import numpy as np

from ..errors import PhotodoseInputError
from ..optics.layers import LayerStack
from ._reweight_lanes import run_batches
from ._walk import DIFFUSE, EVENTS, MUT, N_SCALARS, ROULETTE_NET, SPECULAR, TRANSMITTED
from .beams import Beam, Incidence
from .montecarlo import BatchTallies, _check_seed, _kernel_inputs, batch_sizes, merge_batches
from .result import Grid, MCResult

KERNEL_NAME = "reweight"   # MCResult.extra["kernel"] of its results
WIDE = Beam(kind="wide")


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
    rd_a = np.zeros((nb, nk, 1, k.na))
    tt_a = np.zeros((nb, nk, 1, k.na))
    start = time.perf_counter()
    run_batches(np.uint64(seed), np.int64(0), counts, k.table, np.ascontiguousarray(dmua.T), varying,
                np.ascontiguousarray(abs_k.T), k.start_layer, k.n_above,
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
                                absorbed_rz=a_z[b, :, t][None, :], rd_ra=rd_a[b, t],
                                tt_ra=tt_a[b, t])
                   for b, n in enumerate(counts)]
        result = merge_batches(tallies, seconds)
        result.extra.update({"reference_mua_per_cm": ref.tolist(), "shared_walk_targets": nk})
        results.append(result)
    return results
