"""MCML .mco writer and reader: MCML 1.2's layout, and a write -> read round trip at MCML's precision."""

from pathlib import Path

import numpy as np
import pytest

from photodose.transport.beams import Beam, Incidence
from photodose.optics.layers import LayerStack
from photodose.transport.mci import read_mci
from photodose.transport.mco import format_mco, parse_mco, read_mco, write_mco
from photodose.transport.montecarlo import run_mc
from photodose.transport.result import Grid, MCResult

SAMPLE = Path(__file__).parent / "data" / "sample.mci"


def _random_result(stack: LayerStack, grid: Grid, seed: int = 0) -> MCResult:
    rng = np.random.default_rng(seed)
    nr, nz, na = grid.nr, grid.nz, grid.na
    layers = rng.random(len(stack.layers)) * 0.1
    return MCResult(
        stack=stack, beam=Beam(), incidence=Incidence(), grid=grid, photons=12345, seed=7, batches=16, seconds=3.2,
        specular=0.0277778, diffuse_reflectance=rng.random(), absorbed=float(layers.sum()),
        transmittance=rng.random() * 0.1, layer_absorbed=layers, roulette_net_weight=0.0, stderr={},
        absorbed_z_per_cm=rng.lognormal(size=nz), absorbed_rz_per_cm3=rng.lognormal(size=(nr, nz)) * 1e3,
        rd_r_per_cm2=rng.lognormal(size=nr), tt_r_per_cm2=rng.lognormal(size=nr) * 1e-4,
        rd_a_per_sr=rng.lognormal(size=na), tt_a_per_sr=rng.lognormal(size=na),
        rd_ra=rng.lognormal(size=(nr, na)), tt_ra=rng.lognormal(size=(nr, na)) * 1e-7)


def test_round_trip_keeps_rat_layers_and_arrays_to_mcml_precision(tmp_path):
    run = read_mci(SAMPLE)[1]
    result = _random_result(run.stack, run.grid)
    back = read_mco(write_mco(tmp_path / "skin.mco", result))
    assert back.photons == result.photons and back.grid == run.grid and back.output_file == "skin.mco"
    assert [l.model_dump(exclude={"name"}) for l in back.stack.layers] == \
           [l.model_dump(exclude={"name"}) for l in run.stack.layers]
    for key in ("specular", "diffuse_reflectance", "absorbed", "transmittance"):   # %-14.6G
        assert getattr(back, key) == pytest.approx(getattr(result, key), rel=5e-6)
    np.testing.assert_allclose(back.layer_absorbed, result.layer_absorbed, rtol=5e-4)   # %12.4G
    for key in ("absorbed_z_per_cm", "rd_r_per_cm2", "rd_a_per_sr", "tt_r_per_cm2", "tt_a_per_sr",
                "absorbed_rz_per_cm3", "rd_ra", "tt_ra"):                          # %12.4E
        np.testing.assert_allclose(getattr(back, key), getattr(result, key), rtol=5e-5, err_msg=key)


def test_layout_follows_mcml_write_result():
    run = read_mci(SAMPLE)[0]
    grid = Grid(dz_mm=0.01, nz=7, dr_mm=0.1, nr=3, na=4)
    text = format_mco(_random_result(run.stack, grid), "vdhulst.mco")
    lines = text.splitlines()
    assert lines[0] == "A1 \t# Version number of the file format."
    tags = [line.split()[0] for line in lines if line and line.split()[0] in
            ("InParm", "RAT", "A_l", "A_z", "Rd_r", "Rd_a", "Tt_r", "Tt_a", "A_rz", "Rd_ra", "Tt_ra")]
    assert tags == ["InParm", "RAT", "A_l", "A_z", "Rd_r", "Rd_a", "Tt_r", "Tt_a", "A_rz", "Rd_ra", "Tt_ra"]
    assert "0.001\t0.01\t\t# dz, dr [cm]" in lines             # the input echo is in cm
    assert "1\t10\t90\t0.75\t0.02\t# layer 1" in lines
    rat = lines[lines.index("RAT #Reflectance, absorption, transmission. ") + 1:][:4]
    assert [line.split("#")[1] for line in rat] == ["Specular reflectance [-]", "Diffuse reflectance [-]",
                                                    "Absorbed fraction [-]", "Transmittance [-]"]
    a_rz = lines.index("A_rz")
    block = lines[a_rz + 1:a_rz + 1 + 5]                       # 3 x 7 = 21 numbers, five per line
    assert [len(line.split()) for line in block] == [5, 5, 5, 5, 1]


def test_untallied_arrays_are_zeros_and_semi_infinite_layer_round_trips():
    stack = LayerStack.from_json_dict({"layers": [{"n": 1.4, "mua_per_cm": 0.2, "mus_per_cm": 100, "g": 0.9,
                                                   "thickness_mm": None}]})
    grid = Grid(dz_mm=0.1, nz=5, dr_mm=0.1, nr=2, na=3)
    result = _random_result(stack, grid)
    result.absorbed_rz_per_cm3 = result.rd_r_per_cm2 = result.rd_ra = None
    text = format_mco(result)
    assert "# Not tallied by this run, written as zeros: Rd_r, A_rz, Rd_ra" in text
    back = parse_mco(text)
    assert back.stack.semi_infinite
    assert not back.absorbed_rz_per_cm3.any() and not back.rd_r_per_cm2.any() and back.tt_ra.all()


def test_monte_carlo_result_round_trips(tmp_path):
    run = read_mci(SAMPLE)[0]
    result = run_mc(run.stack, 2000, seed=3, grid=run.grid)
    back = read_mco(write_mco(tmp_path / "mc.mco", result))
    assert back.diffuse_reflectance == pytest.approx(result.diffuse_reflectance, rel=5e-6)
    assert back.transmittance == pytest.approx(result.transmittance, rel=5e-6)
    np.testing.assert_allclose(back.absorbed_rz_per_cm3, result.absorbed_rz_per_cm3, rtol=5e-5)
    # MCML's own consistency: A_z is A_rz integrated over rings (2 pi r dr), in 1/cm
    r_cm = (np.arange(run.grid.nr) + 0.5) * run.grid.dr_mm / 10
    ring_cm2 = 2 * np.pi * r_cm * run.grid.dr_mm / 10
    np.testing.assert_allclose(ring_cm2 @ back.absorbed_rz_per_cm3, back.absorbed_z_per_cm, rtol=2e-4)
