"""Calibrate a device model against irradiance-meter readings.

Model: the device's predicted irradiance times a power scale s, E_fit(d, x, y) = s E_model(d, x, y; m).
s (and the common Lambertian order m of all emitters, when readings span >= 3 distinct distances of a
point-emitter or area layout) are fitted by nonlinear least squares (scipy.optimize.least_squares) on
relative residuals (E_fit - E_read) / E_read, since meter errors scale with the reading. Standard errors
come from the Jacobian, cov = (J^T J)^-1 SSR / (n - p), when n > p. The claim check compares the
manufacturer's claimed irradiance with the fitted model at the claimed distance:
difference % = 100 (claim / fitted - 1), positive when the claim overstates the measurement.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from ..errors import PhotodoseInputError
from .emitters import half_angle_from_lambertian_order
from .irradiance import channel_irradiance_mw_cm2, on_axis_irradiance_mw_cm2, select_channels
from .model import Device

MIN_DISTANCES_FOR_ORDER = 3
MAX_ORDER_M = 500.0


@dataclass(frozen=True)
class Reading:
    """One meter reading: irradiance at a distance, at (x_mm, y_mm) off the axis."""

    distance_mm: float
    irradiance_mw_cm2: float
    x_mm: float = 0.0
    y_mm: float = 0.0


@dataclass(frozen=True)
class CalibrationResult:
    device: str
    power_scale: float
    power_scale_std: float | None
    model_power_mw: float
    fitted_power_mw: float
    fitted_power_std_mw: float | None
    order_fitted: bool
    lambertian_order: float | None
    lambertian_order_std: float | None
    half_angle_deg: float | None
    residuals: list[dict]
    rms_residual_percent: float
    fitted_at_default_distance_mw_cm2: float
    default_distance_mm: float
    claim: dict | None

    def to_dict(self) -> dict:
        return asdict(self)


def _as_readings(readings) -> list[Reading]:
    out = []
    for i, r in enumerate(readings):
        reading = r if isinstance(r, Reading) else Reading(*r)
        if reading.irradiance_mw_cm2 <= 0:
            raise PhotodoseInputError(f"reading[{i}].irradiance_mw_cm2", reading.irradiance_mw_cm2,
                                      "a reading used for calibration must be > 0")
        if reading.distance_mm < 0:
            raise PhotodoseInputError(f"reading[{i}].distance_mm", reading.distance_mm, "a distance must be >= 0")
        out.append(reading)
    if not out:
        raise PhotodoseInputError("readings", [], "at least one reading")
    return out


def _model_irradiance(device: Device, readings: list[Reading], order_m: float | None) -> np.ndarray:
    channels = select_channels(device)
    return np.array([sum(float(channel_irradiance_mw_cm2(device, c, r.x_mm, r.y_mm, r.distance_mm, order_m=order_m))
                         for c in channels) for r in readings])


def _can_fit_order(device: Device, readings: list[Reading]) -> bool:
    distinct = len({round(r.distance_mm, 6) for r in readings})
    return distinct >= MIN_DISTANCES_FOR_ORDER and all(
        device.layout_for(c).kind != "beam" for c in select_channels(device))


def calibrate(device: Device, readings, fit_order: bool | None = None) -> CalibrationResult:
    """Fit the power scale (and the Lambertian order where the data allow) to meter readings.

    ``readings``: :class:`Reading` objects or tuples (distance_mm, irradiance_mw_cm2[, x_mm, y_mm]).
    ``fit_order``: None fits m when readings span >= 3 distances; False never; True requires it.
    """
    from scipy.optimize import least_squares

    data = _as_readings(readings)
    possible = _can_fit_order(device, data)
    if fit_order and not possible:
        raise PhotodoseInputError("readings", len(data), f"fitting the beam spread needs readings at >= "
                                  f"{MIN_DISTANCES_FOR_ORDER} distances of an LED (non-beam) device")
    with_order = possible if fit_order is None else fit_order
    measured = np.array([r.irradiance_mw_cm2 for r in data])
    enabled = select_channels(device)
    order0 = enabled[0].order_m if enabled else 1.0

    if with_order:
        def residuals(p):
            return (math.exp(p[0]) * _model_irradiance(device, data, p[1]) - measured) / measured
        x0, bounds = [0.0, order0], ([-np.inf, 0.0], [np.inf, MAX_ORDER_M])
    else:
        base = _model_irradiance(device, data, None)
        if not np.all(base > 0):
            raise PhotodoseInputError("readings", "off-beam position", "readings where the model predicts light")

        def residuals(p):
            return (math.exp(p[0]) * base - measured) / measured
        x0, bounds = [0.0], ([-np.inf], [np.inf])
    fit = least_squares(residuals, x0, bounds=bounds, x_scale="jac")
    stds = _standard_errors(fit.jac, fit.fun, len(x0))
    scale = math.exp(fit.x[0])
    order = float(fit.x[1]) if with_order else None
    fitted = scale * _model_irradiance(device, data, order)
    model_power_mw = sum(device.average_power_mw(c) for c in enabled)
    scale_std = None if stds is None else scale * stds[0]

    def fitted_on_axis(distance_mm: float, channels=None) -> float:
        return scale * float(on_axis_irradiance_mw_cm2(device, distance_mm, channels, order_m=order))

    return CalibrationResult(
        device=device.id, power_scale=scale, power_scale_std=scale_std,
        model_power_mw=model_power_mw, fitted_power_mw=scale * model_power_mw,
        fitted_power_std_mw=None if scale_std is None else scale_std * model_power_mw,
        order_fitted=with_order, lambertian_order=order,
        lambertian_order_std=None if (stds is None or not with_order) else float(stds[1]),
        half_angle_deg=None if order is None else half_angle_from_lambertian_order(order),
        residuals=[{"distance_mm": r.distance_mm, "x_mm": r.x_mm, "y_mm": r.y_mm,
                    "measured_mw_cm2": r.irradiance_mw_cm2, "fitted_mw_cm2": float(f),
                    "residual_mw_cm2": float(f - r.irradiance_mw_cm2),
                    "residual_percent": float(100 * (f - r.irradiance_mw_cm2) / r.irradiance_mw_cm2)}
                   for r, f in zip(data, fitted)],
        rms_residual_percent=float(100 * np.sqrt(np.mean(((fitted - measured) / measured) ** 2))),
        fitted_at_default_distance_mw_cm2=fitted_on_axis(device.default_distance_mm),
        default_distance_mm=device.default_distance_mm,
        claim=_claim_check(device, fitted_on_axis),
    )


def _standard_errors(jac: np.ndarray, fun: np.ndarray, n_params: int) -> np.ndarray | None:
    dof = fun.size - n_params
    if dof <= 0:
        return None
    try:
        cov = np.linalg.inv(jac.T @ jac) * float(fun @ fun) / dof
    except np.linalg.LinAlgError:
        return None
    return np.sqrt(np.clip(np.diag(cov), 0.0, None))


def _claim_check(device: Device, fitted_on_axis) -> dict | None:
    claims = [c for c in device.claims if c.tag == "claim"]
    if not claims:
        return None
    claim = claims[0]
    fitted = fitted_on_axis(claim.distance_mm, claim.channels)
    return {"claimed_irradiance_mw_cm2": claim.irradiance_mw_cm2, "distance_mm": claim.distance_mm,
            "fitted_irradiance_mw_cm2": fitted, "source": claim.source,
            "claim_vs_measurement_percent": 100.0 * (claim.irradiance_mw_cm2 / fitted - 1.0) if fitted > 0 else None}
