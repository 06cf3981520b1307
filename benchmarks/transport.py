"""Throughput of the Monte Carlo kernel against MCML on two reference cases, one thread and all cores.

Usage: ``python benchmarks/transport.py [--photons N] [--skin-photons N] [--repeat K]``

Cases and MCML's speed are those of /work/shared/reference/light_transport_benchmarks.md: the van de Hulst slab
(MCML 1.2 -O3: about 0.5 s per 10^6 photons, i.e. 2.0e6 photons/s) and the seven-layer skin at 600 nm (about 29 s
per 10^6 photons, 3.45e4 photons/s), grid tallies included; ours runs a pencil beam with the default grid
(A(r,z), Rd(r,a), Tt(r,a) on). The best of K repeats is printed (the machine is shared: wall times are noisy,
so photons per CPU-second are printed as well).
"""

from __future__ import annotations

import argparse
import time

import numba

from photodose.optics.layers import Layer, LayerStack
from photodose.transport.montecarlo import run_mc

MCML_PHOTONS_PER_S = {"van de Hulst slab": 1e6 / 0.5, "seven-layer skin 600 nm": 1e6 / 29.0}

SLAB = LayerStack(n_above=1.0, n_below=1.0,
                  layers=[Layer(name="slab", n=1.0, mua_per_cm=10, mus_per_cm=90, g=0.75, thickness_mm=0.2)])
# name, n, mua 1/cm, mus 1/cm, g, thickness mm (Meglinski & Matcher 2002, as in the reference file)
SKIN_ROWS = [("stratum corneum", 1.53, 0.2, 1000, 0.9, 0.02), ("living epidermis", 1.34, 0.15, 400, 0.85, 0.08),
             ("papillary dermis", 1.4, 0.7, 300, 0.8, 0.1), ("upper blood net dermis", 1.39, 1, 350, 0.9, 0.08),
             ("reticular dermis", 1.4, 0.7, 200, 0.76, 1.62), ("deep blood net dermis", 1.39, 1, 350, 0.95, 0.2),
             ("subcutaneous fat", 1.44, 0.3, 150, 0.8, 5.9)]
SKIN = LayerStack(n_above=1.0, n_below=1.0, layers=[
    Layer(name=name, n=n, mua_per_cm=mua, mus_per_cm=mus, g=g, thickness_mm=d)
    for name, n, mua, mus, g, d in SKIN_ROWS])


def best_rates(stack: LayerStack, photons: int, threads: int, repeat: int) -> tuple[float, float]:
    """Best photons per second over ``repeat`` runs: by wall clock (whole run including merging) and per
    second of this process's CPU time (less sensitive to other jobs on a shared machine)."""
    wall, cpu = [], []
    for k in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run_mc(stack, photons, seed=1 + k, threads=threads)
        wall.append(photons / (time.perf_counter() - start))
        cpu.append(photons / (time.process_time() - start_cpu))
    return max(wall), max(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photons", type=float, default=2e6, help="photons for the slab (default 2e6)")
    parser.add_argument("--skin-photons", type=float, default=None, help="photons for the skin (default photons/20)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    slab_photons = int(args.photons)
    skin_photons = int(args.skin_photons or max(1000, slab_photons // 20))
    cores = numba.config.NUMBA_NUM_THREADS
    run_mc(SLAB, 1000, threads=1)   # compile (or load the cache) outside the timing
    print(f"numba threads available: {cores}; best of {args.repeat}; grid tallies on (pencil beam, default grid)")
    print(f"{'case':24s} {'photons':>8s} {'1 thread/s':>11s} {'x MCML':>6s} {'per CPU-s':>10s} {'x MCML':>6s} "
          f"{f'{cores} threads/s':>12s} {'x MCML':>6s} {'scaling':>7s} {'CPU eff.':>8s}")
    for name, stack, photons in (("van de Hulst slab", SLAB, slab_photons),
                                 ("seven-layer skin 600 nm", SKIN, skin_photons)):
        one, one_cpu = best_rates(stack, photons, 1, args.repeat)
        all_cores, all_cpu = best_rates(stack, photons, cores, args.repeat)
        mcml = MCML_PHOTONS_PER_S[name]
        print(f"{name:24s} {photons:8d} {one:11.4g} {one / mcml:6.2f} {one_cpu:10.4g} {one_cpu / mcml:6.2f} "
              f"{all_cores:12.4g} {all_cores / mcml:6.2f} {all_cores / one:7.2f} {all_cpu / one_cpu:8.2f}")
    print("scaling = wall-clock rate on all threads / on 1 thread (bounded by the cores free at the time);\n"
          "CPU eff. = photons per CPU-second on all threads / on 1 thread (1.00 = no parallel overhead).")

if __name__ == "__main__":
    main()
