"""Atlas sweeps on a real dask.distributed LocalCluster (two worker processes), the Parquet store, resume,
extension, a worker killed mid-sweep, and interpolation for the planner.

References: an undisturbed sweep (every disturbed sweep must store exactly its numbers), and the single-process
Monte Carlo answer of ``photodose.transport.depth_dose`` for the same stack, photons and seed.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from photodose.errors import PhotodoseInputError
from photodose.optics import body_stack
from photodose.scale.atlas import Atlas, OutsideAtlas, fluence_per_irradiance_or_mc, open_atlas
from photodose.scale.points import AtlasPoint, parse_number_range, parse_thickness_axis, sweep_points
from photodose.scale.store import chunk_path, completed_keys, read_store
from photodose.scale.sweep import sweep_on_client
from photodose.transport import cache
from photodose.transport.depth_dose import fluence_per_irradiance
from test_scale_fixtures import run_while_killing_a_worker

PHOTONS, MAX_DEPTH_MM = 12_000, 5.0   # knee photons are slow: a grid point takes about a second
SWEEP = dict(sites=["knee"], skin_types=["I"], wavelengths_nm=[700, 800], thickness_grid={"fat": [2, 6]},
             photons=PHOTONS, seed=1, max_depth_mm=MAX_DEPTH_MM)


@pytest.fixture(scope="module")
def points():
    return sweep_points(**SWEEP)


@pytest.fixture(scope="module")
def reference(dask_cluster_client, points, tmp_path_factory):
    """An undisturbed sweep: its store directory."""
    store = tmp_path_factory.mktemp("reference")
    report = sweep_on_client(dask_cluster_client, points, store)
    assert (report.points, report.computed, report.reused) == (4, 4, 0)
    return store


def stored_numbers(store) -> str:
    """Everything stored except the timing, in key order, as exact JSON (NaN-safe comparison)."""
    return json.dumps(read_store(store).drop_columns(["seconds"]).to_pylist())


# --- grid points -----------------------------------------------------------------------------------------------

def test_sweep_axes_and_keys():
    assert parse_number_range("600..1100:50", "nm") == [600.0 + 50 * i for i in range(11)]
    assert parse_number_range("660,810", "nm") == [660.0, 810.0]
    assert parse_thickness_axis("fat=2,4,8") == ("fat", [2.0, 4.0, 8.0])
    with pytest.raises(PhotodoseInputError, match="nm"):
        parse_number_range("1100..600:50", "nm")
    a = AtlasPoint.make("Knee", "1", 700, {"fat": 2}, photons=100)
    b = AtlasPoint.make("knee", "I", 700, {"subcutaneous_fat": 2.0}, photons=100)
    assert a == b and a.key == b.key and a.thickness_mm == (("subcutaneous_fat", 2.0),)
    assert AtlasPoint.make("knee", "I", 700, {"fat": 2}, photons=101).key != a.key
    assert len(sweep_points(["knee", "knee"], ["I", "1"], [700], {"fat": [2, 2.0]}, photons=100)) == 1


# --- sweeps and the store --------------------------------------------------------------------------------------

def test_stored_point_is_the_single_process_monte_carlo_answer(reference, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    atlas = open_atlas(reference)
    stored = atlas.query(wavelength_nm=700.0)
    thickness = {"fat": 2}
    depths = np.append(np.asarray(stored["depth_mm"][0].as_py())[:-1], MAX_DEPTH_MM)   # same tally grid
    local = fluence_per_irradiance(body_stack("knee", 700, "I", thickness), depths, "mc", photons=PHOTONS, seed=1)
    from_atlas = atlas.fluence_per_irradiance("knee", "I", 700, depths, thickness)
    assert np.array_equal(from_atlas.fluence_per_irradiance, local.fluence_per_irradiance)
    assert np.array_equal(from_atlas.stderr, local.stderr)


@pytest.mark.slow  # Dask cluster work: CI runs it, `pytest -m "not slow"` skips it
def test_interrupted_sweep_resumes_without_recomputing(dask_cluster_client, points, reference, tmp_path):
    store = tmp_path / "atlas"

    def interrupt_after_first(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep_on_client(dask_cluster_client, points, store, progress=interrupt_after_first)
    kept = completed_keys(store)
    assert len(kept) == 1
    resumed = sweep_on_client(dask_cluster_client, points, store)
    assert (resumed.computed, resumed.reused) == (3, 1)
    assert kept.isdisjoint(resumed.computed_keys)
    assert stored_numbers(store) == stored_numbers(reference)

    lost = points[2].key
    chunk_path(store, lost).unlink()
    again = sweep_on_client(dask_cluster_client, points, store)
    assert again.computed_keys == [lost] and again.reused == 3
    assert stored_numbers(store) == stored_numbers(reference)


@pytest.mark.slow  # Dask cluster work: CI runs it, `pytest -m "not slow"` skips it
def test_cli_extends_a_store_on_an_existing_scheduler(dask_cluster_client, reference, tmp_path, capsys):
    from photodose.cli import main

    store = tmp_path / "atlas"
    store.mkdir()
    for key in completed_keys(reference):
        chunk_path(store, key).write_bytes(chunk_path(reference, key).read_bytes())
    with pytest.raises(SystemExit) as exit_info:
        main(["atlas", "--nm", "700..800:50", "--site", "knee", "--skin-type", "I", "--thickness", "fat=2,6",
              "--photons", str(PHOTONS), "--max-depth-mm", str(MAX_DEPTH_MM), "--store", str(store),
              "--scheduler", dask_cluster_client.scheduler.address, "--json"])
    assert exit_info.value.code == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["points"], report["computed"], report["reused"]) == (6, 2, 4)
    assert sorted(open_atlas(store).query(site="knee")["wavelength_nm"].to_pylist()) == [700, 700, 750, 750, 800, 800]


@pytest.mark.slow  # Dask cluster work: CI runs it, `pytest -m "not slow"` skips it
def test_worker_killed_during_sweep_gives_same_numbers(dask_cluster_client, points, reference, tmp_path):
    store = tmp_path / "atlas"
    report = run_while_killing_a_worker(dask_cluster_client,
                                        lambda: sweep_on_client(dask_cluster_client, points, store))
    assert report.computed == 4
    assert stored_numbers(store) == stored_numbers(reference)


# --- reading the atlas -----------------------------------------------------------------------------------------

def test_query_resolves_names_and_filters(reference):
    atlas = open_atlas(reference)
    assert len(atlas) == 4 and len(atlas.code_versions) == 1
    assert atlas.query(site="KNEE", skin_type=1).num_rows == 4
    assert atlas.query(wavelength_nm=[700.0]).num_rows == 2
    assert atlas.query(skin_type="VI").num_rows == 0
    with pytest.raises(PhotodoseInputError, match="query column"):
        atlas.query(colour="red")


def _profile(atlas: Atlas, nm: float, fat_mm: float, depths) -> np.ndarray:
    rows = atlas.query(wavelength_nm=nm)
    (row,) = [i for i, t in enumerate(rows["layer_thickness_mm"].to_pylist()) if t[2] == fat_mm]
    return np.interp(depths, rows["depth_mm"][row].as_py(), rows["fluence_per_irradiance"][row].as_py())


def test_interpolation_is_linear_between_grid_points(reference):
    atlas = open_atlas(reference)
    depths = np.array([0.0, 0.37, 1.0, 2.5, 4.9])
    assert np.array_equal(atlas.fluence_per_irradiance("knee", "I", 800, depths, {"fat": 6}).fluence_per_irradiance,
                          _profile(atlas, 800, 6, depths))
    along_nm = atlas.fluence_per_irradiance("knee", "I", 725, depths, {"fat": 2}).fluence_per_irradiance
    np.testing.assert_allclose(along_nm,
                               0.75 * _profile(atlas, 700, 2, depths) + 0.25 * _profile(atlas, 800, 2, depths),
                               rtol=1e-12)
    both = atlas.fluence_per_irradiance("knee", "I", 750, depths, {"fat": 5})
    corners = sum(w * _profile(atlas, nm, fat, depths)
                  for nm, fat, w in ((700, 2, 0.125), (700, 6, 0.375), (800, 2, 0.125), (800, 6, 0.375)))
    np.testing.assert_allclose(both.fluence_per_irradiance, corners, rtol=1e-12)
    assert both.method == "atlas" and np.all(both.stderr > 0)
    # no override: the site's own fat thickness (knee: 4 mm) lies inside the gridded range
    default = atlas.fluence_per_irradiance("knee", "I", 750, depths).fluence_per_irradiance
    np.testing.assert_allclose(default, atlas.fluence_per_irradiance("knee", "I", 750, depths,
                                                                     {"fat": 4}).fluence_per_irradiance, rtol=1e-12)


@pytest.mark.parametrize("request_, field", [
    (dict(wavelength_nm=650), "wavelength_nm"),
    (dict(thickness_mm={"fat": 8}), "thickness_mm.subcutaneous_fat"),
    (dict(thickness_mm={"fat": 4, "dermis": 3}), "thickness_mm.dermis"),
    (dict(depth_mm=[6.0]), "depth_mm"),
    (dict(skin_type="VI"), "site/skin_type/beam"),
])
def test_questions_outside_the_atlas_are_refused(reference, request_, field):
    question = dict(site="knee", skin_type="I", wavelength_nm=750, depth_mm=[1.0], thickness_mm={"fat": 4})
    with pytest.raises(OutsideAtlas) as info:
        open_atlas(reference).fluence_per_irradiance(**{**question, **request_})
    assert info.value.field == field


def test_missing_grid_point_is_refused_and_mc_fallback_says_so(reference, tmp_path, monkeypatch):
    full = open_atlas(reference)
    keep = [k != full.table["key"][0].as_py() for k in full.table["key"].to_pylist()]
    holed = Atlas(reference, full.table.filter(keep))
    with pytest.raises(OutsideAtlas, match="missing"):
        holed.fluence_per_irradiance("knee", "I", 750, [1.0], {"fat": 4})
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    said = []
    result = fluence_per_irradiance_or_mc(full, "knee", "I", 650, [0.5, 1.0], {"fat": 4}, photons=500,
                                          say_fn=said.append)
    assert result.method == "mc" and len(said) == 1 and "650" in said[0]
    assert np.all(result.fluence_per_irradiance > 0)


def test_cli_atlas_query(reference, capsys):
    from photodose.cli import main

    args = ["atlas-query", str(reference), "--site", "knee", "--skin-type", "I", "--thickness", "fat=4",
            "--depth-mm", "0.5,2"]
    with pytest.raises(SystemExit) as exit_info:
        main(args + ["--nm", "750", "--json"])
    assert exit_info.value.code == 0
    data = json.loads(capsys.readouterr().out)
    expected = open_atlas(reference).fluence_per_irradiance("knee", "I", 750, [0.5, 2.0], {"fat": 4})
    assert data["method"] == "atlas" and data["fluence_per_irradiance"] == expected.fluence_per_irradiance.tolist()
    with pytest.raises(SystemExit) as exit_info:
        main(args + ["--nm", "900"])
    assert exit_info.value.code == 2
    assert "wavelength_nm" in capsys.readouterr().err
