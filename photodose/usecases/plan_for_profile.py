"""Plan for a profile: one function for ``photodose plan [--profile]`` and the web Plan page."""

from __future__ import annotations

from datetime import datetime

from ..errors import PhotodoseInputError
from ..planning.plan_model import Plan
from ..planning.planner import plan
from ..planning.request import PlanRequest


def plan_for_profile(request: PlanRequest, journal=None, profile=None, now: datetime | None = None) -> Plan:
    """The plan for ``request``; with ``journal`` and ``profile`` (a journal Profile row) the person's phototype
    (unless the request gives one), measured fat at the site, screening answers and earlier sessions at the site
    feed the planner and the safety gate, and the plan names the profile.

    ``request.skin_type`` None means: the profile's phototype, else III.
    """
    if profile is None:
        return plan(request if request.skin_type else request.model_copy(update={"skin_type": "III"}))
    from ..journal.sites import require_site
    from ..protocols import get_protocol
    from .person import person_plan_inputs

    site = request.site or (get_protocol(request.condition).site if request.condition else None)
    if site is None:
        raise PhotodoseInputError("site", None, "give a site (or a condition) to plan for a profile")
    inputs = person_plan_inputs(journal, profile, require_site(site), now=now)
    thickness_mm = {**(inputs["thickness_mm"] or {}), **(request.thickness_mm or {})} or None
    safety = {**(request.safety or {}), **inputs["safety"]}
    req = request.model_copy(update={"skin_type": request.skin_type or inputs["skin_type"] or "III",
                                     "thickness_mm": thickness_mm, "safety": safety})
    result = plan(req)
    start = _earliest_start(result, safety)
    if start is not None and start > safety["planned_start"]:  # judged as the next session, not as one now
        safety = {**safety, "planned_start": start}
        result = plan(req.model_copy(update={"safety": safety})).model_copy(update={"earliest_start": start})
    fat = (thickness_mm or {}).get("subcutaneous_fat")
    reason = (f"person: profile {profile.name}: phototype {result.skin_type}, fat thickness "
              f"{'not measured' if fat is None else f'{float(fat)} mm'}, screening answers "
              f"{'given' if safety.get('screening') else 'missing'}, {len(safety['prior_sessions'])} earlier "
              "session(s) at the site checked for overdose")
    if result.earliest_start is not None:
        reason += (f"; an earlier session at the site moves this one to {result.earliest_start:%Y-%m-%d %H:%M} "
                   "(the overdose bounds' interval, day and week limits)")
    return result.model_copy(update={"profile": profile.name, "reasons": [*result.reasons, reason],
                                     "warnings": [*result.warnings, *_side_effect_warnings(journal, profile, site)]})


def _side_effect_warnings(journal, profile, site: str) -> list[str]:
    """Side effects the person reported at ``site`` (the last three sessions with any), with the remedy."""
    from ..journal.repository import list_sessions
    from ..journal.side_effects import REMEDY, side_effect_lines

    lines = side_effect_lines(list_sessions(journal, profile.id, site=site))[-3:]
    return [f"side effects reported at {site}: " + "; ".join(lines) + f". Remedy: {REMEDY}"] if lines else []


OVERDOSE_TIMING = {"overdose:interval", "overdose:day", "overdose:week", "overdose:sessions_per_week"}


def _earliest_start(result: Plan, safety: dict) -> datetime | None:
    """When the plan exceeds an overdose bound only because of when it starts, the earliest start within them."""
    if not any(c.status != "ok" and c.name in OVERDOSE_TIMING for c in result.safety.checks):
        return None
    from ..planning.safety_link import overdose_bounds
    from ..safety.overdose import ProtocolBounds, Session, earliest_start

    bounds = ProtocolBounds(**overdose_bounds(result.condition))
    planned = Session(start=safety["planned_start"], site=result.site, fluence_j_cm2=result.surface.fluence_j_cm2)
    start = earliest_start(safety["prior_sessions"], planned, bounds)
    return None if start is None else start.replace(tzinfo=None)
