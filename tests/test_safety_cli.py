"""``photodose safety device`` and ``photodose safety screen`` through the CLI."""

import json

import pytest
from typer.testing import CliRunner

from photodose.cli import app, main

runner = CliRunner()


def _json(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_device_nir_panel_on_the_face_needs_goggles_and_says_for_how_long():
    data = _json(["safety", "device", "joovv-solo-3", "--site", "face", "--distance", "15 cm", "--minutes", "20",
                  "--json"])
    assert set(data) >= {"device", "site", "eye", "distance_mm", "session_seconds", "status", "checks", "risk_group",
                         "goggles_required", "unprotected_viewing_allowed_s"}
    eye = next(c for c in data["checks"] if c["name"] == "eye:infrared")
    assert data["status"] == "refused" and eye["status"] == "fail"
    assert data["eye"]["in_beam"] and data["eye"]["distance_mm"] == 150.0
    # the allowed time is the inverse of the IEC 62471 limit at the reported IR irradiance
    assert data["unprotected_viewing_allowed_s"] == pytest.approx((18000 / (10 * eye["value"])) ** (4 / 3), rel=1e-6)
    assert data["risk_groups"]["infrared_eye"] == data["risk_group"]  # an NIR/red panel: the IR hazard decides
    assert data["reference_distance_mm"] == 200.0 and data["risk_group_at_reference_distance"]
    protected = _json(["safety", "device", "joovv-solo-3", "--site", "face", "--distance", "15 cm", "--minutes", "20",
                       "--goggles", "--json"])
    assert all(c["status"] == "ok" for c in protected["checks"] if c["name"].startswith("eye:"))


def test_device_on_the_knee_puts_the_eye_where_the_person_is_and_eye_distance_moves_it():
    data = _json(["safety", "device", "joovv-solo-3", "--site", "knee", "--distance", "6 in", "--minutes", "10",
                  "--json"])
    assert not data["eye"]["in_beam"] and data["eye"]["distance_mm"] == 600.0
    assert "unsourced" in data["eye"]["assumption"]
    near = _json(["safety", "device", "joovv-solo-3", "--site", "knee", "--distance", "6 in", "--minutes", "10",
                  "--eye-distance", "30 cm", "--json"])
    ir = {d["eye"]["distance_mm"]: next(c["value"] for c in d["checks"] if c["name"] == "eye:infrared")
          for d in (data, near)}
    assert near["eye"]["distance_mm"] == 300.0 and ir[300.0] > ir[600.0]
    shown = runner.invoke(app, ["safety", "device", "joovv-solo-3", "--site", "knee", "--distance", "6 in",
                                "--minutes", "10"])
    assert "on the knee at 6 in for 10 min" in shown.stdout and "risk group at 6 in" in shown.stdout  # as typed
    # the hazards in words (it printed "infrared_eye RG1, retinal_thermal exempt, blue_light exempt")
    assert "infrared (cornea and lens) RG1" in shown.stdout and "infrared_eye" not in shown.stdout


# three sessions: (device, site, condition, distance, minutes)
SESSIONS = [("joovv-solo-3", "knee", "knee-osteoarthritis", "6 in", "10"),
            ("joovv-solo-3", "face", "skin-rejuvenation", "6 in", "10"),
            ("generic-headset-810", "forehead", "depression-transcranial", "5 mm", "20")]


@pytest.mark.parametrize("device, site, condition, distance, minutes", SESSIONS)
def test_safety_device_gives_the_plans_safety_verdict_for_the_same_session(device, site, condition, distance,
                                                                          minutes):
    plan = _json(["plan", "--device", device, "--condition", condition, "--site", site, "--distance", distance,
                  "--minutes", minutes, "--json"])
    if plan["session_seconds"] is not None:
        assert plan["session_seconds"] == pytest.approx(60 * float(minutes))
    dev = _json(["safety", "device", device, "--site", site, "--distance", distance, "--minutes", minutes,
                 "--condition", condition, "--json"])
    assert dev["status"] == plan["safety"]["status"]
    assert dev["checks"] == plan["safety"]["checks"]
    assert dev["eye"] == plan["eye"]


@pytest.mark.parametrize("device, site, condition, distance, minutes", SESSIONS)
def test_log_session_records_the_plans_safety_verdict_for_the_same_session(device, site, condition, distance,
                                                                          minutes, tmp_path, monkeypatch):
    """plan, safety device and log session: one verdict for one session (a profile with no earlier session, and
    no protocol for the logged session: photodose's default overdose bounds equal the protocols' here)."""
    monkeypatch.setenv("PHOTODOSE_DB", str(tmp_path / "journal.sqlite"))
    _json(["profile", "add", "ann", "--json"])
    args = ["--site", site, "--distance", distance, "--minutes", minutes, "--profile", "ann", "--json"]
    plan = _json(["plan", "--device", device, "--condition", condition, *args])
    logged = _json(["log", "session", "--device", device, "--at", "2026-11-30 08:00", *args])
    assert logged["safety"]["status"] == plan["safety"]["status"]
    assert [(c["name"], c["status"]) for c in logged["safety"]["checks"]] == \
        [(c["name"], c["status"]) for c in plan["safety"]["checks"]]


def test_safety_device_without_a_condition_judges_as_log_session_without_a_plan(tmp_path, monkeypatch):
    """No protocol: both use photodose's default overdose bounds, so 20 min at 6 in (93 J/cm2, above the default 60
    J/cm2 a day) is a caution from both, with the same checks (it was missing from `safety device`)."""
    monkeypatch.setenv("PHOTODOSE_DB", str(tmp_path / "journal.sqlite"))
    _json(["profile", "add", "ann", "--json"])
    args = ["--site", "knee", "--distance", "6 in", "--minutes", "20", "--profile", "ann", "--json"]
    dev = _json(["safety", "device", "joovv-solo-3", *args])
    logged = _json(["log", "session", "--device", "joovv-solo-3", "--at", "2026-11-30 08:00", *args])
    assert [(c["name"], c["status"]) for c in dev["checks"]] == \
        [(c["name"], c["status"]) for c in logged["safety"]["checks"]]
    assert dev["status"] == logged["safety"]["status"] == "caution"
    assert ("overdose:day", "caution") in [(c["name"], c["status"]) for c in dev["checks"]]


def test_device_with_a_480_nm_channel_gets_a_blue_light_check_and_groups_at_both_distances():
    near = _json(["safety", "device", "platinumled-biomax-300", "--distance", "1 cm", "--minutes", "20", "--json"])
    blue = next(c for c in near["checks"] if c["name"] == "eye:blue_light")
    assert blue["unit"] == "J m-2 sr-1" and blue["limit"] == 1e6 and blue["value"] > 0
    assert set(near["risk_groups"]) == {"infrared_eye", "retinal_thermal", "blue_light"}
    far = _json(["safety", "device", "platinumled-biomax-300", "--distance", "200 mm", "--minutes", "20", "--json"])
    assert far["risk_group"] == near["risk_group_at_reference_distance"]  # the same 200 mm assessment


def test_device_laser_probe_without_goggles_is_refused():
    data = _json(["safety", "device", "generic-laser-probe-808", "--distance", "0 cm", "--minutes", "2", "--json"])
    assert data["status"] == "refused"
    assert data["risk_group"] is None
    assert any(c["name"] == "skin:laser_mpe" for c in data["checks"])


def test_screen_from_answers_file(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  bipolar: yes\n  cancer: no\n", encoding="utf-8")
    saved = tmp_path / "saved.json"
    data = _json(["safety", "screen", "--answers", str(answers), "--site", "forehead", "--transcranial",
                  "--save", str(saved), "--json"])
    by_name = {c["name"]: c["status"] for c in data["checks"]}
    assert by_name["screening:bipolar"] == "fail" and by_name["screening:cancer"] == "ok"
    assert by_name["screening:epilepsy"] == "caution"  # not answered
    assert data["status"] == "refused"
    assert json.loads(saved.read_text())["answers"] == {"bipolar": True, "cancer": False}


def test_screen_interactive_all_no():
    from photodose.safety.screening import load_questionnaire

    n = len(load_questionnaire().questions)
    result = runner.invoke(app, ["safety", "screen", "--site", "knee", "--json"], input="n\n" * n)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["status"] == "ok"


def test_bad_answers_file_is_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("not_a_question: yes\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["safety", "screen", "--answers", str(bad)])
    assert exc.value.code == 2
    assert "question ids" in capsys.readouterr().err


def test_safety_device_and_plan_agree_for_a_profile_with_screening_and_an_earlier_session(tmp_path, monkeypatch):
    from datetime import datetime, timedelta

    monkeypatch.setenv("PHOTODOSE_DB", str(tmp_path / "journal.sqlite"))
    _json(["profile", "add", "ann", "--skin-type", "v", "--json"])
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  bipolar: no\n  cancer: no\n", encoding="utf-8")
    _json(["safety", "screen", "--answers", str(answers), "--site", "knee", "--profile", "ann", "--json"])
    earlier = (datetime.now() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    _json(["log", "session", "--site", "knee", "--device", "joovv-solo-3", "--distance", "6 in", "--minutes", "10",
           "--at", earlier, "--json"])
    args = ["--distance", "6 in", "--minutes", "10", "--profile", "ann", "--json"]
    plan = _json(["plan", "--device", "joovv-solo-3", "--condition", "knee-osteoarthritis", *args])
    # the plan is judged as the next session: an earlier session today moves its start (plan.earliest_start)
    start = plan["earliest_start"] or datetime.now().strftime("%Y-%m-%d %H:%M")
    dev = _json(["safety", "device", "joovv-solo-3", "--site", "knee", "--condition", "knee-osteoarthritis",
                 "--at", start, *args])
    assert any(c["name"].startswith("overdose:") for c in dev["checks"])  # the earlier session is counted
    assert not any(c["name"] == "screening" for c in dev["checks"])  # the profile's answers are used
    assert dev["status"] == plan["safety"]["status"]
    # the two commands run seconds apart: "hours since the last session" differs in its last digits only
    strip = lambda checks: [{k: v for k, v in c.items() if k != "value"} for c in checks]  # noqa: E731
    assert strip(dev["checks"]) == strip(plan["safety"]["checks"])
    assert [c["value"] for c in dev["checks"]] == pytest.approx([c["value"] for c in plan["safety"]["checks"]],
                                                                rel=1e-3)
