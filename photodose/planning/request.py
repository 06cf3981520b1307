"""What a person asks the planner: device, channels, distance, site, skin, condition or custom target, limits."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PlanRequest(BaseModel):
    """Planner input. Lengths mm, irradiance mW/cm^2, fluence J/cm^2, time minutes where named so.

    Give ``condition`` (a protocol id) or a custom target (``target_depth_mm`` with ``window_j_cm2``); a custom
    target overrides the protocol's. ``distance_mm`` None means: choose the distance (inverse planning).
    Distances are shown in ``distance_unit``, the unit the person typed; without one, in the unit of the device's
    usual distance (a maker's "6 in" gives inches).
    ``safety`` holds answers for the safety gate (contraindications, eye protection ...), passed through.
    ``tissue`` swaps layer tissue presets by layer name (``{"subcutaneous_fat": "subcutaneous_fat_bashkatov"}``).
    ``transport`` picks the depth model (``fast`` by default; see :mod:`photodose.dosimetry.depth_model`);
    with ``head3d``, ``head_positions`` (10-20 names) place the device and ``head_target`` names the cortex
    (defaults: the protocol's head target and its positions; see :mod:`photodose.planning.head3d`).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    device: object
    channels: list[str] | None = None
    distance_mm: float | None = Field(None, ge=0, le=3000)
    site: str | None = None
    skin_type: str | None = "III"  # None: the profile's (usecases.plan_for_profile), else III
    thickness_mm: dict[str, float] | None = None
    tissue: dict[str, str] | None = None  # layer -> tissue preset (photodose tissues), e.g. a fat preset
    condition: str | None = None
    target_depth_mm: float | None = Field(None, ge=0, le=40)
    window_j_cm2: tuple[float, float] | None = None
    minutes: float | None = Field(None, gt=0, le=240)       # fixed session length
    min_minutes: float | None = Field(None, gt=0, le=240)
    max_minutes: float | None = Field(None, gt=0, le=240)
    distance_unit: str | None = None  # the unit the person typed lengths in (None: the device's usual distance's)
    eye_distance_mm: float | None = Field(None, ge=0, le=10000)  # where the eye is, for sites away from the head
    max_irradiance_mw_cm2: float | None = Field(None, gt=0)
    distance_range_mm: tuple[float, float] | None = None
    safety: dict | None = None
    transport: object = None  # depth model: "fast" | "mc[:PHOTONS]" | "atlas:DIR" | "head3d[:PHOTONS]" or a DepthModel
    head_positions: list[str] | None = None
    head_target: str | None = None

    @model_validator(mode="after")
    def _what_to_plan(self) -> "PlanRequest":
        if self.condition is None and (self.target_depth_mm is None or self.window_j_cm2 is None):
            raise ValueError("give a condition, or a custom target: target_depth_mm and window_j_cm2")
        if self.condition is None and self.site is None:
            raise ValueError("a custom target needs a site")
        if self.window_j_cm2 is not None and not (0 < self.window_j_cm2[0] < self.window_j_cm2[1]):
            raise ValueError(f"window_j_cm2 {self.window_j_cm2} must be LOW..HIGH with 0 < LOW < HIGH")
        if self.distance_range_mm is not None and not (0 <= self.distance_range_mm[0] <= self.distance_range_mm[1]):
            raise ValueError(f"distance_range_mm {self.distance_range_mm} must be MIN..MAX with 0 <= MIN <= MAX")
        return self
