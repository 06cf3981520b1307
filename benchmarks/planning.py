"""Planning latency with the fast model: first plan in a fresh process, and warm plans (median of repeats).

Usage: python benchmarks/planning.py [--repeat 20]
Prints milliseconds per plan for a few protocols on the default panel, cold (first call: imports, catalog,
stacks) and warm (cached stacks and phi; what an interactive user gets after the first plan); then milliseconds per
dose distribution (planning.uncertainty) and the warm plan latency with sampling (target: under 200 ms).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time

CASES = [
    ("knee-osteoarthritis", None),
    ("muscle-recovery-thighs-glutes", None),
    ("depression-transcranial", None),
    ("skin-rejuvenation", None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--device", default="generic-panel-660-850")
    args = parser.parse_args()

    t0 = time.perf_counter()
    from photodose.planning.planner import plan
    from photodose.planning.request import PlanRequest
    from photodose.dosimetry.session_dose import load_device_any

    device = load_device_any(args.device)
    t_import = time.perf_counter() - t0
    print(f"imports + device load: {t_import * 1e3:.0f} ms")
    print(f"{'protocol':34s} {'first (ms)':>11s} {'warm median (ms)':>17s} {'warm min (ms)':>14s}")
    for condition, _ in CASES:
        request = PlanRequest(device=device, condition=condition, safety={"goggles": True})
        t = time.perf_counter()
        plan(request)
        first = time.perf_counter() - t
        warm = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            plan(request)
            warm.append(time.perf_counter() - t)
        print(f"{condition:34s} {first * 1e3:11.1f} {statistics.median(warm) * 1e3:17.1f} {min(warm) * 1e3:14.1f}")
    uncertainty(args.repeat, device)


UNCERTAINTY_CASES = [(None, "knee-osteoarthritis"), (None, "depression-transcranial"),
                     ("generic-headset-810", "depression-transcranial")]


def uncertainty(repeat: int, default_device) -> None:
    """ms per dose distribution (planning.uncertainty, 64 Sobol samples) and the warm plan latency with sampling.

    Until the planner calls ``dose_distribution`` itself, "warm plan + sampling" is a warm ``plan()`` plus the
    distribution on the same plan's objects (tissue, channels, lights at its distance, its session time).
    """
    from photodose.planning.planner import plan
    from photodose.planning.request import PlanRequest
    from photodose.dosimetry.session_dose import TissueModel, load_device_any
    from photodose.dosimetry.surface import SurfaceIrradiance, choose_channels
    from photodose.protocols.library import get_protocol

    print("\ndose distribution (64 scrambled Sobol samples, seed 0)")
    rows = []
    print(f"{'device / protocol':58s} {'first (ms)':>11s} {'warm (ms)':>10s} {'warm plan + sampling (ms)':>26s}")
    for device_id, condition in UNCERTAINTY_CASES:
        device = load_device_any(device_id) if device_id else default_device
        request = PlanRequest(device=device, condition=condition, safety={"goggles": True})
        result = plan(request)
        doc = result.model_dump() if hasattr(result, "model_dump") else result
        integrated = (doc.get("target") or {}).get("fluence_j_cm2_interval") is not None
        protocol = get_protocol(condition)
        tissue = TissueModel(doc["site"], doc["skin_type"])
        channels = choose_channels(device, None)
        surface = SurfaceIrradiance(device, [c.id for c in channels])
        depth_mm = protocol.target.depth_mm
        session_s = doc["session_seconds"] or protocol.session.max_s
        sample = functools.partial(_distribution, tissue, channels, surface, doc["distance_mm"], session_s,
                                   depth_mm, protocol, device)

        t = time.perf_counter()
        sample()
        first = time.perf_counter() - t
        warm, total = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            plan(request)
            t_plan = time.perf_counter() - t
            t = time.perf_counter()
            if not integrated:
                sample()
            warm.append(time.perf_counter() - t)
            total.append(t_plan + warm[-1])
        label = f"{device.id} / {condition}"
        print(f"{label:58s} {first * 1e3:11.1f} {statistics.median(warm) * 1e3:10.1f} "
              f"{statistics.median(total) * 1e3:26.1f}" + ("  (plan samples itself)" if integrated else ""))
        rows.append((label, doc, sample()))
    print("\n(the plan's distance and session; target: median [5th, 95th percentile] J/cm2 and the deterministic "
          "plan's; skin: incident J/cm2; P: share of samples inside the window, - where none)")
    for label, doc, d in rows:
        lo, hi = d.fluence_j_cm2_interval
        s_lo, s_hi = d.skin_fluence_j_cm2_interval
        p_skin, p_target = (("-" if p is None else f"{p:.2f}") for p in (d.skin_probability_inside,
                                                                          d.target_probability_inside))
        print(f"{label}: {doc['status']}, {doc['distance_mm']:g} mm, {doc['session_seconds'] or 0:.0f} s; target "
              f"{d.target_depth_mm:g} mm {d.fluence_j_cm2:.3g} [{lo:.3g}, {hi:.3g}] "
              f"(plan {d.nominal_fluence_j_cm2:.3g});"
              f" skin {d.skin_fluence_j_cm2:.3g} [{s_lo:.3g}, {s_hi:.3g}] (plan {d.nominal_skin_fluence_j_cm2:.3g}); "
              f"P skin {p_skin}, P target {p_target} (+/- {d.probability_standard_error:.2f})")


def _distribution(tissue, channels, surface, distance_mm, session_s, depth_mm, protocol, device):
    """The plan's channel lights at its distance (cached phi), then its dose distribution."""
    from photodose.dosimetry.session_dose import channel_lights, channel_phis
    from photodose.planning.uncertainty import dose_distribution

    lights = channel_lights(channels, surface, distance_mm, channel_phis(channels, tissue, depth_mm))
    return dose_distribution(tissue, channels, lights, session_s, depth_mm, protocol.skin_window,
                             protocol.target_window, device, distance_mm, surface=surface)


if __name__ == "__main__":
    main()
