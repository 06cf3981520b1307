"""Fill the device part of a :class:`SafetyContext` from a device model (photodose.devices), and the eye's exposure.

Skin: each channel's mean irradiance over the treatment area (the dose), with the larger of its spatial and pulse
peaks as ``peak_irradiance_mw_cm2`` (the short-exposure skin limit). The luminous area is the emitting area as an
equivalent disc; the distance table is the on-axis irradiance relative to the use distance.

Eye (:mod:`photodose.safety.eye_geometry`): in the beam, each channel's spatial PEAK of the time-averaged irradiance
on the plane at the eye's distance (:func:`plane_peak_mw_cm2`: emitter positions and a grid as starting points,
refined by a local search; at least the average over any measurement aperture). Off axis, the device's own
generalised-Lambertian emitters (:mod:`photodose.devices.emitters`) summed at the eye's position on a detector
facing the centre of the device:

    E_eye = sum_i P_i (m + 1) / (2 pi) cos^m(theta_i) max(cos(psi_i), 0) / r_i^2

(theta_i: angle between emitter i's axis and the ray to the eye; psi_i: angle between the ray and the detector's
normal; r_i: emitter-to-eye distance). On a plane parallel to the device (psi = theta) this is the model of
:func:`photodose.devices.emitters.point_emitters_irradiance_mw_cm2`. The source seen off axis is the emitting
area foreshortened by cos(angle): an equivalent disc of diameter D sqrt(cos(angle)).
"""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache

import numpy as np

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


def _peak_candidates(device, channel, distance_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """Starting points for the peak search: emitter positions (grid, positions) and a grid over the region."""
    from ..devices.sampling import emitter_positions_mm

    layout = device.layout_for(channel)
    w, h = layout.extent_mm
    n = 41
    gx, gy = np.meshgrid(np.linspace(-w / 2, w / 2, n), np.linspace(-h / 2, h / 2, n))
    xs, ys = [gx.ravel(), [0.0]], [gy.ravel(), [0.0]]
    if layout.kind in ("grid", "positions"):
        ex, ey, _ = emitter_positions_mm(layout, max(distance_mm, 1e-3))
        xs.append(ex)
        ys.append(ey)
    return np.concatenate(xs), np.concatenate(ys)


@lru_cache(maxsize=2048)
def _plane_peak(device_key: str, channel_id: str, distance_mm: float) -> float:
    from scipy.optimize import minimize

    from ..devices.irradiance import channel_irradiance_mw_cm2

    device = _DEVICES[device_key]
    channel = device.channel(channel_id)
    layout = device.layout_for(channel)
    if layout.kind == "beam" or (layout.kind == "area" and distance_mm == 0):
        return float(channel_irradiance_mw_cm2(device, channel, np.array([0.0]), np.array([0.0]), distance_mm)[0])

    def e(xy) -> float:
        return float(channel_irradiance_mw_cm2(device, channel, np.array([xy[0]]), np.array([xy[1]]), distance_mm)[0])

    x, y = _peak_candidates(device, channel, distance_mm)
    values = channel_irradiance_mw_cm2(device, channel, x, y, distance_mm)
    best = float(values.max())
    scale = max(distance_mm, 1.0)
    for k in np.argsort(values)[::-1][:3]:
        res = minimize(lambda xy: -e(xy), [x[k], y[k]], method="Nelder-Mead",
                       options={"xatol": 1e-3 * scale, "fatol": 1e-9 * max(best, 1e-12), "maxiter": 400,
                                "initial_simplex": [[x[k], y[k]], [x[k] + 0.05 * scale, y[k]],
                                                    [x[k], y[k] + 0.05 * scale]]})
        best = max(best, -float(res.fun))
    return best


_DEVICES: dict = {}


def _key(device) -> str:
    key = f"{device.id}:{hashlib.sha1(device.model_dump_json().encode()).hexdigest()[:16]}"
    _DEVICES.setdefault(key, device)
    return key


def plane_peak_mw_cm2(device, channel, distance_mm: float) -> float:
    """Spatial peak of ``channel``'s time-averaged irradiance on the plane at ``distance_mm`` (mW/cm2).

    A uniform area's peak is on its axis; a beam's is its top-hat value; for point emitters the search starts from
    every emitter position and a 41 x 41 grid over the layout and refines the three best points (Nelder-Mead).
    """
    return _plane_peak(_key(device), channel.id, round(float(distance_mm), 3))


def off_axis_irradiance_mw_cm2(device, channel, eye_xyz_mm: tuple[float, float, float]) -> float:
    """Time-averaged irradiance (mW/cm2) of ``channel`` on a detector at ``eye_xyz_mm`` facing the device's centre.

    The device's face is the plane z = 0 centred on the origin, emitting towards +z; the model is in the module
    docstring. A beam (laser) layout contributes only on its axis disc (top-hat).
    """
    from ..devices.emitters import MM2_PER_CM2, top_hat_beam_radius_mm
    from ..devices.sampling import emitter_positions_mm

    x, y, z = (float(v) for v in eye_xyz_mm)
    if z <= 0:
        return 0.0
    layout = device.layout_for(channel)
    power_mw = device.average_power_mw(channel)
    if layout.kind == "beam":
        r = float(top_hat_beam_radius_mm(layout.diameter_mm, layout.divergence_half_angle_deg, z))
        return power_mw / (math.pi * r * r) * MM2_PER_CM2 if x * x + y * y <= r * r else 0.0
    ex, ey, share = emitter_positions_mm(layout, math.hypot(x, y, z))
    vx, vy = x - ex, y - ey
    r2 = vx * vx + vy * vy + z * z
    r = np.sqrt(r2)
    cos_theta = z / r
    norm = math.sqrt(x * x + y * y + z * z)
    cos_psi = np.clip((vx * x + vy * y + z * z) / (r * norm), 0.0, None)  # ray . (eye - centre) / |..|
    m = channel.order_m
    e = np.sum(share * power_mw * (m + 1.0) / (2.0 * math.pi) * cos_theta ** m * cos_psi / r2)
    return float(e * MM2_PER_CM2)


def eye_channels(device, channels, geometry) -> tuple[list[Channel], float]:
    """(gate channels at the eye, the source's angular subtense from the eye in rad) for ``geometry``.

    In the beam: the plane's spatial peak per channel at the eye's distance. Off axis: the emitter model at the
    eye's position (:func:`off_axis_irradiance_mw_cm2`).
    """
    from .eye_geometry import eye_position_mm

    diameter = equivalent_disc_diameter_mm(device.emitting_area_mm2)
    if geometry.in_beam:
        values = [plane_peak_mw_cm2(device, c, geometry.distance_mm) for c in channels]
        alpha = 2.0 * math.atan2(diameter, 2.0 * geometry.distance_mm)
    else:
        position = eye_position_mm(geometry)
        values = [off_axis_irradiance_mw_cm2(device, c, position) for c in channels]
        foreshortened = diameter * math.sqrt(math.cos(math.radians(geometry.off_axis_deg)))
        alpha = 2.0 * math.atan2(foreshortened, 2.0 * geometry.distance_mm)
    return ([Channel(wavelength_nm=c.wavelength_nm, irradiance_mw_cm2=v, spectrum=c.spectrum)
             for c, v in zip(channels, values)], max(alpha, 1e-9))


def classification_channels(device, channels, distance_mm: float) -> list[Channel]:
    """The spatial peak per channel on the plane at ``distance_mm`` (what IEC 62471 would measure on the axis)."""
    return [Channel(wavelength_nm=c.wavelength_nm, irradiance_mw_cm2=plane_peak_mw_cm2(device, c, distance_mm),
                    spectrum=c.spectrum) for c in channels]


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
        "pulsed_visible": pulsed_visible(device, device.channels),
    }


def pulsed_visible(device, channels) -> bool:
    """True when a pulsed channel emits visible light (IEC 62471's 380-780 nm): the screening asks about
    photosensitive epilepsy then."""
    from .eye_limits import VISIBLE_BAND_NM, in_band

    return any(device.pulsing_for(c) is not None and in_band(c.wavelength_nm, VISIBLE_BAND_NM) for c in channels)
