"""One scattering walk reweighted for several absorption values (``transport.reweight``) against separate runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from photodose.errors import PhotodoseInputError
from photodose.optics.layers import Layer, LayerStack
from photodose.transport.beams import Beam
from photodose.transport.montecarlo import run_mc
from photodose.transport.result import Grid
from photodose.transport.reweight import reference_mua_per_cm, run_mc_absorption_set

GRID = Grid(dz_mm=0.1, nz=40, dr_mm=1.0, nr=1, na=1)
EPIDERMIS_MUA_PER_CM = (1.0, 10.0, 40.0)   # a fair-to-dark spread of melanin absorption (factor 40)


def skin(epidermis_mua_per_cm: float) -> LayerStack:
    """Epidermis (the absorption that varies), dermis, semi-infinite subcutis; moderate absorption keeps walks short."""
    return LayerStack(n_above=1.0, n_below=1.4, layers=[
        Layer(name="epidermis", n=1.4, mua_per_cm=epidermis_mua_per_cm, mus_per_cm=200.0, g=0.8, thickness_mm=0.1),
        Layer(name="dermis", n=1.4, mua_per_cm=1.0, mus_per_cm=100.0, g=0.8, thickness_mm=1.0),
        Layer(name="subcutis", n=1.4, mua_per_cm=0.5, mus_per_cm=80.0, g=0.8, thickness_mm=None)])


STACKS = [skin(m) for m in EPIDERMIS_MUA_PER_CM]


def _agree(shared, separate) -> None:
    """Rd and absorbed per layer within 4 combined standard errors; phi(z) bins with mean squared z-score < 2."""
    for name in ("diffuse_reflectance", "absorbed"):
        d = getattr(shared, name) - getattr(separate, name)
        assert abs(d) < 4 * math.hypot(shared.stderr[name], separate.stderr[name]), name
    d = shared.layer_absorbed - separate.layer_absorbed
    assert np.all(np.abs(d) < 4 * np.hypot(shared.stderr["layer_absorbed"], separate.stderr["layer_absorbed"]))
    bins = slice(0, GRID.nz - 1)   # the last bin collects everything deeper
    z = ((shared.fluence_per_irradiance - separate.fluence_per_irradiance)
         / np.hypot(shared.fluence_z_stderr, separate.fluence_z_stderr))[bins]
    assert np.all(np.isfinite(z))
    assert np.mean(z ** 2) < 2.0   # expectation 1; a 5 % bias in phi at these errors gives about 3


@pytest.fixture(scope="module")
def separate():
    return [run_mc(s, 4000, seed=3, beam=Beam(kind="wide"), grid=GRID, threads=1) for s in STACKS]


@pytest.mark.parametrize("reference", ["smallest", "largest"])
def test_shared_walk_equals_separate_runs_within_standard_errors(separate, reference):
    ref = reference_mua_per_cm(STACKS) if reference == "smallest" else STACKS[-1].arrays()["mua"]
    shared = run_mc_absorption_set(STACKS, 4000, seed=11, grid=GRID, reference_mua=ref)
    for s, r in zip(shared, separate):
        _agree(s, r)
    # the answer moves the right way with melanin: less light deeper for a darker epidermis
    phi_1mm = [r.fluence_per_irradiance[10] for r in shared]
    assert phi_1mm[0] > phi_1mm[1] > phi_1mm[2]


def test_one_target_at_its_own_absorption_is_the_default_kernel_run():
    """Nothing to reweight: the walk, streams and tallies are run_mc's photon-parallel kernel's, to rounding."""
    stack = STACKS[1]
    [shared] = run_mc_absorption_set([stack], 2000, seed=7, grid=GRID)
    alone = run_mc(stack, 2000, seed=7, beam=Beam(kind="wide"), grid=GRID, threads=1, kernel="simd")
    assert shared.extra["scattering_events"] == alone.extra["scattering_events"]
    np.testing.assert_allclose(shared.fluence_per_irradiance, alone.fluence_per_irradiance, rtol=1e-12)
    np.testing.assert_allclose(shared.layer_absorbed, alone.layer_absorbed, rtol=1e-12)
    assert shared.diffuse_reflectance == pytest.approx(alone.diffuse_reflectance, rel=1e-12)


def test_energy_bookkeeping_is_exact_for_every_target():
    # reference in the middle: one target with weight ratios > 1, one with ratios < 1
    results = run_mc_absorption_set(STACKS, 2000, seed=5, grid=GRID, reference_mua=STACKS[1].arrays()["mua"])
    for r in results:
        assert r.energy_balance_error() < 1e-12
        assert r.extra["kernel"] == "reweight"
        assert abs(r.roulette_net_weight) < 0.05


def test_non_scattering_slab_gives_beer_lambert_exactly():
    """A clear absorbing slab, index-matched, walked at mua = 0: Tt = exp(-mua d) to rounding, no variance."""
    d_mm = 2.0
    stacks = [LayerStack(n_above=1.0, n_below=1.0, layers=[
        Layer(name="filter", n=1.0, mua_per_cm=m, mus_per_cm=0.0, g=0.0, thickness_mm=d_mm)]) for m in (0.0, 1.0, 5.0)]
    results = run_mc_absorption_set(stacks, 100, seed=1, grid=GRID)
    for stack, r in zip(stacks, results):
        expected = math.exp(-stack.layers[0].mua_per_cm * d_mm / 10.0)
        assert r.transmittance == pytest.approx(expected, rel=1e-12)
        assert r.absorbed == pytest.approx(1.0 - expected, rel=1e-12, abs=1e-15)
        assert r.diffuse_reflectance == 0.0


def test_refuses_stacks_that_differ_in_scattering():
    other = STACKS[0].model_copy(update={"layers": [STACKS[0].layers[0].model_copy(update={"mus_per_cm": 150.0}),
                                                    *STACKS[0].layers[1:]]})
    with pytest.raises(PhotodoseInputError, match=r"stacks\[1\]"):
        run_mc_absorption_set([STACKS[0], other], 100, grid=GRID)
    with pytest.raises(PhotodoseInputError, match="reference_mua"):
        run_mc_absorption_set(STACKS, 100, grid=GRID, reference_mua=[1.0, -1.0, 0.5])
    with pytest.raises(PhotodoseInputError, match="stacks"):
        run_mc_absorption_set([], 100, grid=GRID)
