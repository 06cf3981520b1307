"""Parse quantities that people type with units ("6 in", "15 cm", "62 mW/cm2") using pint.

Physics code works in plain floats whose names carry the unit; these parsers live at the edges.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Literal

from .errors import PhotodoseInputError


@lru_cache(maxsize=1)
def _registry():
    """pint's unit registry, built on first use (importing pint costs ~0.2 s: a typo is refused before it)."""
    import pint

    return pint.UnitRegistry()


MAX_QUANTITY_CHARS = 64  # "152.4 mm", "62 mW/cm2": a typed quantity is short; longer text is refused unread

# A number, then (optionally) a unit: words with a small exponent (cm2, cm**2, cm^2, cm²), joined by / * · or a
# space. Nothing else: no expressions ("10**10**10 cm" would make pint compute a power), no parentheses.
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?"
_UNIT_WORD = r"(?:[A-Za-zµμ°Ω]+(?:\*\*-?[1-4]|\^-?[1-4]|[1-4]|[²³])?)"
_UNIT = rf"{_UNIT_WORD}(?:\s*[/*·]\s*{_UNIT_WORD}|\s+{_UNIT_WORD})*"
_QUANTITY = re.compile(rf"\s*({_NUMBER})\s*({_UNIT}|\"|'')?\s*")
_WORD_ALIASES = {"in": "inch", "inches": "inch", "\"": "inch", "''": "inch", "mins": "min", "hr": "hour",
                 "hrs": "hour", "h": "hour", "sec": "s", "secs": "s"}


def _unit_text(unit: str) -> str:
    """A unit as typed -> pint's spelling ("mW/cm2" -> "mW/cm**2", "in" -> "inch", "µm" -> "um")."""
    u = unit.strip()
    if u in _WORD_ALIASES:
        return _WORD_ALIASES[u]
    u = u.replace("²", "**2").replace("³", "**3").replace("µ", "u").replace("μ", "u")
    u = u.replace("·", "*").replace("°", "degree").replace("^", "**")
    u = re.sub(r"([A-Za-z])(-?[1-4])\b", r"\1**\2", u)
    u = re.sub(r"[A-Za-z]+", lambda m: _WORD_ALIASES.get(m.group(0), m.group(0)), u)
    return u


def _normalise(text: str) -> str:
    """Typed quantity -> "NUMBER UNIT" in pint's spelling, for :func:`length_unit_typed` ('6"' -> "6 inch")."""
    match = _QUANTITY.fullmatch(str(text)[:MAX_QUANTITY_CHARS])
    if not match:
        return str(text).strip()
    number, unit = match.groups()
    return f"{number} {_unit_text(unit)}" if unit else number


def split_quantity(text: str, field: str, example: str = "15 cm") -> tuple[float, str | None]:
    """``text`` as (number, unit in pint's spelling or None); refused unless it is a number and a unit.

    Only a decimal number (optionally with an exponent of at most 3 digits) and a unit made of words with small
    powers are accepted, at most :data:`MAX_QUANTITY_CHARS` characters: no expression is ever evaluated.
    """
    raw = str(text)
    if len(raw) > MAX_QUANTITY_CHARS:
        raise PhotodoseInputError(field, raw[:24] + "...", f"a number and a unit of at most {MAX_QUANTITY_CHARS} "
                                  f"characters, e.g. '{example}'")
    match = _QUANTITY.fullmatch(raw)
    if not match:
        raise PhotodoseInputError(field, raw, f"a number and a unit, e.g. '{example}' (no expressions)")
    number, unit = match.groups()
    value = float(number)
    if not math.isfinite(value):
        raise PhotodoseInputError(field, raw, "a finite number")
    return value, (_unit_text(unit) if unit else None)


def parse_quantity(text: str | float, unit: str, field: str, *, default_unit: str | None = None,
                   low: float | None = None, high: float | None = None, example: str | None = None) -> float:
    """Parse ``text`` (a number and a unit, e.g. "15 cm") and return its magnitude in ``unit``.

    A bare number is accepted only when ``default_unit`` is given. ``low`` and ``high`` (in ``unit``, inclusive)
    bound the value. Raises PhotodoseInputError naming ``field``, the value and what is allowed.
    """
    example = example or f"1 {unit.replace('**', '')}"
    value = _parse_quantity(text, unit, field, default_unit, example)
    if not math.isfinite(value):
        raise PhotodoseInputError(field, text, f"a finite quantity (in {unit.replace('**', '')})")
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise PhotodoseInputError(field, text, f"allowed range is [{lo}, {hi}] {unit.replace('**', '')}")
    return value


def _parse_quantity(text: str | float, unit: str, field: str, default_unit: str | None, example: str) -> float:
    ureg = _registry()
    if isinstance(text, bool) or not isinstance(text, (int, float, str)):
        raise PhotodoseInputError(field, text, f"a number and a unit, e.g. '{example}'")
    if isinstance(text, (int, float)):
        magnitude, typed_unit = float(text), None
        if not math.isfinite(magnitude):
            raise PhotodoseInputError(field, text, f"a finite quantity (in {unit.replace('**', '')})")
    else:
        magnitude, typed_unit = split_quantity(text, field, example)
    if typed_unit is None:
        if default_unit is None:
            raise PhotodoseInputError(field, text, f"give a unit, e.g. '{example}'")
        typed_unit = default_unit
    import pint

    try:
        value = float(ureg.Quantity(magnitude, typed_unit).to(unit).magnitude)
    except pint.DimensionalityError:
        raise PhotodoseInputError(field, text, f"a quantity convertible to {unit.replace('**', '')}, "
                                  f"e.g. '{example}'") from None
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, KeyError, SyntaxError, OverflowError):
        raise PhotodoseInputError(field, text, f"a known unit, e.g. '{example}'") from None
    return value


MAX_SESSION_MINUTES = 24 * 60.0  # input ceiling for a typed session length (a day)
MIN_SESSION_MINUTES = 1 / 60.0  # input floor: one second (shorter is a typo, e.g. 1e-9)


def parse_minutes(text: str | float, field: str = "minutes", *, high: float = MAX_SESSION_MINUTES) -> float:
    """Minutes typed as "20", "20 min", "90 s" or "1 h" (a bare number is minutes); 1 s to ``high`` minutes."""
    value = parse_quantity(text, "min", field, default_unit="min", example="20 min")
    if not MIN_SESSION_MINUTES <= value <= high:
        raise PhotodoseInputError(field, text, f"a duration of 1 s to {high:g} min, e.g. '20', '20 min' or '1 h'")
    return value


MAX_LENGTH_MM = 10_000.0  # 10 m: photodose's input ceiling for any typed length (distances, areas, thicknesses)
MAX_IRRADIANCE_MW_CM2 = 1.0e6  # 10 kW/cm2: input ceiling for a typed irradiance (meter readings, limits)


def parse_length_mm(text: str | float, field: str = "distance", *, allow_zero: bool = True) -> float:
    """Length typed with a unit ("6 in", "15 cm", "150 mm") in millimetres; 0 (or > 0) up to 10 m."""
    mm = parse_quantity(text, "mm", field, example="15 cm")
    if mm < 0 or (mm == 0 and not allow_zero):
        raise PhotodoseInputError(field, text, "a length must be " + ("zero or positive" if allow_zero else "positive"))
    if mm > MAX_LENGTH_MM:
        raise PhotodoseInputError(field, text, f"allowed range is [0, {MAX_LENGTH_MM:g}] mm (10 m)")
    return mm


def parse_irradiance_mw_cm2(text: str | float, field: str = "irradiance") -> float:
    """Irradiance typed with a unit ("62 mW/cm2", "620 W/m2") in mW/cm^2; must not be negative."""
    value = parse_quantity(text, "mW/cm**2", field, example="62 mW/cm2")
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
LengthUnit = Literal["mm", "cm", "m", "in", "ft"]   # the keys of LENGTH_UNITS_MM


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


_ASCII_DEGREES = re.compile(r"(?<=[\s(])deg([CF])\b")
_ASCII_PER_AREA = re.compile(r"(?<=[\s(])((?:mW|W|mJ|J)/c?m)2\b")   # "30 J/cm2", "(mW/cm2)", "W/m2"
_ASCII_AREA = re.compile(r"(?:(?<=\d )|(?<=\())(mm|cm|m)2\b")          # "1800 cm2", "(cm2)"


def unit_signs(value):
    """Package data and plan texts write units in ASCII ("38.5 degC", "30 J/cm2", "1800 cm2"); a page, a report
    or the terminal shows the signs ("38.5 °C", "30 J/cm²", "1800 cm²"). Used as the pages' and reports' Jinja
    ``finalize`` and by the CLI's printing: strings (including safe markup) are rewritten, other values pass
    through. A unit is rewritten only after a space or "(": base64 data (embedded images, Plotly's binary arrays)
    has neither, so it is never touched; JSON output keeps ASCII."""
    if not isinstance(value, str) or not ("deg" in value or "2" in value):
        return value
    if value in ("degC", "degF"):   # a unit on its own (a check's unit field)
        return type(value)("°" + value[-1])
    text = _ASCII_AREA.sub(r"\1²", _ASCII_PER_AREA.sub(r"\1²", _ASCII_DEGREES.sub(r"°\1", value)))
    return type(value)(text)   # safe markup stays safe markup


def format_length(mm: float, unit: str = "mm") -> str:
    """``mm`` shown in ``unit`` with a sensible precision ("6 in", "15.2 cm", "152 mm")."""
    value = mm / LENGTH_UNITS_MM[unit]
    return f"{value:.3g} {unit}" if unit != "mm" else f"{value:.0f} mm"
