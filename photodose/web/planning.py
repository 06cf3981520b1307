"""The plan form's choices and one call from typed form values to the planner's plan document.

Devices are picked by catalog id only (never a file path from the browser); for a profile, its measured fat at
the site, screening answers and earlier sessions go to the plan and the safety gate (``planning.person``).
"""

from __future__ import annotations

from ..errors import PhotodoseInputError, require_choice

PHOTOTYPES = ("I", "II", "III", "IV", "V", "VI")
DEFAULTS = {"device": "generic-panel-660-850", "site": "knee", "skin_type": "III", "condition": "knee-osteoarthritis"}


def device_choices() -> list[tuple[str, str]]:
    from ..devices.catalog import list_devices

    return [(d.id, d.name) for d in list_devices()]


def site_choices() -> list[str]:
    from ..optics.sites import SITES

    return list(SITES)


def condition_choices() -> list[tuple[str, str]]:
    from ..protocols import list_protocols

    return [(p.id, p.name) for p in list_protocols()]


def choices() -> dict:
    return {"devices": device_choices(), "sites": site_choices(), "conditions": condition_choices(),
            "phototypes": PHOTOTYPES}


def load_catalog_device(device_id: str):
    """A catalog (or user) device by id; a path or unknown id is refused."""
    from ..devices.catalog import load_device

    return load_device(require_choice("device", device_id, [d for d, _ in device_choices()]))


def make_plan(*, device: str, site: str, skin_type: str, condition: str, distance: str | None = None,
              max_minutes: float | None = None, goggles: bool = False, person: tuple | None = None) -> dict:
    """The planner's plan document for these choices (``distance`` typed with a unit, e.g. "15 cm");
    ``person`` = (journal, profile) plans for that profile."""
    from ..planning.planner import plan
    from ..planning.request import PlanRequest
    from ..units import parse_length_mm

    site = require_choice("site", site, site_choices())
    skin_type = require_choice("skin_type", skin_type, PHOTOTYPES)
    condition = require_choice("condition", condition, [c for c, _ in condition_choices()])
    distance_mm = parse_length_mm(distance, "distance") if distance not in (None, "") else None
    if distance_mm is not None and distance_mm > 3000:
        raise PhotodoseInputError("distance", distance, "at most 3 m (3000 mm)")
    safety, thickness_mm = {"goggles": bool(goggles)}, None
    if person is not None:
        from ..planning.person import person_plan_inputs

        inputs = person_plan_inputs(*person, site)
        safety |= inputs["safety"]
        thickness_mm = inputs["thickness_mm"]
    request = PlanRequest(device=load_catalog_device(device), site=site, skin_type=skin_type, condition=condition,
                          distance_mm=distance_mm, max_minutes=max_minutes, safety=safety, thickness_mm=thickness_mm)
    return plan(request)
