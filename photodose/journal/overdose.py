"""Overdose check of a session just logged: the day's and week's dose at its site against the bounds of the
plan's protocol (or, without a plan, photodose's unsourced defaults), and sessions too close together.

The session happened, so it is logged whatever the result; the failed checks come back as warnings with the
change that would have passed them (the safety stage's ``evaluate_overdose``).
"""

from __future__ import annotations

from datetime import datetime


def prior_site_sessions(journal, profile_id: int, site: str, until: datetime | None = None,
                        exclude_session_id: int | None = None) -> list:
    """The profile's sessions at ``site`` (before ``until``) as the safety gate's overdose ``Session`` records."""
    from ..safety.overdose import Session
    from .cumulative import sessions_for_site

    return [Session(start=s.start_at, site=site, fluence_j_cm2=s.surface_fluence_j_cm2)
            for s in sessions_for_site(journal, profile_id, site, until=until) if s.session_id != exclude_session_id]


def logged_session_warnings(journal, profile_id: int, site: str, start_at: datetime, fluence_j_cm2: float,
                            session_id: int, protocol_id: str | None = None, schedule=None) -> list[dict]:
    """Overdose checks the session ``session_id`` did not pass (cautions; as dicts: name, message, remedy, source).

    ``schedule``: (sessions per week, session fraction, phase label) of the week of the plan's schedule the session
    falls in; a daily or taper week raises the sessions-per-week bound to what that week plans."""
    from ..planning.safety_link import DEFAULT_BOUNDS_SOURCE, overdose_bounds
    from ..safety.overdose import ProtocolBounds, Session, evaluate_overdose

    bounds = overdose_bounds(protocol_id)
    if schedule is not None and bounds.get("max_sessions_per_week") is not None:
        bounds["max_sessions_per_week"] = max(bounds["max_sessions_per_week"], schedule[0])
    prior = prior_site_sessions(journal, profile_id, site, exclude_session_id=session_id)
    planned = Session(start=start_at, site=site, fluence_j_cm2=fluence_j_cm2)
    source = (f"photodose defaults from protocol {protocol_id} (photodose assumption (unsourced))" if protocol_id
              else DEFAULT_BOUNDS_SOURCE) + (f"; '{schedule[2]}' week of the plan's schedule" if schedule else "")
    return [{"name": c.name, "message": c.message, "remedy": c.remedy, "bounds": source}
            for c in evaluate_overdose(prior, planned, ProtocolBounds(**bounds)) if c.status != "ok"]
