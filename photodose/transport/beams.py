"""Beam shapes and incidence for the Monte Carlo source.

Beams: ``pencil`` (a point at r = 0), ``flat`` (uniform disc of radius R), ``gaussian`` (1/e^2 radius R),
``wide`` (infinitely wide uniform illumination: results are per unit irradiance and depend on depth only).
Incidence: ``collimated`` (normal), ``cone`` (directions uniform in solid angle within a half-angle),
``lambertian`` (diffuse: cosine-weighted directions over the hemisphere). Typed on the command line as
``pencil | flat:RADIUS_MM | gaussian:RADIUS_MM | wide`` and ``collimated | cone:DEG | lambertian``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..errors import PhotodoseInputError

BEAM_KIND_CODES = {"pencil": 0, "flat": 1, "gaussian": 2, "wide": 3}
INCIDENCE_KIND_CODES = {"collimated": 0, "cone": 1, "lambertian": 2}


class Beam(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["pencil", "flat", "gaussian", "wide"] = "pencil"
    radius_mm: float = 0.0

    @property
    def code(self) -> int:
        return BEAM_KIND_CODES[self.kind]

    def label(self) -> str:
        return f"{self.kind}:{self.radius_mm:g}" if self.kind in ("flat", "gaussian") else self.kind


class Incidence(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["collimated", "cone", "lambertian"] = "collimated"
    half_angle_deg: float = 0.0

    @property
    def code(self) -> int:
        return INCIDENCE_KIND_CODES[self.kind]

    def label(self) -> str:
        return f"cone:{self.half_angle_deg:g}" if self.kind == "cone" else self.kind


def _split(text: str, field: str, kinds) -> tuple[str, str | None]:
    name, _, arg = str(text).strip().lower().partition(":")
    if name not in kinds:
        raise PhotodoseInputError(field, text, "allowed: " + " | ".join(kinds))
    return name, (arg or None)


def parse_beam(text: str) -> Beam:
    """Parse ``pencil``, ``flat:RADIUS_MM``, ``gaussian:RADIUS_MM`` or ``wide``."""
    allowed = ["pencil", "flat:RADIUS_MM", "gaussian:RADIUS_MM", "wide"]
    name, arg = _split(text, "beam", ["pencil", "flat", "gaussian", "wide"])
    if name in ("flat", "gaussian"):
        try:
            radius = float(arg) if arg is not None else float("nan")
        except ValueError:
            radius = float("nan")
        if not radius > 0:
            raise PhotodoseInputError("beam", text,
                                      "a radius in mm > 0 is needed, e.g. flat:5; allowed: " + " | ".join(allowed))
        return Beam(kind=name, radius_mm=radius)
    if arg is not None:
        raise PhotodoseInputError("beam", text, f"{name} takes no radius; allowed: " + " | ".join(allowed))
    return Beam(kind=name)


def parse_incidence(text: str) -> Incidence:
    """Parse ``collimated``, ``cone:DEG`` (0 < DEG <= 90) or ``lambertian``."""
    name, arg = _split(text, "incidence", ["collimated", "cone", "lambertian"])
    if name == "cone":
        try:
            deg = float(arg) if arg is not None else float("nan")
        except ValueError:
            deg = float("nan")
        if not (0 < deg <= 90):
            raise PhotodoseInputError("incidence", text, "cone half-angle in degrees, 0 < DEG <= 90, e.g. cone:30")
        return Incidence(kind="cone", half_angle_deg=deg)
    if arg is not None:
        raise PhotodoseInputError("incidence", text,
                                  f"{name} takes no angle; allowed: collimated | cone:DEG | lambertian")
    return Incidence(kind=name)
