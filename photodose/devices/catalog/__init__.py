"""The device catalog: built-in device files shipped here, plus the user's own devices.

Built-in files live beside this module (one YAML file per device, values tagged claim / measurement /
model_fit / assumption / illustrative with sources). User devices are stored under
``<base>/devices`` where ``<base>`` is ``$PHOTODOSE_HOME`` if set, else platformdirs' user data directory
for "photodose".
"""

from __future__ import annotations

import os
import shutil
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import platformdirs

from ...errors import PhotodoseInputError
from ..files import DEVICE_FILE_SUFFIXES, read_device_file
from ..model import Device

CATALOG_DIR = Path(__file__).parent
DEFAULT_DEVICE_ID = "generic-panel-660-850"
# Set by the web app for each request of a logged-in web user: that user's own devices folder, so that users of
# one server neither see nor overwrite each other's devices. None: the local user's folder below.
USER_DEVICES_DIR: ContextVar[Path | None] = ContextVar("photodose_user_devices_dir", default=None)


def user_devices_dir() -> Path:
    """Folder holding the user's device files (not created until a device is added)."""
    override = USER_DEVICES_DIR.get()
    if override is not None:
        return override
    base = os.environ.get("PHOTODOSE_HOME") or platformdirs.user_data_dir("photodose")
    return Path(base) / "devices"


def _device_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in DEVICE_FILE_SUFFIXES)


def _load(path: Path) -> Device:
    return read_device_file(path).model_copy(update={"file": str(path)})


@lru_cache(maxsize=1)
def _catalog() -> dict[str, Device]:
    return {d.id: d for d in map(_load, _device_files(CATALOG_DIR))}


def _user_devices() -> dict[str, Device]:
    return {d.id: d for d in map(_load, _device_files(user_devices_dir()))}


def list_devices() -> list[Device]:
    """Built-in devices, then the user's, each sorted by id."""
    return list(_catalog().values()) + sorted(_user_devices().values(), key=lambda d: d.id)


def load_device(id_or_path: str) -> Device:
    """A device by catalog id, user device id, or the path of a .yaml/.yml/.toml device file."""
    text = str(id_or_path)
    from ...inputs import user_path

    path = user_path(text, "device")
    if path.suffix.lower() in DEVICE_FILE_SUFFIXES and (path.exists() or os.sep in text):
        return _load(path)
    found = _catalog().get(text) or _user_devices().get(text)
    if found is None:
        known = sorted(_catalog()) + sorted(_user_devices())
        from ...errors import did_you_mean

        raise PhotodoseInputError("device", text, did_you_mean(text, known)
                                  + "a device file path or one of: " + ", ".join(known))
    return found


def add_user_device(path: str | Path) -> Device:
    """Validate a device file and store a copy among the user's devices (replacing one with the same id)."""
    from ...inputs import user_path

    source = user_path(path, "file")
    device = read_device_file(source)
    if device.id in _catalog():
        raise PhotodoseInputError("id", device.id, "an id not used by the built-in catalog", source=str(source))
    folder = user_devices_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for old in _device_files(folder):
        if old.stem == device.id:
            old.unlink()
    target = folder / f"{device.id}{source.suffix.lower()}"
    shutil.copyfile(source, target)
    return _load(target)
