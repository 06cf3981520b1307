"""Cumulative dose per body site per day, ISO week and course; the safety gate's overdose check reads this."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from .db import Journal
from .repository import list_sessions
from .sites import require_site


@dataclass(frozen=True)
class SiteSession:
    """One session's dose at a site (what the safety gate needs)."""

    session_id: int
    start_at: datetime
    duration_s: float
    surface_irradiance_mw_cm2: float
    surface_fluence_j_cm2: float
    target_depth_mm: float | None
    target_fluence_j_cm2: float | None


@dataclass
class DoseTotal:
    """Sums over sessions. ``target_fluence_j_cm2`` sums only sessions with a known target dose
    (``n_with_target`` of ``n_sessions``); None when no session had one."""

    n_sessions: int = 0
    surface_fluence_j_cm2: float = 0.0
    target_fluence_j_cm2: float | None = None
    n_with_target: int = 0

    def add(self, s: SiteSession) -> None:
        self.n_sessions += 1
        self.surface_fluence_j_cm2 += s.surface_fluence_j_cm2
        if s.target_fluence_j_cm2 is not None:
            self.target_fluence_j_cm2 = (self.target_fluence_j_cm2 or 0.0) + s.target_fluence_j_cm2
            self.n_with_target += 1


@dataclass
class CumulativeDose:
    """Dose at one site between ``since`` (inclusive) and ``until`` (exclusive): for the whole span (``course``),
    per calendar day (``by_day``, keyed by date) and per ISO week (``by_iso_week``, keyed "YYYY-Www")."""

    site: str
    since: datetime | None
    until: datetime | None
    course: DoseTotal = field(default_factory=DoseTotal)
    by_day: dict[date, DoseTotal] = field(default_factory=dict)
    by_iso_week: dict[str, DoseTotal] = field(default_factory=dict)


def iso_week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def sessions_for_site(db: Journal, profile_id: int, site: str, since: datetime | None = None,
                      until: datetime | None = None) -> list[SiteSession]:
    """Sessions at ``site`` in start order with their start times and fluences."""
    return [SiteSession(r.id, r.start_at, r.duration_s, r.surface_irradiance_mw_cm2, r.surface_fluence_j_cm2,
                        r.target_depth_mm, r.target_fluence_j_cm2)
            for r in list_sessions(db, profile_id, site=site, since=since, until=until)]


def accumulate(site: str, sessions: list[SiteSession], since: datetime | None = None,
               until: datetime | None = None) -> CumulativeDose:
    """Pure: sum session doses for the course, per day and per ISO week."""
    by_day: dict[date, DoseTotal] = defaultdict(DoseTotal)
    by_week: dict[str, DoseTotal] = defaultdict(DoseTotal)
    result = CumulativeDose(site, since, until)
    for s in sessions:
        result.course.add(s)
        by_day[s.start_at.date()].add(s)
        by_week[iso_week_key(s.start_at.date())].add(s)
    result.by_day, result.by_iso_week = dict(by_day), dict(by_week)
    return result


def cumulative_dose(db: Journal, profile_id: int, site: str, since: datetime | None = None,
                    until: datetime | None = None) -> CumulativeDose:
    """Cumulative surface and target fluence at ``site`` (sessions with since <= start < until)."""
    site = require_site(site)
    return accumulate(site, sessions_for_site(db, profile_id, site, since, until), since, until)
