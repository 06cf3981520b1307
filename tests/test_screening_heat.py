"""Interactive heat screening (``photodose safety screen --heat``): the heat questions asked one by one, their
verdicts, and answers kept with a profile alongside the light ones (neither questionnaire wipes the other)."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.safety.screening import ScreeningAnswers, load_questionnaire, merge_answers

runner = CliRunner()
HEAT = [q.id for q in load_questionnaire().heat_questions]
LIGHT = [q.id for q in load_questionnaire().questions]
DOME = ["plan", "--device", "generic-infrared-sauna-dome", "--condition", "depression-whole-body-hyperthermia"]


@pytest.fixture(autouse=True)
def journal(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PHOTODOSE_DB", str(tmp_path / "journal.sqlite"))


def _keys(answers: dict[str, bool]) -> str:
    """CliRunner input: y/n per heat question, in the questionnaire's order."""
    return "".join("y\n" if answers.get(q) else "n\n" for q in HEAT)


def _json_after_prompts(output: str) -> dict:
    return json.loads(output[output.index("{"):])


def test_heat_screen_asks_every_heat_question_and_all_no_is_ok():
    result = runner.invoke(app, ["safety", "screen", "--heat"], input=_keys({}))
    assert result.exit_code == 0, result.output
    assert "Heat screening for whole-body hyperthermia" in result.output
    for q in load_questionnaire().heat_questions:
        assert q.text in result.output  # asked
    for q in load_questionnaire().questions:
        assert q.text not in result.output  # the light questions are not
    assert "status: ok" in result.output and "whole body" in result.output


def test_heat_screen_yes_to_pregnancy_is_do_not_use_with_its_source():
    result = runner.invoke(app, ["safety", "screen", "--heat", "--json"], input=_keys({"heat_pregnancy": True}))
    assert result.exit_code == 0, result.output
    data = _json_after_prompts(result.output)
    assert data["heat"] and data["site"] == "whole body" and data["status"] == "refused"
    assert "light therapy" not in data["source"]  # the light questionnaire's source is not the heat questions'
    assert [c["name"] for c in data["checks"]] == [f"screening:{q}" for q in HEAT]
    fail = [c for c in data["checks"] if c["status"] == "fail"]
    assert [c["name"] for c in fail] == ["screening:heat_pregnancy"] and "milunsky1992_heat" in fail[0]["source"]


def test_heat_screen_refuses_light_only_options_in_one_line():
    result = runner.invoke(app, ["safety", "screen", "--heat", "--site", "knee"])
    assert result.exit_code == 2 and "--heat" in result.output and len(result.output.strip().splitlines()) == 1


def test_profile_keeps_light_and_heat_answers_and_the_dome_plan_is_refused():
    assert runner.invoke(app, ["profile", "add", "ann", "--height", "165 cm", "--weight", "62 kg", "--age", "34",
                               "--sex", "female"]).exit_code == 0
    light = runner.invoke(app, ["safety", "screen", "--site", "knee", "--profile", "ann"], input="n\n" * len(LIGHT))
    assert light.exit_code == 0, light.output
    heat = runner.invoke(app, ["safety", "screen", "--heat", "--profile", "ann"], input=_keys({"heat_pregnancy": True}))
    assert heat.exit_code == 0, heat.output
    plan = runner.invoke(app, [*DOME, "--profile", "ann", "--json"])
    data = json.loads(plan.stdout)
    assert data["status"] == "refused"
    assert {r["id"]: r["answer"] for r in data["screening"]} == {q: "yes" if q == "heat_pregnancy" else "no"
                                                                  for q in HEAT}
    # answering the light questions again keeps the heat answers (and the other way round)
    again = runner.invoke(app, ["safety", "screen", "--site", "knee", "--profile", "ann", "--json"],
                          input="n\n" * len(LIGHT))
    stored = _json_after_prompts(again.output)["answers"]
    assert set(stored) == set(LIGHT) | set(HEAT) and stored["heat_pregnancy"] is True
    assert json.loads(runner.invoke(app, [*DOME, "--profile", "ann", "--json"]).stdout)["status"] == "refused"


def test_merge_keeps_the_other_answers_and_dates_the_record_by_the_oldest():
    now = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    old = ScreeningAnswers(answered_at=now - timedelta(days=80), answers={"cancer": False, "heat_alcohol": True})
    new = ScreeningAnswers(answered_at=now, answers={"heat_alcohol": False, "heat_pregnancy": False})
    merged = merge_answers(old, new)
    assert merged.answers == {"cancer": False, "heat_alcohol": False, "heat_pregnancy": False}
    assert merged.answered_at == old.answered_at  # goes stale with its oldest answer
    assert merge_answers(None, new) == new
    only_new = ScreeningAnswers(answered_at=now - timedelta(days=90), answers={"heat_alcohol": True})
    assert merge_answers(only_new, new) == new  # nothing of the earlier record kept: today's date
