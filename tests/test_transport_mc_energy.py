"""Energy bookkeeping on random stacks, beams and incidences: Rsp + Rd + A + Tt = 1 + roulette net weight."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from photodose.transport.beams import Beam, Incidence
from photodose.optics.layers import Layer, LayerStack
from photodose.transport.montecarlo import run_mc
from photodose.transport.result import Grid

layers = st.builds(
    lambda n, mua, mus, g, d, glass: Layer(n=n, mua_per_cm=0.0 if glass else mua, mus_per_cm=0.0 if glass else mus,
                                           g=g, thickness_mm=d),
    n=st.floats(1.0, 1.7), mua=st.floats(0.0, 20.0), mus=st.floats(0.0, 300.0), g=st.floats(-0.9, 0.95),
    d=st.floats(0.005, 2.0), glass=st.booleans())
beams = st.sampled_from([Beam(), Beam(kind="flat", radius_mm=0.5), Beam(kind="gaussian", radius_mm=1.0),
                         Beam(kind="wide")])
incidences = st.sampled_from([Incidence(), Incidence(kind="cone", half_angle_deg=30),
                              Incidence(kind="cone", half_angle_deg=90), Incidence(kind="lambertian")])


@pytest.mark.parametrize("kernel", ["simd", pytest.param("scalar", marks=pytest.mark.slow)])   # CI runs both
@settings(max_examples=25, deadline=None, derandomize=True)
@given(stack_layers=st.lists(layers, min_size=1, max_size=4), semi_infinite=st.booleans(),
       n_above=st.floats(1.0, 1.6), n_below=st.floats(1.0, 1.6), beam=beams, incidence=incidences,
       seed=st.integers(0, 2**40))
def test_energy_is_conserved_and_tallies_are_finite(stack_layers, semi_infinite, n_above, n_below, beam, incidence,
                                                     seed, kernel):
    if semi_infinite:   # a semi-infinite last layer must absorb, or a photon may walk for ever
        last = stack_layers[-1]
        stack_layers[-1] = last.model_copy(update={"thickness_mm": None, "mua_per_cm": max(last.mua_per_cm, 1.0)})
    stack = LayerStack(n_above=n_above, n_below=n_below, layers=stack_layers)
    result = run_mc(stack, 300, seed=seed, beam=beam, incidence=incidence, grid=Grid(nz=20, nr=10, na=6),
                    kernel=kernel)
    assert result.energy_balance_error() < 1e-9
    for value in (result.specular, result.diffuse_reflectance, result.absorbed, result.transmittance):
        assert 0.0 <= value <= 1.0 + abs(result.roulette_net_weight) + 1e-12
    assert np.all(np.isfinite(result.absorbed_z_per_cm)) and np.all(result.absorbed_z_per_cm >= 0)
    assert math.isclose(result.layer_absorbed.sum(), result.absorbed, rel_tol=1e-12, abs_tol=1e-15)
    if semi_infinite:   # an absorbing half-space keeps everything that enters it
        assert result.transmittance == 0.0
