"""The voxel Monte Carlo against the layered kernel, diffusion theory and MCX's own benchmark figures."""

from __future__ import annotations

import math

import numpy as np
import pytest

from photodose.errors import PhotodoseInputError
from photodose.transport.voxel import LabelOptics, VoxelSource, layered_volume, run_voxel_mc
from photodose.transport.voxel_validation import (CUBE60_CASES, PENCIL_DOWN, cube60, point_source_vs_diffusion,
                                                  slab_phi_z_scores, two_layer_slab)

@pytest.fixture(scope="module")
def two_layer_runs():
    """A two-layer slab (0.5 mm + 1.0 mm, n 1.4 / 1.37, in air) traced by both kernels, 1e5 photons each."""
    return two_layer_slab(100_000, seed=11)


def test_voxel_energy_is_conserved(two_layer_runs):
    _, voxel = two_layer_runs
    assert voxel.energy_balance_error() < 1e-10
    assert voxel.missed == 0.0


def test_voxelised_slab_matches_the_layered_kernel_within_3_standard_errors(two_layer_runs):
    layered, voxel = two_layer_runs
    assert voxel.specular == pytest.approx(layered.specular, abs=1e-12)   # (1.4-1)^2/(2.4)^2 both
    lateral = sum(voxel.escaped_by_face[f] for f in ("-x", "+x", "-y", "+y"))
    assert lateral < 1e-3   # the voxel slab is 30 mm wide; the layered one is infinite
    pairs = [(layered.diffuse_reflectance, layered.stderr["diffuse_reflectance"], voxel.escaped_by_face["-z"],
              voxel.stderr["escaped_by_face"]["-z"]),
             (layered.transmittance, layered.stderr["transmittance"], voxel.escaped_by_face["+z"],
              voxel.stderr["escaped_by_face"]["+z"]),
             (layered.absorbed, layered.stderr["absorbed"], voxel.absorbed, voxel.stderr["absorbed"])]
    for a, sa, b, sb in pairs:
        assert abs(a - b) <= 3 * math.hypot(sa, sb) + lateral
    for i in (0, 1):
        assert voxel.absorbed_by_label[i + 1] == pytest.approx(layered.layer_absorbed[i], abs=3 * math.hypot(
            layered.stderr["layer_absorbed"][i], voxel.stderr["absorbed_by_label"][i + 1]) + lateral)


def test_voxelised_slab_phi_of_z_matches_the_layered_kernel(two_layer_runs):
    z, relative = slab_phi_z_scores(*two_layer_runs)
    assert np.max(np.abs(z)) < 4.0            # 15 slices: no slice beyond 4 standard errors
    assert np.mean(z ** 2) < 3.0              # and no systematic offset (chi^2 per slice)
    assert np.max(np.abs(relative)) < 0.03


def test_isotropic_point_source_matches_diffusion_theory_far_from_the_source():
    """Infinite-medium diffusion, phi(r) = exp(-mu_eff r) / (4 pi D r), D = 1/(3 (mua + mus')): the shell means
    of the voxel fluence 4 to 9 transport mean free paths out (the infinite-medium Green's function of
    Farrell, Patterson & Wilson 1992); the 40 mm cube (index-matched, 1 mm voxels) has its walls 8 diffusion
    lengths out,
    so its boundary changes the fluence at these radii by < 0.1 %."""
    for _, mc, theory in point_source_vs_diffusion(20_000, seed=2):
        assert mc == pytest.approx(theory, rel=0.04)


@pytest.mark.parametrize("case, source, n_outside, window", CUBE60_CASES)
def test_mcx_cube60_benchmark_absorbed_fraction(case, source, n_outside, window):
    """MCX's regression test (fangq/mcx test/testmcx.sh) greps these absorbed fractions from its built-in
    cube60 benchmark (60 mm cube, 1 mm voxels, mua 0.005/mm, mus 1/mm, g 0.01, n 1.37): 17.x % for the pencil
    beam without reflection at the boundary, 27.x % with it (-b 1), 88.x % for an isotropic source at the
    centre. MCX's 5 ns time gate leaves < 0.1 % of the weight in flight at these coefficients."""
    result = cube60(source, n_outside, 10_000, seed=1)
    low, high = window
    assert low <= result.absorbed < high, (case, result.absorbed, result.stderr["absorbed"])


def test_voxel_results_identical_across_thread_counts():
    import numba

    volume = layered_volume([1.0, None], lateral_mm=10.0, voxel_mm=0.5, depth_mm=5.0)
    optics = LabelOptics(mua_per_cm=(0.0, 1.0, 0.3), mus_per_cm=(0.0, 80.0, 60.0), g=(0.0, 0.9, 0.9),
                         n=(1.0, 1.4, 1.4))
    source = VoxelSource("gaussian", ((0.0, 0.0, -2.0),), ((0.0, 0.0, 1.0),), radius_mm=1.0)
    runs = [run_voxel_mc(volume, optics, source, 4000, seed=9, threads=t)
            for t in sorted({1, numba.config.NUMBA_NUM_THREADS})]
    for other in runs[1:]:
        assert np.array_equal(other.absorbed_per_voxel, runs[0].absorbed_per_voxel)
        assert other.escaped_by_face == runs[0].escaped_by_face


def test_emitter_pointing_away_misses():
    volume = layered_volume([2.0], lateral_mm=10.0, voxel_mm=0.5)
    optics = LabelOptics(mua_per_cm=(0.0, 1.0), mus_per_cm=(0.0, 10.0), g=(0.0, 0.0), n=(1.0, 1.4))
    away = VoxelSource("emitters", ((0.0, 0.0, -1.0),), ((0.0, 0.0, -1.0),), lambertian_order_m=(1.0,))
    assert run_voxel_mc(volume, optics, away, 200, seed=1).missed == 1.0


@pytest.mark.parametrize("order_m", [0.0, 1.0, 6.0])
def test_cos_m_emitter_specular_matches_the_fresnel_average_over_its_pattern(order_m):
    """An emitter of pattern I ~ cos^m on a flat n = 1.4 surface: the specular share is the Fresnel reflectance
    averaged over the emitted directions, R = int R(theta) (m+1) cos^m(theta) sin(theta) dtheta (an independent
    quadrature of the textbook s/p Fresnel formulas)."""
    from test_transport_mc_beams import fresnel_unpolarised

    volume = layered_volume([2.0], lateral_mm=200.0, voxel_mm=1.0)
    optics = LabelOptics(mua_per_cm=(0.0, 1.0), mus_per_cm=(0.0, 10.0), g=(0.0, 0.0), n=(1.0, 1.4))
    source = VoxelSource("emitters", ((0.0, 0.0, -0.001),), ((0.0, 0.0, 1.0),), lambertian_order_m=(order_m,))
    result = run_voxel_mc(volume, optics, source, 20_000, seed=3)
    theta = np.linspace(0.0, math.pi / 2, 20_001)[:-1] + math.pi / 4 / 20_000
    weights = (order_m + 1) * np.cos(theta) ** order_m * np.sin(theta) * (math.pi / 2 / 20_000)
    expected = sum(w * fresnel_unpolarised(1.0, 1.4, math.cos(t)) for t, w in zip(theta[::20], weights[::20] * 20))
    assert result.missed < 1e-3
    assert result.specular == pytest.approx(expected, abs=4 * result.stderr["specular"] + 1e-4)


@pytest.mark.parametrize("kwargs, field", [
    ({"photons": 0}, "photons"),
    ({"seed": -1}, "seed"),
    ({"n_outside": 0.5}, "n_outside"),
])
def test_voxel_bad_input_names_the_field(kwargs, field):
    volume = layered_volume([1.0], lateral_mm=4.0, voxel_mm=1.0)
    optics = LabelOptics(mua_per_cm=(0.0, 1.0), mus_per_cm=(0.0, 10.0), g=(0.0, 0.0), n=(1.0, 1.4))
    args = {"photons": 10, "seed": 1, "n_outside": 1.0} | kwargs
    with pytest.raises(PhotodoseInputError) as err:
        run_voxel_mc(volume, optics, PENCIL_DOWN, **args)
    assert err.value.field == field


def test_batches_run_apart_and_merged_equal_the_single_run_bit_for_bit():
    """The Dask split: each batch traced alone from (seed, batch index), merged in any order."""
    from photodose.transport.voxel import merge_voxel_batches, run_voxel_batch, voxel_batch_sizes

    volume = layered_volume([1.0, None], lateral_mm=10.0, voxel_mm=0.5, depth_mm=5.0)
    optics = LabelOptics(mua_per_cm=(0.0, 1.0, 0.3), mus_per_cm=(0.0, 80.0, 60.0), g=(0.0, 0.9, 0.9),
                         n=(1.0, 1.4, 1.4))
    regions = {"top": volume.labels == 1}
    single = run_voxel_mc(volume, optics, PENCIL_DOWN, 3000, seed=5, batches=4, regions=regions)
    sizes = voxel_batch_sizes(3000, 4)
    parts = [run_voxel_batch(volume, optics, PENCIL_DOWN, n, 5, b, regions=regions) for b, n in enumerate(sizes)]
    merged = merge_voxel_batches(parts[::-1], volume, optics, PENCIL_DOWN, 5, regions=regions)
    assert np.array_equal(merged.absorbed_per_voxel, single.absorbed_per_voxel)
    assert merged.region_fluence_per_cm2 == single.region_fluence_per_cm2
    assert merged.stderr["absorbed"] == single.stderr["absorbed"]


def test_voxel_run_split_on_dask_equals_the_threaded_run(dask_cluster_client):
    from photodose.scale.voxel_distributed import run_voxel_on_client

    volume = layered_volume([1.0, None], lateral_mm=10.0, voxel_mm=0.5, depth_mm=5.0)
    optics = LabelOptics(mua_per_cm=(0.0, 1.0, 0.3), mus_per_cm=(0.0, 80.0, 60.0), g=(0.0, 0.9, 0.9),
                         n=(1.0, 1.4, 1.4))
    regions = {"top": volume.labels == 1}
    threaded = run_voxel_mc(volume, optics, PENCIL_DOWN, 4000, seed=8, batches=6, regions=regions)
    split = run_voxel_on_client(dask_cluster_client, volume, optics, PENCIL_DOWN, 4000, seed=8, batches=6,
                                regions=regions)
    assert np.array_equal(split.absorbed_per_voxel, threaded.absorbed_per_voxel)
    assert split.region_absorbed == threaded.region_absorbed
