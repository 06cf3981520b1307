"""Time helpers shared by the screening and overdose checks."""

from __future__ import annotations

from datetime import datetime, timezone


def as_utc(moment: datetime) -> datetime:
    """``moment`` with a time zone; naive datetimes are read as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
