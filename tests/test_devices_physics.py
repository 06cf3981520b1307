"""Device irradiance physics against analytic limits: inverse square, Lambertian disc, power conservation."""

import math

import numpy as np
import pytest

from photodose.devices.emitters import (
    disc_on_axis_irradiance_mw_cm2,
    half_angle_from_lambertian_order,
    inverse_square_mw_cm2,
    lambertian_order_from_half_angle,
    point_emitters_irradiance_mw_cm2,
)
from photodose.devices.irradiance import (
    channel_irradiance_mw_cm2,
    irradiance_map,
    irradiance_summary,
    on_axis_irradiance_mw_cm2,
)
from photodose.devices.model import Device


def make_device(layout: dict, channels=None, **extra) -> Device:
    channels = channels or [{"id": "660", "spectrum": {"centre_nm": 660, "fwhm_nm": 20}, "total_power_mw": 1000.0}]
    return Device.model_validate({"id": "synthetic", "name": "synthetic", "kind": "panel", "default_distance_mm": 150,
                                  "layout": layout, "channels": channels, **extra})


GRID = {"kind": "grid", "rows": 10, "columns": 10, "pitch_x_mm": 30.0}


def test_half_angle_and_order_are_inverse():
    assert lambertian_order_from_half_angle(60.0) == pytest.approx(1.0)  # cos 60 = 1/2: a Lambertian emitter
    assert lambertian_order_from_half_angle(90.0) == 0.0
    for m in (0.5, 1.0, 4.8, 30.0):
        assert lambertian_order_from_half_angle(half_angle_from_lambertian_order(m)) == pytest.approx(m)


def test_single_lambertian_emitter_matches_intensity_over_r_squared():
    # I0 = P (m+1)/(2 pi) on axis: E = I0 / d^2; off axis E = I0 cos^(m+1) / r^2
    p_mw, m, d = 500.0, 1.0, 200.0
    e_axis = point_emitters_irradiance_mw_cm2(0, 0, p_mw, m, 0.0, 0.0, d)
    assert e_axis == pytest.approx(p_mw * 2 / (2 * math.pi) / (d / 10) ** 2)
    x = 150.0
    r = math.hypot(x, d)
    e_off = point_emitters_irradiance_mw_cm2(0, 0, p_mw, m, x, 0.0, d)
    assert e_off == pytest.approx(p_mw * 2 / (2 * math.pi) * (d / r) ** 2 / (r / 10) ** 2)


@pytest.mark.parametrize("half_angle_deg", [30.0, 60.0, 90.0])
def test_far_field_approaches_inverse_square(half_angle_deg):
    device = make_device(GRID, [{"id": "850", "spectrum": {"centre_nm": 850}, "total_power_mw": 5000.0,
                                 "half_angle_deg": half_angle_deg}])
    far_mm = np.array([5_000.0, 10_000.0, 20_000.0])
    e = on_axis_irradiance_mw_cm2(device, far_mm)
    # a 30 cm panel seen from 5-20 m: E d^2 is constant to the panel's (size/d)^2 order
    assert e[1] * 4 == pytest.approx(e[0], rel=0.02)
    assert e[2] * 4 == pytest.approx(e[1], rel=0.005)
    # ... and tends to the point-source value P (m+1) / (2 pi d^2)
    m = device.channels[0].order_m
    assert e[2] == pytest.approx(5000.0 * (m + 1) / (2 * math.pi) / (far_mm[2] / 10) ** 2, rel=0.005)


@pytest.mark.parametrize("order_m", [1.0, 3.0])
@pytest.mark.parametrize("distance_mm", [5.0, 20.0, 100.0, 400.0])
def test_uniform_disc_matches_analytic_on_axis(order_m, distance_mm):
    radius_mm, power_mw = 100.0, 10_000.0
    device = make_device({"kind": "area", "shape": "disc", "diameter_mm": 2 * radius_mm},
                         [{"id": "660", "spectrum": {"centre_nm": 660}, "total_power_mw": power_mw,
                           "lambertian_order": order_m}])
    exitance = power_mw / (math.pi * radius_mm ** 2) * 100  # mW/cm^2
    expected = disc_on_axis_irradiance_mw_cm2(exitance, radius_mm, distance_mm, order_m)
    if order_m == 1.0:  # the textbook form M R^2 / (R^2 + d^2)
        assert expected == pytest.approx(exitance * radius_mm ** 2 / (radius_mm ** 2 + distance_mm ** 2))
    assert on_axis_irradiance_mw_cm2(device, distance_mm) == pytest.approx(expected, rel=2e-3)


def test_large_panel_is_nearly_flat_close_up_and_equals_exitance_in_contact():
    device = make_device({"kind": "area", "width_mm": 1000.0, "height_mm": 1000.0},
                         [{"id": "660", "spectrum": {"centre_nm": 660}, "total_power_mw": 100_000.0}])
    exitance = 100_000.0 / 1000.0 ** 2 * 100  # 10 mW/cm^2
    assert on_axis_irradiance_mw_cm2(device, 0.0) == pytest.approx(exitance)
    e = on_axis_irradiance_mw_cm2(device, np.array([10.0, 50.0, 100.0]))
    assert e == pytest.approx(exitance, rel=0.05)  # within 5 % from 1 to 10 cm off a 1 m panel
    # a point-source (inverse-square) calculator would have predicted a 100-fold drop over the same range
    assert e[0] / e[2] < 1.1 and inverse_square_mw_cm2(e[0], 10.0, 100.0) < e[2] / 50


@pytest.mark.parametrize("order_m", [0.0, 1.0, 4.8, 20.0])
def test_power_is_conserved_over_a_very_large_plane(order_m):
    device = make_device(GRID, [{"id": "660", "spectrum": {"centre_nm": 660}, "total_power_mw": 2000.0,
                                 "lambertian_order": order_m}])
    d = 100.0
    # polar integral of E over the plane, radius up to 10^5 d (tail < 1e-5 of the power even for m = 0)
    rho = np.concatenate([[0.0], np.geomspace(0.5, 1e5 * d, 600)])
    phi = np.linspace(0, 2 * np.pi, 65)[:-1]
    rr, pp = np.meshgrid(rho, phi)
    field = channel_irradiance_mw_cm2(device, device.channels[0], rr * np.cos(pp), rr * np.sin(pp), d)
    ring = np.trapezoid(field.mean(axis=0) * 2 * np.pi * rho, rho) / 100  # mW/cm^2 * mm^2 -> mW
    assert ring == pytest.approx(2000.0, rel=2e-3)


def test_map_is_symmetric_and_peaks_on_axis_for_a_centred_grid():
    device = make_device({"kind": "grid", "rows": 5, "columns": 5, "pitch_x_mm": 20.0})
    emap = irradiance_map(device, 150.0, resolution=41)
    e = emap.irradiance_mw_cm2
    assert e.shape == (41, 41)
    assert np.allclose(e, e[::-1, :]) and np.allclose(e, e[:, ::-1]) and np.allclose(e, e.T)
    assert e[20, 20] == pytest.approx(e.max())
    assert e[20, 20] == pytest.approx(float(on_axis_irradiance_mw_cm2(device, 150.0)))


def test_pulsing_dimming_and_disabled_channels():
    ch = {"spectrum": {"centre_nm": 810}, "total_power_mw": 1000.0}
    device = make_device(GRID, [{"id": "cw", **ch},
                                {"id": "pulsed", **ch, "pulsing": {"frequency_hz": 40, "duty_cycle": 0.25}},
                                {"id": "dim", **ch, "dimming": 0.5}, {"id": "off", **ch, "enabled": False}])
    rows = {r["channel"]: r for r in irradiance_summary(device, 150.0)["channels"]}
    assert set(rows) == {"cw", "pulsed", "dim"}
    cw = rows["cw"]["mean_irradiance_mw_cm2"]
    assert rows["pulsed"]["mean_irradiance_mw_cm2"] == pytest.approx(0.25 * cw)
    assert rows["pulsed"]["peak_pulse_irradiance_mw_cm2"] == pytest.approx(rows["cw"]["peak_irradiance_mw_cm2"])
    assert "peak_pulse_irradiance_mw_cm2" not in rows["cw"]
    assert rows["dim"]["mean_irradiance_mw_cm2"] == pytest.approx(0.5 * cw)


def test_laser_probe_in_contact_gives_power_over_beam_area():
    device = make_device({"kind": "beam", "diameter_mm": 2 * math.sqrt(100 / math.pi), "divergence_half_angle_deg": 10},
                         [{"id": "808", "spectrum": {"centre_nm": 808, "fwhm_nm": 3}, "total_power_mw": 250.0}],
                         contact=True, default_distance_mm=0)
    summary = irradiance_summary(device, 0.0)
    assert summary["total_mean_irradiance_mw_cm2"] == pytest.approx(250.0)  # 250 mW on 1 cm^2
    assert summary["channels"][0]["uniformity"] == pytest.approx(1.0)
    r10 = math.sqrt(100 / math.pi) + 10 * math.tan(math.radians(10))
    assert on_axis_irradiance_mw_cm2(device, 10.0) == pytest.approx(250.0 / (math.pi * r10 ** 2) * 100)


def test_spectral_split_sums_to_channel_mean():
    from photodose.devices.irradiance import spectral_irradiance_mw_cm2

    device = make_device(GRID, [{"id": "850", "spectrum": {"centre_nm": 850, "fwhm_nm": 30}, "total_power_mw": 900.0}])
    (split,) = spectral_irradiance_mw_cm2(device, 150.0, samples=5)
    mean = irradiance_summary(device, 150.0)["channels"][0]["mean_irradiance_mw_cm2"]
    assert split["irradiance_mw_cm2"].sum() == pytest.approx(mean)
    assert (split["wavelengths_nm"] * split["irradiance_mw_cm2"]).sum() / mean == pytest.approx(850.0)
