"""The plan form's choices and one call from typed form values to the planner's plan document.

Devices are picked by catalog id only (never a file path from the browser); for a profile, its measured fat at
the site, screening answers and earlier sessions go to the plan and the safety gate (``usecases.plan_for_profile``).
"""

from __future__ import annotations

from ..errors import PhotodoseInputError, require_choice
from ..optics.phototypes import PHOTOTYPES, normalise_skin_type
DEFAULTS = {"device": "generic-panel-660-850", "site": "", "skin_type": "III", "condition": "knee-osteoarthritis"}
CONDITION_SITE = ("", "the condition's own site")   # the site choice that leaves the site to the protocol
TRANSPORTS = [("fast", "flat layer stack (fast model)"),
              ("head3d", "3-D head, transcranial plans (voxel Monte Carlo, about half a minute)")]


def device_choices() -> list[tuple[str, str]]:
    from ..devices.catalog import list_devices

    return [(d.id, d.name) for d in list_devices()]


def site_choices() -> list[str]:
    from ..optics.sites import SITES

    return list(SITES)


def site_options(sites: list[str] | None = None) -> list[tuple[str, str]]:
    """(value, label) of each body site for a select: "lower_back" is shown as "lower back"."""
    return [(s, s.replace("_", " ")) for s in (site_choices() if sites is None else sites)]


def condition_choices() -> list[tuple[str, str]]:
    from ..hyperthermia import list_heat_protocols
    from ..protocols import list_protocols

    return [(p.id, p.name) for p in list_protocols()] + [(p.id, p.name + " (sauna dome)")
                                                         for p in list_heat_protocols()]


def choices() -> dict:
    return {"devices": device_choices(), "sites": site_choices(), "conditions": condition_choices(),
            "phototypes": PHOTOTYPES}


def load_catalog_device(device_id: str):
    """A catalog (or user) device by id; a path or unknown id is refused."""
    from ..devices.catalog import load_device

    return load_device(require_choice("device", device_id, [d for d, _ in device_choices()]))


def make_plan(*, device: str, site: str | None, skin_type: str | None, condition: str, distance: str | None = None,
              minutes: float | None = None, max_minutes: float | None = None, goggles: bool = False,
              person: tuple | None = None, transport: str = "fast", eye_distance: str | None = None):
    """The typed Plan for these choices (``distance`` typed with a unit, e.g. "15 cm"); ``person`` =
    (journal, profile) plans for that profile (the same use case as ``photodose plan --profile``);
    ``transport``: one of :data:`TRANSPORTS` (``head3d``: the 3-D head, for transcranial plans); ``eye_distance``
    (typed with a unit): where the eyes are from the device's face, for sites away from the head."""
    from ..planning.request import PlanRequest
    from ..units import length_unit_typed, parse_length_mm
    from ..usecases import plan_for_profile

    transport = require_choice("transport", transport or "fast", [t for t, _ in TRANSPORTS])
    site = None if site in (None, "") else require_choice("site", site, site_choices())   # None: the protocol's
    skin_type = None if skin_type in (None, "") else normalise_skin_type(skin_type)
    condition = require_choice("condition", condition, [c for c, _ in condition_choices()])
    distance_mm = parse_length_mm(distance, "distance") if distance not in (None, "") else None
    if distance_mm is not None and distance_mm > 3000:
        raise PhotodoseInputError("distance", distance, "at most 3 m (3000 mm)")
    eye_distance_mm = (parse_length_mm(eye_distance, "eye_distance", allow_zero=False)
                       if eye_distance not in (None, "") else None)
    request = PlanRequest(device=load_catalog_device(device), site=site, skin_type=skin_type, condition=condition,
                          distance_mm=distance_mm, minutes=minutes, max_minutes=max_minutes,
                          eye_distance_mm=eye_distance_mm,
                          distance_unit=length_unit_typed(distance) if distance_mm is not None else None,
                          safety={"goggles": bool(goggles)},
                          transport=transport)
    return plan_for_profile(request, *(person or (None, None)))
