"""Adherence: sessions done against the plan's schedule (``schedule.sessions_per_week`` for ``schedule.weeks``
ISO weeks, or week by week through its phases: ramp-up, daily-then-taper), missed sessions, and streaks of weeks on
schedule.

The course starts on the date given with ``log plan --start DATE``, else on the day of the first session logged
with the plan (so sessions logged afterwards with earlier dates are counted), else on the day the plan was stored.
Sessions before the course or after its last week are counted and listed as outside the course."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..errors import PhotodoseInputError
from .cumulative import iso_week_key
from .db import Journal
from .repository import get_plan, list_sessions, stored_plan


@dataclass(frozen=True)
class WeekAdherence:
    iso_week: str
    week_start: date  # Monday
    planned: int
    done: int
    missed: int
    status: str  # met | short | in progress | upcoming
    phase: str = "as planned"
    session_fraction: float = 1.0


@dataclass(frozen=True)
class Adherence:
    sessions_per_week: int
    weeks: int
    course_start: date
    by_week: list[WeekAdherence]
    sessions_done: int
    sessions_planned_so_far: int
    sessions_missed: int
    current_streak_weeks: int
    longest_streak_weeks: int
    sessions_outside_course: int
    course_start_from: str = "given"  # "--start", "first session", "plan stored" or "given"
    outside_course: list[str] = field(default_factory=list)  # ISO start times of the sessions outside


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_adherence(session_starts: list[datetime], sessions_per_week: int, weeks: int, course_start: date,
                     today: date, weekly: list[tuple[int, float, str]] | None = None) -> Adherence:
    """Pure adherence arithmetic.

    The course is ``weeks`` ISO weeks from the week holding ``course_start``, each planning ``sessions_per_week``
    or, with ``weekly``, that week's (sessions, session fraction, phase label) (``planning.schedule.weekly_plan``);
    the first week plans min(sessions, days left in it from ``course_start``). A week that has ended counts
    max(0, planned - done) missed sessions; the current week is "in progress" (nothing missed yet).
    A streak is a run of consecutive ended weeks with done >= planned; the current streak ends at the last
    ended week.
    """
    weekly = weekly or [(sessions_per_week, 1.0, "as planned")] * weeks
    weeks = len(weekly)
    first_monday = _monday(course_start)
    counts = Counter(_monday(t.date()) for t in session_starts if t.date() >= course_start)
    by_week: list[WeekAdherence] = []
    for i, (per_week, fraction, label) in enumerate(weekly):
        monday = first_monday + timedelta(days=7 * i)
        days_available = 7 - course_start.weekday() if i == 0 else 7
        planned = min(per_week, days_available)
        done = counts.pop(monday, 0)
        if monday + timedelta(days=7) <= today:
            status = "met" if done >= planned else "short"
            missed = max(0, planned - done)
        else:
            status, missed = ("in progress" if monday <= today else "upcoming"), 0
        by_week.append(WeekAdherence(iso_week_key(monday), monday, planned, done, missed, status, label, fraction))
    ended = [w for w in by_week if w.status in ("met", "short")]
    longest = run = 0
    for w in ended:
        run = run + 1 if w.status == "met" else 0
        longest = max(longest, run)
    end = first_monday + timedelta(days=7 * weeks)
    outside_starts = sorted(t for t in session_starts if t.date() < course_start or t.date() >= end)
    return Adherence(
        sessions_per_week=sessions_per_week, weeks=weeks, course_start=course_start, by_week=by_week,
        sessions_done=sum(w.done for w in by_week),
        sessions_planned_so_far=sum(w.planned for w in by_week if w.status != "upcoming"),
        sessions_missed=sum(w.missed for w in by_week), current_streak_weeks=run,
        longest_streak_weeks=longest, sessions_outside_course=len(outside_starts),
        outside_course=[t.isoformat(sep=" ") for t in outside_starts])


def plan_schedule(plan) -> tuple[int, int]:
    """(sessions_per_week, weeks) from a typed plan's ``schedule``."""
    spw, weeks = plan.schedule.sessions_per_week, plan.schedule.weeks
    if spw < 1 or weeks < 1:
        raise PhotodoseInputError("plan.schedule", f"{spw} per week for {weeks} weeks",
                                  "sessions_per_week and weeks of at least 1")
    return spw, weeks


def plan_adherence(db: Journal, profile_id: int, plan_id: int, today: date | None = None,
                   course_start: date | None = None) -> Adherence:
    """Adherence to stored plan ``plan_id``: the sessions logged with that plan (``--plan ID``; a session over
    several sites counts once) against its schedule, from ``course_start`` (default: the plan's ``--start``, else
    the first linked session's day, else the day the plan was stored)."""
    from dataclasses import replace

    from ..planning.schedule import weekly_plan

    plan = get_plan(db, profile_id, plan_id)
    typed = stored_plan(plan)
    spw, weeks = plan_schedule(typed)
    starts, groups = [], set()
    for s in list_sessions(db, profile_id):
        if s.plan_id != plan_id or (s.session_group is not None and s.session_group in groups):
            continue
        groups.add(s.session_group)
        starts.append(s.start_at)
    if course_start is not None:
        start, origin = course_start, "given"
    elif plan.course_start is not None:
        start, origin = plan.course_start.date(), "--start"
    elif starts:
        start, origin = min(starts).date(), "first session"
    else:
        start, origin = plan.created_at.date(), "plan stored"
    result = weekly_adherence(starts, spw, weeks, start, today or date.today(), weekly_plan(typed.schedule))
    return replace(result, course_start_from=origin)
