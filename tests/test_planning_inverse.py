"""Inverse planning: goal mid-window when possible; the blocking constraint named when not."""

import math

import numpy as np
import pytest

from photodose.planning.inverse import Constraints, solve
from plan_json import plan
from photodose.planning.request import PlanRequest
from photodose.planning.windows import verdict, window_goal_j_cm2

PANEL = "generic-panel-660-850"
D = np.geomspace(20, 600, 30)
E = 5000.0 / (D + 50.0)   # a made-up monotone fall-off, mW/cm2


def test_window_goal_and_verdicts():
    assert window_goal_j_cm2(4, 60) == pytest.approx(math.sqrt(240))
    assert [verdict(x, 4, 60) for x in (3.9, 4, 30, 60, 61)] == ["below", "inside", "inside", "inside", "above"]


def test_solver_hits_goal_nearest_preferred_distance():
    sol = solve(D, E, E, E, 15.0, Constraints(60, 1200), preferred_distance_mm=150)
    assert sol.feasible
    i = int(np.argmin(np.abs(D - sol.distance_mm)))
    assert sol.time_s * E[i] / 1000 == pytest.approx(15.0)
    assert abs(math.log((sol.distance_mm + 1) / 151)) <= min(abs(np.log((D + 1) / 151))) + 1e-12


def test_solver_names_each_blocking_constraint():
    short = solve(D, E, E, E, 1000.0, Constraints(60, 120), 150)
    assert not short.feasible and short.blocking == ["max_session_time"] and short.time_s == 120
    long = solve(D, E, E, E, 0.01, Constraints(600, 1200), 150)
    assert long.blocking == ["min_session_time"] and long.time_s == 600
    bright = solve(D, E, E, E, 15.0, Constraints(60, 1200, max_irradiance_mw_cm2=1.0), 150)
    assert bright.blocking == ["max_irradiance"]
    skin = solve(D, 0.01 * E, E, E, 1.0, Constraints(60, 1e6, skin_window_j_cm2=(4, 20)), 150)
    assert skin.blocking == ["skin_window"]


def test_planner_puts_custom_target_mid_window():
    p = plan(PlanRequest(device=PANEL, site="knee", target_depth_mm=10.0, window_j_cm2=(1.0, 10.0),
                         safety={"goggles": True}))
    assert p["status"] == "planned"
    assert p["target"]["fluence_j_cm2_nominal"] == pytest.approx(math.sqrt(10.0), rel=1e-6)
    assert p["window"]["verdict"] == "inside" and p["window"]["basis"] == "target"
    assert 20 <= p["distance_mm"] <= 600
    assert p["surface"]["fluence_j_cm2"] == pytest.approx(
        p["surface"]["irradiance_mw_cm2"] * p["session_seconds"] / 1000, rel=1e-3)


def test_planner_respects_max_minutes_and_irradiance_and_says_why():
    p = plan(PlanRequest(device=PANEL, site="knee", target_depth_mm=20.0, window_j_cm2=(20.0, 40.0),
                         max_minutes=1, safety={"goggles": True}))
    assert p["status"] == "no_feasible_plan" and p["session_seconds"] <= 60
    assert "max_session_time" in p["constraints"]["blocking"]
    assert any(w.startswith("your longest session, 1 min") for w in p["warnings"])
    assert "blocked by: the longest session" in p["warnings"][0] and "max_session_time" not in p["warnings"][0]
    q = plan(PlanRequest(device=PANEL, condition="lateral-epicondylitis", max_irradiance_mw_cm2=15.0,
                         safety={"goggles": True}))
    assert q["surface"]["peak_irradiance_mw_cm2"] <= 15.0


def test_fixed_distance_is_kept():
    p = plan(PlanRequest(device=PANEL, condition="knee-osteoarthritis", distance_mm=300.0, safety={"goggles": True}))
    assert p["distance_mm"] == 300.0


def test_worn_device_keeps_its_standoff():
    from photodose.devices.catalog import load_device

    mask = load_device("generic-mask-633-830")
    p = plan(PlanRequest(device=mask.id, condition="skin-rejuvenation", safety={"goggles": True}))
    assert p["distance_mm"] == mask.default_distance_mm
    assert any("standoff" in r for r in p["reasons"])
