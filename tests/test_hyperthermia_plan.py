"""Whole-body hyperthermia plans: the CLI contract, heat limits refusing with reason and remedy, heat screening,
the sauna_dome device kind (device add accepts it; light-only paths refuse it in one line)."""

import json

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.devices.catalog import add_user_device, load_device
from photodose.devices.irradiance import irradiance_map
from photodose.errors import PhotodoseInputError
from photodose.hyperthermia import HyperthermiaRequest, Person, heat_limits, plan_hyperthermia
from photodose.hyperthermia.plan import _heat_checks
from photodose.hyperthermia.protocols import get_heat_protocol
from photodose.hyperthermia.validation import datasets
from photodose.safety.screening import load_questionnaire

runner = CliRunner()
DOME = "generic-infrared-sauna-dome"
CONDITION = "depression-whole-body-hyperthermia"
DOME_FILE = """\
id: my-dome
name: My dome
kind: sauna_dome
default_distance: 30 cm
layout: {kind: area, shape: rectangle, width: 180 cm, height: 80 cm}
chamber:
  air_temperature_c: {value: 50, tag: measurement, source: my thermometer}
  mean_radiant_temperature_c: {value: 50, tag: assumption, source: equal to air}
  relative_humidity_percent: {value: 10, tag: measurement, source: my hygrometer}
"""


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))


def test_plan_json_for_a_70_kg_adult_gives_minutes_to_38_5_curve_cooldown_schedule_and_safety():
    result = runner.invoke(app, ["plan", "--device", DOME, "--condition", CONDITION, "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["kind"] == "hyperthermia" and plan["person"]["weight_kg"] == 70
    m = datasets()["mason2021_dome"]
    low, high = m["minutes_to_38_5_range"]
    assert low <= plan["minutes_to_target"] <= high  # inside what the trial measured in a dome
    series = plan["core_temperature_c"]
    assert len(series["minutes"]) == len(series["degrees_c"]) > plan["minutes_to_target"]
    assert series["degrees_c"][0] < 37.5 and max(series["degrees_c"]) >= 38.5
    assert plan["cooldown"]["minutes"] == heat_limits().cooldown_min.value
    assert plan["cooldown"]["end_core_c"] < 38.0
    assert plan["schedule"]["sessions"] == 4 and plan["schedule"]["interval_days"] == 14
    names = {c["name"] for c in plan["safety"]["checks"]}
    assert {"heat:core_ceiling", "heat:session_length", "screening:heat_pregnancy"} <= names
    assert all(a["source"] for a in plan["advice"])


def test_contraindicated_person_is_refused_with_reason_and_remedy():
    plan = plan_hyperthermia(HyperthermiaRequest(device=DOME, condition=CONDITION,
                                                 screening={"heat_pregnancy": True}))
    assert plan.status == "refused" and plan.safety.status == "refused"
    failed = [c for c in plan.safety.checks if c.status == "fail"]
    assert [c.name for c in failed] == ["screening:heat_pregnancy"]
    assert "Milunsky" in failed[0].source and failed[0].remedy


def test_every_heat_question_refuses_on_yes_and_names_a_primary_source():
    for q in load_questionnaire().heat_questions:
        plan = plan_hyperthermia(HyperthermiaRequest(device=DOME, condition=CONDITION, screening={q.id: True}))
        check = next(c for c in plan.safety.checks if c.name == f"screening:{q.id}")
        assert check.status == "fail" and check.remedy, q.id
        assert any(key in check.source for key in ("2001", "1992", "2016")), (q.id, check.source)


def test_heat_questions_do_not_reach_light_screening():
    q = load_questionnaire()
    assert not {h.id for h in q.heat_questions} & {x.id for x in q.questions}


def test_core_ceiling_and_session_limit_refuse_with_reason_and_remedy():
    limits, protocol = heat_limits(), get_heat_protocol(CONDITION)
    over = _heat_checks(protocol, 40.0, limits.core_ceiling_c.value + 0.1, limits)
    assert over[0].status == "fail" and over[0].remedy and "39" in over[0].message
    never = _heat_checks(protocol, None, 38.2, limits)
    assert never[1].status == "fail" and never[1].remedy and "110" in never[1].message


def test_cool_dome_that_cannot_reach_the_target_in_time_is_refused(tmp_path):
    path = tmp_path / "my-dome.yaml"
    path.write_text(DOME_FILE)
    add_user_device(path)
    plan = plan_hyperthermia(HyperthermiaRequest(device="my-dome", condition=CONDITION,
                                                 person=Person(height_m=1.75, weight_kg=70, age_years=30, sex="male")))
    assert plan.status == "refused" and plan.minutes_to_target is None
    assert plan.heating_minutes == heat_limits().max_heating_min.value


def test_device_add_accepts_a_sauna_dome_and_light_paths_refuse_it_in_one_line(tmp_path):
    path = tmp_path / "my-dome.yaml"
    path.write_text(DOME_FILE)
    result = runner.invoke(app, ["device", "add", str(path), "--json"])
    assert result.exit_code == 0, result.output
    dome = load_device("my-dome")
    assert dome.kind == "sauna_dome" and dome.provenance_of("chamber.air_temperature_c").tag == "measurement"
    with pytest.raises(PhotodoseInputError) as err:
        irradiance_map(load_device(DOME), 300.0)
    assert "sauna dome delivers heat" in str(err.value) and "\n" not in str(err.value)
    light = runner.invoke(app, ["irradiance", DOME, "--distance", "30 cm"])
    assert light.exit_code != 0 and "Traceback" not in light.output and "heat" in light.output


def test_dome_without_chamber_or_with_channels_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(DOME_FILE.split("chamber:")[0])
    with pytest.raises(PhotodoseInputError, match="chamber"):
        add_user_device(path)


def test_heat_condition_with_a_light_device_is_refused():
    result = runner.invoke(app, ["plan", "--device", "generic-panel-660-850", "--condition", CONDITION])
    assert result.exit_code != 0 and "sauna dome" in result.output and "Traceback" not in result.output


def test_profile_body_and_heat_answers_feed_the_plan_and_refuse_a_contraindicated_person(tmp_path):
    db = str(tmp_path / "j.sqlite")
    answers = tmp_path / "heat.yaml"
    answers.write_text("heat_alcohol: yes\n")
    added = runner.invoke(app, ["profile", "add", "bea", "--height", "165 cm", "--weight", "70 kg", "--age", "32",
                                "--sex", "female", "--answers", str(answers), "--db", db, "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["weight_kg"] == 70
    result = runner.invoke(app, ["plan", "--device", DOME, "--condition", CONDITION, "--profile", "bea", "--db", db,
                                 "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["person"] == {"height_m": 1.65, "weight_kg": 70.0, "age_years": 32, "sex": "female",
                              "body_fat_percent": 15.0}
    assert plan["status"] == "refused"
    failed = [c for c in plan["safety"]["checks"] if c["status"] == "fail"]
    assert [c["name"] for c in failed] == ["screening:heat_alcohol"] and failed[0]["remedy"]


def test_profile_body_out_of_range_is_refused_in_one_line(tmp_path):
    result = runner.invoke(app, ["profile", "add", "cy", "--weight", "7 kg", "--db", str(tmp_path / "j.sqlite")])
    assert result.exit_code != 0 and "weight" in result.output and "Traceback" not in result.output
