"""Which web user owns which journal profile (the ``profiles.owner`` column, journal revision 0003).

A profile without an owner belongs to the local (no-login, loopback) user, so profiles made with the command
line stay visible there. No web account may be called "local" (``auth.RESERVED_USERS``), so a logged-in user never
sees them.
"""

from __future__ import annotations

from sqlalchemy import select

from ..journal.db import Journal
from ..journal.models import Profile

LOCAL_USER = "local"


def owner_value(user: str) -> str | None:
    """The ``profiles.owner`` value for the acting ``user`` (None: the local user)."""
    return None if user == LOCAL_USER else user


def set_owner(journal: Journal, profile_id: int, owner: str) -> None:
    with journal.transaction() as s:
        s.get(Profile, profile_id).owner = owner_value(owner)


def owner_of(journal: Journal, profile_id: int) -> str:
    with journal.read() as s:
        owner = s.scalar(select(Profile.owner).where(Profile.id == profile_id))
    return owner or LOCAL_USER


def owned_profile_ids(journal: Journal, owner: str) -> set[int]:
    """Ids of the profiles ``owner`` may see."""
    condition = Profile.owner.is_(None) if owner == LOCAL_USER else Profile.owner == owner
    with journal.read() as s:
        return set(s.scalars(select(Profile.id).where(condition)).all())
