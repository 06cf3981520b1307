"""A profile's body (height, weight, age, sex) for whole-body hyperthermia plans (JOS-3 uses all four).

Ranges are JOS-3's / photodose's input limits (photodose.hyperthermia.core_model.Person): height 1.0-2.5 m,
weight 30-250 kg, adults 18-100 years, sex male or female (JOS-3's two body models).
"""

from __future__ import annotations

from ..errors import PhotodoseInputError
from .models import Profile

SEXES = ("male", "female")
# (word a person types, low, high, unit) per set_body keyword: one table for parse_body and set_body
LIMITS = {"height_m": ("height", 1.0, 2.5, "m"), "weight_kg": ("weight", 30.0, 250.0, "kg"),
          "age_years": ("age", 18, 100, "years")}


def _in_range(key: str, value: float, typed=None) -> float:
    """``value`` if it lies within its :data:`LIMITS`, else PhotodoseInputError naming ``typed`` (default: value)."""
    name, low, high, unit = LIMITS[key]
    if not low <= value <= high:
        raise PhotodoseInputError(name, value if typed is None else typed, f"{low:g}-{high:g} {unit}")
    return value


def _sex(sex: str) -> str:
    """``sex`` as JOS-3's body model names it ("male", "female"), else PhotodoseInputError."""
    if str(sex).strip().lower() not in SEXES:
        raise PhotodoseInputError("sex", sex, " or ".join(SEXES))
    return str(sex).strip().lower()


def parse_body(height: str | None, weight: str | None, age: int | str | None, sex: str | None) -> dict:
    """Body values as a person types them ("175 cm", "70 kg", 45, "female"; empty means not given) as
    :func:`set_body` keywords; units parsed and ranges checked here, one field at a time."""
    from ..units import parse_quantity

    def given(value) -> bool:
        return value is not None and str(value).strip() != ""

    body = {}
    for key, typed, digits in (("height_m", height, 4), ("weight_kg", weight, 3)):
        if given(typed):
            name, low, high, unit = LIMITS[key]
            body[key] = round(parse_quantity(typed, unit, name, low=low, high=high), digits)
    if given(age):
        try:
            years = int(str(age).strip())
        except ValueError:
            _, low, high, _ = LIMITS["age_years"]
            raise PhotodoseInputError("age", age, f"a whole number of years, {low}-{high}") from None
        body["age_years"] = _in_range("age_years", years, typed=age)
    if given(sex):
        body["sex"] = _sex(sex)
    return body


def set_body(db, profile_id: int, *, height_m: float | None = None, weight_kg: float | None = None,
             age_years: int | None = None, sex: str | None = None) -> Profile:
    """Store the given body values on the profile (None leaves a value as it is); out-of-range values are refused."""
    values = {"height_m": height_m, "weight_kg": weight_kg, "age_years": age_years}
    values = {k: _in_range(k, v) for k, v in values.items() if v is not None}
    if sex is not None:
        values["sex"] = _sex(sex)
    with db.transaction() as s:
        profile = s.get(Profile, profile_id)
        for field, value in values.items():
            setattr(profile, field, value)
    return profile
