"""Use cases: each one function that both edges (CLI and web) call, so they cannot disagree.

- :func:`plan_for_profile`: plan a session for a person (phototype, measured fat, screening answers and earlier
  sessions from their journal profile feed the planner and the safety gate).
- :func:`log_session`: store a session with the safety verdict for that session and the overdose check.
- :func:`~photodose.usecases.progress.profile_progress`: a profile's progress (outcomes, adherence, dose and side
  effects per site, heat sessions, chart series).

This layer sits above the stages (planning, journal, reports) and below the edges (``cli``, ``web``).
"""

from .plan_for_profile import plan_for_profile

__all__ = ["plan_for_profile"]
