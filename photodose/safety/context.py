"""The typed input of the safety gate: what the planner (or the CLI) knows about one planned session."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, model_validator

from ..optics.emission import EmissionSpectrum
from .bioheat import HeatSource, ThermalStack
from .eye_geometry import EyeGeometry
from .overdose import ProtocolBounds, Session
from .screening import ScreeningAnswers

MAX_SESSION_S = 3e4  # the laser skin MPE's upper time bound (ANSI Z136.1, bibliography key ansi_z136_1_2014)


class Channel(BaseModel):
    """One emission band at the use distance: mean (time-averaged) and peak (pulsed) irradiance in mW/cm2.

    In ``SafetyContext.channels`` the irradiance is the one at the skin; in ``SafetyContext.eye_channels`` the one
    at the eye (without eye channels the eye checks assume the eye in the beam at the skin's irradiance, the worst
    case). ``spectrum`` (optional) weights the blue-light hazard over the emission line; without it
    the blue-light check assumes a Gaussian line of photodose's default width at ``wavelength_nm``.
    """

    wavelength_nm: float = Field(ge=200, le=3000)
    irradiance_mw_cm2: float = Field(ge=0, le=1e5)
    peak_irradiance_mw_cm2: float | None = Field(default=None, ge=0, le=1e7)
    spectrum: EmissionSpectrum | None = None

    @model_validator(mode="after")
    def _peak_not_below_mean(self) -> "Channel":
        if self.peak_irradiance_mw_cm2 is not None and self.peak_irradiance_mw_cm2 < self.irradiance_mw_cm2:
            raise ValueError("peak_irradiance_mw_cm2 must be >= irradiance_mw_cm2")
        return self

    @property
    def peak_mw_cm2(self) -> float:
        return self.irradiance_mw_cm2 if self.peak_irradiance_mw_cm2 is None else self.peak_irradiance_mw_cm2


class DistancePoint(BaseModel):
    """Irradiance at ``distance_mm`` relative to the irradiance at the use distance (1 there)."""

    distance_mm: float = Field(ge=0)
    relative_irradiance: float = Field(ge=0)


class SafetyContext(BaseModel):
    """Everything the gate checks for one planned session. Optional parts switch their checks on.

    - device: ``device_kind`` (free text: panel, mask, wand, headset...), ``is_laser``, ``channels``,
      ``source_diameter_mm`` (luminous area) or ``angular_subtense_rad`` for the retinal thermal check,
      ``irradiance_vs_distance`` (lets remedies say "move to X mm").
    - session: ``distance_mm``, ``session_seconds`` (0 < t <= 3e4 s), ``site`` (lower case, e.g. "knee",
      "forehead"), ``transcranial``, ``pulsed_visible``, ``goggles``, ``planned_start``.
    - eye: ``eye`` (where the eye is, :class:`~photodose.safety.eye_geometry.EyeGeometry`), ``eye_channels`` (the
      irradiance at the eye's position per channel) and ``eye_alpha_rad`` (the source's angular subtense seen from
      there); without them the eye is taken in the beam at the skin's irradiance and ``alpha_rad()``.
      ``classification_channels``: the spatial peak on the plane at ``distance_mm``, for the IEC 62471 risk group
      (default: ``channels``).
    - heating: ``heat_source`` (absorbed W/cm3 vs depth at the planned irradiance), ``thermal_stack``
      (default: epidermis/dermis/fat/muscle, see data/thermal_tissue.yaml).
    - person: ``screening`` answers and ``now`` (for staleness); ``prior_sessions`` and ``bounds`` (protocol).
    """

    device_kind: str = "panel"
    is_laser: bool = False
    channels: list[Channel] = Field(min_length=1)
    source_diameter_mm: float | None = Field(default=None, gt=0)
    angular_subtense_rad: float | None = Field(default=None, gt=0, le=3.1416)
    irradiance_vs_distance: list[DistancePoint] | None = None
    distance_mm: float = Field(ge=0, le=1e4)
    session_seconds: float = Field(gt=0, le=MAX_SESSION_S)
    site: str = "unspecified"
    transcranial: bool = False
    pulsed_visible: bool = False
    goggles: bool = False
    eye: EyeGeometry | None = None
    eye_channels: list[Channel] | None = None
    eye_alpha_rad: float | None = Field(default=None, gt=0, le=3.1416)
    classification_channels: list[Channel] | None = None
    heat_source: HeatSource | None = None
    thermal_stack: ThermalStack | None = None
    screening: ScreeningAnswers | None = None
    now: datetime | None = None
    planned_start: datetime | None = None
    prior_sessions: list[Session] = Field(default_factory=list)
    bounds: ProtocolBounds | None = None

    @property
    def total_irradiance_mw_cm2(self) -> float:
        return sum(c.irradiance_mw_cm2 for c in self.channels)

    @property
    def session_fluence_j_cm2(self) -> float:
        """Surface fluence of the planned session: irradiance mW/cm2 x time s / 1000 (radiant exposure; jenkins2011)."""
        return self.total_irradiance_mw_cm2 * self.session_seconds / 1000.0

    @property
    def eye_in_beam(self) -> bool:
        """True when the eye is in the beam (also when no eye geometry is given: the worst case)."""
        return True if self.eye is None else self.eye.in_beam

    def eye_exposure(self) -> list[Channel]:
        """The channels' irradiance at the eye (``eye_channels``, else the skin's: eye in the beam)."""
        return self.channels if self.eye_channels is None else self.eye_channels

    def eye_alpha(self) -> float | None:
        """Angular subtense of the source seen from the eye (``eye_alpha_rad``, else :meth:`alpha_rad`)."""
        return self.alpha_rad() if self.eye_alpha_rad is None else self.eye_alpha_rad

    def classification(self) -> list[Channel]:
        """The channels the IEC 62471 risk group is computed from (``classification_channels`` or ``channels``)."""
        return self.channels if self.classification_channels is None else self.classification_channels

    def alpha_rad(self) -> float | None:
        """Angular subtense of the source: given, or from the luminous diameter at the use distance."""
        if self.angular_subtense_rad is not None:
            return self.angular_subtense_rad
        if self.source_diameter_mm is not None:
            from .eye_limits import disc_angular_subtense_rad

            return disc_angular_subtense_rad(self.source_diameter_mm, self.distance_mm)
        return None
