"""Where the journal lives: ``--db URL`` > ``PHOTODOSE_DB`` > ``PHOTODOSE_HOME``/journal.sqlite >
platformdirs ``user_data_dir("photodose")``/journal.sqlite."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "PHOTODOSE_DB"
HOME_ENV = "PHOTODOSE_HOME"
DB_FILENAME = "journal.sqlite"


def data_home() -> Path:
    """Base directory for photodose's own files (``PHOTODOSE_HOME`` overrides platformdirs)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("photodose"))


def resolve_db_url(url: str | None = None) -> str:
    """A SQLAlchemy URL. A value without ``://`` is taken as a SQLite file path."""
    chosen = url or os.environ.get(DB_ENV)
    if not chosen:
        chosen = str(data_home() / DB_FILENAME)
    if "://" in chosen:
        return chosen
    from ..inputs import user_path

    path = user_path(chosen, "db").resolve()
    return f"sqlite:///{path}"
