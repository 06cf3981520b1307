"""Adherence: sessions done against the plan's schedule (``schedule.sessions_per_week`` for ``schedule.weeks``
ISO weeks), missed sessions, and streaks of weeks on schedule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
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


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_adherence(session_starts: list[datetime], sessions_per_week: int, weeks: int, course_start: date,
                     today: date) -> Adherence:
    """Pure adherence arithmetic.

    The course is ``weeks`` ISO weeks from the week holding ``course_start``; the first week plans
    min(sessions_per_week, days left in it from ``course_start``). A week that has ended counts
    max(0, planned - done) missed sessions; the current week is "in progress" (nothing missed yet).
    A streak is a run of consecutive ended weeks with done >= planned; the current streak ends at the last
    ended week.
    """
    first_monday = _monday(course_start)
    counts = Counter(_monday(t.date()) for t in session_starts if t.date() >= course_start)
    by_week: list[WeekAdherence] = []
    for i in range(weeks):
        monday = first_monday + timedelta(days=7 * i)
        days_available = 7 - course_start.weekday() if i == 0 else 7
        planned = min(sessions_per_week, days_available)
        done = counts.pop(monday, 0)
        if monday + timedelta(days=7) <= today:
            status = "met" if done >= planned else "short"
            missed = max(0, planned - done)
        else:
            status, missed = ("in progress" if monday <= today else "upcoming"), 0
        by_week.append(WeekAdherence(iso_week_key(monday), monday, planned, done, missed, status))
    ended = [w for w in by_week if w.status in ("met", "short")]
    longest = run = 0
    for w in ended:
        run = run + 1 if w.status == "met" else 0
        longest = max(longest, run)
    outside = sum(counts.values()) + sum(1 for t in session_starts if t.date() < course_start)
    return Adherence(
        sessions_per_week=sessions_per_week, weeks=weeks, course_start=course_start, by_week=by_week,
        sessions_done=sum(w.done for w in by_week),
        sessions_planned_so_far=sum(w.planned for w in by_week if w.status != "upcoming"),
        sessions_missed=sum(w.missed for w in by_week), current_streak_weeks=run,
        longest_streak_weeks=longest, sessions_outside_course=outside)


def plan_schedule(plan) -> tuple[int, int]:
    """(sessions_per_week, weeks) from a typed plan's ``schedule``."""
    spw, weeks = plan.schedule.sessions_per_week, plan.schedule.weeks
    if spw < 1 or weeks < 1:
        raise PhotodoseInputError("plan.schedule", f"{spw} per week for {weeks} weeks",
                                  "sessions_per_week and weeks of at least 1")
    return spw, weeks


def plan_adherence(db: Journal, profile_id: int, plan_id: int, today: date | None = None,
                   course_start: date | None = None) -> Adherence:
    """Adherence to stored plan ``plan_id``: the sessions logged with that plan (``--plan ID``) against its
    schedule, from ``course_start`` (default: the day the plan was stored)."""
    plan = get_plan(db, profile_id, plan_id)
    spw, weeks = plan_schedule(stored_plan(plan))
    starts = [s.start_at for s in list_sessions(db, profile_id) if s.plan_id == plan_id]
    return weekly_adherence(starts, spw, weeks, course_start or plan.created_at.date(), today or date.today())
