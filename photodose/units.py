"""Parse quantities that people type with units ("6 in", "15 cm", "62 mW/cm2") using pint.

Physics code works in plain floats whose names carry the unit; these parsers live at the edges.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pint

from .errors import PhotodoseInputError


@lru_cache(maxsize=1)
def _registry() -> pint.UnitRegistry:
    ureg = pint.UnitRegistry()
    return ureg


def _normalise(text: str) -> str:
    # "mW/cm2" -> "mW/cm**2"; "20cm" -> "20 cm"; '6"' -> "6 in"
    t = text.strip().replace("²", "**2").replace("µ", "u")
    t = re.sub(r"([a-zA-Z])([23])\b", r"\1**\2", t)
    t = re.sub(r'^([0-9.eE+-]+)\s*"$', r"\1 inch", t)
    t = re.sub(r"\binches\b|\bin\b", "inch", t)
    return t


def parse_quantity(text: str | float, unit: str, field: str, *, default_unit: str | None = None) -> float:
    """Parse ``text`` as a quantity and return its magnitude in ``unit``.

    A bare number is accepted only when ``default_unit`` is given. Raises PhotodoseInputError naming ``field``.
    """
    value = _parse_quantity(text, unit, field, default_unit)
    if not math.isfinite(value):
        raise PhotodoseInputError(field, text, f"expected a finite quantity (in {unit})")
    return value


def _parse_quantity(text: str | float, unit: str, field: str, default_unit: str | None) -> float:
    ureg = _registry()
    if isinstance(text, (int, float)):
        if default_unit is None:
            raise PhotodoseInputError(field, text, f"give a unit, e.g. '15 cm' (converted to {unit})")
        return float(ureg.Quantity(float(text), default_unit).to(unit).magnitude)
    raw = str(text)
    try:
        q = ureg.Quantity(_normalise(raw))
    except Exception:
        raise PhotodoseInputError(field, raw, f"expected a quantity with a unit, e.g. '15 cm' (in {unit})") from None
    if isinstance(q, (int, float)) or q.dimensionless:
        magnitude = float(q.magnitude if hasattr(q, "magnitude") else q)
        if default_unit is None:
            raise PhotodoseInputError(field, raw, f"give a unit, e.g. '15 cm' (converted to {unit})")
        return float(ureg.Quantity(magnitude, default_unit).to(unit).magnitude)
    try:
        return float(q.to(unit).magnitude)
    except pint.DimensionalityError:
        raise PhotodoseInputError(field, raw, f"expected a quantity convertible to {unit}") from None


MAX_LENGTH_MM = 10_000.0  # 10 m: photodose's input ceiling for any typed length (distances, areas, thicknesses)
MAX_IRRADIANCE_MW_CM2 = 1.0e6  # 10 kW/cm2: input ceiling for a typed irradiance (meter readings, limits)


def parse_length_mm(text: str | float, field: str = "distance", *, allow_zero: bool = True) -> float:
    """Length typed with a unit ("6 in", "15 cm", "150 mm") in millimetres; 0 (or > 0) up to 10 m."""
    mm = parse_quantity(text, "mm", field)
    if mm < 0 or (mm == 0 and not allow_zero):
        raise PhotodoseInputError(field, text, "a length must be " + ("zero or positive" if allow_zero else "positive"))
    if mm > MAX_LENGTH_MM:
        raise PhotodoseInputError(field, text, f"allowed range is [0, {MAX_LENGTH_MM:g}] mm (10 m)")
    return mm


def parse_irradiance_mw_cm2(text: str | float, field: str = "irradiance") -> float:
    """Irradiance typed with a unit ("62 mW/cm2", "620 W/m2") in mW/cm^2; must not be negative."""
    value = parse_quantity(text, "mW/cm**2", field)
    if value < 0:
        raise PhotodoseInputError(field, text, "irradiance must be zero or positive")
    if value > MAX_IRRADIANCE_MW_CM2:
        raise PhotodoseInputError(field, text, f"allowed range is [0, {MAX_IRRADIANCE_MW_CM2:g}] mW/cm2")
    return value


def parse_area_mm(text: str, field: str = "area") -> tuple[float, float]:
    """A rectangle typed as "20 cm x 20 cm" (or "20x30 cm") -> (width_mm, height_mm)."""
    parts = re.split(r"\s*[xX×]\s*", str(text).strip())
    if len(parts) != 2:
        raise PhotodoseInputError(field, text, "expected WIDTH x HEIGHT with units, e.g. '20 cm x 20 cm'")
    a, b = parts
    unit_b = re.sub(r"^[0-9.eE+-]+\s*", "", b)
    if not re.search(r"[a-zA-Z\"]", a) and unit_b:
        a = f"{a} {unit_b}"
    w, h = parse_length_mm(a, field, allow_zero=False), parse_length_mm(b, field, allow_zero=False)
    return w, h


LENGTH_UNITS_MM = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8}


def length_unit_typed(text: str | None) -> str:
    """The length unit a person typed ("6 in" -> "in", "15 cm" -> "cm"); "mm" when none or not one of
    :data:`LENGTH_UNITS_MM`. Answers are then shown in that unit."""
    if not text:
        return "mm"
    t = _normalise(str(text).split("..")[0])
    match = re.search(r"[a-zA-Z]+", t)
    word = match.group(0).lower() if match else ""
    aliases = {"inch": "in", "millimeter": "mm", "centimeter": "cm", "meter": "m", "foot": "ft", "feet": "ft",
               "millimetre": "mm", "centimetre": "cm", "metre": "m"}
    word = aliases.get(word.rstrip("s") if word.endswith("s") and word not in LENGTH_UNITS_MM else word, word)
    return word if word in LENGTH_UNITS_MM else "mm"


def format_length(mm: float, unit: str = "mm") -> str:
    """``mm`` shown in ``unit`` with a sensible precision ("6 in", "15.2 cm", "152 mm")."""
    value = mm / LENGTH_UNITS_MM[unit]
    return f"{value:.3g} {unit}" if unit != "mm" else f"{value:.0f} mm"
