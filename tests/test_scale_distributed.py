"""Batch-split Monte Carlo on a real dask.distributed LocalCluster (two worker processes).

Reference: the same batches run in this process and merged by ``merge_batches`` (and ``run_mc``): the split run
must give bit-for-bit the same tallies and standard errors whatever the completion order or a killed worker.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest

from photodose.errors import PhotodoseInputError
from photodose.optics import body_stack
from photodose.scale.cluster import SchedulerUnreachable, check_address, connect
from photodose.scale.distributed import iter_completed, run_mc_distributed, run_mc_on_client
from photodose.transport.beams import Beam, Incidence
from photodose.transport.montecarlo import merge_batches, run_batch, run_mc
from photodose.transport.result import Grid
from test_scale_fixtures import run_while_killing_a_worker

STACK = body_stack("forearm", 810, "III")
WIDE, WIDE_GRID = Beam(kind="wide"), Grid(dz_mm=0.1, nz=40, dr_mm=1.0, nr=1, na=3)
FLAT, FLAT_GRID = Beam(kind="flat", radius_mm=1.0), Grid(dz_mm=0.1, nz=20, dr_mm=0.2, nr=10, na=3)


def assert_same_numbers(a, b) -> None:
    """Every tally and standard error of two MCResults exactly equal (timing and bookkeeping aside)."""
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name in ("seconds", "extra"):
            continue
        if f.name == "stderr":
            assert x.keys() == y.keys()
            for key in x:
                assert np.array_equal(x[key], y[key], equal_nan=True), key
        elif isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            assert np.array_equal(x, y, equal_nan=True), f.name
        else:
            assert x == y, f.name
    assert a.extra["batch_photons"] == b.extra["batch_photons"]


@pytest.mark.parametrize("beam, grid", [(WIDE, WIDE_GRID), (FLAT, FLAT_GRID)])
def test_split_run_equals_single_process_merge(dask_cluster_client, beam, grid):
    photons, batches, seed = 3000, 6, 11
    split = run_mc_on_client(dask_cluster_client, STACK, photons, seed, beam, Incidence(), grid, batches)
    assert split.extra["dask_workers"] == 2
    sizes = [500] * 6
    shuffled = [run_batch(STACK, sizes[i], seed, i, beam, Incidence(), grid) for i in (4, 1, 5, 0, 3, 2)]
    assert_same_numbers(split, merge_batches(shuffled))
    assert_same_numbers(split, run_mc(STACK, photons, seed, beam, Incidence(), grid, batches=batches))


def test_run_on_a_named_scheduler_reports_progress(dask_cluster_client):
    seen = []
    result = run_mc_distributed(STACK, 2000, 9, WIDE, Incidence(), WIDE_GRID, batches=4,
                                scheduler=dask_cluster_client.scheduler.address,
                                progress=lambda done, total: seen.append((done, total)),
                                say_fn=seen.append)
    steps = [s for s in seen if isinstance(s, tuple)]
    assert len(steps) == 4 and steps[-1] == (2000, 2000) and all(a[0] < b[0] for a, b in zip(steps, steps[1:]))
    assert_same_numbers(result, run_mc(STACK, 2000, 9, WIDE, Incidence(), WIDE_GRID, batches=4))


def test_completion_order_does_not_matter(dask_cluster_client):
    """Results are taken in completion order (unequal batches finish out of index order); merged sorted by
    batch index they equal the single-process merge."""
    sizes = [1500, 1000, 500, 20, 10]
    futures = {i: dask_cluster_client.submit(run_batch, STACK, n, 5, i, WIDE, Incidence(), WIDE_GRID, pure=False)
               for i, n in enumerate(sizes)}
    arrived = list(iter_completed(futures))
    local = [run_batch(STACK, n, 5, i, WIDE, Incidence(), WIDE_GRID) for i, n in enumerate(sizes)]
    assert sorted(index for index, _ in arrived) == list(range(5))
    done = dict(arrived)
    assert_same_numbers(merge_batches([done[i] for i in sorted(done)]), merge_batches(local))


@pytest.mark.slow  # Dask cluster work: CI runs it, `pytest -m "not slow"` skips it
def test_worker_killed_mid_run_gives_same_numbers(dask_cluster_client):
    """SIGKILL a worker while it traces a batch: the nanny restarts it, Dask reruns the batch, numbers unchanged."""
    stack = body_stack("knee", 800, "III")  # slow photons: a batch of 12000 takes about a second
    photons, batches, seed = 48_000, 4, 3
    split = run_while_killing_a_worker(
        dask_cluster_client,
        lambda: run_mc_on_client(dask_cluster_client, stack, photons, seed, WIDE, Incidence(), WIDE_GRID, batches))
    assert_same_numbers(split, run_mc(stack, photons, seed, WIDE, Incidence(), WIDE_GRID, batches=batches))


@pytest.mark.slow  # waits for a connection to time out; CI runs it
def test_unreachable_scheduler_is_named_quickly():
    start = time.monotonic()
    with pytest.raises(SchedulerUnreachable) as info:
        connect("tcp://127.0.0.1:1", timeout_s=2)
    assert "tcp://127.0.0.1:1" in str(info.value)
    assert time.monotonic() - start < 30   # a bounded wait, not a hang


def test_scheduler_address_must_look_like_one():
    with pytest.raises(PhotodoseInputError, match="scheduler"):
        check_address("http://example.org/dask")
    assert check_address(" tcp://10.0.0.5:8786 ") == "tcp://10.0.0.5:8786"


@pytest.mark.slow  # waits for a connection to time out; CI runs it
def test_cli_reports_unreachable_scheduler(tmp_path, capsys, monkeypatch):
    from photodose.cli import main
    from photodose.scale import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(SystemExit) as exit_info:
        main(["atlas", "--nm", "800", "--site", "knee", "--photons", "100", "--store", str(tmp_path / "a"),
              "--scheduler", "tcp://127.0.0.1:1", "--json"])
    assert exit_info.value.code == 2
    assert "tcp://127.0.0.1:1" in capsys.readouterr().err


@pytest.mark.slow  # Dask cluster work: CI runs it, `pytest -m "not slow"` skips it
def test_mc_command_on_an_existing_scheduler_matches_the_threaded_run(dask_cluster_client, tmp_path, capsys):
    import json

    from photodose.cli import main

    stack_file = tmp_path / "forearm.json"
    stack_file.write_text(json.dumps(STACK.to_json_dict()))
    runs = {}
    for label, extra in (("threads", []), ("dask", ["--scheduler", dask_cluster_client.scheduler.address])):
        with pytest.raises(SystemExit) as exit_info:
            main(["mc", str(stack_file), "--photons", "4000", "--seed", "5", "--beam", "wide", "--json", *extra])
        assert exit_info.value.code == 0
        runs[label] = json.loads(capsys.readouterr().out)
    for key in ("diffuse_reflectance", "absorbed", "transmittance", "layer_absorbed", "stderr"):
        assert runs["dask"][key] == runs["threads"][key]
