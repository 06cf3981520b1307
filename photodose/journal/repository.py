"""Reading and writing the journal. Every write is one transaction: validated first, nothing written on refusal."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from ..errors import PhotodoseInputError, require_in_range
from ..outcomes import Score
from ..planning.plan_model import Plan as PlanResult, load_plan
from .db import Journal
from .dosing import SessionDose
from .models import DeviceInUse, Outcome, Plan, Profile, TherapySession
from .sites import require_site

PHOTOTYPES = ("I", "II", "III", "IV", "V", "VI")


def _phototype(given) -> str:
    """The one skin-type parser (I-VI or 1-6: ``optics.phototypes.normalise_skin_type``), as the profile's field."""
    from ..optics.phototypes import normalise_skin_type

    try:
        return normalise_skin_type(given)
    except PhotodoseInputError as exc:
        raise PhotodoseInputError("skin_phototype", given, exc.allowed) from None
CLOCK_SKEW = timedelta(minutes=1)
EARLIEST = datetime(1960, 1, 1)  # the first laser; a journal entry dated earlier is a typing error


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def require_past(field: str, when: datetime, now: datetime | None = None) -> datetime:
    """``when`` if it lies between 1960 (the first laser: no light-therapy entry can be older) and now (local
    wall-clock time), else PhotodoseInputError."""
    now = now or _now()
    if when > now + CLOCK_SKEW:
        raise PhotodoseInputError(field, when.isoformat(sep=" "),
                                  f"must not be in the future (now {now:%Y-%m-%d %H:%M})")
    if when < EARLIEST:
        raise PhotodoseInputError(field, when.isoformat(sep=" "), f"must not be before {EARLIEST:%Y-%m-%d}")
    return when


def _blank_to_none(text: str | None) -> str | None:
    return text if text else None


# --- profiles ---------------------------------------------------------------------------------------------------

def add_profile(db: Journal, name: str, *, skin_phototype: str | None = None,
                body_measurements: dict[str, Any] | None = None,
                contraindication_answers: dict[str, Any] | None = None,
                answered_at: datetime | None = None, created_at: datetime | None = None,
                owner: str | None = None) -> Profile:
    """Create a profile (a person's name or pseudonym must be unique among its ``owner``'s profiles: a web
    account's name, or None for the local user; another owner's names are neither checked nor revealed)."""
    from ..inputs import check_text

    name = check_text((name or "").strip(), "name")  # valid Unicode, no NUL
    if not name:
        raise PhotodoseInputError("name", name, "a non-empty name or pseudonym")
    phototype = None if skin_phototype is None else _phototype(skin_phototype)
    if contraindication_answers is not None and answered_at is None:
        answered_at = _now()
    with db.transaction() as s:
        if s.scalar(select(Profile.id).where(Profile.name == name, owned_by(owner))) is not None:
            raise PhotodoseInputError("name", name, "a profile with this name exists; choose another")
        profile = Profile(name=name, owner=owner, skin_phototype=phototype, body_measurements=body_measurements,
                          contraindication_answers=contraindication_answers,
                          contraindications_answered_at=answered_at, created_at=created_at or _now())
        s.add(profile)
    return profile


def owned_by(owner: str | None):
    """SQL condition: the profile belongs to ``owner`` (None: the local user)."""
    return Profile.owner.is_(None) if owner is None else Profile.owner == owner


def list_profiles(db: Journal) -> list[Profile]:
    with db.read() as s:
        return list(s.scalars(select(Profile).order_by(Profile.id)))


def get_profile(db: Journal, name: str | None = None) -> Profile:
    """The profile called ``name``; without a name, the only profile (several profiles need a name)."""
    profiles = list_profiles(db)
    if name is None:
        if len(profiles) == 1:
            return profiles[0]
        allowed = ("create one with `photodose profile add NAME`" if not profiles else
                   "several profiles exist; pass --profile with one of: " + ", ".join(p.name for p in profiles))
        raise PhotodoseInputError("profile", None, allowed)
    for p in sorted(profiles, key=lambda p: p.owner is not None):  # the local user's own profile first
        if p.name == name or str(p.id) == str(name):
            return p
    raise PhotodoseInputError("profile", name, "known profiles: " + (", ".join(p.name for p in profiles) or "none"))


def set_contraindication_answers(db: Journal, profile_id: int, answers: dict[str, Any],
                                 answered_at: datetime | None = None) -> None:
    """Store the safety questionnaire's answers with the date they were given."""
    with db.transaction() as s:
        profile = s.get(Profile, profile_id)
        if profile is None:
            raise PhotodoseInputError("profile_id", profile_id, "an existing profile id")
        profile.contraindication_answers = answers
        profile.contraindications_answered_at = require_past("answered_at", answered_at or _now())


def delete_profile(db: Journal, profile_id: int) -> None:
    """Delete a profile and all its devices, plans, sessions and outcomes (ON DELETE CASCADE)."""
    with db.transaction() as s:
        profile = s.get(Profile, profile_id)
        if profile is None:
            raise PhotodoseInputError("profile_id", profile_id, "an existing profile id")
        s.delete(profile)


# --- devices and plans ------------------------------------------------------------------------------------------

def typed_plan(plan: PlanResult | dict[str, Any] | Any, plan_id: int | None = None) -> PlanResult:
    """The typed plan from a Plan or its JSON (any schema version: ``planning.plan_model.load_plan``);
    anything else is refused naming the first field that does not fit."""
    allowed = "a plan as printed by `photodose plan --json`"
    if not isinstance(plan, (PlanResult, dict)):
        raise PhotodoseInputError("plan", type(plan).__name__, allowed)
    try:
        return load_plan(plan)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "plan"
        value = plan_id if plan_id is not None else str(first.get("input"))[:60]
        raise PhotodoseInputError(f"plan.{where}" if where != "plan" else "plan", value,
                                  f"{allowed} ({first['msg']})") from None


def add_plan(db: Journal, profile_id: int, plan: PlanResult | dict[str, Any],
             created_at: datetime | None = None, course_start: datetime | None = None) -> Plan:
    """Store a plan (validated as a typed Plan and stored as its JSON); a plan the safety gate refused, or one
    without a session time, is not stored. ``course_start``: the day the person starts its course (``log plan
    --start``); None lets the first session logged with it start the course."""
    typed = typed_plan(plan)
    if not typed.followable:
        raise PhotodoseInputError("plan.status", typed.status,
                                  "a plan the safety gate passed (ok or caution); a refused plan cannot be followed")
    stored = typed.model_dump(mode="json")
    with db.transaction() as s:
        same_start = Plan.course_start.is_(None) if course_start is None else Plan.course_start == course_start
        for same in s.scalars(select(Plan).where(Plan.profile_id == profile_id, same_start)):
            if same.plan == stored:  # saving the same plan twice (a double click, a resent form) stores it once
                return same
        row = Plan(profile_id=profile_id, plan=stored, created_at=created_at or _now(), course_start=course_start)
        s.add(row)
    return row


def stored_plan(row: Plan) -> PlanResult:
    """The typed plan of a stored plan row (read through the versioned loader)."""
    return typed_plan(row.plan, row.id)


def get_plan(db: Journal, profile_id: int, plan_id: int) -> Plan:
    with db.read() as s:
        plan = s.get(Plan, plan_id)
    if plan is None or plan.profile_id != profile_id:
        raise PhotodoseInputError("plan", plan_id, "the id of a plan stored for this profile")
    return plan


def list_plans(db: Journal, profile_id: int) -> list[Plan]:
    with db.read() as s:
        return list(s.scalars(select(Plan).where(Plan.profile_id == profile_id).order_by(Plan.id)))


def list_devices(db: Journal, profile_id: int) -> list[DeviceInUse]:
    with db.read() as s:
        return list(s.scalars(select(DeviceInUse).where(DeviceInUse.profile_id == profile_id).order_by(DeviceInUse.id)))


# --- sessions ---------------------------------------------------------------------------------------------------

def log_session(db: Journal, profile_id: int, *, start_at: datetime, duration_s: float, site: str, device_id: str,
                distance_mm: float, dose: SessionDose, plan_id: int | None = None,
                planned_seconds: float | None = None, channels: list[Any] | None = None, notes: str | None = None,
                warmth_0_10: int | None = None, comfort: str | None = None, session_group: str | None = None,
                side_effects: list[dict] | None = None) -> TherapySession:
    """Record one session (and the device as in use) in one transaction; refused input writes nothing."""
    return log_session_sites(db, profile_id, [(site, dose)], start_at=start_at, duration_s=duration_s,
                             device_id=device_id, distance_mm=distance_mm, plan_id=plan_id,
                             planned_seconds=planned_seconds, channels=channels, notes=notes,
                             warmth_0_10=warmth_0_10, comfort=comfort, session_group=session_group,
                             side_effects=side_effects)[0]


def log_session_sites(db: Journal, profile_id: int, site_doses: list[tuple[str, SessionDose]], *,
                      start_at: datetime, duration_s: float, device_id: str, distance_mm: float,
                      plan_id: int | None = None, planned_seconds: float | None = None,
                      channels: list[Any] | None = None, notes: str | None = None, warmth_0_10: int | None = None,
                      comfort: str | None = None, session_group: str | None = None,
                      side_effects: list[dict] | None = None) -> list[TherapySession]:
    """Record one session over one or several sites: one row per site with that site's dose, sharing
    ``session_group`` (required for several sites), in one transaction; refused input writes nothing."""
    sites = [require_site(site) for site, _ in site_doses]
    if len(set(sites)) != len(sites):
        raise PhotodoseInputError("site", ",".join(sites), "each site once per session")
    if len(sites) > 1 and not session_group:
        raise PhotodoseInputError("session_group", session_group, "a group id for a session over several sites")
    require_past("at", start_at)
    require_in_range("duration_s", duration_s, 0, 24 * 3600, low_inclusive=False)
    require_in_range("distance_mm", distance_mm, 0, None)
    if warmth_0_10 is not None and (require_in_range("warmth", warmth_0_10, 0, 10) != int(warmth_0_10)):
        raise PhotodoseInputError("warmth", warmth_0_10, "a whole number 0-10")
    rows = []
    with db.transaction() as s:
        if plan_id is not None:
            plan = s.get(Plan, plan_id)
            if plan is None or plan.profile_id != profile_id:
                raise PhotodoseInputError("plan", plan_id, "the id of a plan stored for this profile")
        for site, (_, dose) in zip(sites, site_doses):
            row = TherapySession(
                profile_id=profile_id, plan_id=plan_id, start_at=start_at, duration_s=float(duration_s), site=site,
                device_id=device_id, channels=channels, distance_mm=float(distance_mm),
                planned_seconds=planned_seconds, surface_irradiance_mw_cm2=dose.surface_irradiance_mw_cm2,
                surface_fluence_j_cm2=dose.surface_fluence_j_cm2, target_depth_mm=dose.target_depth_mm,
                target_fluence_j_cm2=dose.target_fluence_j_cm2, notes=_blank_to_none(notes),
                warmth_0_10=warmth_0_10, comfort=_blank_to_none(comfort), session_group=session_group,
                side_effects=side_effects or None)
            s.add(row)
            rows.append(row)
        known = select(DeviceInUse.id).where(DeviceInUse.profile_id == profile_id, DeviceInUse.device_id == device_id)
        if s.scalar(known) is None:
            s.add(DeviceInUse(profile_id=profile_id, device_id=device_id, added_at=start_at))
    return rows


def list_sessions(db: Journal, profile_id: int, site: str | None = None, since: datetime | None = None,
                  until: datetime | None = None) -> list[TherapySession]:
    """Sessions in start order; ``since`` inclusive, ``until`` exclusive."""
    query = select(TherapySession).where(TherapySession.profile_id == profile_id)
    if site is not None:
        query = query.where(TherapySession.site == require_site(site))
    if since is not None:
        query = query.where(TherapySession.start_at >= since)
    if until is not None:
        query = query.where(TherapySession.start_at < until)
    with db.read() as s:
        return list(s.scalars(query.order_by(TherapySession.start_at, TherapySession.id)))


# --- outcomes ---------------------------------------------------------------------------------------------------

def log_outcome(db: Journal, profile_id: int, score: Score, *, recorded_at: datetime, site: str | None = None,
                notes: str | None = None) -> Outcome:
    """Record a scored instrument (from :mod:`photodose.outcomes`); pain needs a known site."""
    from ..outcomes import get_instrument

    if get_instrument(score.instrument).needs_site:
        if site is None:
            raise PhotodoseInputError("site", None, f"{score.instrument} needs --site")
        site = require_site(site)
    elif site is not None:
        site = require_site(site)
    require_past("at", recorded_at)
    with db.transaction() as s:
        row = Outcome(profile_id=profile_id, instrument=score.instrument,
                      item_scores=list(score.items) if score.items is not None else None, total=score.total,
                      band=score.band, site=site, recorded_at=recorded_at, notes=_blank_to_none(notes))
        s.add(row)
    return row


def log_custom_metric(db: Journal, profile_id: int, name: str, *, recorded_at: datetime, value: float | None = None,
                      unit: str | None = None, file_path: str | None = None, site: str | None = None,
                      notes: str | None = None) -> Outcome:
    """Record a free-form metric (e.g. a wrinkle score, or a photo's file path); needs a value or a file."""
    name = (name or "").strip()
    if not name:
        raise PhotodoseInputError("name", name, "a metric name, e.g. 'wrinkle score'")
    if value is None and not file_path:
        raise PhotodoseInputError("value", None, "give --value and/or --file")
    if value is not None:
        value = require_in_range("value", value)
    site = require_site(site) if site is not None else None
    require_past("at", recorded_at)
    with db.transaction() as s:
        row = Outcome(profile_id=profile_id, instrument="custom", metric_name=name, metric_value=value,
                      metric_unit=_blank_to_none(unit), file_path=_blank_to_none(file_path), site=site,
                      recorded_at=recorded_at, notes=_blank_to_none(notes))
        s.add(row)
    return row


def list_outcomes(db: Journal, profile_id: int, instrument: str | None = None) -> list[Outcome]:
    query = select(Outcome).where(Outcome.profile_id == profile_id)
    if instrument is not None:
        query = query.where(Outcome.instrument == instrument)
    with db.read() as s:
        return list(s.scalars(query.order_by(Outcome.recorded_at, Outcome.id)))


# --- corrections: edit and delete (one transaction each; the same checks as the inserts) ------------------------

KEEP: Any = ...  # an argument left at KEEP keeps the stored value; None clears an optional one


def _owned(s, model, row_id: int, profile_id: int, what: str):
    row = s.get(model, row_id)
    if row is None or row.profile_id != profile_id:
        raise PhotodoseInputError(f"{what}_id", row_id, f"the id of a {what} stored for this profile")
    return row


def _session_rows(s, profile_id: int, session_id: int) -> list[TherapySession]:
    """The session row and, for a session over several sites, the other rows of its group."""
    row = _owned(s, TherapySession, session_id, profile_id, "session")
    if not row.session_group:
        return [row]
    return list(s.scalars(select(TherapySession).where(TherapySession.profile_id == profile_id,
                                                       TherapySession.session_group == row.session_group)))


def get_session(db: Journal, profile_id: int, session_id: int) -> TherapySession:
    with db.read() as s:
        return _owned(s, TherapySession, session_id, profile_id, "session")


def update_session(db: Journal, profile_id: int, session_id: int, *, start_at: datetime = KEEP,
                   duration_s: float = KEEP, notes: str | None = KEEP, warmth_0_10: int | None = KEEP,
                   comfort: str | None = KEEP) -> TherapySession:
    """Correct a logged session (every row of a session over several sites): its start, length, notes, warmth or
    comfort, checked as :func:`log_session_sites` checks them. A new length rescales the stored surface and target
    fluence by new/old length: both are irradiance x time at the session's unchanged irradiance
    (:func:`photodose.journal.dosing.logged_session_dose`)."""
    if start_at is not KEEP:
        require_past("at", start_at)
    if duration_s is not KEEP:
        duration_s = require_in_range("duration_s", duration_s, 0, 24 * 3600, low_inclusive=False)
    if warmth_0_10 not in (KEEP, None) and require_in_range("warmth", warmth_0_10, 0, 10) != int(warmth_0_10):
        raise PhotodoseInputError("warmth", warmth_0_10, "a whole number 0-10")
    with db.transaction() as s:
        rows = _session_rows(s, profile_id, session_id)
        for row in rows:
            if duration_s is not KEEP and duration_s != row.duration_s:
                scale = duration_s / row.duration_s
                row.surface_fluence_j_cm2 *= scale
                if row.target_fluence_j_cm2 is not None:
                    row.target_fluence_j_cm2 *= scale
                row.duration_s = duration_s
            if start_at is not KEEP:
                row.start_at = start_at
            if notes is not KEEP:
                row.notes = _blank_to_none(notes)
            if comfort is not KEEP:
                row.comfort = _blank_to_none(comfort)
            if warmth_0_10 is not KEEP:
                row.warmth_0_10 = None if warmth_0_10 is None else int(warmth_0_10)
    return next(r for r in rows if r.id == session_id)


def delete_session(db: Journal, profile_id: int, session_id: int) -> int:
    """Delete a logged session (every row of a session over several sites); returns the rows deleted."""
    with db.transaction() as s:
        rows = _session_rows(s, profile_id, session_id)
        for row in rows:
            s.delete(row)
    return len(rows)


def get_outcome(db: Journal, profile_id: int, outcome_id: int) -> Outcome:
    with db.read() as s:
        return _owned(s, Outcome, outcome_id, profile_id, "outcome")


def update_outcome(db: Journal, profile_id: int, outcome_id: int, *, recorded_at: datetime = KEEP,
                   notes: str | None = KEEP, site: str | None = KEEP, score: Score = KEEP) -> Outcome:
    """Correct a logged outcome: when, notes, site (checked as :func:`log_outcome` checks them) or its score (a
    :class:`photodose.outcomes.Score` of the same instrument, re-scored by :mod:`photodose.outcomes`)."""
    from ..outcomes import get_instrument

    if recorded_at is not KEEP:
        require_past("at", recorded_at)
    if site not in (KEEP, None):
        site = require_site(site)
    with db.transaction() as s:
        row = _owned(s, Outcome, outcome_id, profile_id, "outcome")
        if score is not KEEP:
            if score.instrument != row.instrument:
                raise PhotodoseInputError("instrument", score.instrument, f"this outcome's own, {row.instrument}")
            row.item_scores = list(score.items) if score.items is not None else None
            row.total, row.band = score.total, score.band
        if site is not KEEP:
            if site is None and row.instrument != "custom" and get_instrument(row.instrument).needs_site:
                raise PhotodoseInputError("site", None, f"{row.instrument} needs a site")
            row.site = site
        if recorded_at is not KEEP:
            row.recorded_at = recorded_at
        if notes is not KEEP:
            row.notes = _blank_to_none(notes)
    return row


def delete_outcome(db: Journal, profile_id: int, outcome_id: int) -> None:
    with db.transaction() as s:
        s.delete(_owned(s, Outcome, outcome_id, profile_id, "outcome"))


def delete_plan(db: Journal, profile_id: int, plan_id: int) -> int:
    """Delete a saved plan. The sessions that followed it stay in the journal (they happened), no longer linked
    to a plan; returns how many sessions that unlinked."""
    with db.transaction() as s:
        plan = s.get(Plan, plan_id)
        if plan is None or plan.profile_id != profile_id:
            raise PhotodoseInputError("plan", plan_id, "the id of a plan stored for this profile")
        followed = list(s.scalars(select(TherapySession).where(TherapySession.plan_id == plan_id)))
        for row in followed:
            row.plan_id = None
        s.flush()
        s.delete(plan)
    return len(followed)
