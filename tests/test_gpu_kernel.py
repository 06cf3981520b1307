"""The GPU kernel (photodose.transport.gpu_kernel) under numba's CUDA simulator, against the CPU kernel.

numba reads NUMBA_ENABLE_CUDASIM when it is imported, so the simulated runs happen once, in a subprocess that runs
this file as a script, and the tests check what it prints (JSON). Two kinds of check:
- exact: with one GPU thread per batch the GPU walks the CPU kernel's photons (thread 0's stream is the batch's
  stream and the draws come in the same order), so every tally must equal the CPU kernel's to rounding. This
  fails for any change of physics (a wrong g, a missing Fresnel step, a lost roulette, a wrong bin).
- statistical: with 8 threads per batch (independent streams) the GPU's Rd, Tt, A and layer sums must agree with
  the CPU kernel within 4 combined standard errors, and the van de Hulst slab with its published values; the
  tests also show that these tolerances are tighter than the change a wrong g or a missing Fresnel step makes.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import photodose
from photodose.optics.layers import Layer, LayerStack
from photodose.transport import montecarlo as mc
from photodose.transport._walk import N_SCALARS
from photodose.transport.beams import Beam, Incidence
from photodose.transport.gpu_kernel import cuda_device_present, run_batches_gpu
from photodose.transport.result import Grid

# van de Hulst (1980) vol. 2 Table 35 as in the MCML paper, Table 1 (tests/test_transport_mc_references.py)
VAN_DE_HULST = LayerStack(n_above=1.0, n_below=1.0, layers=[
    Layer(n=1.0, mua_per_cm=10.0, mus_per_cm=90.0, g=0.75, thickness_mm=0.2)])
VAN_DE_HULST_RD, VAN_DE_HULST_TT = 0.09739, 0.66096


def mismatched_stack(n=(1.45, 1.37, 1.44), g=0.8) -> LayerStack:
    """Three layers with skin-like refractive indices under air; albedo 0.8, so that the simulator's walks are
    short (about 40 interactions a photon)."""
    return LayerStack(n_above=1.0, n_below=1.0, layers=[
        Layer(name="epidermis", n=n[0], mua_per_cm=40.0, mus_per_cm=160.0, g=g, thickness_mm=0.1),
        Layer(name="dermis", n=n[1], mua_per_cm=25.0, mus_per_cm=100.0, g=g, thickness_mm=0.3),
        Layer(name="fat", n=n[2], mua_per_cm=15.0, mus_per_cm=60.0, g=g, thickness_mm=0.6)])


GLASS_ON_TISSUE = LayerStack(n_above=1.0, n_below=1.0, layers=[
    Layer(name="glass", n=1.5, mua_per_cm=0.0, mus_per_cm=0.0, g=0.0, thickness_mm=1.0),
    Layer(name="tissue", n=1.4, mua_per_cm=10.0, mus_per_cm=90.0, g=0.9, thickness_mm=None)])
GRID = Grid(dz_mm=0.05, nz=40, dr_mm=0.1, nr=30, na=10)

# name: stack, beam, incidence, batch sizes (exact cases: one GPU thread per batch)
EXACT_CASES = {
    "slab pencil": (VAN_DE_HULST, Beam(), Incidence(), [150, 149]),
    "mismatch flat beam": (mismatched_stack(), Beam(kind="flat", radius_mm=1.0), Incidence(), [40, 40]),
    "glass gaussian cone": (GLASS_ON_TISSUE, Beam(kind="gaussian", radius_mm=0.5),
                            Incidence(kind="cone", half_angle_deg=30.0), [40, 40]),
    "mismatch wide lambertian": (mismatched_stack(), Beam(kind="wide"), Incidence(kind="lambertian"), [40, 40]),
}
# name: stack, beam, GPU photons, CPU photons (statistical cases: 8 batches, 8 GPU threads per batch)
STAT_CASES = {
    "slab": (VAN_DE_HULST, Beam(), 3200, 200_000),
    "mismatch flat beam": (mismatched_stack(), Beam(kind="flat", radius_mm=1.0), 1600, 100_000),
}
SLOW_STAT_CASES = ("mismatch flat beam",)   # about 15 s in the simulator
STAT_BATCHES, STAT_THREADS = 8, 8
SEED = 2026


def gpu_batches(stack, beam, incidence, grid, seed, counts, threads) -> list[mc.BatchTallies]:
    """run_batches_gpu on montecarlo's kernel inputs, as montecarlo runs run_batches."""
    k = mc._kernel_inputs(stack, beam, incidence, grid)
    nb = len(counts)
    arrays = (np.zeros((nb, N_SCALARS)), np.zeros((nb, k.n_layers)), np.zeros((nb, k.nr_tally, k.nz)),
              np.zeros((nb, k.nr_tally, k.na)), np.zeros((nb, k.nr_tally, k.na)))
    counts = np.asarray(counts, dtype=np.int64)
    run_batches_gpu(np.uint64(seed), np.int64(0), counts, k.table, k.start_layer, k.n_above, k.rsp_collimated,
                    k.beam_code, k.beam_radius_cm, k.inc_code, k.cos_half_angle, k.inv_dz, k.nz, k.inv_dr, k.nr,
                    k.inv_da, k.na, k.radial, *arrays, threads_per_batch_override=threads)
    return mc._tallies(stack, beam, incidence, grid, seed, 0, counts, arrays)


def inner_fraction(batch: mc.BatchTallies, rings: int) -> float:
    """Fraction of a batch's absorbed weight in the first ``rings`` radial bins (the flat beam's footprint)."""
    return float(batch.absorbed_rz[:rings].sum() / batch.absorbed_rz.sum())


def _simulate(part: str) -> dict:
    """Run under NUMBA_ENABLE_CUDASIM=1: the exact cases and the slab (``part`` "fast") or the three-layer
    statistical case ("slow"); returns plain numbers."""
    import time

    from photodose.transport import gpu_kernel

    warnings.filterwarnings("ignore", "overflow encountered", RuntimeWarning)   # uint64 wrap-around is the RNG
    gpu_kernel.THREADS_PER_BLOCK = 8   # the simulator runs a block as Python threads: small blocks run 3x faster
    out: dict = {"device_present_under_simulator": cuda_device_present(), "exact": {}, "stat": {}}
    for name, (stack, beam, incidence, counts) in (EXACT_CASES.items() if part == "fast" else ()):
        start = time.perf_counter()
        gpu = gpu_batches(stack, beam, incidence, GRID, SEED, counts, threads=1)
        seconds = time.perf_counter() - start
        cpu = [mc.run_batch(stack, n, SEED, i, beam, incidence, GRID) for i, n in enumerate(counts)]
        worst = 0.0
        for g, c in zip(gpu, cpu):
            for field in ("specular", "diffuse_reflectance", "transmittance", "roulette_net_weight",
                          "scattering_events", "layer_absorbed", "absorbed_rz", "rd_ra", "tt_ra"):
                a, b = np.asarray(getattr(g, field)), np.asarray(getattr(c, field))
                worst = max(worst, float(np.max(np.abs(a - b), initial=0.0)) / max(1.0, float(np.max(np.abs(b)))))
        result = mc.merge_batches(gpu)
        out["exact"][name] = {"relative_difference": worst, "seconds": seconds, "photons": int(sum(counts)),
                              "energy_balance_error": result.energy_balance_error(),
                              "absorbed": result.absorbed, "diffuse_reflectance": result.diffuse_reflectance}
    for name, (stack, beam, photons, _) in STAT_CASES.items():
        if (name in SLOW_STAT_CASES) != (part == "slow"):
            continue
        start = time.perf_counter()
        counts = mc.batch_sizes(photons, STAT_BATCHES)
        batches = gpu_batches(stack, beam, Incidence(), GRID, SEED, counts, threads=STAT_THREADS)
        seconds = time.perf_counter() - start
        result = mc.merge_batches(batches)
        inner = [inner_fraction(b, 10) for b in batches]
        out["stat"][name] = {
            "seconds": seconds, "photons": photons, "energy_balance_error": result.energy_balance_error(),
            "value": {key: getattr(result, key) for key in ("diffuse_reflectance", "transmittance", "absorbed")},
            "stderr": {key: result.stderr[key] for key in ("diffuse_reflectance", "transmittance", "absorbed")},
            "layer_absorbed": list(result.layer_absorbed), "layer_stderr": list(result.stderr["layer_absorbed"]),
            "inner": float(np.mean(inner)), "inner_stderr": float(np.std(inner, ddof=1) / math.sqrt(len(inner)))}
    return out


def _run_simulator(part: str) -> dict:
    root = str(Path(photodose.__file__).resolve().parents[1])
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1",
               PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, __file__, part], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def simulated() -> dict:
    return _run_simulator("fast")


@pytest.fixture(scope="module")
def simulated_slow() -> dict:
    return _run_simulator("slow")


def stat_case(name: str, request) -> dict:
    fixture = "simulated_slow" if name in SLOW_STAT_CASES else "simulated"
    return request.getfixturevalue(fixture)["stat"][name]


def stat_params():
    return [pytest.param(name, marks=pytest.mark.slow) if name in SLOW_STAT_CASES else name for name in STAT_CASES]


def test_no_cuda_device_here():
    """No GPU on the test machines: the check says so, here and under the simulator, and raises nothing."""
    assert cuda_device_present() is False


def test_simulator_is_not_a_device(simulated):
    assert simulated["device_present_under_simulator"] is False


@pytest.mark.parametrize("name", list(EXACT_CASES))
def test_one_thread_per_batch_walks_the_cpu_kernels_photons(simulated, name):
    case = simulated["exact"][name]
    assert case["relative_difference"] < 1e-9, case
    assert case["energy_balance_error"] < 1e-9
    assert case["absorbed"] > 0.05 and case["diffuse_reflectance"] > 0.01   # the case did run photons


@pytest.mark.parametrize("name", stat_params())
def test_gpu_conserves_energy(request, name):
    assert stat_case(name, request)["energy_balance_error"] < 1e-9


def combined(se_a: float, se_b: float) -> float:
    return 4.0 * math.hypot(se_a, se_b)


def cpu_reference(name: str) -> mc.MCResult:
    stack, beam, _, cpu_photons = STAT_CASES[name]
    return mc.run_mc(stack, cpu_photons, seed=7, beam=beam, grid=GRID, threads=1)


@pytest.mark.parametrize("name", stat_params())
def test_gpu_agrees_with_cpu_kernel(request, name):
    gpu, cpu = stat_case(name, request), cpu_reference(name)
    for key in ("diffuse_reflectance", "transmittance", "absorbed"):
        tolerance = combined(gpu["stderr"][key], cpu.stderr[key])
        assert abs(gpu["value"][key] - getattr(cpu, key)) <= tolerance, (key, gpu["value"][key], getattr(cpu, key))
    for i, value in enumerate(gpu["layer_absorbed"]):
        tolerance = combined(gpu["layer_stderr"][i], cpu.stderr["layer_absorbed"][i])
        assert abs(value - cpu.layer_absorbed[i]) <= tolerance, (i, value, cpu.layer_absorbed[i])


def test_gpu_slab_matches_van_de_hulst(simulated):
    gpu = simulated["stat"]["slab"]
    for key, reference in (("diffuse_reflectance", VAN_DE_HULST_RD), ("transmittance", VAN_DE_HULST_TT)):
        assert abs(gpu["value"][key] - reference) <= 4.0 * gpu["stderr"][key] + 0.003 * reference, key


@pytest.mark.slow
def test_gpu_flat_beam_radial_tally_agrees_with_cpu(simulated_slow):
    """Share of the absorbed weight inside the 1 mm beam footprint (first 10 rings of 0.1 mm)."""
    gpu = simulated_slow["stat"]["mismatch flat beam"]
    cpu = cpu_reference("mismatch flat beam")
    cpu_inner = float(cpu.absorbed_rz_per_cm3[:10].sum(axis=1) @ (np.arange(10) + 0.5)
                      / (cpu.absorbed_rz_per_cm3.sum(axis=1) @ (np.arange(GRID.nr) + 0.5)))
    assert 0.5 < gpu["inner"] < 1.0
    assert abs(gpu["inner"] - cpu_inner) <= 4.0 * gpu["inner_stderr"] + 0.002, (gpu["inner"], cpu_inner)


def test_slab_tolerance_would_catch_a_wrong_g(simulated):
    """The slab's statistical tolerance (about 0.02 in Rd) is tighter than the change of g 0.75 -> 0.65
    (Rd 0.097 -> about 0.145)."""
    slab = simulated["stat"]["slab"]
    wrong_g = LayerStack(n_above=1.0, n_below=1.0, layers=[
        Layer(n=1.0, mua_per_cm=10.0, mus_per_cm=90.0, g=0.65, thickness_mm=0.2)])
    shifted = mc.run_mc(wrong_g, 200_000, seed=8, threads=1)
    tolerance = combined(slab["stderr"]["diffuse_reflectance"], shifted.stderr["diffuse_reflectance"])
    assert abs(shifted.diffuse_reflectance - VAN_DE_HULST_RD) > tolerance


@pytest.mark.slow
def test_stack_tolerance_would_catch_a_missing_fresnel_step(simulated_slow):
    """The three-layer stack's tolerance (about 0.012 in Rd) is tighter than the change of index-matched
    interfaces, i.e. no Fresnel step (Rd 0.026 -> 0.063)."""
    stack = simulated_slow["stat"]["mismatch flat beam"]
    matched = mc.run_mc(mismatched_stack(n=(1.0, 1.0, 1.0)), 100_000, seed=9, beam=Beam(kind="flat", radius_mm=1.0),
                        grid=GRID, threads=1)
    tolerance = combined(stack["stderr"]["diffuse_reflectance"], matched.stderr["diffuse_reflectance"])
    assert abs(matched.diffuse_reflectance - stack["value"]["diffuse_reflectance"]) > tolerance


if __name__ == "__main__":
    print(json.dumps(_simulate(sys.argv[1])))
