"""Tissue-preset choices in planning: they reach the dose, keep their own cache, and the fat-preset sensitivity."""

import json

import numpy as np
import pytest

from photodose.cli import main
from photodose.optics import body_stack, tissue_properties
from photodose.dosimetry.depth_model import DepthModel
from plan_json import plan
from photodose.planning.request import PlanRequest
from photodose.dosimetry.session_dose import TissueModel, compute_session_dose
from photodose.dosimetry.tissue import _phi, fluence_per_irradiance, model_notes
from photodose.transport.depth_dose import fluence_per_irradiance as transport_phi

PANEL = "generic-panel-660-850"
BASHKATOV = {"subcutaneous_fat": "subcutaneous_fat_bashkatov"}
FAT_PRESETS = ("subcutaneous_fat", "subcutaneous_fat_bashkatov", "subcutaneous_fat_cassano2019")
# thigh: epidermis 0.1 + dermis 1.5 + fat (here 5 mm) over muscle (sites.yaml): the protocol's 10 mm target lies in
# the muscle, below the fat (it plans on the skin window, so a tissue choice leaves the session unchanged)
THIGH = dict(device=PANEL, condition="muscle-recovery-thighs-glutes", distance_mm=150.0, safety={"goggles": True},
             thickness_mm={"subcutaneous_fat": 5.0})
FAT_BOTTOM_MM = 0.1 + 1.5 + 5.0


pytestmark = pytest.mark.usefixtures("private_planning_cache")


def _fat_rows(doc: dict) -> dict:
    return {r["tissue"]: r for r in doc["target"]["sensitivity"]["subcutaneous_fat_preset"]["by_preset"]}


def test_bashkatov_fat_gives_less_target_dose_below_the_fat_at_the_same_session():
    default, bashkatov = plan(PlanRequest(**THIGH)), plan(PlanRequest(**THIGH, tissue=BASHKATOV))
    assert default["target"]["depth_mm"] > FAT_BOTTOM_MM
    assert bashkatov["session_seconds"] == default["session_seconds"]  # planned on the skin window: same session
    assert bashkatov["surface"]["fluence_j_cm2"] == pytest.approx(default["surface"]["fluence_j_cm2"])
    # 1.08 vs 0.03 /cm
    assert bashkatov["target"]["fluence_j_cm2_nominal"] < 0.1 * default["target"]["fluence_j_cm2_nominal"]
    assert bashkatov["tissue_presets"] == BASHKATOV and default["tissue_presets"] == {}
    assert any("subcutaneous_fat = subcutaneous_fat_bashkatov" in r and "instead of the site's subcutaneous_fat" in r
               for r in bashkatov["reasons"])
    assert not any("tissue presets chosen" in r for r in default["reasons"])


def test_fat_sensitivity_brackets_by_fat_absorption_and_matches_the_plans():
    default = plan(PlanRequest(**THIGH))
    rows = _fat_rows(default)
    assert set(rows) == set(FAT_PRESETS)
    mua = {p: tissue_properties(p, 850).mua_per_cm for p in FAT_PRESETS}
    assert mua["subcutaneous_fat_bashkatov"] > mua["subcutaneous_fat"] > mua["subcutaneous_fat_cassano2019"]
    dose = {p: rows[p]["fluence_j_cm2"] for p in FAT_PRESETS}
    assert dose["subcutaneous_fat_bashkatov"] < dose["subcutaneous_fat"] < dose["subcutaneous_fat_cassano2019"]
    # each row is the plan that the preset gives for this same session
    assert dose["subcutaneous_fat"] == pytest.approx(default["target"]["fluence_j_cm2_nominal"], rel=1e-9)
    swapped = plan(PlanRequest(**THIGH, tissue=BASHKATOV))
    assert dose["subcutaneous_fat_bashkatov"] == pytest.approx(swapped["target"]["fluence_j_cm2_nominal"], rel=1e-9)
    assert [r["used_by_plan"] for r in _fat_rows(swapped).values()] == [False, True, False]
    fat = default["target"]["sensitivity"]["subcutaneous_fat_preset"]
    assert fat["layers"] == ["subcutaneous_fat"]
    assert fat["spread_factor"] == pytest.approx(max(dose.values()) / min(dose.values()))


def test_fat_sensitivity_judges_each_preset_against_the_target_window():
    doc = plan(PlanRequest(device=PANEL, site="thigh", target_depth_mm=15.0, window_j_cm2=(0.5, 5.0),
                           safety={"goggles": True}))
    window = doc["windows"]["target"]
    assert {r["verdict"] for r in _fat_rows(doc).values()} != {"inside"}  # the preset changes the verdict
    for row in _fat_rows(doc).values():
        expected = ("below" if row["fluence_j_cm2"] < window["low_j_cm2"]
                    else "above" if row["fluence_j_cm2"] > window["high_j_cm2"] else "inside")
        assert row["verdict"] == expected


def test_no_fat_sensitivity_when_the_target_lies_above_the_fat():
    doc = plan(PlanRequest(device=PANEL, site="thigh", target_depth_mm=1.0, window_j_cm2=(1.0, 10.0),
                           safety={"goggles": True}))
    assert doc["target"]["sensitivity"] == {"subcutaneous_fat_preset": None}


def test_cached_phi_is_kept_apart_per_tissue_choice():
    depths_mm = (2.0, 8.0, 14.0)
    default = fluence_per_irradiance("thigh", 850, "III", depths_mm).copy()
    swapped = fluence_per_irradiance("thigh", 850, "III", depths_mm, tissue=BASHKATOV)
    again = fluence_per_irradiance("thigh", 850, "III", depths_mm)
    assert _phi.cache_info().currsize == 2 and _phi.cache_info().hits == 1
    np.testing.assert_array_equal(again, default)
    assert swapped[2] < 0.1 * default[2]  # below the fat
    for tissue, phi in ((None, default), (BASHKATOV, swapped)):  # each equals the transport stage on its own stack
        stack = body_stack("thigh", 850, "III", tissue=tissue)
        np.testing.assert_allclose(phi, transport_phi(stack, np.array(depths_mm), method="fast").fluence_per_irradiance)


def test_tissue_model_keeps_only_real_swaps_in_canonical_names():
    assert TissueModel("thigh", tissue={"fat": "fat_bashkatov"}).tissue == BASHKATOV
    assert TissueModel("thigh", tissue={"Subcutaneous Fat": "fat"}).tissue is None  # the site's own preset


def test_session_dose_takes_a_tissue_choice():
    default = compute_session_dose(PANEL, 150.0, 600.0, "thigh", target_depth_mm=15.0)
    swapped = compute_session_dose(PANEL, 150.0, 600.0, "thigh", target_depth_mm=15.0, tissue={"fat": "fat_bashkatov"})
    assert "tissue" not in default and swapped["tissue"] == BASHKATOV
    assert swapped["surface"] == default["surface"]
    assert swapped["target"]["fluence_j_cm2"] < 0.1 * default["target"]["fluence_j_cm2"]


def test_an_atlas_is_not_used_for_a_tissue_choice(tmp_path):
    model = DepthModel("atlas", atlas_dir=str(tmp_path / "unused"), photons=2_000)
    phi = fluence_per_irradiance("forearm", 850, "III", (1.0, 3.0), model=model, tissue={"fat": "fat_cassano2019"})
    assert np.all(phi > 0)
    notes = model_notes("forearm", "III", model)
    assert notes and "fat_cassano2019" in notes[0] and "Monte Carlo" in notes[0]


def test_cli_plan_tissue_option(capsys):
    with pytest.raises(SystemExit) as info:
        main(["plan", "--device", PANEL, "--condition", "muscle-recovery-thighs-glutes", "--distance", "15 cm",
              "--goggles", "--tissue", "fat=subcutaneous_fat_bashkatov", "--json"])
    assert info.value.code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["tissue_presets"] == BASHKATOV and _fat_rows(doc)["subcutaneous_fat_bashkatov"]["used_by_plan"]


@pytest.mark.parametrize("tissue,named", [("liver=dermis", "liver"), ("subcutaneous_fat=lard", "lard"),
                                          ("epidermis=dermis", "epidermis")])
def test_cli_plan_refuses_unknown_layer_or_preset(tissue, named, capsys):
    with pytest.raises(SystemExit) as info:
        main(["plan", "--device", PANEL, "--condition", "knee-osteoarthritis", "--tissue", tissue])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and named in err and "allowed" in err


def test_safety_heat_source_follows_the_tissue_choice():
    # the bioheat check's source term sum_k mua(z) phi(z) uses the chosen presets: Bashkatov's fat absorbs ~35x
    # more than the default, so the heat deposited inside the fat layer (thigh: 1.6-11.6 mm) rises
    from photodose.dosimetry.tissue import CURVE_DEPTHS_MM, absorbed_per_irradiance_per_cm
    from photodose.optics.emission import EmissionSpectrum

    spectrum = EmissionSpectrum.gaussian(850, 30)
    depths = np.asarray(CURVE_DEPTHS_MM)
    in_fat = (depths > 3.0) & (depths < 10.0)
    default = absorbed_per_irradiance_per_cm(spectrum, "thigh", "III", CURVE_DEPTHS_MM)
    bashkatov = absorbed_per_irradiance_per_cm(spectrum, "thigh", "III", CURVE_DEPTHS_MM,
                                               tissue={"subcutaneous_fat": "subcutaneous_fat_bashkatov"})
    assert bashkatov[in_fat][0] > 5 * default[in_fat][0]
    req = dict(device="generic-panel-660-850", condition="muscle-recovery-thighs-glutes", distance_mm=300.0)
    heat_default = next(c for c in plan(PlanRequest(**req))["safety"]["checks"] if c["name"] == "skin:heating")
    heat_bashkatov = next(c for c in plan(PlanRequest(**req, tissue={"subcutaneous_fat": "fat_bashkatov"}))
                          ["safety"]["checks"] if c["name"] == "skin:heating")
    assert heat_bashkatov["value"] != pytest.approx(heat_default["value"], rel=1e-6)
