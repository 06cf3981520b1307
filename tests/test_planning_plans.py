"""Plans end to end: every protocol plans and states its verdict; the safety gate can refuse; CLI contract."""

import json

import pytest

from photodose.cli import app, main
from plan_json import plan
from photodose.planning.request import PlanRequest
from photodose.protocols import list_protocols

PANEL = "generic-panel-660-850"


@pytest.mark.parametrize("protocol", list_protocols(), ids=lambda p: p.id)
def test_every_protocol_plans_with_a_verdict(protocol):
    p = plan(PlanRequest(device=PANEL, condition=protocol.id, safety={"goggles": True}))
    assert p["window"]["verdict"] in ("below", "inside", "above")
    assert p["status"] in ("planned", "compromise", "no_feasible_plan", "refused")
    assert p["safety"]["status"] in ("ok", "caution", "refused")
    assert p["target"]["depth_mm"] == protocol.target.depth_mm
    assert p["schedule"]["sessions_per_week"] == protocol.schedule.sessions_per_week
    assert (p["reporting_parameters"]["number_of_treatments"]
            == protocol.schedule.sessions_per_week * protocol.schedule.weeks)
    assert p["citations"] and p["reasons"]


def test_refused_plan_lists_failed_checks_with_remedies():
    """The face in front of a panel without goggles: the eye is in the beam and the infrared eye limit fails."""
    p = plan(PlanRequest(device="joovv-solo-3", condition="skin-rejuvenation", distance_mm=150.0, max_minutes=20))
    assert p["status"] == "refused" and p["session_seconds"] is None
    failed = [c for c in p["safety"]["checks"] if c["status"] == "fail"]
    assert failed and all(c["remedy"] for c in failed)
    assert p["warnings"][0].startswith("refused by the safety gate")


def test_reporting_parameters_follow_jenkins_carroll():
    p = plan(PlanRequest(device=PANEL, condition="knee-osteoarthritis", safety={"goggles": True}))
    rp = p["reporting_parameters"]
    for key in ("wavelength_nm", "power_mw", "irradiation_time_s", "beam_area_cm2", "pulse_parameters",
                "anatomical_location", "number_of_treatments", "interval_between_treatments", "energy_j",
                "energy_density_j_cm2"):
        assert key in rp
    assert rp["energy_j"] == pytest.approx(rp["energy_density_j_cm2"] * rp["beam_area_cm2"])
    assert rp["power_mw"] * rp["irradiation_time_s"] / 1000 == pytest.approx(rp["energy_j"], rel=1e-9)


def test_cli_plan_json_contract(tmp_path):
    from typer.testing import CliRunner

    report, png = tmp_path / "plan.html", tmp_path / "depth.png"
    out = CliRunner().invoke(app, ["plan", "--device", PANEL, "--site", "knee", "--skin-type", "III", "--condition",
                                   "knee-osteoarthritis", "--distance", "15 cm", "--max-minutes", "20", "--goggles",
                                   "--report", str(report), "--plot", str(png), "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["distance_mm"] == pytest.approx(150.0)
    for key in ("session_seconds", "surface", "target", "window", "schedule", "warnings", "reporting_parameters",
                "citations", "safety", "energy_j", "depth_dose", "reasons"):
        assert key in d
    assert {"irradiance_mw_cm2", "fluence_j_cm2"} <= set(d["surface"])
    assert {"depth_mm", "fluence_j_cm2", "by_wavelength"} <= set(d["target"])
    assert {"low_j_cm2", "high_j_cm2", "verdict"} <= set(d["window"])
    assert {"sessions_per_week", "weeks"} <= set(d["schedule"])
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("argv", [
    ["plan", "--device", PANEL, "--condition", "nope"],
    ["plan", "--device", PANEL, "--condition", "acne", "--distance", "15 kg"],
    ["plan", "--device", PANEL, "--site", "knee", "--target-depth-mm", "5"],
    ["plan", "--device", PANEL, "--condition", "acne", "--channel", "999"],
])
def test_cli_bad_input_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_demo_plan_writes_report(tmp_path):
    from photodose.usecases.demo import run_demo_plan

    p, path = run_demo_plan(tmp_path)
    assert (p.device, p.site, p.skin_type) == ("generic-panel-660-850", "knee", "III")
    assert {r.wavelength_nm for r in p.surface.by_wavelength} == {660.0, 850.0}
    assert path.endswith("plan.html")


def test_cli_plan_says_why_it_is_refused_or_cautioned():
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["plan", "--device", "joovv-solo-3", "--condition", "skin-rejuvenation",
                                      "--distance", "15 cm", "--max-minutes", "20"])
    assert result.exit_code == 0
    assert "safety fail:" in result.stdout and "remedy:" in result.stdout


def test_plan_flags_another_site_and_a_target_the_light_barely_reaches():
    on_face = plan(PlanRequest(device=PANEL, condition="knee-osteoarthritis", site="face"))
    assert any("not the protocol's site (knee)" in w for w in on_face["warnings"])
    hip = plan(PlanRequest(device=PANEL, condition="hip"))
    share = hip["target"]["fluence_j_cm2"] / hip["surface"]["fluence_j_cm2"]
    flagged = any("of the skin dose reaches the target" in w for w in hip["warnings"])
    assert flagged == (hip["window"]["basis"] == "skin" and share < 0.01)
    knee = plan(PlanRequest(device=PANEL, condition="knee-osteoarthritis"))
    assert not any("not the protocol's site" in w for w in knee["warnings"])


@pytest.mark.parametrize("args", [["--window", "10..1"], ["--window", "nan..10"], ["--window", "1..1e9"],
                                  ["--distance-range", "30 cm..10 cm"]])
def test_bad_custom_window_or_range_is_one_clear_line(args, capsys):
    argv = ["plan", "--device", PANEL, "--site", "knee", "--target-depth-mm", "5", "--window", "1..10", *args]
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and args[0].lstrip("-") in err and "input={" not in err


def test_joovv_knee_at_the_makers_six_inches_is_planned_not_refused_for_the_eye():
    """Joovv's manual: 6-12 in, 10-20 min. The eye sits where the person is (away from the knee), so the session the
    maker describes is judged on the skin dose (46.7 J/cm2, inside the 4-60 J/cm2 window), not refused."""
    p = plan(PlanRequest(device="joovv-solo-3", condition="knee-osteoarthritis", distance_mm=152.4, minutes=10,
                         distance_unit="in"))
    assert p["status"] == "planned" and p["session_seconds"] == 600.0
    assert p["eye"]["in_beam"] is False and p["eye"]["distance_mm"] > 152.4
    eye = [c for c in p["safety"]["checks"] if c["name"].startswith("eye:")]
    assert eye and all(c["status"] != "fail" for c in eye)
    assert p["window"]["at"] == "skin" and p["window"]["verdict"] == "inside"
    assert p["window"]["fluence_j_cm2"] == pytest.approx(p["surface"]["irradiance_mw_cm2"] * 600 / 1000)
    cell = next(o for o in p["options"] if o["distance_text"] == "6 in" and o["minutes"] == 10)
    assert cell["skin_fluence_j_cm2"] == pytest.approx(p["surface"]["fluence_j_cm2"], rel=1e-3)
    # the summary says the distance as it was typed (it said "152 mm")
    from photodose.planning.plan_model import load_plan
    from photodose.planning.plan_text import plan_summary_rows

    assert dict(plan_summary_rows(load_plan(p)))["distance"] == "6 in"


def test_without_a_typed_distance_the_plan_speaks_the_makers_unit():
    """Joovv gives its usual distance as "6 in": a plan without --distance shows inches (its distance, options,
    technique and reasons); the generic panel's "15 cm" gives cm; a typed unit wins over the device's."""
    from photodose.planning.plan_model import load_plan
    from photodose.planning.plan_text import plan_summary_rows

    joovv = plan(PlanRequest(device="joovv-solo-3", condition="knee-osteoarthritis"))
    assert joovv["distance_unit"] == "in"
    assert {o["distance_text"] for o in joovv["options"]} >= {"6 in", "12 in", "18 in", "24 in"}
    assert dict(plan_summary_rows(load_plan(joovv)))["distance"].endswith(" in")
    assert joovv["reporting_parameters"]["application_technique"].endswith(" in")
    assert any("the device's usual 6 in" in r for r in joovv["reasons"])
    panel = plan(PlanRequest(device=PANEL, condition="knee-osteoarthritis", safety={"goggles": True}))
    assert panel["distance_unit"] == "cm" and {"15 cm", "30 cm"} <= {o["distance_text"] for o in panel["options"]}
    typed = plan(PlanRequest(device="joovv-solo-3", condition="knee-osteoarthritis", distance_mm=300,
                             distance_unit="cm"))
    assert typed["distance_unit"] == "cm" and dict(plan_summary_rows(load_plan(typed)))["distance"] == "30 cm"
    # a plan stored before the unit was recorded reads back in mm
    old = {k: v for k, v in typed.items() if k != "distance_unit"}
    assert load_plan(old).distance_unit == "mm"


def test_unsourced_session_range_is_a_preference_not_a_constraint():
    """Without options the panel is not pushed to the edge of the search range by the unsourced 10-20 min."""
    p = plan(PlanRequest(device="joovv-solo-3", condition="knee-osteoarthritis"))
    assert p["status"] == "planned" and p["distance_mm"] < 400
    assert p["window"]["verdict"] == "inside"
    assert any("a preference only" in w for w in p["warnings"])


def test_fixed_minutes_and_bounds_are_kept():
    p = plan(PlanRequest(device=PANEL, condition="knee-osteoarthritis", minutes=12, safety={"goggles": True}))
    assert p["session_seconds"] == 720.0 and p["window"]["verdict"] == "inside"
    q = plan(PlanRequest(device=PANEL, condition="knee-osteoarthritis", min_minutes=15, max_minutes=18,
                         safety={"goggles": True}))
    assert 900 <= q["session_seconds"] <= 1080


def test_the_face_target_is_shown_for_comparison_never_called_inside():
    """The skin window judges the incident dose; the dermis fluence can exceed it (backscatter) and is not judged."""
    p = plan(PlanRequest(device="joovv-solo-3", condition="skin-rejuvenation", safety={"goggles": True}))
    assert p["window"]["at"] == "skin" and p["target"]["judged"] is False
    assert p["target"]["fluence_j_cm2"] > p["surface"]["fluence_j_cm2"]  # backscatter adds at 0.5 mm
    assert p["windows"]["target"] is None


def test_target_interval_brackets_the_median_and_window_probability_is_given():
    p = plan(PlanRequest(device=PANEL, condition="knee-osteoarthritis", safety={"goggles": True}))
    lo, hi = p["target"]["fluence_j_cm2_interval"]
    assert lo < p["target"]["fluence_j_cm2"] < hi
    assert 0.0 <= p["window"]["probability_inside"] <= 1.0
    assert len(p["depth_dose"]["total_j_cm2_p05"]) == len(p["depth_dose"]["depth_mm"])


def test_device_provenance_says_what_is_claimed_fitted_and_assumed():
    p = plan(PlanRequest(device="joovv-solo-3", condition="knee-osteoarthritis", safety={"goggles": True}))
    prov = p["device_provenance"]
    assert "100 mW/cm2 at 6 in (claim)" in prov["summary"] and "fitted to the claim" in prov["summary"]
    assert "LED layout" in prov["assumptions"]
