"""The heat plan's HTML report: self-contained, the curve, time to and at the target, the cool-down, the
screening answers, refusals with reason and remedy, evidence and sources, the notice; from the CLI."""

import re

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.hyperthermia import HyperthermiaRequest, plan_hyperthermia
from photodose.reports.html import render_heat_plan_html
from photodose.units import unit_signs
from photodose.reports.plots import core_temperature_png
from photodose.safety.screening import load_questionnaire

DOME = "generic-infrared-sauna-dome"
CONDITION = "depression-whole-body-hyperthermia"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def planned():
    answers = {q.id: False for q in load_questionnaire().heat_questions}
    return plan_hyperthermia(HyperthermiaRequest(device=DOME, condition=CONDITION, screening=answers))


@pytest.fixture(scope="module")
def refused():
    return plan_hyperthermia(HyperthermiaRequest(device=DOME, condition=CONDITION, screening={"heat_pregnancy": True}))


@pytest.fixture(scope="module")
def png(planned):
    return core_temperature_png(planned)


def test_heat_report_is_self_contained_and_shows_the_curve_times_cooldown_and_notice(planned, png):
    assert png.startswith(PNG)
    html = render_heat_plan_html(planned, png)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert html.count("data:image/png;base64,") == 1
    assert 'name="viewport"' in html  # laid out for a phone
    assert f"{planned.minutes_to_target:.0f} min (predicted)" in html
    assert f"held {planned.time_at_target_min:g} min" in html
    assert f"{planned.minutes_at_or_above_target:.1f} min at or above" in html
    for phase in planned.phases:  # the session part by part: heating, at target, cool-down
        assert f'data-label="Part">{phase.label}<' in html and unit_signs(phase.what) in html
    assert "degC" not in html   # package data's ASCII "degC" is shown as "°C"
    assert f"{planned.cooldown.minutes:.0f} min resting in room air" in html
    assert f"{planned.cooldown.end_core_c:.2f} °C at the end" in html
    assert html.count("does not diagnose") == 2  # at the top and at the end
    assert planned.evidence_label in html
    for citation in planned.citations:
        assert citation.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;") in html


def test_heat_report_lists_every_screening_question_with_the_answer(planned, png):
    html = render_heat_plan_html(planned, png)
    for q in load_questionnaire().heat_questions:
        assert q.text.replace("'", "&#39;") in html
    assert html.count('data-label="Answer">no<') == len(load_questionnaire().heat_questions)
    assert "Why it is refused" not in html


def test_refused_heat_report_explains_the_contraindication_with_its_remedy_and_source(refused):
    assert refused.status == "refused"
    html = render_heat_plan_html(refused, b"")
    fail = next(c for c in refused.safety.checks if c.name == "screening:heat_pregnancy")
    reasons = html[html.index("Why it is refused"):html.index("Heat plan summary")]
    assert "screening: pregnancy" in reasons and fail.remedy in reasons and "Milunsky" in reasons
    assert 'data-label="Answer">yes<' in html and 'data-label="Answer">not answered<' in html


def test_heat_report_escapes_text(planned, png):
    evil = planned.model_copy(update={"reasons": ["<script>alert(1)</script>"]})
    assert "<script>alert" not in render_heat_plan_html(evil, png)


def test_cli_heat_plan_writes_the_report_and_refuses_a_wrong_suffix_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    out = tmp_path / "heat.html"
    result = runner.invoke(app, ["plan", "--device", DOME, "--condition", CONDITION, "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert f"report written to {out}" in result.stdout.replace("\n", "")
    assert "Core temperature" in out.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["plan", "--device", DOME, "--condition", CONDITION, "--report", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2 and "--report" in bad.output and len(bad.output.strip().splitlines()) == 1


def test_unit_signs_touch_units_only_never_base64_and_keep_markup_safe():
    """The pages' and reports' finalize: "38.5 degC" -> "38.5 °C", but a base64 image or Plotly array that happens
    to hold the letters "degC" is left alone (it once corrupted an embedded PNG), and safe markup stays safe."""
    from markupsafe import Markup

    assert unit_signs("reaches 38.5 degC (rectal), 101.3 degF; core (degC)") == \
        "reaches 38.5 °C (rectal), 101.3 °F; core (°C)"
    assert unit_signs("iVBORw0KdegCgo5degF+/=") == "iVBORw0KdegCgo5degF+/="
    kept = unit_signs(Markup('<script>{"t": "39 degC"}</script>'))
    assert isinstance(kept, Markup) and kept == Markup('<script>{"t": "39 °C"}</script>')
    assert unit_signs(38.5) == 38.5
    # per-area units and areas after a space or "(", never inside a word, a key or base64
    assert unit_signs("25.7 J/cm2 at 71 mW/cm2 (W/m2), 46227 J over 1800 cm2; area (cm2)") == \
        "25.7 J/cm² at 71 mW/cm² (W/m²), 46227 J over 1800 cm²; area (cm²)"
    assert unit_signs("degC") == "°C"   # a unit field on its own
    for untouched in ("fluence_j_cm2", "x5J/cm2+", "abcm2", "Qcm2/J/cm2==", "degCx"):
        assert unit_signs(untouched) == untouched
