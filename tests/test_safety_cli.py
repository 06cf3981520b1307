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


def test_device_nir_panel_needs_goggles_and_says_for_how_long():
    data = _json(["safety", "device", "joovv-solo-3", "--distance", "15 cm", "--minutes", "20", "--json"])
    assert set(data) >= {"device", "distance_mm", "session_seconds", "status", "checks", "risk_group",
                         "goggles_required", "unprotected_viewing_allowed_s"}
    eye = next(c for c in data["checks"] if c["name"] == "eye:infrared")
    assert data["status"] == "refused" and eye["status"] == "fail"
    # the allowed time is the inverse of the IEC 62471 limit at the reported IR irradiance
    assert data["unprotected_viewing_allowed_s"] == pytest.approx((18000 / (10 * eye["value"])) ** (4 / 3), rel=1e-6)
    assert data["risk_groups"]["infrared_eye"] == data["risk_group"]  # an NIR/red panel: the IR hazard decides
    assert data["reference_distance_mm"] == 200.0 and data["risk_group_at_reference_distance"]
    protected = _json(["safety", "device", "joovv-solo-3", "--distance", "15 cm", "--minutes", "20", "--goggles",
                       "--json"])
    assert protected["status"] == "ok"


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
