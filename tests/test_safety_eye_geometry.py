"""The eye where it is (issue 12): in the beam for head sites and head-worn devices, off axis elsewhere.

The property test's oracle is independent of the gate's eye code: it takes the device model's irradiance on a dense
grid over the eye's plane (the plane at the treatment distance), sums the 780-3000 nm channels at each point, takes
the maximum and compares it with IEC 62471:2006 4.3.7 written out again (18000 t^-0.75 W/m2 up to 1000 s, 100 W/m2
beyond). The gate must never pass (ok or caution) an unprotected in-beam session above that: before issue 12 the
check used the mean over the treatment area, and a random test of 2,065 plans found 127 such misses.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photodose.devices.catalog import list_devices, load_device
from photodose.devices.irradiance import channel_irradiance_mw_cm2
from photodose.devices.model import Device
from photodose.planning.safety_link import session_safety
from photodose.safety.eye_geometry import (DEFAULT_EYE_DISTANCE_MM, DEFAULT_OFF_AXIS_DEG, eye_geometry,
                                           eye_position_mm)
from photodose.safety.from_device import eye_channels, off_axis_irradiance_mw_cm2, plane_peak_mw_cm2

DEVICES = sorted(d.id for d in list_devices() if d.kind not in ("laser_probe", "sauna_dome"))  # light, incoherent
SITES = ["face", "forehead", "scalp", "neck", "knee", "thigh", "lower_back", "abdomen", "hand", "shoulder"]


def _limit_ir_w_m2(t):  # IEC 62471:2006 4.3.7, written out again
    return 18000 * t ** -0.75 if t <= 1000 else 100.0


def _oracle_ir_peak_w_m2(device, distance_mm: float, n: int = 161) -> float:
    """Max over a dense grid (extent + distance margin) of the summed 780-3000 nm irradiance, W/m2."""
    w, h = device.layout.extent_mm
    gx, gy = np.meshgrid(np.linspace(-w / 2 - 10, w / 2 + 10, n), np.linspace(-h / 2 - 10, h / 2 + 10, n))
    total = np.zeros_like(gx)
    for c in device.channels:
        if c.enabled and 780 <= c.wavelength_nm <= 3000:
            total += channel_irradiance_mw_cm2(device, c, gx, gy, distance_mm)
    return 10.0 * float(total.max())


@st.composite
def sessions(draw):
    device = load_device(draw(st.sampled_from(DEVICES)))
    site = draw(st.sampled_from(SITES))
    distance_mm = draw(st.one_of(st.just(max(device.default_distance_mm, 1.0)), st.floats(2.0, 600.0)))
    seconds = draw(st.floats(10.0, 3600.0))
    return device, site, distance_mm, seconds


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_no_unprotected_in_beam_session_above_the_ir_eye_limit_at_its_peak_passes(session):
    device, site, distance_mm, seconds = session
    verdict = session_safety(device, site=site, distance_mm=distance_mm, session_seconds=seconds)
    if not verdict.eye.in_beam:
        return
    assert verdict.eye.distance_mm == pytest.approx(distance_mm)
    if _oracle_ir_peak_w_m2(device, distance_mm) > _limit_ir_w_m2(seconds) * (1 + 1e-9):
        assert verdict.report.status == "refused", (device.id, site, distance_mm, seconds)
        assert any(c.name == "eye:infrared" and c.status == "fail" for c in verdict.report.checks)


def test_the_eye_of_a_knee_session_is_where_the_person_is_and_a_face_session_is_in_the_beam():
    knee = eye_geometry("knee", "panel", 152.4)
    assert not knee.in_beam and knee.distance_mm == DEFAULT_EYE_DISTANCE_MM
    assert knee.off_axis_deg == DEFAULT_OFF_AXIS_DEG and "unsourced" in knee.assumption
    assert eye_geometry("knee", "panel", 152.4, eye_distance_mm=900).distance_mm == 900
    for site in ("face", "forehead", "scalp", "neck", "head"):
        geometry = eye_geometry(site, "panel", 152.4)
        assert geometry.in_beam and geometry.distance_mm == 152.4
    assert eye_geometry("knee", "mask", 10).in_beam and eye_geometry("thigh", "headset", 5).in_beam
    assert {"in_beam", "distance_mm", "assumption"} <= set(knee.model_dump())  # the plan's eye JSON keys


def _one_led(m_half_angle_deg: float = 30.0) -> Device:
    return Device.model_validate({
        "id": "one-led", "name": "one LED", "kind": "panel", "default_distance_mm": 100.0,
        "layout": {"kind": "positions", "positions_mm": [[0.0, 0.0]]},
        "channels": [{"id": "850", "spectrum": {"centre_nm": 850.0}, "total_power_mw": 1000.0,
                      "half_angle_deg": m_half_angle_deg}]})


def test_off_axis_irradiance_of_one_led_is_its_intensity_over_r_squared():
    # I(theta) = P (m + 1) / (2 pi) cos^m(theta); the detector faces the LED (psi = 0): E = I / r^2
    device = _one_led()
    channel = device.channels[0]
    m = channel.order_m
    for distance, angle in ((300.0, 0.0), (600.0, 45.0), (500.0, 70.0)):
        position = eye_position_mm(eye_geometry("knee", "panel", 100.0, eye_distance_mm=distance)
                                   .model_copy(update={"off_axis_deg": angle}))
        theta = math.radians(angle)
        expected = 1000.0 * (m + 1) / (2 * math.pi) * math.cos(theta) ** m / distance ** 2 * 100.0  # mW/cm2
        assert off_axis_irradiance_mw_cm2(device, channel, position) == pytest.approx(expected, rel=1e-12)


def test_on_axis_the_eye_model_is_the_devices_parallel_plane_model():
    device = load_device("joovv-solo-3")
    for c in device.channels:
        plane = float(channel_irradiance_mw_cm2(device, c, np.array([0.0]), np.array([0.0]), 400.0)[0])
        assert off_axis_irradiance_mw_cm2(device, c, (0.0, 0.0, 400.0)) == pytest.approx(plane, rel=1e-12)


def test_in_beam_exposure_is_the_planes_peak_not_the_mean():
    # a headset 5 mm from the skin: the irradiance peaks under each LED, far above the mean over its area
    device = load_device("generic-headset-810")
    at_eye, _ = eye_channels(device, device.channels, eye_geometry("forehead", "headset", 5.0))
    dense = _oracle_ir_peak_w_m2(device, 5.0, n=401) / 10.0
    assert at_eye[0].irradiance_mw_cm2 >= dense * (1 - 1e-9)
    assert at_eye[0].irradiance_mw_cm2 == pytest.approx(plane_peak_mw_cm2(device, device.channels[0], 5.0))


def test_joovv_knee_at_6_in_is_not_refused_for_the_eye_and_the_face_needs_goggles():
    device = load_device("joovv-solo-3")
    knee = session_safety(device, site="knee", distance_mm=152.4, session_seconds=600)
    eye = {c.name: c for c in knee.report.checks if c.name.startswith("eye:")}
    assert not knee.eye.in_beam and all(c.status == "ok" for c in eye.values())
    assert "eye:in_beam" not in eye
    face = session_safety(device, site="face", distance_mm=152.4, session_seconds=600)
    beam = next(c for c in face.report.checks if c.name == "eye:in_beam")
    assert face.eye.in_beam and beam.status == "caution" and "goggles rated for 660 nm and 850 nm" in beam.message
    assert face.report.goggles_required and face.report.status in ("caution", "refused")
    protected = session_safety(device, site="face", distance_mm=152.4, session_seconds=600, goggles=True)
    assert all(c.status == "ok" for c in protected.report.checks if c.name.startswith("eye:"))


def test_a_plan_says_which_eye_geometry_it_assumed_and_takes_the_eye_distance():
    from photodose.planning.planner import plan
    from photodose.planning.request import PlanRequest

    device = load_device("joovv-solo-3")
    base = dict(device=device, condition="knee-osteoarthritis", distance_mm=152.4, minutes=10)
    default = plan(PlanRequest(**base))
    near = plan(PlanRequest(**base, eye_distance_mm=300.0))
    assert not default.eye.in_beam and default.eye.distance_mm == DEFAULT_EYE_DISTANCE_MM
    assert near.eye.distance_mm == 300.0 and "given" in near.eye.assumption
    ir = [next(c.value for c in p.safety.checks if c.name == "eye:infrared") for p in (default, near)]
    assert ir[1] > ir[0]
    face = plan(PlanRequest(device=device, condition="skin-rejuvenation", distance_mm=152.4, minutes=10))
    assert face.eye.in_beam and face.safety.goggles_required
