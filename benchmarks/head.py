"""Throughput of the voxel Monte Carlo in the head: photons per second, one thread and all cores.

Usage: ``python benchmarks/head.py [--photons N] [--repeat K] [--nm NM]``

Case: the generic 810 nm headset (24 LEDs, conformal) at F3 and F4 on the 2 mm ICBM152 head with Cassano 2019's
optics (the default ``photodose head`` run: ``--device generic-headset-810 --position F3 --position F4``).
The best of K repeats is printed, by wall clock and per second of this process's CPU time (the machine is
shared: wall times are noisy). Compilation is excluded (one warm-up run first).
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np

from photodose.devices.catalog import load_device
from photodose.transport import head as H
from photodose.dosimetry.head_dose import device_emitters


def headset_sources(model):
    device = load_device("generic-headset-810")
    channel = device.channels[0]
    offsets, share, order = device_emitters(device, channel, device.default_distance_mm)
    pos, dirs, w, m = [], [], [], []
    for name in ("F3", "F4"):
        p, d, pw, mm = H.place_emitters(model, name, offsets, share, order, device.default_distance_mm, True)
        pos.append(p), dirs.append(d), w.append(pw), m.append(mm)
    scalp = [H.scalp_point(model, n)[0] for n in ("F3", "F4")]
    return np.vstack(pos), np.vstack(dirs), np.concatenate(w), np.concatenate(m), scalp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photons", type=float, default=1e5)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--nm", type=float, default=810.0)
    args = parser.parse_args()
    model = H.load_head()
    pos, dirs, w, m, scalp = headset_sources(model)
    H.run_head(pos, dirs, w, m, args.nm, scalp_points_mm=scalp, photons=2000, head=model)   # compile / warm up
    print(f"head {model.volume.labels.shape} voxels of {model.volume.voxel_mm:g} mm, {len(pos)} emitters, "
          f"{args.nm:g} nm, {int(args.photons):,} photons, best of {args.repeat}")
    for threads in sorted({1, numba.config.NUMBA_NUM_THREADS}):
        wall, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            run = H.run_head(pos, dirs, w, m, args.nm, scalp_points_mm=scalp, photons=int(args.photons),
                             threads=threads, head=model)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        phi, se = run.per_watt("target")
        print(f"threads {threads}: {args.photons / min(wall):,.0f} photons/s wall, "
              f"{args.photons / min(cpu):,.0f} photons per CPU-second; target fluence {phi:.4g} +- {se:.2g} "
              f"1/cm^2 per W")


if __name__ == "__main__":
    main()
