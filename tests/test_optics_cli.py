"""CLI contract of optics/stack/tissues/sites/demo: JSON keys, round trip into LayerStack, exit code 2."""

import json

import pytest
from typer.testing import CliRunner

from photodose.cli import app, main
from photodose.optics import body_stack, tissue_properties
from photodose.optics.layers import LayerStack

OPTICS_KEYS = {"tissue", "wavelength_nm", "mua_per_cm", "mus_per_cm", "musp_per_cm", "g", "n"}
LAYER_KEYS = OPTICS_KEYS - {"tissue", "wavelength_nm"} | {"name", "thickness_mm"}


def run_json(args):
    result = CliRunner().invoke(app, args + ["--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_optics_json_contract():
    data = run_json(["optics", "epidermis", "--nm", "810", "--skin-type", "iii"])
    assert OPTICS_KEYS <= set(data)
    assert data["wavelength_nm"] == 810
    assert data["mua_per_cm"] == pytest.approx(tissue_properties("epidermis", 810, "III").mua_per_cm)


def test_stack_json_round_trips_into_layer_stack():
    data = run_json(["stack", "thigh", "--nm", "850", "--skin-type", "V", "--thickness", "subcutaneous_fat=15",
                     "--thickness", "dermis=0.2 cm"])
    assert {"site", "wavelength_nm", "skin_type", "n_above", "n_below", "layers"} <= set(data)
    assert all(LAYER_KEYS <= set(layer) for layer in data["layers"])
    stack = LayerStack.from_json_dict(data)
    assert stack == body_stack("thigh", 850, "V", {"subcutaneous_fat": 15, "dermis": 2.0})


def test_stack_tissue_choice_reaches_the_json():
    data = run_json(["stack", "lower_back", "--nm", "810", "--tissue", "subcutaneous_fat=subcutaneous_fat_bashkatov",
                     "--thickness", "fat=5"])
    fat = next(layer for layer in data["layers"] if layer["name"] == "subcutaneous_fat")
    assert fat["tissue"] == "subcutaneous_fat_bashkatov"
    assert fat["mua_per_cm"] == pytest.approx(tissue_properties("subcutaneous_fat_bashkatov", 810).mua_per_cm)
    assert LayerStack.from_json_dict(data) == body_stack("lower_back", 810, "III", {"subcutaneous_fat": 5.0},
                                                         {"subcutaneous_fat": "subcutaneous_fat_bashkatov"})
    assert all(layer["tissue_source"] == "site preset" for layer in data["layers"] if layer is not fat)


def test_listings():
    tissues = run_json(["tissues"])
    assert all(row["source"] for row in tissues)
    sites = run_json(["sites"])
    assert {"forehead", "foot"} <= {row["site"] for row in sites}




@pytest.mark.parametrize("args,named", [
    (["optics", "liver", "--nm", "810"], "liver"),
    (["optics", "dermis", "--nm", "1500"], "1500"),
    (["optics", "epidermis", "--nm", "810", "--skin-type", "VII"], "VII"),
    (["stack", "moon", "--nm", "850"], "moon"),
    (["stack", "forearm", "--nm", "300"], "300"),
    (["stack", "forearm", "--nm", "850", "--thickness", "dermis=-2"], "-2"),
    (["stack", "forearm", "--nm", "850", "--thickness", "liver=2"], "liver"),
    (["stack", "forearm", "--nm", "850", "--tissue", "liver=dermis"], "liver"),
    (["stack", "forearm", "--nm", "850", "--tissue", "fat=lard"], "lard"),
    (["stack", "forearm", "--nm", "850", "--tissue", "subcutaneous_fat"], "LAYER=PRESET"),
])
def test_bad_input_is_one_line_and_exit_2(args, named, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and named in err and "allowed" in err
