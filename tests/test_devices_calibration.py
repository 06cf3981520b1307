"""Calibration recovers a synthetic device's power (and beam spread) from noisy synthetic meter readings."""

import numpy as np
import pytest

from photodose.devices.calibration import Reading, calibrate
from photodose.devices.irradiance import channel_irradiance_mw_cm2
from photodose.devices.model import Device

NOISE = 0.03  # 3 % relative meter noise


def synthetic(total_power_mw: float, half_angle_deg: float = 30.0, claims=()) -> Device:
    return Device.model_validate({
        "id": "synthetic", "name": "synthetic", "kind": "panel", "default_distance_mm": 152.4,
        "layout": {"kind": "grid", "rows": 8, "columns": 12, "pitch_x_mm": 25.0},
        "channels": [{"id": "660", "spectrum": {"centre_nm": 660}, "total_power_mw": total_power_mw,
                      "half_angle_deg": half_angle_deg}],
        "claims": list(claims)})


def noisy_readings(truth: Device, positions, seed: int) -> list[Reading]:
    rng = np.random.default_rng(seed)
    out = []
    for d, x, y in positions:
        e = float(channel_irradiance_mw_cm2(truth, truth.channels[0], x, y, d))
        out.append(Reading(d, e * (1 + NOISE * rng.standard_normal()), x, y))
    return out


def test_power_recovered_within_the_noise_from_two_distances():
    truth = synthetic(40_000.0)
    readings = noisy_readings(truth, [(150.0, 0, 0), (300.0, 0, 0), (150.0, 100.0, 0), (300.0, 0, 80.0)], seed=4)
    model = synthetic(100_000.0)  # the catalog's (overstated) power
    result = calibrate(model, readings)
    assert not result.order_fitted
    assert result.power_scale_std == pytest.approx(NOISE / 2, rel=0.8)  # ~ noise / sqrt(n)
    assert abs(result.fitted_power_mw - 40_000.0) < 3 * result.fitted_power_std_mw
    assert result.rms_residual_percent < 3 * NOISE * 100
    assert len(result.residuals) == 4


def test_power_and_beam_spread_recovered_from_several_distances():
    truth = synthetic(40_000.0, half_angle_deg=20.0)
    distances = [100.0, 150.0, 220.0, 300.0, 450.0, 600.0, 800.0]
    readings = noisy_readings(truth, [(d, 0.0, 0.0) for d in distances], seed=11)
    result = calibrate(synthetic(60_000.0, half_angle_deg=45.0), readings)
    assert result.order_fitted
    assert abs(result.fitted_power_mw - 40_000.0) < 3 * result.fitted_power_std_mw
    assert result.fitted_power_std_mw / 40_000.0 < 0.1
    true_m = truth.channels[0].order_m
    assert abs(result.lambertian_order - true_m) < 3 * result.lambertian_order_std
    assert result.half_angle_deg == pytest.approx(20.0, abs=4.0)


def test_claim_difference_is_reported_against_the_fit():
    claim = {"irradiance_mw_cm2": 100.0, "distance_mm": 152.4, "tag": "claim", "source": "synthetic claim"}
    truth = synthetic(20_000.0)
    readings = [Reading(d, float(channel_irradiance_mw_cm2(truth, truth.channels[0], 0, 0, d))) for d in (150.0, 300.0)]
    result = calibrate(synthetic(50_000.0, claims=[claim]), readings)
    fitted_at_claim = float(channel_irradiance_mw_cm2(truth, truth.channels[0], 0, 0, 152.4))
    assert result.claim["fitted_irradiance_mw_cm2"] == pytest.approx(fitted_at_claim, rel=1e-4)
    assert result.claim["claim_vs_measurement_percent"] == pytest.approx(100 * (100.0 / fitted_at_claim - 1), rel=1e-3)
    assert result.rms_residual_percent < 1e-3  # noiseless readings of the same geometry fit exactly
