"""Log a whole-body hyperthermia session with its heat checks: one function for ``photodose log heat`` (and web).

The session is stored as the person reports it; a measured core temperature at or over the ceiling
(39.0 degC, NIOSH 2016) or heating past the session limit (110 min, Mason et al. 2021) is stored and warned about,
never dropped.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from ..bibliography import cite
from ..errors import PhotodoseInputError
from ..hyperthermia import heat_limits


class LoggedHeatSession(BaseModel):
    """The stored heat session (its journal row as a dict) and the warnings its values raised."""

    model_config = ConfigDict(frozen=True)
    session: dict
    warnings: list[str]


def log_heat_session(journal, profile_id: int, *, device_id: str, heating_minutes: float, start_at: datetime,
                     core_temperature_c: float | None = None, minutes_to_target: float | None = None,
                     air_temperature_c: float | None = None, relative_humidity_percent: float | None = None,
                     notes: str | None = None) -> LoggedHeatSession:
    """Store ``heating_minutes`` in sauna dome ``device_id`` (chamber settings default to the device's)."""
    from ..devices.catalog import load_device
    from ..journal.exchange import record_dict
    from ..journal.heat_sessions import add_heat_session

    device = load_device(device_id)
    if device.chamber is None:
        raise PhotodoseInputError("device", device_id, "a sauna dome (kind sauna_dome); light sessions: log session")
    c = device.chamber
    row = add_heat_session(
        journal, profile_id, start_at=start_at, heating_minutes=heating_minutes, device_id=device.id,
        air_temperature_c=c.air_temperature_c if air_temperature_c is None else air_temperature_c,
        mean_radiant_temperature_c=c.mean_radiant_temperature_c,
        relative_humidity_percent=c.relative_humidity_percent if relative_humidity_percent is None
        else relative_humidity_percent,
        core_temperature_c=core_temperature_c, minutes_to_target=minutes_to_target, notes=notes)
    limits = heat_limits()
    warnings = []
    if core_temperature_c is not None and core_temperature_c >= limits.core_ceiling_c.value:
        warnings.append(f"core temperature {core_temperature_c:g} degC reached the {limits.core_ceiling_c.value:g} "
                        f"degC ceiling ({cite(limits.core_ceiling_c.source)}): stop heating at the target next "
                        "time; cool down and seek help if unwell")
    if heating_minutes > limits.max_heating_min.value:
        warnings.append(f"{heating_minutes:g} min of heating is past the {limits.max_heating_min.value:g}-minute "
                        f"session limit ({cite(limits.max_heating_min.source)})")
    return LoggedHeatSession(session=record_dict(row), warnings=warnings)
