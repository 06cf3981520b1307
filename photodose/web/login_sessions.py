"""Server-side login sessions in the journal (table ``web_sessions``, revision 0004), so that a login can be revoked.

The signed session cookie carries a random token; the database keeps only its sha256, the user, and a fingerprint
of the user's password hash at login (:func:`photodose.web.auth.credential`). A session is valid while its row
exists, is younger than ``max_age_s``, and the fingerprint still matches: logout deletes the row, a password change
or a removed user breaks the fingerprint (also when done with ``photodose serve --set-password`` while the server
runs), and :func:`revoke_user` deletes all of a user's rows.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..journal.db import Journal
from ..journal.models import WebSession
from . import auth

TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often (reads stay reads)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(journal: Journal, user: str, max_age_s: float) -> str:
    """A new session for ``user`` (who has just proved their password); returns the token for the cookie.
    Expired rows are purged on the way."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with journal.transaction() as s:
        s.execute(delete(WebSession).where(WebSession.created_at < now - timedelta(seconds=max_age_s)))
        s.add(WebSession(id=_key(token), user=user, credential=auth.credential(user) or "", created_at=now,
                         last_seen_at=now))
    return token


def user_of(journal: Journal, token: str | None, max_age_s: float) -> str | None:
    """The user of a live session ``token``, else None."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    key = _key(token)
    with journal.read() as s:
        row = s.get(WebSession, key)
        if row is None:
            return None
        user, fingerprint, created, seen = row.user, row.credential, row.created_at, row.last_seen_at
    now = _now()
    if now - created > timedelta(seconds=max_age_s) or fingerprint != auth.credential(user):
        revoke(journal, token)
        return None
    if now - seen > TOUCH_EVERY:
        with journal.transaction() as s:
            row = s.get(WebSession, key)
            if row is not None:
                row.last_seen_at = now
    return user


def revoke(journal: Journal, token: str | None) -> None:
    if token and isinstance(token, str):
        with journal.transaction() as s:
            s.execute(delete(WebSession).where(WebSession.id == _key(token)))


def revoke_user(journal: Journal, user: str) -> int:
    """End every session of ``user``; returns how many there were."""
    with journal.transaction() as s:
        return s.execute(delete(WebSession).where(WebSession.user == user)).rowcount


def count(journal: Journal, user: str) -> int:
    with journal.read() as s:
        return len(s.scalars(select(WebSession.id).where(WebSession.user == user)).all())
