"""Finite-beam ratio phi_axis / phi_wide (photodose.transport.finite_beam) against its limits and conservation.

References: a beam much wider than the diffusion length 1/mu_eff looks infinite from its axis (ratio 1); light
lost sideways grows with depth and shrinks with beam radius; where absorption dominates scattering the fluence
near the surface is the unscattered beam, identical under both beams (ratio 1 at z -> 0); MCML energy balance.
"""

import math

import numpy as np
import pytest

from photodose.errors import PhotodoseInputError
from photodose.transport import montecarlo
from photodose.transport.finite_beam import beam_axis_ratio
from photodose.optics.layers import Layer, LayerStack

# forearm-like: thin epidermis over dermis over a semi-infinite fat-like layer (order-of-magnitude NIR values,
# a test medium, not a tissue model); mu_eff of the dermis = sqrt(3 x 0.3 x (0.3 + 15)) = 3.7 /cm -> 2.7 mm
FOREARM = LayerStack(n_above=1.0, n_below=1.4, layers=[
    Layer(name="epidermis", n=1.4, mua_per_cm=2.0, mus_per_cm=200.0, g=0.9, thickness_mm=0.1),
    Layer(name="dermis", n=1.4, mua_per_cm=0.3, mus_per_cm=150.0, g=0.9, thickness_mm=2.0),
    Layer(name="fat", n=1.4, mua_per_cm=0.3, mus_per_cm=120.0, g=0.9, thickness_mm=None),
])
# absorption-dominated (albedo 0.2): the near-surface fluence is the collimated beam itself
ABSORBER = LayerStack(n_above=1.0, n_below=1.0, layers=[
    Layer(name="absorber", n=1.0, mua_per_cm=40.0, mus_per_cm=10.0, g=0.9, thickness_mm=None)])
PROBE_RADIUS_MM = math.sqrt(1.0 / math.pi) * 10.0     # 1 cm2 disc


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_CACHE_DIR", str(tmp_path / "cache"))


def test_a_beam_much_wider_than_the_diffusion_length_is_a_wide_beam():
    fb = beam_axis_ratio(FOREARM, 50.0, [1.0, 2.0, 5.0], photons=40_000)
    assert np.all(fb.stderr > 0) and np.all(fb.stderr < 0.1)
    assert np.all(np.abs(fb.ratio - 1.0) < 4 * fb.stderr), (fb.ratio, fb.stderr)


def test_ratio_falls_with_depth_and_rises_with_radius():
    deep = beam_axis_ratio(FOREARM, PROBE_RADIUS_MM, [0.5, 2.5, 5.0], photons=60_000)
    assert np.all(np.diff(deep.ratio) < -3 * np.hypot(deep.stderr[1:], deep.stderr[:-1])), deep
    radii = [beam_axis_ratio(FOREARM, r, [5.0], photons=20_000) for r in (2.0, PROBE_RADIUS_MM, 15.0)]
    ratios = np.array([fb.ratio[0] for fb in radii])
    errors = np.array([fb.stderr[0] for fb in radii])
    assert np.all(np.diff(ratios) > 3 * np.hypot(errors[1:], errors[:-1])), (ratios, errors)
    assert ratios[-1] < 1 + 4 * errors[-1]


def test_ratio_tends_to_one_at_the_surface_where_the_collimated_beam_dominates():
    fb = beam_axis_ratio(ABSORBER, 2.0, [0.05], photons=20_000)
    assert abs(fb.ratio[0] - 1.0) < max(4 * fb.stderr[0], 0.02), fb


def test_the_flat_beam_run_conserves_energy():
    fb = beam_axis_ratio(FOREARM, PROBE_RADIUS_MM, [3.0], photons=5_000)
    assert fb.energy_balance_error < 1e-9


def test_second_call_comes_from_the_disk_cache(monkeypatch):
    first = beam_axis_ratio(FOREARM, 3.0, [1.0, 4.0], photons=5_000, seed=7)
    assert not first.cached

    def refuse(*args, **kwargs):
        raise AssertionError("the Monte Carlo kernel ran on a cached question")

    monkeypatch.setattr(montecarlo, "run_mc", refuse)
    monkeypatch.setattr(montecarlo, "run_batch", refuse)
    second = beam_axis_ratio(FOREARM, 3.0, [1.0, 4.0], photons=5_000, seed=7)
    assert second.cached
    np.testing.assert_array_equal(second.ratio, first.ratio)
    np.testing.assert_array_equal(second.stderr, first.stderr)
    with pytest.raises(AssertionError):          # a different key (seed) is not served from the cache
        beam_axis_ratio(FOREARM, 3.0, [1.0, 4.0], photons=5_000, seed=8)


@pytest.mark.parametrize("field, kwargs", [("radius_mm", {"radius_mm": 0.0}), ("depth_mm", {"depth_mm": [-1.0]}),
                                           ("photons", {"photons": 10})])
def test_bad_input_is_refused_with_its_field(field, kwargs):
    args = dict(radius_mm=5.0, depth_mm=[1.0], photons=5_000) | kwargs
    with pytest.raises(PhotodoseInputError) as err:
        beam_axis_ratio(FOREARM, **args)
    assert err.value.field == field
