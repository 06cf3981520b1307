"""IEC 62471 risk groups: infrared-eye boundaries, consistency with the exposure limit, synthetic devices."""

import pytest

from photodose.safety import risk_group as rg
from photodose.safety.gate import Channel, SafetyContext, evaluate_exposure


@pytest.mark.parametrize("e_w_m2, group", [(0.0, "exempt"), (100.0, "exempt"), (100.1, "RG1"), (570.0, "RG1"),
                                           (570.1, "RG2"), (3200.0, "RG2"), (3200.1, "RG3"), (1e5, "RG3")])
def test_infrared_eye_group_boundaries(e_w_m2, group):
    assert rg.infrared_eye_group(e_w_m2).group == group


def test_group_limits_are_the_exposure_limit_at_their_time_bases():
    # E_IR <= 18000 t^-0.75 W/m2 (t <= 1000 s), 100 W/m2 beyond (pbm_facts.md section 5)
    rows = {r["group"]: r for r in rg._data()["infrared_eye"]["groups"]}
    assert rows["exempt"]["limit"] == 100.0 and rows["exempt"]["time_base_s"] == 1000.0
    for name in ("RG1", "RG2"):
        assert rows[name]["limit"] == pytest.approx(18000 * rows[name]["time_base_s"] ** -0.75, rel=2e-3)


def _nir(mw_cm2, **kw):
    base = dict(channels=[Channel(wavelength_nm=850, irradiance_mw_cm2=mw_cm2)], source_diameter_mm=300,
                distance_mm=150, session_seconds=600)
    base.update(kw)
    return SafetyContext(**base)


@pytest.mark.parametrize("mw_cm2, group", [(5, "exempt"), (10, "exempt"), (30, "RG1"), (100, "RG2"), (400, "RG3")])
def test_synthetic_nir_panels(mw_cm2, group):
    report = evaluate_exposure(_nir(mw_cm2))
    assert report.risk_groups["infrared_eye"] == group
    assert report.risk_groups["retinal_thermal"] == "exempt"  # large source: far below 6000 / alpha
    assert report.risk_group == group


def test_red_only_panel_is_exempt_and_lasers_have_no_group():
    red = evaluate_exposure(_nir(50, channels=[Channel(wavelength_nm=660, irradiance_mw_cm2=50)]))
    # visible channels count for the retinal thermal hazard (R(lambda) over 380-1400 nm, IEC 62471 4.3.5)
    assert red.risk_group == "exempt" and red.risk_groups == {"infrared_eye": "exempt", "retinal_thermal": "exempt",
                                                              "blue_light": "exempt"}
    laser = evaluate_exposure(_nir(50, is_laser=True, goggles=True))
    assert laser.risk_group is None and laser.risk_groups == {}


def test_small_nir_source_is_not_exempt_for_retinal_thermal_and_says_so():
    # 0.2 mm emitter at 10 mm, 30 mW/cm2 at 850 nm: L_IR = 0.5 x 300 / (pi sin^2(0.01)) = 4.8e5 > 6000 / 0.02
    report = evaluate_exposure(_nir(30, source_diameter_mm=0.2, distance_mm=10))
    assert report.risk_groups == {"infrared_eye": "RG1", "retinal_thermal": "not exempt"}
    assert report.risk_group == "at least RG1 (retinal_thermal: not exempt, RG1-RG3 limits not sourced)"


def test_small_red_source_is_judged_on_the_visible_retinal_thermal_limit():
    # 0.2 mm red emitter at 10 mm, 30 mW/cm2 at 660 nm: L = 300 / (pi sin^2(0.01)) = 9.5e5 W m-2 sr-1, bright
    # (far above 10 cd/m2): L_R against 28117 / alpha with alpha = 0.02 rad -> 1.4e6: exempt; at 100 mW/cm2 not.
    def red(mw_cm2):
        return _nir(mw_cm2, channels=[Channel(wavelength_nm=660, irradiance_mw_cm2=mw_cm2)], source_diameter_mm=0.2,
                    distance_mm=10)

    assert evaluate_exposure(red(30)).risk_groups["retinal_thermal"] == "exempt"
    assert evaluate_exposure(red(100)).risk_groups["retinal_thermal"] == "not exempt"


def test_unknown_source_size_leaves_retinal_hazards_unassessed():
    report = evaluate_exposure(_nir(5, source_diameter_mm=None))
    assert report.risk_groups["retinal_thermal"] == "not assessed"
    assert report.risk_group == "exempt (retinal_thermal: not assessed, source size unknown)"


def test_reference_distance_is_200_mm():
    assert rg.reference_distance_mm() == 200.0
