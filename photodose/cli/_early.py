"""Quick refusals before the heavy stages are imported: a typo in a device id, a condition or a site is answered
in well under a second (issue 15), with the closest name ("did you mean").

These checks read names only: device file names (catalog and user devices are stored as ``<id>.yaml``; a test
checks the catalog), the ``id`` of each protocol in the light and heat protocol files, and the site names and
aliases. They refuse only what the full check would refuse; anything they pass is checked again, in full, by the
stage itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import PhotodoseInputError, did_you_mean

_PACKAGE = Path(__file__).resolve().parents[1]
DEVICE_SUFFIXES = (".yaml", ".yml", ".toml")


def _device_ids() -> list[str]:
    folders = [_PACKAGE / "devices" / "catalog"]
    base = os.environ.get("PHOTODOSE_HOME")
    if not base:
        import platformdirs

        base = platformdirs.user_data_dir("photodose")
    folders.append(Path(base) / "devices")
    return sorted({p.stem for folder in folders if folder.is_dir() for p in folder.iterdir()
                   if p.suffix.lower() in DEVICE_SUFFIXES})


def check_device(text: str, field: str = "device") -> None:
    """Refuse an id that names no catalog or user device (a path to a device file passes)."""
    from ..inputs import user_path

    path = user_path(str(text), field)
    if path.suffix.lower() in DEVICE_SUFFIXES and (path.exists() or os.sep in str(text)):
        return
    known = _device_ids()
    if str(text) not in known:
        raise PhotodoseInputError(field, text, did_you_mean(text, known) + "a device file path or one of: "
                                  + ", ".join(known))


def _ids_in(path: Path) -> list[str]:
    import yaml  # package data (trusted, it uses anchors): libyaml's safe loader

    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return [str(entry.get("id")) for entry in (doc or {}).get("protocols", []) if isinstance(entry, dict)]


def check_condition(text: str, field: str = "condition") -> None:
    """Refuse a condition that is neither a light nor a heat protocol id (case-insensitive, as the library)."""
    ids = _ids_in(_PACKAGE / "protocols" / "data" / "protocols.yaml")
    heat = _PACKAGE / "hyperthermia" / "data" / "protocols.yaml"
    if heat.is_file():
        ids += _ids_in(heat)
    if str(text).strip().lower() not in {i.lower() for i in ids}:
        raise PhotodoseInputError(field, text, did_you_mean(text, ids) + "allowed: " + ", ".join(ids))


def check_names(*, device: str | None = None, condition: str | None = None) -> None:
    """The quick checks above, for the options given."""
    if device is not None:
        check_device(device)
    if condition is not None:
        check_condition(condition)
