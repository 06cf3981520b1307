"""Overdose: cumulative fluence per body site per day and per week, and sessions too close together.

The bounds are photodose defaults, not published overdose limits: the top of the protocol's skin window as the
day's fluence at one site, the top of its schedule's sessions per week, and a minimum interval (the planner passes
them; photodose assumption (unsourced)). Huang et al. 2009 (bibliography key huang2009, biphasic dose response)
supports only the principle behind them, that more is not better; it gives none of these numbers.
Because no bound is a sourced injury threshold, exceeding one is a caution with its remedy, never a refusal (the
eye, skin and heating checks refuse on sourced limits; the dose window's verdict says "above" beside it).
Windows (photodose's choice): "day" = the calendar date of the planned session; "week" = the 7 days ending at
the planned session's start (rolling). Sites are compared case-insensitively. Naive datetimes are read as UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from ._time import as_utc
from .checks import SafetyCheck

SOURCE = ("photodose assumption (unsourced): the bounds are photodose defaults (the protocol's window top and "
          "schedule), not published limits; Huang et al. 2009 (huang2009) supports only that more is not better")


class Session(BaseModel):
    """One session at one body site: when it started and the surface fluence it delivered (J/cm2)."""

    start: datetime
    site: str
    fluence_j_cm2: float = Field(ge=0)


class ProtocolBounds(BaseModel):
    """A protocol's upper bounds. ``None`` means the protocol sets no such bound."""

    max_fluence_per_day_j_cm2: float | None = Field(default=None, gt=0)
    max_fluence_per_week_j_cm2: float | None = Field(default=None, gt=0)
    max_sessions_per_week: int | None = Field(default=None, ge=1)
    min_hours_between_sessions: float | None = Field(default=None, ge=0)



def evaluate_overdose(prior: list[Session], planned: Session, bounds: ProtocolBounds) -> list[SafetyCheck]:
    """Checks of the planned session against the bounds, given the prior sessions (any site; others ignored)."""
    site = planned.site.strip().lower()
    start = as_utc(planned.start)
    same_site = [s for s in prior if s.site.strip().lower() == site]
    checks: list[SafetyCheck] = []

    if bounds.max_fluence_per_day_j_cm2 is not None:
        day = sum(s.fluence_j_cm2 for s in same_site if as_utc(s.start).date() == start.date())
        checks.append(_fluence_check("overdose:day", "today", day, planned.fluence_j_cm2,
                                     bounds.max_fluence_per_day_j_cm2, site))
    week_prior = [s for s in same_site if start - timedelta(days=7) < as_utc(s.start) <= start]
    if bounds.max_fluence_per_week_j_cm2 is not None:
        week = sum(s.fluence_j_cm2 for s in week_prior)
        checks.append(_fluence_check("overdose:week", "in the last 7 days", week, planned.fluence_j_cm2,
                                     bounds.max_fluence_per_week_j_cm2, site))
    if bounds.max_sessions_per_week is not None:
        count = len(week_prior) + 1
        excess = count - bounds.max_sessions_per_week
        starts = sorted(as_utc(s.start) for s in week_prior)
        checks.append(_bound_check(
            "overdose:sessions_per_week", excess <= 0,
            f"{count} sessions on '{site}' in 7 days including this one (at most {bounds.max_sessions_per_week}).",
            count, bounds.max_sessions_per_week, "sessions",
            f"wait until after {(starts[excess - 1] + timedelta(days=7)).isoformat()}" if excess > 0 else None))
    if bounds.min_hours_between_sessions is not None and same_site:
        gap_h = min(abs((start - as_utc(s.start)).total_seconds()) / 3600.0 for s in same_site)
        short_h = bounds.min_hours_between_sessions - gap_h
        checks.append(_bound_check(
            "overdose:interval", short_h <= 0,
            f"{gap_h:.1f} h from the nearest session on '{site}' (at least {bounds.min_hours_between_sessions:g} h).",
            gap_h, bounds.min_hours_between_sessions, "h", f"move the session {short_h:.1f} h later" if short_h > 0
            else None))
    return checks


def _bound_check(name: str, ok: bool, message: str, value: float, limit: float, unit: str,
                 remedy: str | None) -> SafetyCheck:
    return SafetyCheck(name=name, status="ok" if ok else "caution", message=message, value=value, limit=limit,
                       unit=unit, source=SOURCE, remedy=None if ok else remedy)


def _fluence_check(name: str, window: str, earlier_j_cm2: float, planned_j_cm2: float, bound_j_cm2: float,
                   site: str) -> SafetyCheck:
    total = earlier_j_cm2 + planned_j_cm2
    ok = total <= bound_j_cm2 * (1 + 1e-9)
    room = max(bound_j_cm2 - earlier_j_cm2, 0.0)
    remedy = None
    if not ok:
        remedy = ("no more light on this site " + window if room <= 0 else
                  f"shorten the session to {room / planned_j_cm2:.0%} of its length ({room:.1f} J/cm2)")
    return _bound_check(name, ok, f"{total:.1f} J/cm2 on '{site}' {window} including this session "
                                  f"(at most {bound_j_cm2:g}); more is not better.",
                        total, bound_j_cm2, "J/cm2", remedy)


def earliest_start(prior: list[Session], planned: Session, bounds: ProtocolBounds,
                   max_days_ahead: int = 14) -> datetime | None:
    """The earliest start, at or after ``planned.start``, at which the planned session passes the interval, day
    and week bounds given the prior sessions; None when no start within ``max_days_ahead`` days does (e.g. the
    session alone exceeds the day's bound). A session earlier today moves the next one later instead of blocking it.
    """
    start = as_utc(planned.start)
    limit = start + timedelta(days=max_days_ahead)
    while start <= limit:
        checks = evaluate_overdose(prior, planned.model_copy(update={"start": start}), bounds)
        failed = {c.name for c in checks if c.status != "ok"}
        if not failed:
            return start
        site = planned.site.strip().lower()
        same_site = sorted(as_utc(s.start) for s in prior if s.site.strip().lower() == site)
        later = [start + timedelta(minutes=1)]
        if "overdose:interval" in failed and bounds.min_hours_between_sessions is not None:
            later.append(max(s for s in same_site if s <= start + timedelta(hours=bounds.min_hours_between_sessions))
                         + timedelta(hours=bounds.min_hours_between_sessions))
        if "overdose:day" in failed:
            later.append(datetime.combine(start.date() + timedelta(days=1), start.timetz()).replace(
                hour=0, minute=0, second=0, microsecond=0))   # the next day's midnight
        if failed & {"overdose:week", "overdose:sessions_per_week"}:
            week = [s for s in same_site if start - timedelta(days=7) < s <= start]
            if week:
                later.append(week[0] + timedelta(days=7, minutes=1))
        start = max(later)
    return None
