"""Irradiance a device puts on a plane parallel to it: maps, treatment-area summaries, on-axis curves.

Each channel's power is spread over its layout's emitters (see :mod:`.sampling`) and summed with the
generalised Lambertian point-emitter model of :mod:`.emitters`. A beam layout (laser probe) is a top-hat
disc: E = P / (pi r^2) inside the beam radius r(d), 0 outside. At contact (distance 0) a uniform emitting
area gives its exitance P / A inside the area. Irradiances are time-averaged (peak x duty cycle) unless
``peak=True``; units mm, mW, mW/cm^2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..errors import PhotodoseInputError
from .emitters import MM2_PER_CM2, point_emitters_irradiance_mw_cm2, top_hat_beam_radius_mm
from .model import Channel, Device
from .sampling import MAX_AREA_SAMPLES, emitter_positions_mm

SUMMARY_SAMPLES_PER_SIDE = 41
_ELEMENT_BUDGET = 40_000_000  # target points x area samples per evaluation


class ChannelIrradiance(BaseModel):
    """One channel over the treatment area: time-averaged mean and spatial peak (mW/cm2), uniformity (min / max),
    and for a pulsed channel the spatial peak during a pulse."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    channel: str
    wavelength_nm: float
    mean_irradiance_mw_cm2: float
    peak_irradiance_mw_cm2: float
    uniformity: float
    peak_pulse_irradiance_mw_cm2: float | None = None


class IrradianceSummary(BaseModel):
    """The ``photodose irradiance --json`` and ``GET /api/devices/{id}/irradiance`` contract: what
    :func:`irradiance_summary` returns, typed (its keys; a non-pulsed channel has no pulse peak)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    device: str
    distance_mm: float
    channels: list[ChannelIrradiance]
    total_mean_irradiance_mw_cm2: float

    def json_doc(self) -> dict:
        """The JSON document (keys as :func:`irradiance_summary` writes them)."""
        return self.model_dump(mode="json", exclude_none=True)


@dataclass(frozen=True)
class IrradianceMap:
    """E(x, y) on the plane at ``distance_mm``: ``irradiance_mw_cm2[iy, ix]`` at (x_mm[ix], y_mm[iy])."""

    device_id: str
    distance_mm: float
    channels: tuple[str, ...]
    x_mm: np.ndarray
    y_mm: np.ndarray
    irradiance_mw_cm2: np.ndarray


def channel_irradiance_mw_cm2(device: Device, channel: Channel, x_mm, y_mm, distance_mm: float, *,
                              peak: bool = False, order_m: float | None = None) -> np.ndarray:
    """Irradiance of one channel at points (x_mm, y_mm) of the plane at ``distance_mm``.

    ``order_m`` overrides the channel's Lambertian order (used by calibration); ``peak`` gives the on-pulse value.
    """
    layout = device.layout_for(channel)
    power_mw = device.peak_power_mw(channel) if peak else device.average_power_mw(channel)
    x = np.asarray(x_mm, float)
    y = np.broadcast_to(np.asarray(y_mm, float), x.shape)
    if distance_mm < 0:
        raise PhotodoseInputError("distance_mm", distance_mm, "a distance must be zero or positive")
    if layout.kind == "beam":
        radius_mm = float(top_hat_beam_radius_mm(layout.diameter_mm, layout.divergence_half_angle_deg, distance_mm))
        inside = x ** 2 + y ** 2 <= radius_mm ** 2
        return np.where(inside, power_mw / (np.pi * radius_mm ** 2) * MM2_PER_CM2, 0.0)
    if distance_mm == 0:
        if layout.kind != "area":
            raise PhotodoseInputError("distance", 0, "point-emitter layouts (grid, positions) need a distance > 0")
        return np.where(_inside_area(layout, x, y), power_mw / layout.emitting_area_mm2 * MM2_PER_CM2, 0.0)
    max_samples = int(np.clip(_ELEMENT_BUDGET // max(x.size, 1), MAX_AREA_SAMPLES, 20 * MAX_AREA_SAMPLES))
    ex, ey, share = emitter_positions_mm(layout, distance_mm, max_samples)
    m = channel.order_m if order_m is None else order_m
    return point_emitters_irradiance_mw_cm2(ex, ey, share * power_mw, m, x, y, distance_mm)


def _inside_area(layout, x, y):
    if layout.shape == "disc":
        return x ** 2 + y ** 2 <= (layout.diameter_mm / 2) ** 2
    return (np.abs(x) <= layout.width_mm / 2) & (np.abs(y) <= layout.height_mm / 2)


def select_channels(device: Device, channels: list[str] | None = None) -> list[Channel]:
    """The named channels (all enabled channels when ``channels`` is None); unknown ids are refused."""
    device.require_light()
    if channels is None:
        return [c for c in device.channels if c.enabled]
    return [device.channel(str(c)) for c in channels]


def irradiance_map(device: Device, distance_mm: float, channel: str | None = None,
                   extent_mm: tuple[float, float] | None = None, resolution: int = 101) -> IrradianceMap:
    """Map of time-averaged irradiance over a ``extent_mm`` (width, height) window centred on the axis.

    ``channel`` None sums all enabled channels. The default window is the emitting region widened by the
    distance (or 1.5 beam diameters for a beam).
    """
    chosen = select_channels(device, None if channel is None else [channel])
    width_mm, height_mm = extent_mm or default_extent_mm(device, distance_mm)
    x = np.linspace(-width_mm / 2, width_mm / 2, resolution)
    y = np.linspace(-height_mm / 2, height_mm / 2, resolution)
    gx, gy = np.meshgrid(x, y)
    total = sum(channel_irradiance_mw_cm2(device, c, gx, gy, distance_mm) for c in chosen)
    return IrradianceMap(device.id, float(distance_mm), tuple(c.id for c in chosen), x, y,
                         np.asarray(total, float) + np.zeros_like(gx))


def default_extent_mm(device: Device, distance_mm: float) -> tuple[float, float]:
    if device.layout.kind == "beam":
        radius = float(top_hat_beam_radius_mm(device.layout.diameter_mm, device.layout.divergence_half_angle_deg,
                                              distance_mm))
        return 3 * radius, 3 * radius
    w, h = device.layout.extent_mm
    return w + distance_mm, h + distance_mm


def _area_points(device: Device, distance_mm: float, area_mm: tuple[float, float] | None):
    """Cell centres over the treatment area (default: the device's, else the emitting region or beam disc)."""
    n = SUMMARY_SAMPLES_PER_SIDE
    area = area_mm or device.treatment_area_mm
    if area is None and device.layout.kind == "beam":
        radius = float(top_hat_beam_radius_mm(device.layout.diameter_mm, device.layout.divergence_half_angle_deg,
                                              distance_mm))
        side = (np.arange(n) + 0.5) / n * 2 * radius - radius
        gx, gy = np.meshgrid(side, side)
        keep = gx ** 2 + gy ** 2 <= radius ** 2
        return gx[keep], gy[keep]
    width_mm, height_mm = area or device.layout.extent_mm
    gx, gy = np.meshgrid((np.arange(n) + 0.5) / n * width_mm - width_mm / 2,
                         (np.arange(n) + 0.5) / n * height_mm - height_mm / 2)
    return gx.ravel(), gy.ravel()


def irradiance_summary(device: Device, distance_mm: float, area_mm: tuple[float, float] | None = None,
                       channels: list[str] | None = None) -> dict:
    """Mean, peak and uniformity (min / max) of the irradiance over the treatment area, per channel.

    Returns the ``photodose irradiance --json`` document: {"device", "distance_mm", "channels": [{"channel",
    "wavelength_nm", "mean_irradiance_mw_cm2", "peak_irradiance_mw_cm2", "uniformity"[,
    "peak_pulse_irradiance_mw_cm2"]}], "total_mean_irradiance_mw_cm2"}. Mean and peak are time-averaged;
    a pulsed channel adds the spatial peak during a pulse.
    """
    x, y = _area_points(device, distance_mm, area_mm)
    rows = []
    for channel in select_channels(device, channels):
        e = channel_irradiance_mw_cm2(device, channel, x, y, distance_mm)
        peak = float(e.max())
        row = {"channel": channel.id, "wavelength_nm": channel.wavelength_nm,
               "mean_irradiance_mw_cm2": float(e.mean()), "peak_irradiance_mw_cm2": peak,
               "uniformity": float(e.min() / peak) if peak > 0 else 0.0}
        if device.pulsing_for(channel) is not None:
            row["peak_pulse_irradiance_mw_cm2"] = float(
                channel_irradiance_mw_cm2(device, channel, x, y, distance_mm, peak=True).max())
        rows.append(row)
    return {"device": device.id, "distance_mm": float(distance_mm), "channels": rows,
            "total_mean_irradiance_mw_cm2": float(sum(r["mean_irradiance_mw_cm2"] for r in rows))}


def area_description(device: Device, area_mm: tuple[float, float] | None) -> str:
    """Which area :func:`irradiance_summary` takes its mean, peak and uniformity over (as :func:`_area_points`)."""
    if area_mm is not None:
        return f"{area_mm[0] / 10:g} cm x {area_mm[1] / 10:g} cm (given)"
    if device.treatment_area_mm is not None:
        w, h = device.treatment_area_mm
        return f"{w / 10:g} cm x {h / 10:g} cm (the device's treatment area)"
    if device.layout.kind == "beam":
        return "the beam disc"
    w, h = device.layout.extent_mm
    return f"{w / 10:g} cm x {h / 10:g} cm (the emitting region)"


def on_axis_irradiance_mw_cm2(device: Device, distances_mm, channels: list[str] | None = None, *,
                              order_m: float | None = None) -> np.ndarray:
    """Time-averaged irradiance on the axis (x = y = 0), summed over channels, at each distance."""
    d = np.atleast_1d(np.asarray(distances_mm, float))
    chosen = select_channels(device, channels)
    values = [sum(float(channel_irradiance_mw_cm2(device, c, 0.0, 0.0, float(di), order_m=order_m)) for c in chosen)
              for di in d]
    return np.asarray(values, float).reshape(np.shape(distances_mm))


def spectral_irradiance_mw_cm2(device: Device, distance_mm: float, area_mm: tuple[float, float] | None = None,
                               channels: list[str] | None = None, samples: int = 7) -> list[dict]:
    """Each channel's mean irradiance over the treatment area split over its spectrum's wavelength samples.

    Returns [{"channel", "wavelengths_nm": array, "irradiance_mw_cm2": array}] whose irradiances sum to the
    channel's mean (the spectrum's weights sum to 1; see :meth:`EmissionSpectrum.samples`).
    """
    summary = irradiance_summary(device, distance_mm, area_mm, channels)
    out = []
    for row in summary["channels"]:
        wavelengths_nm, weights = device.channel(row["channel"]).spectrum.samples(samples)
        out.append({"channel": row["channel"], "wavelengths_nm": wavelengths_nm,
                    "irradiance_mw_cm2": weights * row["mean_irradiance_mw_cm2"]})
    return out
