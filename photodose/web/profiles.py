"""Profiles as the acting web user sees them: only their own, and the one they are working on."""

from __future__ import annotations

from fastapi import HTTPException, Request

from ..journal import repository
from ..journal.models import Profile
from . import owners
from .security import current_user


def journal(request: Request):
    return request.app.state.journal


def visible_profiles(request: Request) -> list[Profile]:
    db = journal(request)
    allowed = owners.owned_profile_ids(db, current_user(request))
    return [p for p in repository.list_profiles(db) if p.id in allowed]


def owned_profile(request: Request, profile_id: int) -> Profile:
    """The profile ``profile_id`` if the acting user owns it; 404 otherwise (no hint that it exists)."""
    for p in visible_profiles(request):
        if p.id == profile_id:
            return p
    raise HTTPException(status_code=404, detail=f"profile_id: no profile {profile_id} for this user")


def active_profile(request: Request) -> Profile | None:
    """The profile chosen in this browser session, else the user's first profile, else None."""
    profiles = visible_profiles(request)
    chosen = request.session.get("profile_id")
    for p in profiles:
        if p.id == chosen:
            return p
    return profiles[0] if profiles else None


def require_active_profile(request: Request) -> Profile:
    """The active profile; without one, a redirect (303) to the Profile page to create it."""
    profile = active_profile(request)
    if profile is None:
        raise HTTPException(status_code=303, headers={"Location": "/profile?need=1"})
    return profile


def create_profile(request: Request, name: str, skin_phototype: str | None) -> Profile:
    profile = repository.add_profile(journal(request), name, skin_phototype=skin_phototype or None,
                                     owner=owners.owner_value(current_user(request)))
    request.session["profile_id"] = profile.id
    return profile
