"""Throughput of the Monte Carlo kernels (simd, scalar, and gpu when present), side by side with MCML.

Usage: ``python benchmarks/transport.py [--mcml PATH] [--scale F] [--repeat K] [--kernels simd,scalar]``

Cases (pencil beam, the default grid with A(r,z), Rd(r,a), Tt(r,a) tallied, as MCML does):
- three-layer skin at 850 nm: photodose's forearm (phototype III) epidermis 0.1 mm, dermis 1.2 mm, subcutaneous
  fat semi-infinite;
- seven-layer skin at 600 nm (Meglinski & Matcher 2002, the MCML reference case of the tests);
- 810 nm head slab: photodose's forehead stack (epidermis, scalp, skull, CSF, grey matter, white matter).
For each kernel: photons per CPU-second on one thread, nanoseconds per scattering event (CPU time / interactions),
and the wall-clock rate on all numba threads with its scaling. With ``--mcml PATH`` (a binary built from MCML 1.2,
e.g. ``gcc -O3 mcml*.c -lm``) the same stack, photons and grid are written as an .mci file and run by MCML; its
CPU time (``getrusage`` of the child) gives the ratio, and its Rd and A are printed beside ours as a check. The best
of K repeats is kept (the machine may be shared: CPU time is less sensitive to other jobs than wall time).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import numba

from photodose.optics.layers import Layer, LayerStack
from photodose.optics.sites import body_stack
from photodose.transport.mco import format_mci, read_mco
from photodose.transport.montecarlo import resolve_kernel, run_mc

# name, n, mua 1/cm, mus 1/cm, g, thickness mm (Meglinski & Matcher 2002, as in tests/test_transport_mc_references)
SKIN_ROWS = [("stratum corneum", 1.53, 0.2, 1000, 0.9, 0.02), ("living epidermis", 1.34, 0.15, 400, 0.85, 0.08),
             ("papillary dermis", 1.4, 0.7, 300, 0.8, 0.1), ("upper blood net dermis", 1.39, 1, 350, 0.9, 0.08),
             ("reticular dermis", 1.4, 0.7, 200, 0.76, 1.62), ("deep blood net dermis", 1.39, 1, 350, 0.95, 0.2),
             ("subcutaneous fat", 1.44, 0.3, 150, 0.8, 5.9)]
SKIN = LayerStack(n_above=1.0, n_below=1.0, layers=[
    Layer(name=name, n=n, mua_per_cm=mua, mus_per_cm=mus, g=g, thickness_mm=d)
    for name, n, mua, mus, g, d in SKIN_ROWS])


def _three_layer_skin_850() -> LayerStack:
    forearm = body_stack("forearm", 850, "III")
    epidermis, dermis, fat = forearm.layers[:3]
    return LayerStack(n_above=1.0, n_below=fat.n,
                      layers=[epidermis, dermis, fat.model_copy(update={"thickness_mm": None})])


def cases(scale: float) -> list[tuple[str, LayerStack, int]]:
    """(name, stack, photons) of the three cases; ``scale`` multiplies the photon counts."""
    # enough photons that a batch (16 or more per run) holds thousands: a simd batch ends with its last photons in
    # mostly idle lanes, a cost that is small only when the batch is long
    return [("three-layer skin 850 nm", _three_layer_skin_850(), int(40_000 * scale)),
            ("seven-layer skin 600 nm", SKIN, int(200_000 * scale)),
            ("head slab 810 nm", body_stack("forehead", 810, "III"), int(100_000 * scale))]


def ours(stack: LayerStack, photons: int, kernel: str, threads: int, repeat: int) -> dict:
    """Best of ``repeat`` runs: photons per wall second, per CPU second, ns per event, and the result (the best
    wall rate and the best CPU rate, each over the repeats)."""
    rows = []
    for k in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run_mc(stack, photons, seed=1 + k, threads=threads, kernel=kernel)
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        rows.append({"wall_per_s": photons / wall, "cpu_per_s": photons / cpu,
                     "ns_per_event": 1e9 * cpu / result.extra["scattering_events"], "result": result})
    return {**max(rows, key=lambda row: row["cpu_per_s"]), "wall_per_s": max(row["wall_per_s"] for row in rows)}


def mcml(binary: Path, stack: LayerStack, photons: int, repeat: int) -> dict:
    """Best CPU rate of MCML on the same run (its own .mci file), with its Rd and A."""
    best: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        mci = Path(folder) / "case.mci"
        mci.write_text(format_mci(stack, photons, output_file="case.mco"))
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([str(binary.resolve()), mci.name], cwd=folder, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if not best or photons / cpu > best["cpu_per_s"]:
                out = read_mco(Path(folder) / "case.mco")
                best = {"cpu_per_s": photons / cpu, "rd": out.diffuse_reflectance, "a": out.absorbed}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mcml", type=Path, default=None, help="an MCML 1.2 binary to run side by side")
    parser.add_argument("--scale", type=float, default=1.0, help="photon counts x this (default 1)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--kernels", default="simd,scalar", help="comma-separated: simd, scalar, gpu")
    args = parser.parse_args()
    kernels = [resolve_kernel(k.strip()) for k in args.kernels.split(",")]
    cores = numba.config.NUMBA_NUM_THREADS
    for kernel in kernels:   # compile (or load the cache) outside the timing
        run_mc(SKIN, 200, threads=1, kernel=kernel)
    print(f"numba threads: {cores}; best of {args.repeat}; pencil beam, default grid; CPU time on 1 thread")
    print(f"{'case':24s} {'kernel':7s} {'photons':>8s} {'ph/CPU-s':>10s} {'ns/event':>8s} {'x MCML':>6s} "
          f"{'x scalar':>8s} {f'{cores} thr ph/s':>12s} {'scaling':>7s} {'Rd':>7s} {'A':>7s}")
    for name, stack, photons in cases(args.scale):
        reference = mcml(args.mcml, stack, photons, args.repeat) if args.mcml else None
        rows = {kernel: ours(stack, photons, kernel, 1, args.repeat) for kernel in kernels}
        if reference:
            print(f"{name:24s} {'MCML':7s} {photons:8d} {reference['cpu_per_s']:10.4g} {'':>8s} {1.0:6.2f} "
                  f"{'':>8s} {'':>12s} {'':>7s} {reference['rd']:7.4f} {reference['a']:7.4f}")
        for kernel, row in rows.items():
            result = row["result"]
            threads = ours(stack, photons, kernel, cores, args.repeat) if kernel != "gpu" and cores > 1 else row
            ratio = f"{row['cpu_per_s'] / reference['cpu_per_s']:6.2f}" if reference else f"{'-':>6s}"
            versus = (f"{row['cpu_per_s'] / rows['scalar']['cpu_per_s']:8.2f}" if "scalar" in rows
                      else f"{'-':>8s}")
            print(f"{name:24s} {kernel:7s} {photons:8d} {row['cpu_per_s']:10.4g} {row['ns_per_event']:8.2f} "
                  f"{ratio} {versus} {threads['wall_per_s']:12.4g} {threads['wall_per_s'] / row['wall_per_s']:7.2f} "
                  f"{result.diffuse_reflectance:7.4f} {result.absorbed:7.4f}")
    print("x MCML = photons per CPU-second / MCML's on the same run; scaling = wall rate on all threads / on one "
          "(bounded by the cores free at the time); Rd, A: each kernel's own run of the same photons.")


if __name__ == "__main__":
    main()
