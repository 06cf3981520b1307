"""The photon-parallel kernel (simd) against the scalar reference walk: same physics, different random order.

Equal in distribution, not bit for bit: every tally is compared within 4 combined batch standard errors, and the
depth and radial profiles bin by bin with a chi-square test. Reproducibility (seed, threads, Dask-style batch
splits) holds for each kernel on its own.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from photodose.errors import PhotodoseInputError
from photodose.optics.layers import Layer, LayerStack
from photodose.transport import _kernel_lanes
from photodose.transport._rng import as_uint64
from photodose.transport.beams import Beam, Incidence
from photodose.transport.montecarlo import merge_batches, resolve_kernel, run_batch, run_mc
from photodose.transport.result import Grid

# three layers with index steps both ways, an absorbing semi-infinite base (the shape of a skin stack at 850 nm)
STACK = LayerStack(n_above=1.0, n_below=1.0, layers=[
    Layer(name="epidermis", n=1.34, mua_per_cm=4.0, mus_per_cm=300.0, g=0.8, thickness_mm=0.1),
    Layer(name="dermis", n=1.40, mua_per_cm=0.5, mus_per_cm=180.0, g=0.85, thickness_mm=1.5),
    Layer(name="fat", n=1.44, mua_per_cm=1.0, mus_per_cm=120.0, g=0.9, thickness_mm=None)])
GRID = Grid(dz_mm=0.25, nz=24, dr_mm=0.25, nr=20, na=5)


def _pair(photons, beam=Beam(), incidence=Incidence()):
    return [run_mc(STACK, photons, seed=21, beam=beam, incidence=incidence, grid=GRID, kernel=k, batches=32)
            for k in ("simd", "scalar")]


def _assert_same(a, b, value_a, value_b, se_a, se_b, what):
    combined = float(np.hypot(se_a, se_b))
    assert abs(value_a - value_b) <= 4.0 * combined + 1e-12, f"{what}: simd {value_a} vs scalar {value_b} +- {combined}"


@pytest.mark.parametrize("beam, incidence", [(Beam(), Incidence()),
                                             (Beam(kind="gaussian", radius_mm=1.0), Incidence(kind="lambertian"))])
def test_totals_and_layers_agree_with_the_scalar_walk(beam, incidence):
    simd, scalar = _pair(40_000, beam, incidence)
    assert simd.extra["kernel"] == "simd" and scalar.extra["kernel"] == "scalar"
    assert simd.specular == pytest.approx(scalar.specular, abs=3e-3)   # exact for collimated; sampled for oblique
    for key in ("diffuse_reflectance", "transmittance", "absorbed"):
        _assert_same(simd, scalar, getattr(simd, key), getattr(scalar, key), simd.stderr[key], scalar.stderr[key], key)
    for i in range(len(STACK.layers)):
        _assert_same(simd, scalar, simd.layer_absorbed[i], scalar.layer_absorbed[i],
                     simd.stderr["layer_absorbed"][i], scalar.stderr["layer_absorbed"][i], f"layer {i}")
    for result in (simd, scalar):
        assert result.energy_balance_error() < 1e-9


def test_depth_and_radial_profiles_agree_bin_by_bin():
    """Chi-square of the simd - scalar differences of A(z) (per-batch standard errors) and Rd(r): a systematic
    error in the hop, the boundary or the spin shows as a p-value near zero."""
    simd, scalar = _pair(40_000)
    diff = simd.absorbed_z_per_cm - scalar.absorbed_z_per_cm
    mua = simd.mua_at_depth_per_cm()
    se = np.hypot(simd.fluence_z_stderr, scalar.fluence_z_stderr) * mua
    keep = (se > 0) & np.isfinite(se)
    chi2 = float(np.sum((diff[keep] / se[keep]) ** 2))
    assert stats.chi2.sf(chi2, int(keep.sum())) > 1e-3, f"A(z) chi2 {chi2:.1f} over {int(keep.sum())} bins"
    # Rd(r): counts per ring are near-Poisson in photons; compare the two histograms as a 2 x k table
    rd = np.vstack([simd.rd_r_per_cm2, scalar.rd_r_per_cm2])[:, :-1]
    ring = np.arange(rd.shape[1]) + 0.5
    dr_cm = GRID.dr_mm / 10.0
    weight = rd * 2.0 * np.pi * dr_cm * dr_cm * ring * 40_000   # the escaped weight counted in each ring
    rows = weight[:, weight.min(axis=0) > 50]
    _, p_value, _, _ = stats.chi2_contingency(rows)
    assert p_value > 1e-3


def test_a_run_is_the_same_for_any_thread_count_and_any_split():
    one = run_mc(STACK, 6_000, seed=5, grid=GRID, threads=1, batches=6, kernel="simd")
    two = run_mc(STACK, 6_000, seed=5, grid=GRID, threads=2, batches=6, kernel="simd")
    assert np.array_equal(one.absorbed_z_per_cm, two.absorbed_z_per_cm)
    assert one.diffuse_reflectance == two.diffuse_reflectance
    split = merge_batches([run_batch(STACK, 1_000, 5, b, grid=GRID, kernel="simd") for b in range(6)])
    assert np.array_equal(split.absorbed_z_per_cm, one.absorbed_z_per_cm)
    assert split.extra["scattering_events"] == one.extra["scattering_events"] > 0


def test_batches_of_different_kernels_are_not_merged():
    with pytest.raises(PhotodoseInputError, match="kernel"):
        merge_batches([run_batch(STACK, 200, 5, 0, grid=GRID, kernel="simd"),
                       run_batch(STACK, 200, 5, 1, grid=GRID, kernel="scalar")])


def test_lanes_draw_from_distinct_streams():
    states = _kernel_lanes.lane_states(as_uint64(3), as_uint64(0)).reshape(4, _kernel_lanes.LANES)
    assert len({tuple(states[:, j]) for j in range(_kernel_lanes.LANES)}) == _kernel_lanes.LANES
    other_batch = _kernel_lanes.lane_states(as_uint64(3), as_uint64(1)).reshape(4, _kernel_lanes.LANES)
    assert not np.any(np.all(states == other_batch, axis=0))


def test_kernel_choice_is_checked():
    assert resolve_kernel("auto") in ("simd", "gpu")
    assert resolve_kernel("SCALAR") == "scalar"
    with pytest.raises(PhotodoseInputError, match="did you mean 'simd'"):
        resolve_kernel("simdd")
