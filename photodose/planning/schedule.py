"""Recommended schedule (sessions per week, weeks) with its source."""

from __future__ import annotations

SEED_SCHEDULE = {"sessions_per_week": 3, "sessions_per_week_range": [3, 5], "weeks": 8, "unsourced": True,
                 "source": "photodose assumption (unsourced): 3-5 sessions/week as commonly quoted for home PBM (no "
                           "primary source), lower end recommended; the 8-week course is a photodose review point."}


def recommend_schedule(protocol=None) -> dict:
    """{"sessions_per_week", "weeks", "total_sessions", "interval_days", "source", "unsourced", "citations"}."""
    if protocol is None:
        base = dict(SEED_SCHEDULE, citations=[])
    else:
        s = protocol.schedule
        base = {"sessions_per_week": s.sessions_per_week, "sessions_per_week_range": s.sessions_per_week_range,
                "weeks": s.weeks, "unsourced": s.unsourced, "source": s.source, "citations": list(s.citations)}
    base["total_sessions"] = base["sessions_per_week"] * base["weeks"]
    base["interval_days"] = round(7.0 / base["sessions_per_week"], 2)
    return base
