"""Whole-body hyperthermia sessions in the journal (table ``heat_sessions``, rev 0007): store and list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..errors import PhotodoseInputError
from .models import HeatSession, Profile


def add_heat_session(db, profile_id: int, *, start_at: datetime, heating_minutes: float, device_id: str,
                     air_temperature_c: float | None = None, mean_radiant_temperature_c: float | None = None,
                     relative_humidity_percent: float | None = None, core_temperature_c: float | None = None,
                     minutes_to_target: float | None = None, notes: str | None = None) -> HeatSession:
    """Store one heat session; impossible values are refused naming the field (nothing is written)."""
    ranges = {"minutes": (heating_minutes, 0.5, 600.0), "air_temperature": (air_temperature_c, 10.0, 120.0),
              "mean_radiant_temperature": (mean_radiant_temperature_c, 10.0, 150.0),
              "humidity": (relative_humidity_percent, 0.0, 100.0), "core": (core_temperature_c, 33.0, 43.0),
              "to_target": (minutes_to_target, 0.0, 600.0)}
    for field, (value, low, high) in ranges.items():
        if value is not None and not low <= value <= high:
            raise PhotodoseInputError(field, value, f"{low:g}-{high:g}")
    with db.transaction() as s:
        if s.get(Profile, profile_id) is None:
            raise PhotodoseInputError("profile_id", profile_id, "an existing profile id")
        row = HeatSession(profile_id=profile_id, start_at=start_at.replace(microsecond=0),
                          heating_minutes=heating_minutes, device_id=device_id, air_temperature_c=air_temperature_c,
                          mean_radiant_temperature_c=mean_radiant_temperature_c,
                          relative_humidity_percent=relative_humidity_percent, core_temperature_c=core_temperature_c,
                          minutes_to_target=minutes_to_target, notes=notes)
        s.add(row)
    return row


def list_heat_sessions(db, profile_id: int) -> list[HeatSession]:
    """The profile's heat sessions, oldest first."""
    with db.read() as s:
        return list(s.scalars(select(HeatSession).where(HeatSession.profile_id == profile_id)
                              .order_by(HeatSession.start_at)))
