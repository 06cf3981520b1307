"""A profile's body (height, weight, age, sex) for whole-body hyperthermia plans (JOS-3 uses all four).

Ranges are JOS-3's / photodose's input limits (photodose.hyperthermia.core_model.Person): height 1.0-2.5 m,
weight 30-250 kg, adults 18-100 years, sex male or female (JOS-3's two body models).
"""

from __future__ import annotations

from ..errors import PhotodoseInputError
from .models import Profile

SEXES = ("male", "female")


def parse_body(height: str | None, weight: str | None, age: int | str | None, sex: str | None) -> dict:
    """Body values as a person types them ("175 cm", "70 kg", 45, "female"; empty means not given) as
    :func:`set_body` keywords; units parsed and ranges checked here, one field at a time."""
    from ..units import parse_quantity

    def given(value) -> bool:
        return value is not None and str(value).strip() != ""

    body = {}
    if given(height):
        body["height_m"] = round(parse_quantity(height, "m", "height", low=1.0, high=2.5), 4)
    if given(weight):
        body["weight_kg"] = round(parse_quantity(weight, "kg", "weight", low=30.0, high=250.0), 3)
    if given(age):
        try:
            body["age_years"] = int(str(age).strip())
        except ValueError:
            raise PhotodoseInputError("age", age, "a whole number of years, 18-100") from None
        if not 18 <= body["age_years"] <= 100:
            raise PhotodoseInputError("age", age, "18-100 years")
    if given(sex):
        if str(sex).strip().lower() not in SEXES:
            raise PhotodoseInputError("sex", sex, " or ".join(SEXES))
        body["sex"] = str(sex).strip().lower()
    return body


def set_body(db, profile_id: int, *, height_m: float | None = None, weight_kg: float | None = None,
             age_years: int | None = None, sex: str | None = None) -> Profile:
    """Store the given body values on the profile (None leaves a value as it is); out-of-range values are refused."""
    checks = (("height", height_m, 1.0, 2.5, "m"), ("weight", weight_kg, 30.0, 250.0, "kg"),
              ("age", age_years, 18, 100, "years"))
    for name, value, low, high, unit in checks:
        if value is not None and not low <= value <= high:
            raise PhotodoseInputError(name, value, f"{low:g}-{high:g} {unit}")
    if sex is not None and sex.strip().lower() not in SEXES:
        raise PhotodoseInputError("sex", sex, " or ".join(SEXES))
    with db.transaction() as s:
        profile = s.get(Profile, profile_id)
        for field, value in (("height_m", height_m), ("weight_kg", weight_kg), ("age_years", age_years),
                             ("sex", None if sex is None else sex.strip().lower())):
            if value is not None:
                setattr(profile, field, value)
    return profile
