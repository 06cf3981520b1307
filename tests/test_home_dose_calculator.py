"""`photodose dose`: the three calculator questions of issue 15, against H = E t / 1000 (jenkins2011)."""

import json

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.errors import PhotodoseInputError
from photodose.usecases.dose_calculator import dose_calculation

runner = CliRunner()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))


def run_json(*args):
    result = runner.invoke(app, ["dose", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_50_mw_cm2_for_10_minutes_is_30_j_cm2():
    data = run_json("--irradiance", "50 mW/cm2", "--minutes", "10")
    assert data["fluence_j_cm2"] == pytest.approx(30.0, rel=1e-12)  # 50e-3 W/cm2 x 600 s
    assert {"irradiance_mw_cm2", "minutes", "fluence_j_cm2"} <= set(data)


def test_minutes_to_30_j_cm2_at_50_mw_cm2_is_10():
    data = run_json("--irradiance", "50 mW/cm2", "--dose", "30 J/cm2")
    assert data["minutes"] == pytest.approx(10.0, rel=1e-12)


@pytest.mark.parametrize("typed, minutes", [("20", 20.0), ("20 min", 20.0), ("1 h", 60.0)])
def test_minutes_typed_as_people_type_them(typed, minutes):
    assert run_json("--irradiance", "10", "--minutes", typed)["minutes"] == pytest.approx(minutes)


def test_condition_gives_the_window_verdict_and_its_source():
    from photodose.protocols import get_protocol

    w = get_protocol("knee-osteoarthritis").skin_window
    inside = run_json("--irradiance", "50 mW/cm2", "--minutes", "10", "--condition", "knee-osteoarthritis")
    assert inside["verdict"] == "inside" and inside["window"]["unsourced"] == w.unsourced
    above_minutes = 1.01 * w.high_j_cm2 * 1000 / 50 / 60
    above = run_json("--irradiance", "50 mW/cm2", "--minutes", f"{above_minutes}", "--condition", "knee-osteoarthritis")
    assert above["verdict"] == "above"


def test_device_and_distance_use_the_model_mean_over_the_area():
    from photodose.devices.catalog import load_device
    from photodose.devices.irradiance import irradiance_summary

    data = run_json("--device", "joovv-solo-3", "--distance", "6 in", "--dose", "30 J/cm2")
    e = irradiance_summary(load_device("joovv-solo-3"), 152.4)["total_mean_irradiance_mw_cm2"]
    assert data["irradiance_mw_cm2"] == pytest.approx(e)
    assert data["minutes"] == pytest.approx(30.0 * 1000 / e / 60)


def test_without_a_distance_the_device_is_at_its_usual_one_in_its_unit():
    result = runner.invoke(app, ["dose", "--device", "joovv-solo-3", "--dose", "30 J/cm2"])
    assert result.exit_code == 0 and "from joovv-solo-3 at 6 in" in result.stdout   # said "15.2 cm"


def test_both_or_neither_question_is_refused_with_the_options_named():
    with pytest.raises(PhotodoseInputError, match="--minutes/--dose"):
        dose_calculation(irradiance_mw_cm2=50, minutes=10, fluence_j_cm2=30)
    with pytest.raises(PhotodoseInputError, match="--irradiance/--device"):
        dose_calculation(minutes=10)
