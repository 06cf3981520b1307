"""Irradiance from generalised Lambertian emitters on a parallel plane (pure functions, mm, mW, mW/cm^2).

Model: each emitter is a point source of radiant intensity I(theta) = I0 cos^m(theta) facing the target
plane. Normalising over the forward hemisphere gives I0 = P (m + 1) / (2 pi), so on a parallel plane at
distance d, with r the emitter-to-point distance and cos(theta) = d / r,

    E = sum_i P_i (m + 1) / (2 pi) cos^m(theta_i) cos(theta_i) / r_i^2 = sum_i P_i (m + 1) d^(m+1) / (2 pi r_i^(m+3)).

m = 1 is a Lambertian emitter; the half-power half-angle theta_h (I(theta_h) = I0 / 2) gives
m = -ln 2 / ln cos(theta_h). Cosine-power patterns of this kind are the building block of the LED
radiation-pattern model of I. Moreno and C.-C. Sun, "Modeling the radiation pattern of LEDs",
Opt. Express 16(3), 1808-1819 (2008).
Integrated over the whole plane this gives back P for every m >= 0 (power conservation), and a uniform
disc of exitance M and radius R gives on axis E = M (1 - cos^(m+1) alpha), cos alpha = d / sqrt(R^2 + d^2),
i.e. E = M R^2 / (R^2 + d^2) for m = 1.
"""

from __future__ import annotations

import math

import numpy as np

MM2_PER_CM2 = 100.0
_CHUNK_ELEMENTS = 4_000_000  # points x emitters evaluated per numpy block (memory bound)


def lambertian_order_from_half_angle(half_angle_deg: float) -> float:
    """Order m of I0 cos^m(theta) whose intensity halves at ``half_angle_deg`` (90 deg -> m = 0)."""
    if half_angle_deg >= 90.0:
        return 0.0
    return -math.log(2.0) / math.log(math.cos(math.radians(half_angle_deg)))


def half_angle_from_lambertian_order(order_m: float) -> float:
    """Half-power half-angle in degrees of a cos^m emitter (m = 0 -> 90 deg)."""
    if order_m <= 0:
        return 90.0
    return math.degrees(math.acos(2.0 ** (-1.0 / order_m)))


def point_emitters_irradiance_mw_cm2(emitter_x_mm, emitter_y_mm, emitter_power_mw, order_m: float,
                                      x_mm, y_mm, distance_mm: float) -> np.ndarray:
    """Irradiance (mW/cm^2) at points (x_mm, y_mm) of a plane ``distance_mm`` (> 0) in front of point emitters.

    Emitters at (emitter_x_mm, emitter_y_mm, 0) all face +z with pattern cos^m; ``emitter_power_mw`` is each
    emitter's optical power (scalar or array). Returns an array shaped like ``x_mm``.
    """
    ex = np.atleast_1d(np.asarray(emitter_x_mm, float))
    ey = np.atleast_1d(np.asarray(emitter_y_mm, float))
    power = np.broadcast_to(np.asarray(emitter_power_mw, float), ex.shape)
    x = np.asarray(x_mm, float)
    y = np.broadcast_to(np.asarray(y_mm, float), x.shape)
    px, py = x.ravel(), y.ravel()
    d2 = float(distance_mm) ** 2
    exponent = -(order_m + 3.0) / 2.0
    out = np.empty(px.shape)
    step = max(1, _CHUNK_ELEMENTS // max(ex.size, 1))
    for start in range(0, px.size, step):
        sl = slice(start, start + step)
        r2 = (px[sl, None] - ex) ** 2 + (py[sl, None] - ey) ** 2 + d2
        out[sl] = (r2 ** exponent) @ power
    factor = (order_m + 1.0) / (2.0 * math.pi) * float(distance_mm) ** (order_m + 1.0)
    return (out * factor * MM2_PER_CM2).reshape(x.shape)


def disc_on_axis_irradiance_mw_cm2(exitance_mw_cm2: float, radius_mm: float, distance_mm, order_m: float = 1.0):
    """On-axis irradiance of a uniform disc of cos^m emitters, exitance M: E = M (1 - (d^2 / (R^2 + d^2))^((m+1)/2)).

    For m = 1 (Lambertian) this is the textbook E = M R^2 / (R^2 + d^2).
    """
    d = np.asarray(distance_mm, float)
    cos2 = d ** 2 / (radius_mm ** 2 + d ** 2)
    return exitance_mw_cm2 * (1.0 - cos2 ** ((order_m + 1.0) / 2.0))


def inverse_square_mw_cm2(reference_irradiance_mw_cm2: float, reference_distance_mm: float, distance_mm):
    """Point-source scaling E(d) = E_ref (d_ref / d)^2 that most dose calculators use."""
    d = np.asarray(distance_mm, float)
    return reference_irradiance_mw_cm2 * (reference_distance_mm / d) ** 2


def top_hat_beam_radius_mm(diameter_mm: float, divergence_half_angle_deg: float, distance_mm):
    """Radius of a top-hat beam after ``distance_mm``: r = D/2 + d tan(divergence half-angle)."""
    return diameter_mm / 2.0 + np.asarray(distance_mm, float) * math.tan(math.radians(divergence_half_angle_deg))
