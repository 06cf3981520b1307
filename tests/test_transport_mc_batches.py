"""Random streams, batching, reproducibility, thread independence and input checks of the Monte Carlo kernel."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from photodose.errors import PhotodoseInputError
from photodose.transport._rng import as_uint64, next_pair, next_uniform, seed_state
from photodose.transport.beams import Beam
from photodose.transport.montecarlo import batch_sizes, merge_batches, run_batch, run_mc
from photodose.transport.result import Grid

from test_transport_mc_references import VAN_DE_HULST, slab

MASK = (1 << 64) - 1
TISSUE = slab(1.4, 2.0, 100.0, 0.8, 1.0)
SMALL_GRID = Grid(dz_mm=0.1, nz=20, dr_mm=0.1, nr=20, na=10)


def xoshiro256starstar_reference(state, count, raw=False):
    """Straight transcription of Blackman & Vigna's xoshiro256** 1.0 C code in Python integers."""
    s = list(state)
    rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK
    out = []
    for _ in range(count):
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        out.append(result if raw else ((result >> 11) + 0.5) / 2**53)
    return out


def test_xoshiro_matches_reference_transcription():
    state = seed_state(as_uint64(7), as_uint64(3))
    expected = xoshiro256starstar_reference([int(v) for v in state], 50)
    got = []
    for _ in range(50):   # from Python the state comes back as int: re-wrap it as uint64 as the kernel keeps it
        u, *state = next_uniform(*(np.uint64(v) for v in state))
        got.append(u)
    assert got == expected
    assert all(0.0 < u < 1.0 for u in got)


def test_pair_draw_splits_one_output_into_two_halves():
    state = seed_state(as_uint64(7), as_uint64(3))
    raw = xoshiro256starstar_reference([int(v) for v in state], 20, raw=True)
    for r in raw:
        a, b, *state = next_pair(*(np.uint64(v) for v in state))
        assert (a, b) == (((r >> 32) + 0.5) / 2**31 - 1, ((r & 0xFFFFFFFF) + 0.5) / 2**31 - 1)
        assert -1 < a < 1 and -1 < b < 1


def test_batch_streams_differ():
    states = {tuple(int(v) for v in seed_state(as_uint64(seed), as_uint64(b))) for seed in (0, 1, 2) for b in range(50)}
    assert len(states) == 150


def test_same_seed_same_numbers_and_other_seed_differs():
    a = run_mc(TISSUE, 4000, seed=5, beam=Beam(kind="gaussian", radius_mm=0.5), grid=SMALL_GRID)
    b = run_mc(TISSUE, 4000, seed=5, beam=Beam(kind="gaussian", radius_mm=0.5), grid=SMALL_GRID)
    c = run_mc(TISSUE, 4000, seed=6, beam=Beam(kind="gaussian", radius_mm=0.5), grid=SMALL_GRID)
    assert a.diffuse_reflectance == b.diffuse_reflectance
    np.testing.assert_array_equal(a.absorbed_rz_per_cm3, b.absorbed_rz_per_cm3)
    np.testing.assert_array_equal(a.rd_ra, b.rd_ra)
    assert a.diffuse_reflectance != c.diffuse_reflectance
    for r in (a, b, c):
        assert r.energy_balance_error() < 1e-9


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs 2 numba threads")
def test_thread_count_does_not_change_results():
    one = run_mc(TISSUE, 3000, seed=9, threads=1, grid=SMALL_GRID)
    two = run_mc(TISSUE, 3000, seed=9, threads=2, grid=SMALL_GRID)
    assert one.extra["threads"] == 1 and two.extra["threads"] == 2
    for key in ("specular", "diffuse_reflectance", "absorbed", "transmittance", "roulette_net_weight"):
        assert getattr(one, key) == getattr(two, key)
    np.testing.assert_array_equal(one.absorbed_rz_per_cm3, two.absorbed_rz_per_cm3)
    np.testing.assert_array_equal(one.layer_absorbed, two.layer_absorbed)


def test_split_batches_merge_exactly_to_a_single_run():
    photons, batches = 3001, 7
    whole = run_mc(TISSUE, photons, seed=21, batches=batches, grid=SMALL_GRID)
    sizes = batch_sizes(photons, batches)
    assert sum(sizes) == photons and max(sizes) - min(sizes) <= 1
    parts = [run_batch(TISSUE, n, 21, i, grid=SMALL_GRID) for i, n in enumerate(sizes)]
    merged = merge_batches(parts[::-1])   # order given does not matter
    for key in ("specular", "diffuse_reflectance", "absorbed", "transmittance", "roulette_net_weight"):
        assert getattr(merged, key) == getattr(whole, key)
    for key in ("absorbed_z_per_cm", "absorbed_rz_per_cm3", "rd_r_per_cm2", "tt_a_per_sr", "layer_absorbed"):
        np.testing.assert_array_equal(getattr(merged, key), getattr(whole, key))
    assert merged.stderr["diffuse_reflectance"] == whole.stderr["diffuse_reflectance"]
    assert merged.energy_balance_error() < 1e-9


def test_default_batching_depends_on_photons_only():
    assert batch_sizes(100) == [7] * 4 + [6] * 12
    assert len(batch_sizes(10**6)) == 128 and sum(batch_sizes(10**6)) == 10**6
    assert batch_sizes(3) == [1, 1, 1]


def test_stderr_tracks_the_spread_between_seeds():
    runs = [run_mc(VAN_DE_HULST, 5_000, seed=s) for s in range(40)]
    spread = np.std([r.diffuse_reflectance for r in runs], ddof=1)
    reported = np.sqrt(np.mean([r.stderr["diffuse_reflectance"] ** 2 for r in runs]))
    assert 0.6 < spread / reported < 1.45   # sqrt(chi-square/39): 99.9 % range 0.64-1.39


def test_progress_reports_up_to_the_total():
    calls = []
    run_mc(TISSUE, 2000, seed=1, grid=SMALL_GRID, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2000, 2000)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


@pytest.mark.parametrize("kwargs, field", [
    ({"photons": 0}, "photons"),
    ({"photons": 10.5}, "photons"),
    ({"seed": -1}, "seed"),
    ({"threads": 0}, "threads"),
    ({"batches": 0}, "batches"),
    ({"grid": Grid(dz_mm=0.0)}, "grid.dz_mm"),
    ({"beam": Beam(kind="flat", radius_mm=0.0)}, "beam.radius_mm"),
])
def test_bad_input_is_refused_naming_the_field(kwargs, field):
    args = {"photons": 100} | kwargs
    with pytest.raises(PhotodoseInputError) as info:
        run_mc(TISSUE, **args)
    assert info.value.field == field


def test_mixed_batches_are_refused():
    a = run_batch(TISSUE, 100, 1, 0, grid=SMALL_GRID)
    b = run_batch(TISSUE, 100, 2, 1, grid=SMALL_GRID)
    with pytest.raises(PhotodoseInputError):
        merge_batches([a, b])
    with pytest.raises(PhotodoseInputError):
        merge_batches([a, a])
