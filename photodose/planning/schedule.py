"""Recommended schedule (sessions per week, weeks) with its source, and the schedules people are told to follow.

- ``steady``: the protocol's sessions per week for its weeks (as its source states it, or unsourced).
- ``ramp-up``: makers tell people to build up gradually, starting with shorter sessions. No primary source gives
  the steps: photodose's choice (unsourced) is one week at 50 % of the planned session length, one at 75 %, then
  the full length, at the protocol's frequency.
- ``daily-then-taper``: for acute conditions, daily sessions first, then a taper to the maintenance frequency
  (advice repeated by consumer articles; no primary source gives the numbers). photodose's choice (unsourced):
  two weeks of daily sessions, two weeks at the midpoint between daily and the protocol's frequency, then the
  protocol's frequency for the rest of its weeks.

A schedule's weeks are :class:`~photodose.planning.plan_model.SchedulePhase` runs; :func:`weekly_plan` unrolls them
to (sessions, session fraction) per week, which journal adherence and the overdose check follow.
"""

from __future__ import annotations

SEED_SCHEDULE = {"sessions_per_week": 3, "sessions_per_week_range": [3, 5], "weeks": 8, "unsourced": True,
                 "source": "photodose assumption (unsourced): 3-5 sessions/week as commonly quoted for home PBM (no "
                           "primary source), lower end recommended; the 8-week course is a photodose review point."}

SCHEDULE_KINDS = ("steady", "ramp-up", "daily-then-taper")

RAMP_UP_FRACTIONS = (0.5, 0.75)  # photodose assumption (unsourced): session length in the first weeks
RAMP_UP_SOURCE = ("photodose assumption (unsourced): makers tell people to start with shorter sessions and build up "
                  "gradually; no primary source gives the steps, so one week at 50 % and one at 75 % of the planned "
                  "session length are photodose's choice")
DAILY_WEEKS = 2  # photodose assumption (unsourced)
TAPER_WEEKS = 2  # photodose assumption (unsourced)
TAPER_SOURCE = ("photodose assumption (unsourced): daily sessions first for acute conditions, then a taper to the "
                "maintenance frequency, is common advice without a primary source; 2 daily weeks and 2 weeks at the "
                "midpoint frequency are photodose's choice")


def recommend_schedule(protocol=None, kind: str = "steady") -> dict:
    """{"sessions_per_week", "weeks", "total_sessions", "interval_days", "source", "unsourced", "citations",
    "kind", "phases"} for ``protocol`` (None: photodose's unsourced seed schedule) as ``kind``."""
    if protocol is None:
        base = dict(SEED_SCHEDULE, citations=[])
    else:
        s = protocol.schedule
        base = {"sessions_per_week": s.sessions_per_week, "sessions_per_week_range": s.sessions_per_week_range,
                "weeks": s.weeks, "unsourced": s.unsourced, "source": s.source, "citations": list(s.citations)}
    base["total_sessions"] = base["sessions_per_week"] * base["weeks"]
    base["interval_days"] = round(7.0 / base["sessions_per_week"], 2)
    return with_kind(base, kind) if kind != "steady" else base


def schedule_phases(kind: str, sessions_per_week: int, weeks: int, source: str, unsourced: bool) -> list[dict]:
    """The phases of ``kind`` around a protocol's ``sessions_per_week`` for ``weeks`` (its source and label kept
    for the maintenance phase; the ramp and the taper are labelled unsourced)."""
    from ..errors import PhotodoseInputError

    if kind not in SCHEDULE_KINDS:
        raise PhotodoseInputError("--schedule", kind, "one of: " + ", ".join(SCHEDULE_KINDS))
    main = {"label": "as planned", "sessions_per_week": sessions_per_week, "session_fraction": 1.0,
            "source": source, "unsourced": unsourced}
    if kind == "steady":
        return [{**main, "weeks": weeks}]
    if kind == "ramp-up":
        ramp = [{"label": f"ramp-up {fraction:.0%}", "weeks": 1, "sessions_per_week": sessions_per_week,
                 "session_fraction": fraction, "source": RAMP_UP_SOURCE, "unsourced": True}
                for fraction in RAMP_UP_FRACTIONS]
        rest = weeks - len(ramp)
        return ramp + ([{**main, "weeks": rest}] if rest > 0 else [])
    taper_spw = (7 + sessions_per_week + 1) // 2
    phases = [{"label": "daily", "weeks": DAILY_WEEKS, "sessions_per_week": 7, "session_fraction": 1.0,
               "source": TAPER_SOURCE, "unsourced": True},
              {"label": "taper", "weeks": TAPER_WEEKS, "sessions_per_week": taper_spw, "session_fraction": 1.0,
               "source": TAPER_SOURCE, "unsourced": True}]
    rest = weeks - DAILY_WEEKS - TAPER_WEEKS
    return phases + [{**main, "label": "maintenance", "weeks": max(rest, 1)}]


def with_kind(schedule: dict, kind: str) -> dict:
    """``schedule`` (a plan's schedule as a dict) as ``kind``: its phases, weeks and total sessions."""
    phases = schedule_phases(kind, schedule["sessions_per_week"], schedule["weeks"], schedule["source"],
                             schedule["unsourced"])
    out = dict(schedule, kind=kind, phases=phases)
    out["weeks"] = sum(p["weeks"] for p in phases)
    out["total_sessions"] = sum(p["weeks"] * p["sessions_per_week"] for p in phases)
    if kind != "steady":
        out["unsourced"] = True
        out["source"] = "; ".join(dict.fromkeys([p["source"] for p in phases]))
    return out


def apply_schedule(plan, kind: str):
    """A copy of the typed ``plan`` whose schedule is ``kind`` (its reasons say so)."""
    from .plan_model import Schedule

    schedule = Schedule.model_validate(with_kind(plan.schedule.model_dump(exclude={"kind", "phases"}), kind))
    if kind == "steady":
        return plan.model_copy(update={"schedule": schedule})
    reason = f"schedule {kind}: " + "; ".join(
        f"{p.label} {p.weeks} wk x {p.sessions_per_week}/wk" + (f" at {p.session_fraction:.0%} length"
                                                              if p.session_fraction != 1 else "")
        for p in schedule.phases) + f" ({schedule.source})"
    return plan.model_copy(update={"schedule": schedule, "reasons": [*plan.reasons, reason]})


def weekly_plan(schedule) -> list[tuple[int, float, str]]:
    """(sessions planned, session fraction, phase label) for each week of a typed ``schedule``."""
    phases = schedule.phases or []
    if not phases:
        return [(schedule.sessions_per_week, 1.0, "as planned")] * schedule.weeks
    return [(p.sessions_per_week, p.session_fraction, p.label) for p in phases for _ in range(p.weeks)]
