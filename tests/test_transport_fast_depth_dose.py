"""``fluence_per_irradiance``: fast and Monte Carlo answers, and the on-disk cache behind the Monte Carlo one."""

from pathlib import Path

import numpy as np
import pytest

from photodose.errors import PhotodoseInputError
from photodose.transport import cache, depth_dose, montecarlo
from photodose.transport.depth_dose import depth_grid, fluence_per_irradiance
from photodose.optics.layers import LayerStack

STACK = LayerStack.from_json_file(Path(__file__).parent / "data" / "forearm_850nm.json")
DEPTHS_MM = np.array([0.0, 0.5, 1.0, 2.0, 4.0])


@pytest.fixture
def counted_runs(tmp_path, monkeypatch):
    """Cache in a temporary folder; count the Monte Carlo runs actually made."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    calls = []
    real = montecarlo.run_mc

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(montecarlo, "run_mc", counting)
    return calls


def test_fast_answer_has_zero_error_and_states_its_validity():
    answer = fluence_per_irradiance(STACK, DEPTHS_MM)
    assert answer.method == "fast" and not answer.stderr.any() and "diffusion" in answer.validity
    assert np.all(answer.fluence_per_irradiance > 0)
    assert answer.fluence_per_irradiance[4] < answer.fluence_per_irradiance[1]


def test_repeated_monte_carlo_question_comes_from_the_cache(counted_runs, tmp_path):
    first = fluence_per_irradiance(STACK, DEPTHS_MM, method="mc", photons=3000, seed=4)
    again = fluence_per_irradiance(STACK, DEPTHS_MM, method="mc", photons=3000, seed=4)
    assert len(counted_runs) == 1 and not first.cached and again.cached
    np.testing.assert_array_equal(again.fluence_per_irradiance, first.fluence_per_irradiance)
    np.testing.assert_array_equal(again.stderr, first.stderr)
    assert np.all(first.stderr > 0)
    assert len(list((tmp_path / "transport").glob("*.json"))) == 1
    fluence_per_irradiance(STACK, DEPTHS_MM, method="mc", photons=3000, seed=5)   # another seed: new run
    assert len(counted_runs) == 2


def test_corrupt_cache_file_is_ignored_and_rewritten(counted_runs, tmp_path):
    first = fluence_per_irradiance(STACK, DEPTHS_MM, method="mc", photons=2000)
    (path,) = (tmp_path / "transport").glob("*.json")
    path.write_text('{"depth_mm": [0.0, 0.0')
    again = fluence_per_irradiance(STACK, DEPTHS_MM, method="mc", photons=2000)
    assert len(counted_runs) == 2 and not again.cached
    np.testing.assert_array_equal(again.fluence_per_irradiance, first.fluence_per_irradiance)   # same seed
    assert fluence_per_irradiance(STACK, DEPTHS_MM, method="mc", photons=2000).cached


def test_monte_carlo_profile_excludes_the_overflow_bin(counted_runs):
    answer = fluence_per_irradiance(STACK, np.array([1.0, 4.0]), method="mc", photons=3000)
    fast = fluence_per_irradiance(STACK, np.array([1.0, 4.0]))
    np.testing.assert_allclose(answer.fluence_per_irradiance, fast.fluence_per_irradiance, rtol=0.15)
    grid = depth_grid(4.0)
    assert grid.nz * grid.dz_mm > 4.0 + grid.dz_mm


def test_bad_method_and_depths_are_refused():
    with pytest.raises(PhotodoseInputError, match="method"):
        fluence_per_irradiance(STACK, DEPTHS_MM, method="guess")
    with pytest.raises(PhotodoseInputError, match="depth_mm"):
        depth_dose.fluence_per_irradiance(STACK, np.array([np.nan]))
