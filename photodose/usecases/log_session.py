"""Log a session: one function for ``photodose log session``, the web journal form and ``POST /api/.../sessions``.

The session's surface dose comes from the device model at the logged distance; a stored plan it followed adds
its target dose (scaled to the actual time and irradiance, only for the same site and device). Before it is
stored, the session gets the same safety verdict that ``plan`` and ``safety device`` give for it
(:func:`photodose.planning.safety_link.session_safety`: eyes, skin, heating, screening, overdose with the
earlier sessions at the site). The session is stored, then checked against the overdose bounds (the protocol's
when it followed a plan, else photodose's defaults) with every other session at the site. The session is kept
either way: a warning is for next time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PhotodoseInputError
from ..safety.checks import SafetyReport


class OverdoseWarning(BaseModel):
    """An overdose bound a logged session exceeded (a caution), with the change that would pass it next time."""

    model_config = ConfigDict(frozen=True)
    name: str
    message: str
    remedy: str | None
    bounds: str


class LoggedSession(BaseModel):
    """What was stored (``session``: the journal row as JSON; ``sessions``: one row per site when the session
    covered several) and what the checks found."""

    model_config = ConfigDict(frozen=True)
    session: dict
    overdose_warnings: list[OverdoseWarning]
    sessions: list[dict] = []
    safety: SafetyReport | None = None                    # the verdict for the (first) site, as `plan` gives it
    safety_by_site: dict[str, SafetyReport] = Field(default_factory=dict)


def log_session(journal, profile_id: int, *, site: str | list[str], device_id: str, distance_mm: float,
                duration_s: float, start_at: datetime, plan_id: int | None = None,
                channels: list[str] | None = None, notes: str | None = None, warmth_0_10: int | None = None,
                comfort: str | None = None, side_effects: list[str] | list[dict] | None = None,
                goggles: bool = False, eye_distance_mm: float | None = None) -> LoggedSession:
    """Store one session of ``duration_s`` s with ``device_id`` at ``distance_mm`` on ``site`` from ``start_at``.

    ``site`` may list several sites treated at once (a full-body panel on face, chest and knee): one row per site
    with that site's dose, sharing a group id, each site checked for overdose. ``side_effects``: "EFFECT[:SEVERITY]"
    strings or dicts (:mod:`photodose.journal.side_effects`). A session that followed a plan with a ramp-up or
    taper schedule is also checked against that week of the schedule (:func:`schedule_warnings`).
    """
    import uuid

    from ..journal import repository
    from ..journal.dosing import logged_session_dose
    from ..journal.exchange import record_dict
    from ..journal.overdose import logged_session_warnings
    from ..journal.side_effects import parse_side_effects
    from ..journal.sites import require_site

    sites = [require_site(s) for s in ([site] if isinstance(site, str) else list(site))]
    if not sites:
        raise PhotodoseInputError("site", site, "at least one site")
    effects = parse_side_effects(side_effects)
    plan = repository.stored_plan(repository.get_plan(journal, profile_id, plan_id)) if plan_id is not None else None
    doses = [(s, logged_session_dose(device_id, distance_mm, duration_s, s, plan, channels)) for s in sites]
    profile = next(p for p in repository.list_profiles(journal) if p.id == profile_id)
    verdicts = {s: session_verdict(journal, profile, site=s, device_id=device_id, distance_mm=distance_mm,
                                   duration_s=duration_s, start_at=start_at, plan=plan, channels=channels,
                                   goggles=goggles, eye_distance_mm=eye_distance_mm) for s in sites}
    rows = repository.log_session_sites(
        journal, profile_id, doses, start_at=start_at, duration_s=duration_s, device_id=device_id,
        distance_mm=distance_mm, plan_id=plan_id, planned_seconds=plan.session_seconds if plan else None,
        channels=channels, notes=notes, warmth_0_10=warmth_0_10, comfort=comfort,
        session_group=uuid.uuid4().hex if len(sites) > 1 else None, side_effects=effects)
    warnings = []
    for row in rows:
        warnings += logged_session_warnings(journal, profile_id, row.site, start_at, row.surface_fluence_j_cm2,
                                            row.id, plan.protocol.id if plan and plan.protocol else None,
                                            schedule=_schedule_week(journal, profile_id, plan_id, plan, start_at))
    if plan is not None:
        warnings += schedule_warnings(journal, profile_id, plan_id, plan, start_at, duration_s)
    records = [record_dict(r) for r in rows]
    return LoggedSession(session=records[0], sessions=records,
                         overdose_warnings=[OverdoseWarning(**w) for w in warnings],
                         safety=verdicts[sites[0]], safety_by_site=verdicts)


def session_verdict(journal, profile, *, site: str, device_id: str, distance_mm: float, duration_s: float,
                    start_at: datetime, plan=None, channels: list[str] | None = None, goggles: bool = False,
                    eye_distance_mm: float | None = None) -> SafetyReport:
    """The safety verdict on one logged session (``profile``: its journal Profile row) before it is stored: the
    same function and inputs as a plan for this profile (phototype, measured fat, screening answers, earlier
    sessions at the site, the protocol's overdose bounds when it followed a plan, else photodose's defaults)."""
    from ..planning.safety_link import overdose_bounds, session_safety
    from ..dosimetry.session_dose import TissueModel, load_device_any
    from ..dosimetry.surface import choose_channels
    from .person import person_plan_inputs

    inputs = person_plan_inputs(journal, profile, site, now=start_at)
    protocol_id = plan.protocol.id if plan is not None and plan.protocol else None
    person = {**inputs["safety"], "planned_start": start_at,
              "bounds": overdose_bounds(protocol_id)}
    device = load_device_any(device_id)
    verdict = session_safety(device, site=site, distance_mm=distance_mm, session_seconds=duration_s,
                             channels=choose_channels(device, channels),
                             tissue=TissueModel(site, inputs["skin_type"] or "III", inputs["thickness_mm"]),
                             eye_distance_mm=eye_distance_mm, goggles=goggles, person=person)
    return verdict.report


def _schedule_week(journal, profile_id: int, plan_id: int | None, plan, when: datetime):
    """(sessions per week, session fraction, phase label) of the plan's schedule in the week of ``when``."""
    if plan is None or not plan.schedule.phases:
        return None
    from ..journal.adherence import plan_adherence
    from ..planning.schedule import weekly_plan

    adherence = plan_adherence(journal, profile_id, plan_id, today=when.date())
    weeks = weekly_plan(plan.schedule)
    return next((weeks[i] for i, w in enumerate(adherence.by_week)
                 if w.week_start <= when.date() < w.week_start + timedelta(days=7)), None)


def schedule_warnings(journal, profile_id: int, plan_id: int, plan, start_at: datetime, duration_s: float) -> list:
    """A session longer than its ramp-up week allows (more than 10 % over that week's fraction of the plan's
    session length; the 10 % is a photodose tolerance, unsourced)."""
    week = _schedule_week(journal, profile_id, plan_id, plan, start_at)
    if week is None or not plan.session_seconds:
        return []
    _, fraction, label = week
    allowed_s = fraction * plan.session_seconds
    if duration_s <= 1.1 * allowed_s:
        return []
    return [{"name": "schedule:session_length",
             "message": f"{duration_s / 60:.3g} min in a '{label}' week, which plans {fraction:.0%} of the "
                        f"{plan.session_seconds / 60:.3g} min session ({allowed_s / 60:.3g} min).",
             "remedy": f"keep sessions to {allowed_s / 60:.3g} min this week",
             "bounds": f"the plan's {plan.schedule.kind} schedule" + (" (photodose assumption (unsourced))"
                                                                     if plan.schedule.unsourced else "")}]


def log_session_from_plan(journal, profile_id: int, plan_id: int, duration_s: float, *,
                          ended_at: datetime | None = None, notes: str | None = None,
                          warmth_0_10: int | None = None,
                          side_effects: list[str] | list[dict] | None = None) -> LoggedSession:
    """Log a session that followed stored plan ``plan_id`` (its site, device and distance) for ``duration_s``
    seconds, ending ``ended_at`` (default now). Following the plan means wearing the goggles it required."""
    from ..journal import repository

    plan = repository.stored_plan(repository.get_plan(journal, profile_id, plan_id))
    end = (ended_at or datetime.now()).replace(microsecond=0)
    return log_session(journal, profile_id, site=plan.site, device_id=plan.device, distance_mm=plan.distance_mm,
                       duration_s=duration_s, start_at=end - timedelta(seconds=round(duration_s)), plan_id=plan_id,
                       channels=[r.channel for r in plan.surface.by_wavelength], notes=notes,
                       warmth_0_10=warmth_0_10, side_effects=side_effects, goggles=plan.safety.goggles_required,
                       eye_distance_mm=plan.eye.distance_mm if plan.eye is not None and not plan.eye.in_beam else None)
