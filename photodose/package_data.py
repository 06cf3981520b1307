"""Read photodose's package data files (spectra, presets, catalogs, protocols, questionnaires, limits).

Each stage keeps its files in its own package folder, with a provenance header; this is the one reader they
share. Parsed YAML is cached: treat it as read-only.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


def read_text(package: str, *parts: str) -> str:
    """UTF-8 text of the package data file ``parts`` inside ``package`` (e.g. "photodose.safety", "data", "x")."""
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_yaml(package: str, *parts: str):
    """Parsed YAML of a package data file (cached; treat the result as read-only)."""
    return yaml.safe_load(read_text(package, *parts))
