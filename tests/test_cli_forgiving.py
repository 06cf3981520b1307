"""A forgiving command line (issue 15, item 6): --version, "did you mean", minutes as people type them, one
skin-type parser, messages naming the option typed, the Monte Carlo depth table, and refusals in under a second."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from photodose.cli import app


def _run(argv):
    result = CliRunner().invoke(app, argv)
    return result.exit_code, result.stdout, result.stderr


def test_version_flag_prints_the_version():
    from photodose import __version__

    code, out, _ = _run(["--version"])
    assert code == 0 and out.strip() == f"photodose {__version__}"


@pytest.mark.parametrize("argv,option,suggestion", [
    (["plan", "--device", "joov-solo-3", "--condition", "knee-osteoarthritis"], "--device", "joovv-solo-3"),
    (["plan", "--device", "joovv-solo-3", "--condition", "knee-osteoarthrits"], "--condition", "knee-osteoarthritis"),
    (["plan", "--device", "joovv-solo-3", "--condition", "knee-osteoarthritis", "--site", "kne"], "--site", "knee"),
    (["safety", "device", "generic-laser-probe-808", "--distance", "10 cm", "--site", "forhead"], "--site",
     "forehead"),
    (["optics", "dermiss", "--nm", "850"], "TISSUE", "dermis"),
    (["stack", "knee", "--nm", "850", "--tissue", "fat=subcutaneous_fatt"], "--tissue subcutaneous_fat",
     "subcutaneous_fat"),
    (["irradiance", "generic-panel-660-85"], "DEVICE", "generic-panel-660-850"),
    (["stack", "kneee", "--nm", "850"], "SITE", "knee"),
    (["plan", "--device", "joovv-solo-3", "--condition", "knee-osteoarthritis", "--thickness", "fatt=8"],
     "--thickness", "subcutaneous_fat"),
    (["calibrate", "joov-go-2", "--reading", "15 cm=62 mW/cm2"], "DEVICE", "joovv-go-2"),
])
def test_typos_get_one_line_naming_the_option_and_the_closest_name(argv, option, suggestion):
    code, _, err = _run(argv)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"error: {option}=") and f"did you mean '{suggestion}'?" in err, err


@pytest.mark.parametrize("typed", ["4", "IV", "iv", "type 4"])
def test_profile_add_takes_the_skin_type_as_plan_does(tmp_path, typed):
    code, out, err = _run(["profile", "add", "ana", "--skin-type", typed, "--db", str(tmp_path / "j.sqlite"),
                           "--json"])
    assert code == 0, err
    assert '"skin_phototype": "IV"' in out


def test_minutes_are_typed_with_or_without_a_unit_and_named_when_wrong():
    code, out, _ = _run(["safety", "device", "generic-laser-probe-808", "--distance", "10 cm", "--minutes", "1 h",
                         "--json"])
    assert code == 0 and '"session_seconds": 3600.0' in out
    code, _, err = _run(["safety", "device", "generic-laser-probe-808", "--distance", "10 cm", "--minutes", "2000 h"])
    assert code == 2 and err.startswith("error: --minutes='2000 h'") and "1 s to 500 min" in err


def test_the_catalog_files_are_named_by_their_device_ids():
    """The quick refusal (cli/_early.py) reads names from file names: each built-in file is <id>.yaml."""
    from photodose.devices.catalog import CATALOG_DIR, list_devices

    builtin = [d for d in list_devices() if d.file.startswith(str(CATALOG_DIR))]
    assert builtin and all(Path(d.file).stem == d.id for d in builtin)


def test_mc_depth_profile_prints_the_table_and_writes_every_bin_as_csv(tmp_path):
    csv_path = tmp_path / "phi.csv"
    code, out, err = _run(["mc", "tests/data/sample.mci", "--photons", "2000", "--csv", str(csv_path)])
    assert code == 0, err
    assert "fluence per unit irradiance at depth" in out and "depth mm" in out
    rows = csv_path.read_text().splitlines()
    assert rows[0] == "run,depth_mm,fluence_per_irradiance"
    depths = [float(r.split(",")[1]) for r in rows[1:] if r.startswith("1,")]
    assert depths[:3] == [0.005, 0.015, 0.025]  # bin centres on the 0.01 mm grid, not 0.015000000000000001


def test_a_typo_is_refused_in_under_a_second():
    """The time a person waits: a fresh process, from start to the one line (median of three)."""
    argv = [sys.executable, "-m", "photodose", "plan", "--device", "joov-solo-3", "--condition", "knee-osteoarthritis"]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        times.append(time.perf_counter() - start)
        assert done.returncode == 2 and "did you mean 'joovv-solo-3'?" in done.stderr
    assert sorted(times)[1] < 1.0, times
