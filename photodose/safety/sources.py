"""Where each limit comes from: the provenance strings shipped in ``data/limit_sources.yaml``."""

from __future__ import annotations

from .. import package_data



def load_yaml(name: str) -> dict:
    """Load one of the safety stage's package data files (``photodose/safety/data/<name>``; cached)."""
    return package_data.load_yaml("photodose.safety", "data", name)


def source(key: str) -> str:
    """The provenance text of limit ``key`` (e.g. ``"ir_eye"``)."""
    return load_yaml("limit_sources.yaml")[key]
