"""Throughput of the GPU Monte Carlo kernel: photons/s and ns per scattering event, and pmcx (MCX) alongside.

Usage: ``python benchmarks/gpu.py [--scale F] [--repeat K] [--pmcx-case NAME]``

Cases: those of benchmarks/transport.py (``cases``: three-layer skin at 850 nm, seven-layer skin at 600 nm, 810 nm
head slab), with its photon counts times ``--scale`` (default 20: a GPU needs long runs), pencil beam, default
grid (A(r,z), Rd(r,a), Tt(r,a) on), ``run_mc(..., kernel="gpu")``. Wall time of the whole run (host-device copies
and merging included), best of K, after one warm-up run that compiles the kernel; ns per event = wall time / the
run's scattering events (``extra["scattering_events"]``).

pmcx (the Python module of MCX, bibliography key fang2009) runs when it is importable, on the same GPU and the
same layered case (``--pmcx-case``, default the seven-layer skin at 600 nm): the layers are voxelised along z
(voxel = the thinnest layer, at most 2000 voxels deep), 10 mm wide, refractive-index mismatch on at inner and
outer boundaries, specular reflection on, one 10 ns time gate. MCX's voxel grid, time gate and roulette are its
own, so the ratio compares photons per second on the same tissue as each code models it; it is printed with the
grid.

Without a CUDA device the script prints one line and exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import time
from pathlib import Path

import numpy as np

from photodose.optics.layers import LayerStack
from photodose.transport.gpu_kernel import cuda_device_present
from photodose.transport.montecarlo import run_mc

PMCX_WIDTH_MM = 10.0        # lateral size of the pmcx volume (photodose assumption, unsourced: wide enough that
                            # few photons leave through the sides of the skin case)
PMCX_MAX_DEPTH_VOXELS = 2000
PMCX_MAX_VOXELS = 2 * 10**8
PMCX_SEMI_INFINITE_MM = 20.0   # depth given to a semi-infinite last layer in the voxel volume


def transport_cases(scale: float) -> list[tuple[str, LayerStack, int]]:
    """(name, stack, photons) of benchmarks/transport.py's cases, photons times ``scale``."""
    spec = importlib.util.spec_from_file_location("transport_benchmark", Path(__file__).with_name("transport.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cases(scale)


def best_gpu_run(stack: LayerStack, photons: int, repeat: int):
    """Shortest wall time over ``repeat`` GPU runs and that run's result."""
    best = (math.inf, None)
    for k in range(repeat):
        start = time.perf_counter()
        result = run_mc(stack, photons, seed=1 + k, kernel="gpu")
        seconds = time.perf_counter() - start
        best = (seconds, result) if seconds < best[0] else best
    return best


def pmcx_volume(stack: LayerStack) -> tuple[np.ndarray, np.ndarray, float]:
    """Labelled voxel volume (x, y, z; label i + 1 for layer i), MCX property table (mua, mus in 1/mm, g, n)
    and the voxel size in mm."""
    bounds_mm = stack.boundaries_cm() * 10.0
    bounds_mm[-1] = bounds_mm[-1] if math.isfinite(bounds_mm[-1]) else bounds_mm[-2] + PMCX_SEMI_INFINITE_MM
    thickness = np.diff(bounds_mm)
    voxel = max(float(thickness.min()), float(bounds_mm[-1]) / PMCX_MAX_DEPTH_VOXELS)
    depth_voxels = np.maximum(1, np.rint(thickness / voxel).astype(int))
    side = int(min(PMCX_WIDTH_MM / voxel, math.sqrt(PMCX_MAX_VOXELS / depth_voxels.sum())))
    labels = np.repeat(np.arange(1, len(thickness) + 1, dtype=np.uint8), depth_voxels)
    volume = np.broadcast_to(labels, (side, side, len(labels))).copy()
    prop = [[0.0, 0.0, 1.0, stack.n_above]] + [[layer.mua_per_cm / 10.0, layer.mus_per_cm / 10.0, layer.g, layer.n]
                                               for layer in stack.layers]
    return volume, np.asarray(prop), voxel


def best_pmcx_run(pmcx, stack: LayerStack, photons: int, repeat: int) -> tuple[float, str]:
    """Shortest wall time of ``pmcx.run`` over ``repeat`` runs (after a warm-up) and a description of the grid."""
    volume, prop, voxel = pmcx_volume(stack)
    cfg = {"vol": volume, "prop": prop, "unitinmm": voxel, "srcpos": [volume.shape[0] / 2, volume.shape[1] / 2, 0],
           "srcdir": [0, 0, 1], "issrcfrom0": 1, "tstart": 0, "tend": 1e-8, "tstep": 1e-8, "isreflect": 1,
           "isrefint": 1, "isspecular": 1, "gpuid": 1, "autopilot": 1}
    pmcx.run(dict(cfg, nphoton=10_000))
    best = math.inf
    for k in range(repeat):
        start = time.perf_counter()
        pmcx.run(dict(cfg, nphoton=photons, seed=1 + k))
        best = min(best, time.perf_counter() - start)
    nx, ny, nz = volume.shape
    return best, f"{nx}x{ny}x{nz} voxels of {voxel * 1000:.0f} um"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=20.0, help="transport.py's photon counts x this (default 20)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pmcx-case", default="seven-layer skin 600 nm", help="the case pmcx runs")
    args = parser.parse_args()
    if not cuda_device_present():
        print("benchmarks/gpu.py: no CUDA device (numba.cuda finds none); GPU figures not measured")
        return 0
    cases = transport_cases(args.scale)
    run_mc(cases[0][1], 1000, kernel="gpu")   # compile outside the timing
    print(f"GPU kernel, best of {args.repeat}, wall time incl. copies; pencil beam, default grid")
    print(f"{'case':24s} {'photons':>9s} {'seconds':>8s} {'photons/s':>10s} {'events/ph':>9s} {'ns/event':>8s} "
          f"{'Rd +- se':>18s} {'Tt +- se':>18s} {'energy err':>10s}")
    rates = {}
    for name, stack, photons in cases:
        seconds, result = best_gpu_run(stack, photons, args.repeat)
        events = int(result.extra["scattering_events"])
        rates[name] = photons / seconds
        rd, tt = result.diffuse_reflectance, result.transmittance
        se_rd, se_tt = result.stderr["diffuse_reflectance"], result.stderr["transmittance"]
        print(f"{name:24s} {photons:9d} {seconds:8.3f} {photons / seconds:10.4g} {events / photons:9.1f} "
              f"{1e9 * seconds / max(events, 1):8.3f} {rd:9.5f}+-{se_rd:7.5f} {tt:9.5f}+-{se_tt:7.5f} "
              f"{result.energy_balance_error():10.1e}")
    if importlib.util.find_spec("pmcx") is None:
        print("pmcx: not installed (pip install pmcx); no MCX comparison")
        return 0
    import pmcx

    by_name = {name: (stack, photons) for name, stack, photons in cases}
    if args.pmcx_case not in by_name:
        print(f"benchmarks/gpu.py: --pmcx-case {args.pmcx_case!r} is not a case; allowed: {', '.join(by_name)}")
        return 2
    stack, photons = by_name[args.pmcx_case]
    seconds, grid = best_pmcx_run(pmcx, stack, photons, args.repeat)
    pmcx_rate = photons / seconds
    print(f"pmcx {args.pmcx_case}: {photons} photons in {seconds:.3f} s = {pmcx_rate:.4g} photons/s ({grid}); "
          f"photodose GPU / pmcx = {rates[args.pmcx_case] / pmcx_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
