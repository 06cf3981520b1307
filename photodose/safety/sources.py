"""Where each limit comes from: the provenance strings shipped in ``data/limit_sources.yaml``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=None)
def load_yaml(name: str) -> dict:
    """Load one of the safety stage's package data files (``photodose/safety/data/<name>``)."""
    text = resources.files("photodose.safety").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def source(key: str) -> str:
    """The provenance text of limit ``key`` (e.g. ``"ir_eye"``)."""
    return load_yaml("limit_sources.yaml")[key]
