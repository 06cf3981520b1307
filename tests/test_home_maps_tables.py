"""`irradiance --map`, curves with their end point and the mean over the area, distance tables in the person's
units with minutes to a dose (issue 15, item 3)."""

import json

import pytest
from typer.testing import CliRunner

from photodose.cli import app

runner = CliRunner()
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))


def run_json(*args):
    result = runner.invoke(app, ["irradiance", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_curve_and_table_end_at_the_end_point_typed():
    """The 1-60 cm table stopped at 55.5 cm: its last row is now 60 cm, in cm."""
    data = run_json("joovv-solo-3", "--curve", "1 cm..60 cm")
    assert data["curve"][-1]["distance_mm"] == pytest.approx(600.0)
    assert data["table"][-1]["distance_mm"] == pytest.approx(600.0) and data["unit"] == "cm"


def test_distance_table_in_inches_with_minutes_to_the_dose_at_the_mean():
    data = run_json("joovv-solo-3", "--curve", "2 in..24 in", "--dose", "30 J/cm2")
    assert data["unit"] == "in"
    inches = [row["distance_mm"] / 25.4 for row in data["table"]]
    assert inches[0] == pytest.approx(2) and inches[-1] == pytest.approx(24)
    assert all(abs(x - round(x)) < 1e-9 for x in inches)  # round steps of the unit typed
    for row in data["table"]:  # H = E t / 1000 at the mean irradiance
        assert row["minutes_to_dose"] * 60 * row["mean_irradiance_mw_cm2"] / 1000 == pytest.approx(30.0)


def test_without_a_typed_length_the_table_speaks_the_devices_unit():
    """Joovv's file gives its usual distance as "6 in": with only --dose the table runs 1-24 in (it ran
    0.394-23.6 in, the cm default converted); the generic panel's "15 cm" keeps the 1-60 cm table."""
    data = run_json("joovv-solo-3", "--dose", "30 J/cm2")
    inches = [row["distance_mm"] / 25.4 for row in data["table"]]
    assert data["unit"] == "in" and inches[0] == pytest.approx(1) and inches[-1] == pytest.approx(24)
    panel = run_json("generic-panel-660-850", "--dose", "30 J/cm2")
    assert panel["unit"] == "cm" and panel["table"][-1]["distance_mm"] == pytest.approx(600.0)
    summary = runner.invoke(app, ["irradiance", "joovv-solo-3"])
    assert summary.exit_code == 0 and "joovv-solo-3 at 6 in" in summary.stdout


def test_mean_over_a_vanishing_area_is_the_on_axis_value():
    data = run_json("generic-panel-660-850", "--curve", "5 cm..40 cm", "--area", "1 mm x 1 mm")
    with_mean = [row for row in data["curve"] if row["mean_irradiance_mw_cm2"] is not None]
    assert len(with_mean) >= 21 and with_mean[-1] is data["curve"][-1]
    for row in with_mean:
        assert row["mean_irradiance_mw_cm2"] == pytest.approx(row["irradiance_mw_cm2"], rel=1e-3)


def test_every_channel_is_in_the_curve_and_they_sum_to_the_total():
    data = run_json("joovv-solo-3", "--curve", "1 cm..60 cm")
    assert data["channels"] == ["660", "850"]
    for row in data["curve"]:
        assert sum(row["by_channel_mw_cm2"].values()) == pytest.approx(row["irradiance_mw_cm2"])


def test_plot_honours_distance_even_beyond_the_default_range(tmp_path):
    png = tmp_path / "curve.png"
    data = run_json("joovv-solo-3", "--distance", "100 cm", "--plot", str(png))
    assert png.read_bytes()[:8] == PNG
    assert any(row["distance_mm"] == pytest.approx(1000.0) for row in data["curve"])
    assert data["curve"][-1]["distance_mm"] >= 1000.0


def test_map_png_with_the_area_of_the_mean(tmp_path):
    from photodose.devices.catalog import load_device
    from photodose.devices.irradiance import irradiance_summary

    png = tmp_path / "map.png"
    data = run_json("joovv-solo-3", "--distance", "6 in", "--map", str(png))
    assert png.read_bytes()[:8] == PNG
    summary = irradiance_summary(load_device("joovv-solo-3"), 152.4)
    assert data["mean_irradiance_mw_cm2"] == pytest.approx(summary["total_mean_irradiance_mw_cm2"])
    assert data["peak_irradiance_mw_cm2"] >= data["mean_irradiance_mw_cm2"]
    assert data["area_outline"] == {"shape": "rectangle", "width_mm": 300.0, "height_mm": 600.0}
    assert data["extent_mm"][0] >= 300.0 and data["extent_mm"][1] >= 600.0


def test_map_of_a_laser_probe_outlines_the_beam_disc(tmp_path):
    data = run_json("generic-laser-probe-808", "--distance", "0 cm", "--map", str(tmp_path / "m.png"))
    assert data["area_outline"]["shape"] == "disc"


def test_a_sauna_dome_has_no_irradiance_map(tmp_path):
    result = runner.invoke(app, ["irradiance", "generic-infrared-sauna-dome", "--map", str(tmp_path / "m.png")])
    assert result.exit_code != 0 and "heat, not light" in (result.output + str(result.exception))
