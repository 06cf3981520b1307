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
