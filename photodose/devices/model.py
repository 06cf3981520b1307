"""The device model: channels (spectrum, power, angular emission, dimming, pulsing) over an emitter layout.

Conventions: lengths in mm, powers in mW (optical, radiant), angles in degrees. A channel's power is its
on-state (peak) optical power after dimming; pulsing with duty cycle D makes the time-averaged power
peak x D. Every value read from a device file carries its provenance (manufacturer claim, independent
measurement, model fit, assumption or illustrative) in ``Device.provenance`` keyed by the file's field path.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import PhotodoseInputError
from ..optics.emission import EmissionSpectrum
from ..units import LengthUnit
from .emitters import lambertian_order_from_half_angle

DeviceKind = Literal["panel", "mask", "wand", "laser_probe", "headset", "pad", "sauna_dome"]
DEVICE_KINDS: tuple[str, ...] = DeviceKind.__args__
ProvenanceTag = Literal["claim", "measurement", "model_fit", "assumption", "illustrative"]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Provenance(BaseModel):
    """Where a value comes from: a manufacturer ``claim``, an independent ``measurement``, a ``model_fit``
    (chosen so the model reproduces a claim), an ``assumption`` or an ``illustrative`` generic value."""

    model_config = _FROZEN
    tag: ProvenanceTag
    source: str
    note: str = ""


class Claim(BaseModel):
    """A stated irradiance at a distance (on axis, all enabled channels unless ``channels`` is given)."""

    model_config = _FROZEN
    irradiance_mw_cm2: float = Field(gt=0)
    distance_mm: float = Field(ge=0)
    channels: list[str] | None = None
    tag: Literal["claim", "measurement"]
    source: str = Field(min_length=1)
    note: str = ""


class Pulsing(BaseModel):
    """Square-wave pulsing: time-averaged irradiance = peak x duty_cycle."""

    model_config = _FROZEN
    frequency_hz: float = Field(gt=0)
    duty_cycle: float = Field(gt=0, le=1)


# Emitters are summed one by one on the irradiance grid; beyond this a uniform "area" layout is the right model.
MAX_EMITTERS = 20_000

class Layout(BaseModel):
    """Where the light leaves the device, centred on the optical axis (x = y = 0).

    ``grid``: rows x columns of point emitters at a pitch; ``positions``: listed (x, y) emitters;
    ``area``: a uniform emitting rectangle or disc (sampled finely by the irradiance code);
    ``beam``: a collimated top-hat beam (laser probe) of diameter ``diameter_mm`` whose radius grows by
    tan(``divergence_half_angle_deg``) per mm of distance. ``conformal`` marks a curved surface (mask, helmet,
    wrap) modelled as developed onto a plane facing skin at a constant standoff: each emitter keeps its
    distance to the skin beneath it; the curvature's cross-illumination between facing parts is neglected.
    """

    model_config = _FROZEN
    kind: Literal["grid", "positions", "area", "beam"]
    rows: int | None = Field(None, ge=1)
    columns: int | None = Field(None, ge=1)
    pitch_x_mm: float | None = Field(None, gt=0)
    pitch_y_mm: float | None = Field(None, gt=0)
    positions_mm: list[tuple[float, float]] | None = None
    shape: Literal["rectangle", "disc"] = "rectangle"
    width_mm: float | None = Field(None, gt=0)
    height_mm: float | None = Field(None, gt=0)
    diameter_mm: float | None = Field(None, gt=0)
    divergence_half_angle_deg: float = Field(0.0, ge=0, lt=90)
    conformal: bool = False

    @model_validator(mode="after")
    def _complete(self) -> "Layout":
        need = {
            "grid": ("rows", "columns", "pitch_x_mm"),
            "positions": ("positions_mm",),
            "beam": ("diameter_mm",),
            "area": ("diameter_mm",) if self.shape == "disc" else ("width_mm", "height_mm"),
        }[self.kind]
        missing = [name for name in need if getattr(self, name) in (None, [])]
        if missing:
            raise ValueError(f"a {self.kind} layout needs {', '.join(missing)}")
        if (self.emitter_count or 0) > MAX_EMITTERS:
            raise ValueError(f"{self.emitter_count} emitters; at most {MAX_EMITTERS} are modelled one by one "
                             "(use an 'area' layout for larger sources)")
        return self

    @property
    def pitch_mm(self) -> tuple[float, float]:
        return self.pitch_x_mm, self.pitch_y_mm or self.pitch_x_mm

    @property
    def emitter_count(self) -> int | None:
        """Number of discrete emitters (None for a uniform area, 1 for a beam)."""
        if self.kind == "grid":
            return self.rows * self.columns
        if self.kind == "positions":
            return len(self.positions_mm)
        return 1 if self.kind == "beam" else None

    @property
    def extent_mm(self) -> tuple[float, float]:
        """Width and height of the emitting region (grid: pitch x count, i.e. one cell around each LED)."""
        if self.kind == "grid":
            px, py = self.pitch_mm
            return self.columns * px, self.rows * py
        if self.kind == "positions":
            xs = [p[0] for p in self.positions_mm]
            ys = [p[1] for p in self.positions_mm]
            return max(xs) - min(xs), max(ys) - min(ys)
        if self.kind == "area" and self.shape == "rectangle":
            return self.width_mm, self.height_mm
        return self.diameter_mm, self.diameter_mm

    @property
    def emitting_area_mm2(self) -> float:
        if self.kind == "beam" or (self.kind == "area" and self.shape == "disc"):
            return math.pi * self.diameter_mm ** 2 / 4
        w, h = self.extent_mm
        return w * h


class Channel(BaseModel):
    """One independently driven emitter channel (e.g. all 660 nm LEDs of a panel).

    Power: ``power_per_emitter_mw`` (times the layout's emitter count) or ``total_power_mw``; on-state optical
    power, scaled by ``dimming`` (0-1). Angular emission: generalised Lambertian of order
    ``lambertian_order`` (m), or from ``half_angle_deg`` (half-power half-angle); neither given means m = 1.
    ``layout`` overrides the device's layout for this channel.
    """

    model_config = _FROZEN
    id: str = Field(min_length=1)
    spectrum: EmissionSpectrum
    power_per_emitter_mw: float | None = Field(None, ge=0)
    total_power_mw: float | None = Field(None, ge=0)
    lambertian_order: float | None = Field(None, ge=0, le=10000)
    half_angle_deg: float | None = Field(None, gt=0, le=90)
    dimming: float = Field(1.0, ge=0, le=1)
    enabled: bool = True
    pulsing: Pulsing | None = None
    layout: Layout | None = None

    @model_validator(mode="after")
    def _one_power_one_angle(self) -> "Channel":
        if (self.power_per_emitter_mw is None) == (self.total_power_mw is None):
            raise ValueError("give exactly one of power_per_emitter and total_power")
        if self.lambertian_order is not None and self.half_angle_deg is not None:
            raise ValueError("give lambertian_order or half_angle_deg, not both")
        return self

    @property
    def wavelength_nm(self) -> float:
        """Centre wavelength of the channel's spectrum."""
        return self.spectrum.centre_nm

    @property
    def order_m(self) -> float:
        """Generalised Lambertian order m of each emitter."""
        if self.lambertian_order is not None:
            return self.lambertian_order
        if self.half_angle_deg is not None:
            return lambertian_order_from_half_angle(self.half_angle_deg)
        return 1.0

    def peak_power_mw(self, layout: Layout) -> float:
        """On-state optical power of the whole channel after dimming (0 when disabled)."""
        if not self.enabled:
            return 0.0
        if self.total_power_mw is not None:
            power = self.total_power_mw
        else:
            count = layout.emitter_count
            if count is None:
                raise ValueError(f"channel {self.id}: a uniform area layout needs total_power, not power_per_emitter")
            power = self.power_per_emitter_mw * count
        return power * self.dimming


class CalibrationReading(BaseModel):
    """One meter reading as typed (``read_mw_cm2``) and as used for the fit (x the meter factor)."""

    model_config = _FROZEN
    distance_mm: float = Field(ge=0)
    x_mm: float = 0.0
    y_mm: float = 0.0
    read_mw_cm2: float = Field(gt=0)
    irradiance_mw_cm2: float = Field(gt=0)


class DeviceCalibration(BaseModel):
    """How a user device was calibrated (``photodose calibrate --save``): the readings, the meter and the fit.

    ``meter_factor`` multiplies each reading (1 for an irradiance meter taken at its word); its ``meter_note``
    says where the factor comes from (the person, or unsourced). ``power_scale`` multiplied the channels' powers
    of ``from_device``; ``lambertian_order`` is the fitted common order, when fitted.
    """

    model_config = _FROZEN
    date: str
    from_device: str
    meter: str
    meter_factor: float = Field(gt=0)
    meter_note: str
    readings: list[CalibrationReading] = Field(min_length=1)
    power_scale: float = Field(gt=0)
    power_scale_std: float | None = None
    lambertian_order: float | None = None
    rms_residual_percent: float


class SaunaChamber(BaseModel):
    """A sauna dome's heated environment: it delivers heat, not light (photodose.hyperthermia models the body).

    ``air_temperature_c`` and ``mean_radiant_temperature_c`` (degC; the emitters' radiant heat is carried by the mean
    radiant temperature), ``relative_humidity_percent`` (% at the chamber's air temperature); ``head_outside``: the
    head stays in room air; ``posture``: lying or sitting; ``heater_power_w`` (W) when stated.
    """

    model_config = _FROZEN
    air_temperature_c: float = Field(ge=20, le=100)
    mean_radiant_temperature_c: float = Field(ge=20, le=150)
    relative_humidity_percent: float = Field(ge=0, le=100)
    head_outside: bool = True
    posture: Literal["lying", "sitting"] = "lying"
    heater_power_w: float | None = Field(None, gt=0)


class Device(BaseModel):
    """A light therapy device: channels over a layout, its usual distance, claims and provenance.

    A ``sauna_dome`` has a ``chamber`` and no light channels; light-only code refuses it (:meth:`require_light`).
    """

    model_config = _FROZEN
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    name: str = Field(min_length=1)
    kind: DeviceKind
    channels: list[Channel] = Field(default_factory=list)
    chamber: SaunaChamber | None = None
    layout: Layout
    treatment_area_mm: tuple[float, float] | None = None
    default_distance_mm: float = Field(ge=0)
    default_distance_unit: LengthUnit = "mm"  # the unit the file gave it in ("6 in" -> "in"): answers speak it
    contact: bool = False
    pulsing: Pulsing | None = None
    claims: list[Claim] = []
    provenance: dict[str, Provenance] = {}
    source: str = ""
    notes: str = ""
    file: str = ""
    calibration: DeviceCalibration | None = None  # set by ``photodose calibrate --save``

    @model_validator(mode="after")
    def _consistent(self) -> "Device":
        if self.kind == "sauna_dome" and (self.chamber is None or self.channels):
            raise ValueError("a sauna_dome gives a chamber (air_temperature_c, mean_radiant_temperature_c, "
                             "relative_humidity_percent) and no light channels")
        if self.kind != "sauna_dome" and (not self.channels or self.chamber is not None):
            raise ValueError("a light device gives at least one channel and no chamber")
        ids = [c.id for c in self.channels]
        if len(set(ids)) != len(ids):
            raise ValueError(f"channel ids must be unique, got {ids}")
        for channel in self.channels:
            channel.peak_power_mw(self.layout_for(channel))  # refuses per-emitter power on an area
        for claim in self.claims:
            unknown = set(claim.channels or ()) - set(ids)
            if unknown:
                raise ValueError(f"claim names unknown channels {sorted(unknown)}; channels are {ids}")
        if self.treatment_area_mm is not None and min(self.treatment_area_mm) <= 0:
            raise ValueError("treatment_area sides must be positive")
        return self

    @property
    def is_light(self) -> bool:
        return self.kind != "sauna_dome"

    def require_light(self, option: str = "device") -> "Device":
        """This device, or a one-line refusal when it delivers heat, not light (a sauna dome)."""
        if not self.is_light:
            raise PhotodoseInputError(option, self.id, "a light device (a sauna dome delivers heat, not light: plan "
                                      "it with `photodose plan --device ID --condition "
                                      "depression-whole-body-hyperthermia`)")
        return self

    def provenance_of(self, field_path: str) -> Provenance | None:
        """Provenance of a file value (e.g. ``channels.0.total_power``), else the file's default, else None."""
        return self.provenance.get(field_path) or self.provenance.get("*")

    def layout_for(self, channel: Channel) -> Layout:
        return channel.layout or self.layout

    def pulsing_for(self, channel: Channel) -> Pulsing | None:
        """The channel's own pulsing, else the device's, else None (continuous wave)."""
        return channel.pulsing or self.pulsing

    def duty_cycle(self, channel: Channel) -> float:
        pulsing = self.pulsing_for(channel)
        return pulsing.duty_cycle if pulsing else 1.0

    def peak_power_mw(self, channel: Channel) -> float:
        """On-state optical power of ``channel`` after dimming (0 when disabled)."""
        return channel.peak_power_mw(self.layout_for(channel))

    def average_power_mw(self, channel: Channel) -> float:
        """Time-averaged optical power of ``channel``: peak x duty cycle."""
        return self.peak_power_mw(channel) * self.duty_cycle(channel)

    def channel(self, channel_id: str) -> Channel:
        for c in self.channels:
            if c.id == channel_id:
                return c
        raise PhotodoseInputError("channel", channel_id,
                                  "channels of this device: " + ", ".join(c.id for c in self.channels))

    @property
    def emitting_area_mm2(self) -> float:
        return self.layout.emitting_area_mm2
