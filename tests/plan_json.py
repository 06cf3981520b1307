"""The planner as a client sees it: the JSON dump of the typed Plan (``photodose plan --json``)."""

from photodose.planning.planner import plan as typed_plan


def plan(request) -> dict:
    """``plan(request)`` dumped to JSON-ready dicts, so tests read the contract's keys as a client does."""
    return typed_plan(request).model_dump(mode="json")


def journal_plan(device: str = "generic-panel-660-850", site: str = "knee", session_seconds: float = 600.0,
                 irradiance_mw_cm2: float = 50.0, target_depth_mm: float = 10.0, target_fluence_j_cm2: float = 3.0,
                 sessions_per_week: int = 3, weeks: int = 4):
    """A real Plan from the planner (knee, the catalog panel), with round numbers put in for the journal tests:
    by default 600 s at 50 mW/cm2 (30 J/cm2) at 150 mm, 3 J/cm2 at 10 mm, 3 sessions a week for 4 weeks."""
    from photodose.planning.request import PlanRequest

    real = typed_plan(PlanRequest(device=device, condition="knee-osteoarthritis", site=site,
                                  safety={"goggles": True}))
    surface = real.surface.model_copy(update={"irradiance_mw_cm2": irradiance_mw_cm2,
                                              "fluence_j_cm2": irradiance_mw_cm2 * session_seconds / 1000})
    target = real.target.model_copy(update={"depth_mm": target_depth_mm, "fluence_j_cm2": target_fluence_j_cm2})
    schedule = real.schedule.model_copy(update={"sessions_per_week": sessions_per_week, "weeks": weeks,
                                                "total_sessions": sessions_per_week * weeks})
    return real.model_copy(update={"session_seconds": session_seconds, "distance_mm": 150.0, "surface": surface,
                                   "target": target, "schedule": schedule})
