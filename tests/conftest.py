"""Fixtures shared across test files."""

import pytest


@pytest.fixture
def private_planning_cache(tmp_path, monkeypatch):
    """A private transport cache directory and empty planner caches, restored afterwards."""
    from photodose.planning.tissue import clear_cache

    monkeypatch.setenv("PHOTODOSE_CACHE_DIR", str(tmp_path / "cache"))
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def journal(tmp_path):
    """A journal on a real SQLite file in the test's temporary folder (closed afterwards)."""
    from photodose.journal import open_journal

    j = open_journal(str(tmp_path / "journal.sqlite"))
    yield j
    j.close()


@pytest.fixture(scope="module")
def dask_cluster_client():
    """A real dask.distributed LocalCluster with two single-threaded worker processes (closed after the module)."""
    from photodose.scale.cluster import dask_client

    with dask_client(n_workers=2) as client:
        client.wait_for_workers(2, timeout=60)
        yield client
