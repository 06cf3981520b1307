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
    fat = (thickness_mm or {}).get("subcutaneous_fat")
    reason = (f"person: profile {profile.name}: phototype {result.skin_type}, fat thickness "
              f"{'not measured' if fat is None else f'{float(fat)} mm'}, screening answers "
              f"{'given' if safety.get('screening') else 'missing'}, {len(safety['prior_sessions'])} earlier "
              "session(s) at the site checked for overdose")
    return result.model_copy(update={"profile": profile.name, "reasons": [*result.reasons, reason]})
