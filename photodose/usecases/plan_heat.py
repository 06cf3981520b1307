"""Plan a whole-body hyperthermia session for a profile: one function for ``photodose plan`` (and the web).

A sauna dome (device kind ``sauna_dome``) delivers heat, not light: its plan is a
:class:`photodose.hyperthermia.HyperthermiaPlan`, not a light :class:`photodose.planning.plan_model.Plan`.
"""

from __future__ import annotations

from ..errors import PhotodoseInputError
from ..hyperthermia import HyperthermiaPlan, HyperthermiaRequest, Person, is_heat_protocol, plan_hyperthermia
from ..hyperthermia.protocols import list_heat_protocols
from ..hyperthermia.plan import DEFAULT_PERSON_TEXT


def is_heat_plan(device: str, condition: str | None) -> bool:
    """True when ``device`` is a sauna dome or ``condition`` a heat protocol (the plan is a heat plan)."""
    from ..devices.catalog import load_device

    if is_heat_protocol(condition):
        return True
    try:
        return load_device(device).kind == "sauna_dome"
    except PhotodoseInputError:
        return False  # the light planner reports the unknown device in its own words


def plan_heat_for_profile(device: str, condition: str | None, journal=None, profile=None) -> HyperthermiaPlan:
    """The heat plan for ``device`` and ``condition`` (a heat protocol; the only one when None), for ``profile``:
    its height, weight, age and sex (else a default 70 kg adult, said in the plan) and its heat screening answers."""
    from ..devices.catalog import load_device

    heat = [p.id for p in list_heat_protocols()]
    if condition is None and len(heat) == 1:
        condition = heat[0]
    if not is_heat_protocol(condition):
        raise PhotodoseInputError("condition", condition, "a heat protocol for a sauna dome: " + ", ".join(heat))
    if load_device(device).kind != "sauna_dome":
        raise PhotodoseInputError("device", device, f"a sauna dome (kind sauna_dome) for {condition}")
    person, note, answers = None, None, None
    if profile is not None:
        person, note = profile_person(profile)
        answers = (profile.contraindication_answers or {}).get("answers")
    return plan_hyperthermia(HyperthermiaRequest(device=device, condition=condition, person=person,
                                                 person_note=note, screening=answers))


def profile_person(profile) -> tuple[Person | None, str]:
    """(Person, note) from a journal profile's height, weight, age and sex; (None, why) when any is missing."""
    fields = {"height_m": getattr(profile, "height_m", None), "weight_kg": getattr(profile, "weight_kg", None),
              "age_years": getattr(profile, "age_years", None), "sex": getattr(profile, "sex", None)}
    missing = [k for k, v in fields.items() if v is None]
    if missing:
        words = ", ".join(k.split("_")[0] for k in missing)   # "height, weight, age, sex"
        return None, f"profile {profile.name} lacks {words}: default person {DEFAULT_PERSON_TEXT}"
    person = Person(height_m=float(fields["height_m"]), weight_kg=float(fields["weight_kg"]),
                    age_years=int(fields["age_years"]), sex=fields["sex"])
    return person, (f"profile {profile.name}: {person.weight_kg:g} kg, {person.height_m:g} m, "
                    f"{person.age_years} years, {person.sex}")
