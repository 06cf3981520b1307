"""Planning latency with the fast model: first plan in a fresh process, and warm plans (median of repeats).

Usage: python benchmarks/planning.py [--repeat 20]
Prints milliseconds per plan for a few protocols on the default panel, cold (first call: imports, catalog,
stacks) and warm (cached stacks and phi; what an interactive user gets after the first plan).
"""

from __future__ import annotations

import argparse
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
    from photodose.planning.session_dose import load_device_any

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


if __name__ == "__main__":
    main()
