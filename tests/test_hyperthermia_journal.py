"""Hyperthermia sessions in the journal: logged with warnings past a heat limit, shown in progress beside light
sessions, kept through export and import (JSON and CSV), refused for light devices."""

import json

from typer.testing import CliRunner

from photodose.cli import app

runner = CliRunner()
DOME = "generic-infrared-sauna-dome"


def run(*args):
    result = runner.invoke(app, [*args])
    assert result.exit_code == 0, result.output
    return result


def test_heat_session_logged_warned_in_progress_and_through_export(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))
    db = str(tmp_path / "j.sqlite")
    run("profile", "add", "ann", "--db", db)
    run("log", "session", "--site", "knee", "--device", "generic-panel-660-850", "--distance", "15 cm",
        "--minutes", "10", "--db", db)
    ok = json.loads(run("log", "heat", "--device", DOME, "--minutes", "82", "--core", "38.6", "--to-target", "80",
                        "--db", db, "--json").stdout)
    assert ok["warnings"] == [] and ok["air_temperature_c"] == 59.3 and ok["core_temperature_c"] == 38.6
    hot = json.loads(run("log", "heat", "--device", DOME, "--minutes", "120", "--core", "39.2", "--db", db,
                         "--json").stdout)
    assert len(hot["warnings"]) == 2 and "39" in hot["warnings"][0] and "110" in hot["warnings"][1]
    progress = json.loads(run("progress", "--db", db, "--json").stdout)
    assert progress["heat"]["n_sessions"] == 2 and progress["heat"]["highest_core_c"] == 39.2
    assert "knee" in progress["dose_by_site"]  # both kinds of session
    for fmt, name in (("json", "a.json"), ("csv", "a.zip")):
        run("export", str(tmp_path / name), "--profile", "ann", "--db", db, "--format", fmt)
        run("import", str(tmp_path / name), "--as", f"ann-{fmt}", "--db", db)
        again = json.loads(run("progress", "--profile", f"ann-{fmt}", "--db", db, "--json").stdout)
        assert again["heat"]["n_sessions"] == 2 and again["heat"]["highest_core_c"] == 39.2


def test_heat_log_refuses_a_light_device_and_impossible_values(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))
    db = str(tmp_path / "j.sqlite")
    run("profile", "add", "ann", "--db", db)
    light = runner.invoke(app, ["log", "heat", "--device", "generic-panel-660-850", "--minutes", "30", "--db", db])
    assert light.exit_code != 0 and "sauna dome" in light.output and "Traceback" not in light.output
    bad = runner.invoke(app, ["log", "heat", "--device", DOME, "--minutes", "30", "--core", "55", "--db", db])
    assert bad.exit_code != 0 and "core" in bad.output
