"""On-disk cache of transport results, so a repeated question is answered instantly.

Key: SHA-256 of the canonical JSON (sorted keys, no whitespace) of everything that fixes the answer
(stack, method, photons, seed, grid, beam, incidence, code version). Value: a JSON object, one file per key
under ``platformdirs.user_cache_dir("photodose")/transport`` (``PHOTODOSE_CACHE_DIR`` overrides the root).
Files are written atomically; an unreadable or corrupt file counts as a miss and is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

CACHE_ENV = "PHOTODOSE_CACHE_DIR"


def cache_dir() -> Path:
    """The folder holding transport cache files (created on first store)."""
    root = os.environ.get(CACHE_ENV)
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("photodose")
    return Path(root) / "transport"


def cache_key(payload: dict) -> str:
    """Hex SHA-256 of the canonical JSON of ``payload``."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / f"{key}.json"


def load(key: str) -> dict | None:
    """The cached object for ``key``, or None when absent, unreadable or corrupt."""
    try:
        data = json.loads(_path(key).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("key") == key else None


def store(key: str, data: dict) -> Path:
    """Write ``data`` (JSON-ready) under ``key`` atomically; returns the file."""
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump({**data, "key": key}, handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
