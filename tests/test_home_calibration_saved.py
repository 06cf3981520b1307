"""`calibrate --save`: a calibrated user device that every command uses, recording readings, meter and fit."""

import json

import pytest
from typer.testing import CliRunner

from photodose.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))


def invoke(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_saved_calibration_reproduces_the_readings_it_was_fitted_to():
    """Readings made from the catalog model x 0.5 give a power scale 0.5, and the saved device reads them back."""
    from photodose.devices.catalog import load_device
    from photodose.devices.irradiance import on_axis_irradiance_mw_cm2

    base = load_device("joovv-solo-3")
    readings = [f"{d} cm={0.5 * float(on_axis_irradiance_mw_cm2(base, d * 10.0)):.6g} mW/cm2" for d in (15, 30)]
    data = json.loads(invoke("calibrate", "joovv-solo-3", *sum((["--reading", r] for r in readings), []),
                             "--save", "--json").stdout)
    assert data["power_scale"] == pytest.approx(0.5, rel=1e-5)
    saved = load_device(data["saved_device"]["id"])
    assert saved.id == "joovv-solo-3-calibrated"
    assert float(on_axis_irradiance_mw_cm2(saved, 300.0)) == pytest.approx(
        0.5 * float(on_axis_irradiance_mw_cm2(base, 300.0)), rel=1e-5)
    assert saved.calibration.from_device == "joovv-solo-3" and len(saved.calibration.readings) == 2
    assert saved.provenance["channels.0.total_power"].tag == "measurement"


def test_plan_with_the_saved_device_says_calibrated_from_meter_readings_on_the_date():
    from datetime import date

    invoke("calibrate", "generic-panel-660-850", "--reading", "15 cm=40 mW/cm2", "--save-as", "my-panel")
    plan = json.loads(invoke("plan", "--condition", "knee-osteoarthritis", "--device", "my-panel", "--json").stdout)
    assert plan["device"] == "my-panel"
    assert f"calibrated from meter readings on {date.today().isoformat()}" in plan["device_provenance"]["summary"]


def test_solar_meter_is_warned_and_a_trusted_factor_multiplies_the_readings():
    plain = json.loads(invoke("calibrate", "generic-panel-660-850", "--reading", "15 cm=40 mW/cm2", "--json").stdout)
    solar = json.loads(invoke("calibrate", "generic-panel-660-850", "--reading", "15 cm=40 mW/cm2", "--meter",
                              "solar", "--meter-factor", "0.5", "--json").stdout)
    assert solar["warnings"] and "solar" in solar["warnings"][0]
    assert solar["power_scale"] == pytest.approx(0.5 * plain["power_scale"], rel=1e-9)
    assert not plain["warnings"]


def test_readings_typed_in_inches_are_shown_in_inches():
    """A Joovv owner measures at 6 and 12 in: the table and the claim line say inches (they said 15.24 cm)."""
    out = invoke("calibrate", "joovv-solo-3", "--reading", "6 in=62 mW/cm2", "--reading", "12 in=30 mW/cm2",
                 "--save").stdout
    assert "6 in" in out and "12 in" in out and "claim 100 mW/cm² at 6 in" in out and "15.24" not in out
    shown = invoke("device", "show", "joovv-solo-3-calibrated").stdout
    assert "reading 62 mW/cm² at 6 in" in shown


def test_reading_syntax_with_off_axis_positions_is_in_help():
    out = invoke("calibrate", "--help").stdout
    assert "DISTANCE@X,Y=IRRADIANCE" in out and "--save" in out and "solar" in out


def test_unknown_meter_is_one_line_naming_the_option():
    result = runner.invoke(app, ["calibrate", "generic-panel-660-850", "--reading", "15 cm=40 mW/cm2",
                                 "--meter", "lux"])
    assert result.exit_code != 0 and "--meter" in (result.output + str(result.exception))
