"""Emitter positions of a layout, with each emitter's share of the channel power (shares sum to 1).

A uniform emitting area (rectangle or disc) is replaced by a grid of point emitters fine enough for the
target distance: pitch <= distance / 8 and <= the smaller side / 40 (the point-sum then matches the area
integral to about 0.1 %), with at most ``max_samples`` points (callers evaluating few target points can
afford more; below a distance of about 8 x the capped pitch the sum under-resolves the area); a disc uses rings
half a pitch wide with azimuthal points spaced about one pitch apart and weights proportional to ring area.
"""

from __future__ import annotations

import math

import numpy as np

from .model import Layout

MAX_AREA_SAMPLES = 20_000
_MIN_SAMPLES_PER_SIDE = 40
_SAMPLES_PER_DISTANCE = 8


def emitter_positions_mm(layout: Layout, distance_mm: float,
                         max_samples: int = MAX_AREA_SAMPLES) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(x_mm, y_mm, power_share)`` of point emitters representing ``layout`` seen from ``distance_mm``."""
    if layout.kind == "grid":
        px, py = layout.pitch_mm
        xs = (np.arange(layout.columns) - (layout.columns - 1) / 2) * px
        ys = (np.arange(layout.rows) - (layout.rows - 1) / 2) * py
        gx, gy = np.meshgrid(xs, ys)
        x, y = gx.ravel(), gy.ravel()
    elif layout.kind == "positions":
        pts = np.asarray(layout.positions_mm, float)
        x, y = pts[:, 0], pts[:, 1]
    elif layout.kind == "area" and layout.shape == "rectangle":
        return _rectangle_samples(layout.width_mm, layout.height_mm, _area_pitch_mm(layout, distance_mm, max_samples))
    elif layout.kind == "area":
        return _disc_samples(layout.diameter_mm / 2, _area_pitch_mm(layout, distance_mm, max_samples))
    else:
        raise ValueError("a beam layout has no point emitters")
    return x, y, np.full(x.shape, 1.0 / x.size)


def _area_pitch_mm(layout: Layout, distance_mm: float, max_samples: int) -> float:
    pitch = min(distance_mm / _SAMPLES_PER_DISTANCE, min(layout.extent_mm) / _MIN_SAMPLES_PER_SIDE)
    return max(pitch, math.sqrt(layout.emitting_area_mm2 / max_samples))


def _rectangle_samples(width_mm: float, height_mm: float, pitch_mm: float):
    nx, ny = max(1, math.ceil(width_mm / pitch_mm)), max(1, math.ceil(height_mm / pitch_mm))
    xs = (np.arange(nx) + 0.5) / nx * width_mm - width_mm / 2
    ys = (np.arange(ny) + 0.5) / ny * height_mm - height_mm / 2
    gx, gy = np.meshgrid(xs, ys)
    return gx.ravel(), gy.ravel(), np.full(gx.size, 1.0 / gx.size)


def _disc_samples(radius_mm: float, pitch_mm: float):
    n_rings = max(1, math.ceil(2 * radius_mm / pitch_mm))  # rings half a pitch wide: radial error is the larger
    edges = np.linspace(0.0, radius_mm, n_rings + 1)
    xs, ys, ws = [], [], []
    for inner, outer in zip(edges[:-1], edges[1:]):
        r_mid = math.sqrt((inner ** 2 + outer ** 2) / 2)  # splits the ring's area in two
        n_phi = max(3, math.ceil(2 * math.pi * r_mid / pitch_mm))
        phi = (np.arange(n_phi) + 0.5) * 2 * math.pi / n_phi
        xs.append(r_mid * np.cos(phi))
        ys.append(r_mid * np.sin(phi))
        ws.append(np.full(n_phi, (outer ** 2 - inner ** 2) / radius_mm ** 2 / n_phi))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ws)
