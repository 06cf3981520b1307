"""``photodose mc`` and ``photodose fast``: the JSON contract of the issue, .mco output, errors naming
file/line/field."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.transport.mco import read_mco

DATA = Path(__file__).parent / "data"
SUMMARY_KEYS = {"specular", "diffuse_reflectance", "absorbed", "transmittance", "layer_absorbed", "stderr",
                "photons", "seconds", "photons_per_second"}
STDERR_KEYS = {"diffuse_reflectance", "absorbed", "transmittance", "layer_absorbed"}
runner = CliRunner()


def _json(args: list[str]):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_multi_run_mci_prints_a_list_and_writes_one_mco_per_run(tmp_path):
    out = tmp_path / "result.mco"
    data = _json(["mc", str(DATA / "sample.mci"), "--photons", "2e3", "--seed", "5", "--out", str(out), "--json"])
    assert isinstance(data, list) and len(data) == 2
    for item, layers in zip(data, (1, 3)):
        assert SUMMARY_KEYS <= set(item) and STDERR_KEYS <= set(item["stderr"])
        assert item["photons"] == 2000 and len(item["layer_absorbed"]) == layers
        assert len(item["stderr"]["layer_absorbed"]) == layers
        total = item["specular"] + item["diffuse_reflectance"] + item["absorbed"] + item["transmittance"]
        assert total == pytest.approx(1.0 + item["roulette_net_weight"], abs=1e-9)
    mco = read_mco(tmp_path / "result_2.mco")
    assert mco.diffuse_reflectance == pytest.approx(data[1]["diffuse_reflectance"], rel=5e-6)
    assert (tmp_path / "result_1.mco").exists()


def test_out_folder_takes_the_mci_output_names(tmp_path):
    _json(["mc", str(DATA / "sample.mci"), "--photons", "500", "--out", str(tmp_path), "--json"])
    assert read_mco(tmp_path / "vdhulst.mco").photons == 500
    assert len(read_mco(tmp_path / "skin850.mco").layer_absorbed) == 3


def test_json_stack_input_prints_one_object_with_depth_profile():
    # the fixture is `photodose stack`-style JSON: the layers format plus extra keys
    data = _json(["mc", str(DATA / "forearm_850nm.json"), "--photons", "1000", "--beam", "wide",
                  "--depth-profile", "--json"])
    assert isinstance(data, dict) and SUMMARY_KEYS <= set(data) and data["beam"] == "wide"
    assert len(data["depth_mm"]) == len(data["fluence_per_irradiance"]) == 200
    assert data["fluence_per_irradiance"][0] > 1.0     # back-scatter raises phi above the incident 1


def test_mci_photon_count_is_used_without_photons_option(tmp_path):
    text = (DATA / "sample.mci").read_text().replace("1000000                     # number", "300   # number")
    path = tmp_path / "small.mci"
    path.write_text(text.replace("2                           # number of runs", "1").split("#### run 2")[0])
    data = _json(["mc", str(path), "--json"])
    assert isinstance(data, dict) and data["photons"] == 300


def test_fast_prints_diffusion_profile():
    data = _json(["fast", str(DATA / "forearm_660nm.json"), "--depth-mm", "0:2:0.5", "--json"])
    assert data["depth_mm"] == [0.0, 0.5, 1.0, 1.5, 2.0] and data["method"] == "fast"
    assert all(v > 0 for v in data["fluence_per_irradiance"]) and "diffusion" in data["validity"]
    assert data["stderr"] is None  # a deterministic model has no statistical uncertainty


@pytest.mark.slow  # a real process (a few seconds); CI runs it, `pytest -m "not slow"` skips it
@pytest.mark.parametrize("args, message", [
    (["--photons", "1.5"], "photons='1.5'"),
    (["--beam", "flat"], "beam='flat'"),
    (["--incidence", "cone:120"], "incidence='cone:120'"),
    (["--kernel", "simdd"], "--kernel='simdd' is not allowed; did you mean 'simd'?"),
    (["--kernel", "gpu"], "--kernel='gpu' is not allowed; simd, scalar or auto (no CUDA GPU was found"),
])
def test_bad_options_exit_2_naming_the_field(args, message):
    proc = subprocess.run([sys.executable, "-m", "photodose", "mc", str(DATA / "sample.mci"), *args, "--json"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_kernel_option_picks_the_walk_and_says_which():
    runs = {k: _json(["mc", str(DATA / "skin7_600nm.json"), "--photons", "3e3", "--kernel", k, "--json"])
            for k in ("simd", "scalar")}
    assert {k: r["kernel"] for k, r in runs.items()} == {"simd": "simd", "scalar": "scalar"}
    assert runs["simd"]["diffuse_reflectance"] != runs["scalar"]["diffuse_reflectance"]   # two random walks
    assert _json(["mc", str(DATA / "skin7_600nm.json"), "--photons", "3e3", "--json"])["kernel"] == "simd"


def test_malformed_mci_exits_2_naming_file_line_and_field(tmp_path):
    path = tmp_path / "neg.mci"
    path.write_text((DATA / "sample.mci").read_text().replace("1.4     0.4     200", "1.4     -0.4    200"))
    proc = subprocess.run([sys.executable, "-m", "photodose", "mc", str(path), "--photons", "10", "--json"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "neg.mci: line 34: mua=-0.4" in proc.stderr.replace("\n", "")


def test_bad_json_layer_exits_2_naming_the_field(tmp_path):
    stack = json.loads((DATA / "forearm_850nm.json").read_text())
    stack["layers"][1]["g"] = 1.5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(stack))
    proc = subprocess.run([sys.executable, "-m", "photodose", "fast", str(path), "--json"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "bad.json" in proc.stderr and "layers.1.g" in proc.stderr


@pytest.mark.parametrize("depths", ["0:1e9:1", "0:10:1e-9", "-1,2", "nan", ""])
def test_fast_refuses_depth_grids_that_are_negative_huge_or_endless(depths):
    from photodose.cli.cmd_transport import parse_depths_mm
    from photodose.errors import PhotodoseInputError

    with pytest.raises(PhotodoseInputError, match=r"\[0, 1000\] mm"):
        parse_depths_mm(depths)
