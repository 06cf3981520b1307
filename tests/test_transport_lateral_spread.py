"""The lateral spread of a narrow beam's absorbed light (``photodose.transport.lateral_spread``), and its use by the
heating check: exact on a synthetic disc, the no-scattering limit, growth with depth, and the gate's wiring."""

import numpy as np
import pytest

from photodose.optics.layers import Layer, LayerStack
from photodose.optics.sites import body_stack
from photodose.transport.lateral_spread import BAND_EDGES_MM, SPREAD_GRID, band_spread_mm, lateral_spread


def test_a_uniform_disc_of_absorbed_power_has_its_own_radius_as_spread():
    """A top hat of radius 2 mm at every depth: s = sqrt(2 <r^2>) = 2 mm (0.2 mm rings: within 0.5 %)."""
    g = SPREAD_GRID
    r = (np.arange(g.nr) + 0.5) * g.dr_mm
    tally = np.zeros((g.nr, g.nz))
    tally[r < 2.0, :] = 7.0      # per unit volume, any units
    mids, spread = band_spread_mm(tally, g)
    assert mids.tolist() == [0.5 * (a + b) for a, b in zip(BAND_EDGES_MM[:-1], BAND_EDGES_MM[1:])]
    assert spread == pytest.approx(2.0, rel=5e-3)


def test_without_scattering_a_pencil_beam_stays_on_its_axis():
    clear = LayerStack(n_above=1.0, n_below=1.0,
                       layers=[Layer(name="absorber", n=1.0, mua_per_cm=0.5, mus_per_cm=1e-6, g=0.0,
                                     thickness_mm=None)])
    result = lateral_spread(clear, photons=2000, seed=3)
    assert max(result.spread_mm) < 2 * SPREAD_GRID.dr_mm   # all in the first ring: s = 0.05 sqrt(2)


def test_in_skin_the_spread_grows_with_depth_and_is_millimetres_at_the_surface():
    spread = lateral_spread(body_stack("forearm", 810, "IV"), photons=20_000, seed=1)
    s = np.array(spread.spread_mm)
    assert np.all(np.diff(s) > 0)
    assert 2.0 < s[0] < 6.0 and s[-1] > 10.0      # mm: a few at the skin, centimetres deep down
    assert spread.at([0.0])[0] == s[0] and spread.at([100.0])[0] == s[-1]   # held beyond the ends


def test_the_safety_gate_gives_a_contact_laser_its_monte_carlo_spread_and_a_panel_none():
    from photodose.devices.catalog import load_device
    from photodose.planning.safety_link import session_context

    laser = session_context(load_device("generic-laser-probe-808"), site="elbow", distance_mm=0.5,
                            session_seconds=60.0)
    assert laser.heat_source.lateral_spread_mm is not None
    assert len(laser.heat_source.lateral_spread_mm) == len(laser.heat_source.depth_mm)
    assert 1.0 < laser.heat_source.lateral_spread_mm[0] < 6.0
    panel = session_context(load_device("joovv-solo-3"), site="knee", distance_mm=152.4, session_seconds=600.0)
    assert panel.heat_source.lateral_spread_mm is None


def test_the_spread_is_cached_on_disk_and_read_back_the_same(private_planning_cache):
    stack = body_stack("hand", 685, "II")
    first = lateral_spread(stack, photons=2000, seed=9)
    again = lateral_spread(stack, photons=2000, seed=9)
    assert not first.cached and again.cached
    assert again.spread_mm == first.spread_mm and again.depth_mm == first.depth_mm
    assert not lateral_spread(stack, photons=2000, seed=10).cached     # the seed is part of the key
