"""Log a session: one function for ``photodose log session``, the web journal form and ``POST /api/.../sessions``.

The session's surface dose comes from the device model at the logged distance; a stored plan it followed adds
its target dose (scaled to the actual time and irradiance, only for the same site and device); the session is
stored, then checked against the overdose bounds with every earlier session at the site (the protocol's bounds
when it followed a plan, else photodose's defaults). The session is kept either way: a warning is for next time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict


class OverdoseWarning(BaseModel):
    """A failed overdose check of a logged session, with the change that would pass it next time."""

    model_config = ConfigDict(frozen=True)
    name: str
    message: str
    remedy: str | None
    bounds: str


class LoggedSession(BaseModel):
    """What was stored (``session``: the journal row as JSON) and what the checks found."""

    model_config = ConfigDict(frozen=True)
    session: dict
    overdose_warnings: list[OverdoseWarning]


def log_session(journal, profile_id: int, *, site: str, device_id: str, distance_mm: float, duration_s: float,
                start_at: datetime, plan_id: int | None = None, channels: list[str] | None = None,
                notes: str | None = None, warmth_0_10: int | None = None,
                comfort: str | None = None) -> LoggedSession:
    """Store one session of ``duration_s`` s with ``device_id`` at ``distance_mm`` on ``site`` from ``start_at``."""
    from ..journal import repository
    from ..journal.dosing import logged_session_dose
    from ..journal.exchange import record_dict
    from ..journal.overdose import logged_session_warnings
    from ..journal.sites import require_site

    site = require_site(site)
    plan = repository.stored_plan(repository.get_plan(journal, profile_id, plan_id)) if plan_id is not None else None
    dose = logged_session_dose(device_id, distance_mm, duration_s, site, plan, channels)
    row = repository.log_session(journal, profile_id, start_at=start_at, duration_s=duration_s, site=site,
                                 device_id=device_id, distance_mm=distance_mm, dose=dose, plan_id=plan_id,
                                 planned_seconds=plan.session_seconds if plan else None, channels=channels,
                                 notes=notes, warmth_0_10=warmth_0_10, comfort=comfort)
    warnings = logged_session_warnings(journal, profile_id, site, start_at, row.surface_fluence_j_cm2, row.id,
                                       plan.protocol.id if plan and plan.protocol else None)
    return LoggedSession(session=record_dict(row), overdose_warnings=[OverdoseWarning(**w) for w in warnings])


def log_session_from_plan(journal, profile_id: int, plan_id: int, duration_s: float, *,
                          ended_at: datetime | None = None, notes: str | None = None,
                          warmth_0_10: int | None = None) -> LoggedSession:
    """Log a session that followed stored plan ``plan_id`` (its site, device and distance) for ``duration_s``
    seconds, ending ``ended_at`` (default now)."""
    from ..journal import repository

    plan = repository.stored_plan(repository.get_plan(journal, profile_id, plan_id))
    end = (ended_at or datetime.now()).replace(microsecond=0)
    return log_session(journal, profile_id, site=plan.site, device_id=plan.device, distance_mm=plan.distance_mm,
                       duration_s=duration_s, start_at=end - timedelta(seconds=round(duration_s)), plan_id=plan_id,
                       channels=[r.channel for r in plan.surface.by_wavelength], notes=notes,
                       warmth_0_10=warmth_0_10)
