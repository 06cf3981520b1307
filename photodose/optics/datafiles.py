"""Read the YAML package data of photodose.optics (tissue presets, phototypes, body sites), cached."""

from __future__ import annotations

from .. import package_data
from ..errors import PhotodoseInputError
from .spectra import DATA_PACKAGE


def load_yaml(filename: str) -> dict:
    """Parsed YAML file from ``photodose/optics/data`` (cached; treat the result as read-only)."""
    return package_data.load_yaml(DATA_PACKAGE, filename)


def normalise_key(name: str) -> str:
    """"Grey Matter", "grey-matter" -> "grey_matter": how people's names meet data-file keys."""
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def canonical_name(field: str, given: str, filename: str, section: str) -> str:
    """Key of ``section`` in a YAML data file matching ``given`` (normalised, then the file's ``aliases``).

    Raises PhotodoseInputError naming ``field``, the value and the allowed keys.
    """
    data = load_yaml(filename)
    key = normalise_key(given)
    key = data.get("aliases", {}).get(key, key)
    if key not in data[section]:
        from ..errors import did_you_mean

        raise PhotodoseInputError(field, given, did_you_mean(given, data[section], aliases=data.get("aliases", {}))
                                  + "allowed: " + ", ".join(data[section]))
    return key
