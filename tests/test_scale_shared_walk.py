"""Atlas sweeps with ``--shared-walk``: phototypes of one site, wavelength and thickness from one reweighted walk.

Reference: the rows of separate single-process ``run_mc`` points (``compute_point``) for the same stacks.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from photodose.scale.atlas import open_atlas
from photodose.scale.points import sweep_points
from photodose.scale.store import read_store
from photodose.scale.sweep import compute_group, compute_point, shared_walk_groups, sweep_on_client
from photodose.transport.beams import Beam

PHOTONS, MAX_DEPTH_MM = 3000, 5.0


def test_groups_are_the_phototypes_of_one_wide_beam_stack():
    points = sweep_points(["knee"], ["I", "VI"], [700, 800], {"fat": [2, 6]},
                          beams=(Beam(kind="wide"), Beam(kind="flat", radius_mm=5.0)), photons=PHOTONS)
    groups = shared_walk_groups(points)
    shared = [g for g in groups if len(g) > 1]
    assert len(points) == 16 and len(shared) == 4 and len(groups) == 4 + 8
    for group in shared:
        assert sorted(p.skin_type for p in group) == ["I", "VI"]
        assert len({(p.wavelength_nm, p.thickness_mm) for p in group}) == 1
        assert all(p.beam.kind == "wide" for p in group)


def test_group_rows_agree_with_separate_points():
    points = sweep_points(["knee"], ["I", "VI"], [850], photons=PHOTONS, max_depth_mm=MAX_DEPTH_MM)
    rows = compute_group(points)
    for point, row in zip(points, rows):
        alone = compute_point(point)
        assert row["key"] == alone["key"] and row["code_version"].startswith(alone["code_version"] + "+reweight-")
        phi, se = np.array(row["fluence_per_irradiance"]), np.array(row["fluence_stderr"])
        phi0, se0 = np.array(alone["fluence_per_irradiance"]), np.array(alone["fluence_stderr"])
        assert np.mean(((phi - phi0) / np.hypot(se, se0)) ** 2) < 2.0   # expectation 1
        total = row["specular"] + row["diffuse_reflectance"] + row["absorbed"] + row["transmittance"]
        assert abs(total - 1.0) < 0.05   # 1 + roulette's net weight, which averages to zero
    assert rows[0]["fluence_per_irradiance"][100] > rows[1]["fluence_per_irradiance"][100]   # type I > VI at 2 mm


@pytest.mark.slow  # Dask cluster work: CI runs it, `pytest -m "not slow"` skips it
def test_cli_shared_walk_sweep_on_a_cluster(dask_cluster_client, tmp_path, capsys):
    from photodose.cli import main

    points = sweep_points(["knee"], ["I", "III"], [850], photons=PHOTONS, max_depth_mm=MAX_DEPTH_MM)
    store = tmp_path / "atlas"
    report = sweep_on_client(dask_cluster_client, points, store, shared_walk=True)
    assert (report.points, report.computed, report.reused) == (2, 2, 0)
    assert all("+reweight-" in v for v in open_atlas(store).code_versions)
    with pytest.raises(SystemExit) as exit_info:   # the CLI flag, one more phototype: only it is computed
        main(["atlas", "--nm", "850", "--site", "knee", "--skin-type", "I,III,VI", "--photons", str(PHOTONS),
              "--max-depth-mm", str(MAX_DEPTH_MM), "--store", str(store), "--shared-walk",
              "--scheduler", dask_cluster_client.scheduler.address, "--json"])
    assert exit_info.value.code == 0
    cli = json.loads(capsys.readouterr().out)
    assert (cli["points"], cli["computed"], cli["reused"]) == (3, 1, 2)
    assert sorted(read_store(store)["skin_type"].to_pylist()) == ["I", "III", "VI"]
