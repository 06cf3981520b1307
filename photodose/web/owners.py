"""Which web user owns which journal profile.

The journal schema has no owner column, so the web app keeps its own mapping table ``web_profile_owners`` in the
same database (created here, outside the journal's Alembic migrations). A profile without a row belongs to the
local (no-login, loopback) user, so profiles made with the command line stay visible there.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, select

from ..journal.db import Journal
from ..journal.models import Profile

LOCAL_USER = "local"

metadata = MetaData()
profile_owners = Table(
    "web_profile_owners", metadata,
    Column("profile_id", Integer, ForeignKey(Profile.__table__.c.id, ondelete="CASCADE"), primary_key=True),
    Column("owner", String(100), nullable=False, index=True),
)


def ensure_table(journal: Journal) -> None:
    metadata.create_all(journal.engine, checkfirst=True)


def set_owner(journal: Journal, profile_id: int, owner: str) -> None:
    with journal.transaction() as s:
        s.execute(profile_owners.delete().where(profile_owners.c.profile_id == profile_id))
        s.execute(profile_owners.insert().values(profile_id=profile_id, owner=owner))


def owner_of(journal: Journal, profile_id: int) -> str:
    with journal.read() as s:
        owner = s.scalar(select(profile_owners.c.owner).where(profile_owners.c.profile_id == profile_id))
    return owner or LOCAL_USER


def owned_profile_ids(journal: Journal, owner: str) -> set[int]:
    """Ids of the profiles ``owner`` may see."""
    with journal.read() as s:
        mapped = dict(s.execute(select(profile_owners.c.profile_id, profile_owners.c.owner)).all())
        all_ids = s.scalars(select(Profile.id)).all()
    return {pid for pid in all_ids if mapped.get(pid, LOCAL_USER) == owner}
