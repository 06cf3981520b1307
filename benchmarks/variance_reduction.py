"""Does one scattering walk reweighted for several absorption values cut the cost at equal standard error?

Usage: ``NUMBA_NUM_THREADS=1 python benchmarks/variance_reduction.py [--photons N] [--batches B] [--seed S]``

What it compares (one thread, CPU time): K separate wide-beam ``run_mc`` runs (default kernel), one per stack,
against one ``photodose.transport.reweight.run_mc_absorption_set`` walk that tallies all K stacks at once, for the
quantity the atlas stores, phi(z) per unit irradiance, in depth bands around 0.5, 1, 2, 5, 10 and 20 mm (the atlas
grid of ``depth_grid(20 mm)``: 0.02 mm bins).

Figures per band: v = mean over the band's bins of (standard error / phi)^2, from the batch standard errors.
- ``var x``: v of the shared walk over v of the separate run, same photons: the variance the reweighting adds;
- ``speedup``: the cost of the K separate runs at equal standard error over that of the shared walk,
  sum_k T_k v_k / (T_shared max_k v_shared,k) (the shared walk must run until its worst target reaches the error);
- ``|d|/s``: the largest |phi_shared - phi_separate| / combined standard error over the band's bins (a check).

Cases:
A. the atlas's phototype axis: knee at 850 nm, phototypes I-VI (only the epidermis's mua differs; mus identical,
   checked); reference absorption the smallest (phototype I, all weight ratios <= 1), III's, or the largest (VI,
   ratios >= 1).
B. what an uncertainty sample over blood and fat absorption would need: knee 850 nm phototype III with the mua of
   every layer below the epidermis x0.5, x1, x2; reference x0.5 (ratios <= 1) or x1 (the x0.5 target has ratios >= 1).
C. the atlas's wavelength axis: mus changes with wavelength, so one walk cannot serve it (shown, not run).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from photodose.optics.layers import LayerStack
from photodose.optics.sites import body_stack
from photodose.transport.beams import Beam
from photodose.transport.depth_dose import depth_grid
from photodose.transport.montecarlo import run_mc
from photodose.transport.reweight import run_mc_absorption_set

BANDS_MM = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
BAND_HALF_WIDTH = 0.1          # a band is depth*(1 +- 0.1), inside the tallied grid
GRID = depth_grid(20.0)


def band_masks(depth_mm: np.ndarray) -> list[np.ndarray]:
    """Bins of each band (the last bin, the overflow beyond the grid, excluded)."""
    inside = np.arange(depth_mm.size) < depth_mm.size - 1
    return [inside & (depth_mm >= z * (1 - BAND_HALF_WIDTH)) & (depth_mm <= min(z * (1 + BAND_HALF_WIDTH), 19.99))
            for z in BANDS_MM]


def rel_var(result, mask) -> float:
    phi = result.fluence_per_irradiance[mask]
    se = result.fluence_z_stderr[mask]
    return float(np.mean((se / phi) ** 2))


def max_z(a, b, mask) -> float:
    d = np.abs(a.fluence_per_irradiance[mask] - b.fluence_per_irradiance[mask])
    return float(np.max(d / np.hypot(a.fluence_z_stderr[mask], b.fluence_z_stderr[mask])))


def separate(stacks, photons, batches, seed):
    """(results, CPU seconds each) of one run_mc per stack."""
    out = []
    for stack in stacks:
        t = time.process_time()
        r = run_mc(stack, photons, seed=seed, beam=Beam(kind="wide"), grid=GRID, threads=1, batches=batches)
        out.append((r, time.process_time() - t))
    return out


def shared(stacks, photons, batches, seed, reference_mua):
    t = time.process_time()
    results = run_mc_absorption_set(stacks, photons, seed=seed + 1, grid=GRID, reference_mua=reference_mua,
                                    batches=batches)
    return results, time.process_time() - t


def report(title, labels, sep, shared_results, shared_seconds):
    masks = band_masks(sep[0][0].depth_mm)
    print(f"\n{title}")
    print(f"  CPU s: separate {' '.join(f'{s:.2f}' for _, s in sep)} (sum {sum(s for _, s in sep):.2f}); "
          f"shared walk {shared_seconds:.2f}")
    print("  band mm " + " ".join(f"{z:>7g}" for z in BANDS_MM))
    worst = np.zeros(len(BANDS_MM))
    cost_sep = np.zeros(len(BANDS_MM))
    for label, (r_sep, t_sep), r_sh in zip(labels, sep, shared_results):
        v_sep = np.array([rel_var(r_sep, m) for m in masks])
        v_sh = np.array([rel_var(r_sh, m) for m in masks])
        worst = np.maximum(worst, v_sh)
        cost_sep += t_sep * v_sep
        print(f"  {label:>7} var x " + " ".join(f"{x:7.2f}" for x in v_sh / v_sep)
              + "   |d|/s " + " ".join(f"{max_z(r_sep, r_sh, m):.1f}" for m in masks)
              + f"   E err {r_sh.energy_balance_error():.1e}")
    speedup = cost_sep / (shared_seconds * worst)
    print("  speedup " + " ".join(f"{x:7.2f}" for x in speedup))
    return speedup


def with_mua(stack: LayerStack, factor: float, first: int = 1) -> LayerStack:
    """``stack`` with the mua of layers ``first``.. multiplied by ``factor``."""
    layers = [layer.model_copy(update={"mua_per_cm": layer.mua_per_cm * (factor if i >= first else 1.0)})
              for i, layer in enumerate(stack.layers)]
    return stack.model_copy(update={"layers": layers})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photons", type=int, default=40_000)
    parser.add_argument("--batches", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    n, b, seed = args.photons, args.batches, args.seed
    types = ["I", "II", "III", "IV", "V", "VI"]
    stacks = [body_stack("knee", 850, t) for t in types]
    mua = np.array([s.arrays()["mua"] for s in stacks])
    mus = np.array([s.arrays()["mus"] for s in stacks])
    print(f"photons {n:,} per run, {b} batches, seed {seed}, one thread, grid {GRID.nz} x {GRID.dz_mm} mm")
    print(f"knee 850 nm: mus identical across phototypes: {bool(np.all(mus == mus[0]))}; epidermis mua I..VI "
          + " ".join(f"{m:.2f}" for m in mua[:, 0]) + " /cm; layers differing in mua: "
          + str(np.flatnonzero(np.ptp(mua, axis=0) > 0).tolist()))
    run_mc_absorption_set(stacks[:2], 64, grid=GRID)                         # compile outside the timings
    run_mc(stacks[0], 64, beam=Beam(kind="wide"), grid=GRID, threads=1)
    sep = separate(stacks, n, b, seed)
    for name, ref in (("I (smallest)", mua[0]), ("III", mua[2]), ("VI (largest)", mua[5])):
        results, seconds = shared(stacks, n, b, seed, ref)
        report(f"A. knee 850 nm phototypes I-VI, reference mua of {name}", types, sep, results, seconds)

    base = body_stack("knee", 850, "III")
    factors = [0.5, 1.0, 2.0]
    deep = [with_mua(base, f) for f in factors]
    labels = [f"x{f:g}" for f in factors]
    sep = separate(deep, n, b, seed)
    for name, ref in (("x0.5", deep[0].arrays()["mua"]), ("x1", deep[1].arrays()["mua"])):
        results, seconds = shared(deep, n, b, seed, ref)
        report(f"B. knee 850 nm III, mua below the epidermis x0.5/x1/x2, reference {name}", labels, sep, results,
               seconds)

    musw = {nm: body_stack("knee", nm, "III").arrays()["mus"] for nm in (810, 850)}
    print("\nC. wavelength axis: knee dermis mus 810 nm %.1f /cm, 850 nm %.1f /cm: scattering differs, one walk "
          "cannot serve both (run_mc_absorption_set refuses such a set)" % (musw[810][1], musw[850][1]))


if __name__ == "__main__":
    main()
