"""Therapy journal: profiles, devices in use, plans, sessions with their doses, outcomes, adherence, progress.

SQLAlchemy 2 on SQLite by default (WAL, foreign keys, one transaction per write), Alembic migrations applied on
open. Public API used by other stages: :func:`open_journal`, :func:`cumulative_dose`, :func:`sessions_for_site`.
"""

from .cumulative import CumulativeDose, DoseTotal, SiteSession, cumulative_dose, sessions_for_site
from .db import Journal, open_journal

__all__ = ["Journal", "open_journal", "CumulativeDose", "DoseTotal", "SiteSession", "cumulative_dose",
           "sessions_for_site"]
