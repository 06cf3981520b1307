"""The device commands' command-line contract: JSON keys, curve picture, calibration, device add/list/show."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from photodose.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))


def run_json(*args):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_irradiance_json_contract():
    data = run_json("irradiance", "generic-panel-660-850", "--distance", "15 cm", "--area", "20 cm x 20 cm",
                    "--channel", "850")
    assert set(data) == {"device", "distance_mm", "channels", "total_mean_irradiance_mw_cm2"}
    assert data["distance_mm"] == pytest.approx(150.0)
    (row,) = data["channels"]
    assert set(row) == {"channel", "wavelength_nm", "mean_irradiance_mw_cm2", "peak_irradiance_mw_cm2", "uniformity"}
    assert row["wavelength_nm"] == 850.0
    assert 0 < row["uniformity"] <= 1 and row["mean_irradiance_mw_cm2"] <= row["peak_irradiance_mw_cm2"]
    both = run_json("irradiance", "generic-panel-660-850", "--distance", "6 in")
    assert both["total_mean_irradiance_mw_cm2"] == pytest.approx(
        sum(c["mean_irradiance_mw_cm2"] for c in both["channels"]))


def test_pulsed_device_reports_peak_pulse_irradiance():
    data = run_json("irradiance", "generic-headset-810")
    row = data["channels"][0]
    assert row["peak_pulse_irradiance_mw_cm2"] == pytest.approx(2 * row["peak_irradiance_mw_cm2"])  # 50 % duty


def test_curve_plot_written(tmp_path):
    png = tmp_path / "curve.png"
    data = run_json("irradiance", "joovv-solo-3", "--curve", "1 cm..60 cm", "--plot", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert data["reference"]["kind"] == "claim"
    first, last = data["curve"][0], data["curve"][-1]
    assert first["distance_mm"] == pytest.approx(10.0) and last["distance_mm"] == pytest.approx(600.0)
    assert {"distance_mm", "irradiance_mw_cm2", "inverse_square_guess_mw_cm2", "mean_irradiance_mw_cm2"} <= set(first)


def test_calibrate_json():
    data = run_json("calibrate", "joovv-solo-3", "--reading", "15 cm=62 mW/cm2", "--reading", "30 cm=21 mW/cm2")
    assert [r["measured_mw_cm2"] for r in data["residuals"]] == [62.0, 21.0]
    assert data["order_fitted"] is False
    assert data["claim"]["claimed_irradiance_mw_cm2"] == 100.0
    assert data["claim"]["claim_vs_measurement_percent"] > 0  # the readings are below the claim
    off_axis = run_json("calibrate", "joovv-solo-3", "--reading", "15 cm@10 cm,0 cm=50 mW/cm2")
    assert off_axis["residuals"][0]["x_mm"] == pytest.approx(100.0)


def test_device_add_list_show(tmp_path):
    path = tmp_path / "lamp.yaml"
    path.write_text("id: my-wand\nname: My wand\nkind: wand\ndefault_distance: 2 cm\n"
                    "layout: {kind: grid, rows: 2, columns: 2, pitch: 1 cm}\n"
                    "channels:\n  - {id: '630', centre: 630 nm, total_power: 200 mW}\n")
    added = run_json("device", "add", str(path))
    assert added["id"] == "my-wand" and added["origin"] == "user"
    listed = {row["id"]: row for row in run_json("device", "list")}
    assert listed["my-wand"]["origin"] == "user" and listed["joovv-solo-3"]["origin"] == "catalog"
    shown = run_json("device", "show", "joovv-solo-3")
    assert shown["claims"][0]["irradiance_mw_cm2"] == 100.0
    assert shown["provenance"]["channels.0.total_power"]["tag"] == "model_fit"
    claims = run_json("device", "claims")
    assert {"device", "model_at_claim_mw_cm2", "model_mw_cm2", "inverse_square_guess_mw_cm2"} <= set(claims[0])


@pytest.mark.slow  # a real process (a few seconds); CI runs it, `pytest -m "not slow"` skips it
def test_bad_device_file_exit_code_2_names_file_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nname: Bad\nkind: panel\ndefault_distance: 15 cm\n"
                    "layout: {kind: grid, rows: 2, columns: 2, pitch: 1 cm}\n"
                    "channels:\n  - {id: '660', centre: 660 nm, total_power: -1 W}\n")
    proc = subprocess.run([sys.executable, "-m", "photodose", "device", "add", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert str(path) in proc.stderr.replace("\n", "") and "total_power_mw" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_device_list_never_splits_an_id():
    result = runner.invoke(app, ["device", "list"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "mitored-mitopro-1500-plus" in result.stdout and "platinumled-biomax-600" in result.stdout
    # each usual distance in the unit its file gives it: the maker's "6 in" (was "15.24" in a cm column)
    joovv = next(line for line in result.stdout.splitlines() if "joovv-solo-3" in line)
    assert "6 in" in joovv and "15.24" not in result.stdout


def test_protocol_list_never_splits_an_id():
    result = runner.invoke(app, ["protocols", "list"], env={"COLUMNS": "80"})
    assert "muscle-recovery-shoulders-upper-back" in result.stdout


def test_irradiance_says_which_area_the_mean_is_over():
    given = runner.invoke(app, ["irradiance", "generic-panel-660-850", "--distance", "15 cm",
                                "--area", "10 cm x 10 cm"])
    assert "over 10 cm x 10 cm (given)" in given.stdout
    default = runner.invoke(app, ["irradiance", "generic-panel-660-850", "--distance", "15 cm"], env={"COLUMNS": "120"})
    assert "over 20 cm x 20 cm (the device's treatment area)" in default.stdout


def test_device_show_names_values_in_words_not_file_paths():
    """The provenance lines say "channel 850: power: model fit", not the device file's "channels.1.total_power"."""
    out = runner.invoke(app, ["device", "show", "joovv-solo-3"], env={"COLUMNS": "100"}).stdout
    assert "channel 850: power: model fit" in out and "LED layout (pitch): assumption" in out
    assert "channels." not in out and "model_fit" not in out and "True" not in out
