"""Typed protocol entries. Every literature value carries its source; rules without one say ``unsourced``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator


class Sourced(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    source: str
    unsourced: bool = False
    citations: tuple[str, ...] = ()


class DoseWindow(Sourced):
    """A fluence window [low, high] in J/cm^2, at the skin or at the target depth."""

    low_j_cm2: float = Field(gt=0)
    high_j_cm2: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> "DoseWindow":
        if self.high_j_cm2 <= self.low_j_cm2:
            raise ValueError(f"window high {self.high_j_cm2} must exceed low {self.low_j_cm2}")
        return self


class SessionBounds(Sourced):
    min_s: float = Field(gt=0)
    max_s: float = Field(gt=0)


class Schedule(Sourced):
    sessions_per_week: int = Field(ge=1, le=14)
    sessions_per_week_range: tuple[int, int] | None = None
    weeks: int = Field(ge=1, le=104)


class Target(BaseModel):
    """The tissue a protocol aims at, its depth under the site's flat stack, and (transcranial protocols) the named
    cortical region of the 3-D head (``photodose.transport.head`` targets, e.g. ``dlpfc``) for ``--transport
    head3d``."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    tissue: str
    depth_mm: float = Field(ge=0, le=50)
    source: str
    head_target: str | None = None


class MaxIrradiance(Sourced):
    value_mw_cm2: float = Field(gt=0)


class LaserPoints(Sourced):
    """WALT 2010 per-point laser dosing: joules per treatment over a number of points (bibliography key walt2010).

    ``energy_j`` is the energy per treatment (all points); ``min_j_per_point`` / ``max_irradiance_mw_cm2`` only
    where the table gives them. The per-point time, probe power and wavelength bounds are the table's header.
    ``unverified`` marks entries the reference could not check.
    """

    points_min: int = Field(ge=1)
    points_max: int = Field(ge=1)
    energy_j: float = Field(gt=0)
    min_j_per_point: float | None = Field(default=None, gt=0)
    max_irradiance_mw_cm2: float | None = Field(default=None, gt=0)
    seconds_per_point: tuple[float, float]
    power_mw: tuple[float, float]
    wavelength_nm: tuple[float, float]
    unverified: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> "LaserPoints":
        for name in ("seconds_per_point", "power_mw", "wavelength_nm"):
            low, high = getattr(self, name)
            if not 0 < low <= high:
                raise ValueError(f"laser_points.{name} must be 0 < low <= high, got {low}-{high}")
        if self.points_max < self.points_min:
            raise ValueError(f"laser_points: points_max {self.points_max} < points_min {self.points_min}")
        return self


PHOTODOSE_GRADES = ("early", "mixed")  # evidence levels that are photodose's own grading, not a published scale


class Evidence(BaseModel):
    """How much the literature supports a protocol. ``level`` is either a description of the evidence ("randomized
    sham-controlled trials", "consensus dose table") or, for "early" and "mixed", photodose's own grading
    (``graded_by: photodose``): no published evidence scale assigns those words. ``label`` is the level as shown."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    level: str
    statement: str
    citations: tuple[str, ...] = ()
    graded_by: str | None = None

    @model_validator(mode="after")
    def _grading_said(self) -> "Evidence":
        if self.level in PHOTODOSE_GRADES and self.graded_by != "photodose":
            raise ValueError(f"evidence level {self.level!r} is photodose's grading: set graded_by: photodose")
        return self

    @computed_field
    @property
    def label(self) -> str:
        """The level as shown to a person: photodose's grades say so."""
        return f"{self.level} (photodose's grading)" if self.graded_by == "photodose" else self.level


class Protocol(BaseModel):
    """One condition's protocol. ``skin_window`` and/or ``target_window`` give the dose window."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    id: str
    name: str
    category: str
    site: str = Field(description="canonical body site of photodose.optics (sites.yaml), not an alias")
    site_note: str | None = Field(default=None, description="where the site's stack only approximates the anatomy")
    wavelengths_nm: tuple[float, ...]
    wavelength_source: str
    target: Target
    skin_window: DoseWindow | None = None
    target_window: DoseWindow | None = None
    session: SessionBounds
    schedule: Schedule
    max_irradiance: MaxIrradiance | None = None
    reference_dose: str | None = None
    reference_irradiance_mw_cm2: float | None = None
    laser_points: LaserPoints | None = None
    evidence: Evidence

    @field_validator("site")
    @classmethod
    def _known_site(cls, site: str) -> str:
        from ..optics.sites import SITES

        if site not in SITES:
            raise ValueError(f"site {site!r} is not a body site of photodose.optics: {', '.join(SITES)}")
        return site

    @model_validator(mode="after")
    def _has_window(self) -> "Protocol":
        if self.skin_window is None and self.target_window is None:
            raise ValueError(f"protocol {self.id}: needs a skin_window or a target_window")
        return self

    def citation_keys(self) -> list[str]:
        """Every citation key the entry uses, in first-use order."""
        parts = [self.evidence, self.skin_window, self.target_window, self.session, self.schedule, self.max_irradiance,
                 self.laser_points]
        keys: list[str] = []
        for part in parts:
            for key in getattr(part, "citations", ()) or ():
                if key not in keys:
                    keys.append(key)
        return keys
