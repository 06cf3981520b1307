"""External fuzz of the command line (issue 18): N generated hostile command lines, each run as its own
``photodose`` process with a wall-clock limit, counted by outcome.

    python benchmarks/fuzz_cli.py --cases 1000 --jobs 2 --timeout 30

The cases come from the generator of tests/test_hostile_input.py (every case is bad by construction: a spoiled
quantity, minutes, id, skin type, name or file). Outcomes: ``refused`` (exit 2, one line ``error: ...``, no
traceback), ``traceback``, ``hang`` (killed at --timeout), ``accepted`` (exit 0: nonsense taken), ``unclear``
(anything else: exit 1, several lines). Prints the counts and every case that was not refused.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def draw_cases(n: int, seed: int) -> list:
    from hypothesis import HealthCheck, given, seed as hypothesis_seed, settings

    from test_hostile_input import hostile_case

    cases = []

    @hypothesis_seed(seed)
    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=hostile_case())
    def collect(case):
        cases.append(case)

    collect()
    return cases[:n]


def run_one(index: int, case, folder: Path, timeout: float) -> tuple[str, list[str], str, float]:
    template, values, files = case
    work = folder / f"case{index}"
    work.mkdir()
    subst = {"db": str(folder / "journal.sqlite"), "fifo": str(folder / "fifo"), "dir": str(folder / "adir"),
             "missing": str(folder / "missing" / "x.json"), "file": str(work / "case"), "case": str(index)}
    for path_template, content in files.items():
        (work / ("case" + path_template.removeprefix("{file}"))).write_bytes(content)

    def expand(text: str) -> str:
        for key, path in subst.items():
            text = text.replace("{" + key + "}", path)
        return text

    argv = [expand(values[p[1:-1]]) if p[1:-1] in values else expand(p) for p in template]
    env = {**os.environ, "PHOTODOSE_HOME": str(folder / "home"), "COLUMNS": "200"}
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "photodose", *argv], capture_output=True, timeout=timeout,
                              env=env, cwd=ROOT, errors="replace", text=True)
    except ValueError:  # a NUL in an argument: no shell or OS can pass one (the in-process fuzz covers it)
        return "not runnable", argv, "", 0.0, " ".join(p for p in template[:2] if "{" not in p)
    except subprocess.TimeoutExpired:
        return "hang", argv, "", time.perf_counter() - start, " ".join(p for p in template[:2] if "{" not in p)
    seconds = time.perf_counter() - start
    err = done.stderr.strip()
    if "Traceback" in done.stderr + done.stdout:
        outcome = "traceback"
    elif done.returncode == 0:
        outcome = "accepted"
    elif done.returncode == 2 and err.startswith("error: ") and len(err.splitlines()) == 1:
        outcome = "refused"
    else:
        outcome = "unclear"
    return outcome, argv, err[-300:], seconds, " ".join(p for p in template[:2] if "{" not in p)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--only", default="", help="keep commands starting with this, e.g. 'log' (drawn cases "
                                                    "of other commands are dropped)")
    args = parser.parse_args()
    cases = [c for c in draw_cases(args.cases, args.seed) if " ".join(c[0]).startswith(args.only)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "adir").mkdir()
        for suffix in (".yaml", ".json", ".toml", ".mci"):
            os.mkfifo(folder / f"fifo{suffix}")
        subprocess.run([sys.executable, "-m", "photodose", "profile", "add", "fuzz", "--db",
                        str(folder / "journal.sqlite")], check=True, capture_output=True, cwd=ROOT)
        start = time.perf_counter()
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda item: run_one(item[0], item[1], folder, args.timeout), enumerate(cases)))
        wall = time.perf_counter() - start
    counts = collections.Counter(r[0] for r in results)
    times = sorted(r[3] for r in results)
    print(f"{len(results)} cases in {wall:.0f} s ({args.jobs} jobs): " + ", ".join(
        f"{k} {counts.get(k, 0)}" for k in ("refused", "traceback", "hang", "accepted", "unclear", "not runnable")))
    print(f"time per case: median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s")
    commands = collections.Counter(r[4] for r in results)
    print("commands: " + ", ".join(f"{k} {v}" for k, v in sorted(commands.items())))
    for outcome, argv, err, seconds, _command in results:
        if outcome not in ("refused", "not runnable"):
            print(f"{outcome} ({seconds:.1f} s): {argv!r}\n    {err}")


if __name__ == "__main__":
    main()
