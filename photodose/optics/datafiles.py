"""Read the YAML package data of photodose.optics (tissue presets, phototypes, body sites), cached."""

from __future__ import annotations

from functools import lru_cache

import yaml

from .spectra import read_data_text


@lru_cache(maxsize=None)
def load_yaml(filename: str) -> dict:
    """Parsed YAML file from ``photodose/optics/data`` (cached; treat the result as read-only)."""
    return yaml.safe_load(read_data_text(filename))
