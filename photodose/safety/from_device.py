"""Fill the device part of a :class:`SafetyContext` from a device model (photodose.devices).

Conservative choices, stated: each channel's irradiance is the spatial PEAK of the time-averaged irradiance over
the treatment area (not the mean), the pulse peak is the pulsed spatial peak; the luminous area is the emitting
area as an equivalent disc; the distance table is the on-axis irradiance relative to the use distance.
"""

from __future__ import annotations

import math

from .context import Channel, DistancePoint

DISTANCE_FACTORS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
MIN_TABLE_START_MM = 10.0


def channels_from_summary(summary: dict, spectra: dict | None = None) -> list[Channel]:
    """Gate channels from ``photodose.devices.irradiance.irradiance_summary``'s document.

    ``spectra``: optional {channel id: EmissionSpectrum} (used by the blue-light check).
    """
    spectra = spectra or {}
    return [Channel(wavelength_nm=row["wavelength_nm"], irradiance_mw_cm2=row["peak_irradiance_mw_cm2"],
                    peak_irradiance_mw_cm2=max(row.get("peak_pulse_irradiance_mw_cm2") or 0.0,
                                               row["peak_irradiance_mw_cm2"]),
                    spectrum=spectra.get(row.get("channel")))
            for row in summary["channels"]]


def equivalent_disc_diameter_mm(emitting_area_mm2: float) -> float:
    """Diameter of the disc with the same area: D = 2 sqrt(A / pi)."""
    return 2.0 * math.sqrt(emitting_area_mm2 / math.pi)


def distance_table(on_axis_mw_cm2, distance_mm: float) -> list[DistancePoint]:
    """Relative on-axis irradiance at multiples of the use distance (or of 10 mm for contact devices).

    ``on_axis_mw_cm2(distances_mm) -> array``: e.g. ``lambda d: on_axis_irradiance_mw_cm2(device, d)``.
    """
    start = max(distance_mm, MIN_TABLE_START_MM)
    distances = [distance_mm] + [start * f for f in DISTANCE_FACTORS if start * f > distance_mm]
    values = [float(v) for v in on_axis_mw_cm2(distances)]
    if values[0] <= 0:
        return []
    return [DistancePoint(distance_mm=d, relative_irradiance=v / values[0]) for d, v in zip(distances, values)]


def device_context_fields(device, distance_mm: float) -> dict:
    """SafetyContext keyword arguments for ``device`` at ``distance_mm`` (channels, laser flag, size, table)."""
    from ..devices.irradiance import irradiance_summary, on_axis_irradiance_mw_cm2

    summary = irradiance_summary(device, distance_mm)
    return {
        "device_kind": device.kind,
        "is_laser": device.kind == "laser_probe",
        "channels": channels_from_summary(summary, {c.id: c.spectrum for c in device.channels}),
        "source_diameter_mm": equivalent_disc_diameter_mm(device.emitting_area_mm2),
        "distance_mm": distance_mm,
        "irradiance_vs_distance": distance_table(lambda d: on_axis_irradiance_mw_cm2(device, d), distance_mm),
        "pulsed_visible": any(device.pulsing_for(c) is not None and 380 <= c.wavelength_nm <= 780
                              for c in device.channels),
    }
