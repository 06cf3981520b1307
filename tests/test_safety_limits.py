"""Limit formulas at known points: IEC 62471:2006 4.3.5-4.3.7, ICNIRP 2013, Directive 2006/25/EC, ANSI Z136.1."""

import math

import pytest

from photodose.safety import eye_limits as eye
from photodose.safety import skin_limits as skin


def test_ir_eye_limit_long_and_short_branches():
    assert eye.ir_eye_limit_w_m2(1001.0) == 100.0
    assert eye.ir_eye_limit_w_m2(8 * 3600.0) == 100.0
    assert eye.ir_eye_limit_w_m2(1.0) == pytest.approx(18000.0)
    assert eye.ir_eye_limit_w_m2(16.0) == pytest.approx(18000.0 / 8.0)  # 16^0.75 = 8


def test_ir_eye_branches_do_not_meet_exactly_at_1000_s():
    # 18000 * 1000^-0.75 = 101.2 W/m2 against 100 W/m2 just after: the standard's step, kept as written.
    assert eye.ir_eye_limit_w_m2(1000.0) == pytest.approx(101.22, abs=0.01)
    assert eye.ir_eye_limit_w_m2(1000.0 + 1e-9) == 100.0


def test_ir_eye_allowed_time_is_the_inverse_of_the_limit():
    for t in (0.5, 3.0, 60.0, 500.0, 999.0):
        assert eye.ir_eye_allowed_time_s(eye.ir_eye_limit_w_m2(t)) == pytest.approx(t, rel=1e-9)


def test_about_10_mw_cm2_of_nir_allows_1000_s_or_more():
    assert eye.ir_eye_allowed_time_s(100.0) == math.inf  # 10 mW/cm2: no limit at any duration
    assert eye.ir_eye_allowed_time_s(101.0) == pytest.approx(1000.0)  # 10.1 mW/cm2: capped at 1000 s
    assert eye.ir_eye_allowed_time_s(101.3) == pytest.approx(1000.0, rel=0.002)
    # a 100 mW/cm2 NIR panel: (18000/1000)^(4/3) = 47 s
    assert eye.ir_eye_allowed_time_s(1000.0) == pytest.approx(18.0 ** (4 / 3))


@pytest.mark.parametrize("nm, weight", [(600, 1.0), (700, 1.0), (1050, 10 ** (-0.7)), (1100, 0.2),
                                        (1200, 0.02), (1300, 0.02), (1500, 0.0)])
def test_burn_hazard_function(nm, weight):
    assert eye.burn_hazard_weight(nm) == pytest.approx(weight, rel=1e-9)


def test_burn_hazard_function_is_continuous_at_1150_and_1200_nm():
    assert eye.burn_hazard_weight(1150.0001) == pytest.approx(eye.burn_hazard_weight(1150.0), rel=1e-4)
    assert eye.burn_hazard_weight(1199.9999) == pytest.approx(eye.burn_hazard_weight(1200.0001), rel=1e-4)


def test_disc_radiance_reproduces_the_disc_irradiance_formula():
    # E = pi L R^2/(R^2 + d^2): a 300 mm panel at 150 mm giving 1000 W/m2 has L = 2000/pi.
    alpha = eye.disc_angular_subtense_rad(300.0, 150.0)
    assert eye.disc_radiance_w_m2_sr(1000.0, alpha) == pytest.approx(2000.0 / math.pi)
    assert eye.disc_angular_subtense_rad(10.0, 0.0) == pytest.approx(math.pi)
    assert eye.disc_angular_subtense_rad(300.0, 150.0) == pytest.approx(math.pi / 2)
    assert eye.retinal_thermal_weak_stimulus_limit_w_m2_sr(0.1) == pytest.approx(60000.0)


# IEC 62471:2006 4.3.5 / 4.3.6, written out again from Directive 2006/25/EC Annex I Table 1.1 (C_alpha in mrad):
# g: 2.8e7 / C_alpha (t > 10 s), h: 5e7 / (C_alpha t^0.25), C_alpha = 1.7 below 1.7 mrad, 100 above 100 mrad;
# j: 6e6 / C_alpha (t > 10 s), k: 5e7 / (C_alpha t^0.25), C_alpha = 11 below 11 mrad, 100 above 100 mrad.
@pytest.mark.parametrize("alpha_mrad, c_alpha", [(0.5, 1.7), (1.7, 1.7), (20.0, 20.0), (100.0, 100.0), (650.0, 100.0)])
def test_retinal_thermal_limit_with_alpha_within_the_standards_bounds(alpha_mrad, c_alpha):
    alpha = alpha_mrad / 1000
    assert eye.retinal_thermal_limit_w_m2_sr(alpha, 1.0) == pytest.approx(5e7 / c_alpha)
    assert eye.retinal_thermal_limit_w_m2_sr(alpha, 10.0) == pytest.approx(5e7 / (c_alpha * 10 ** 0.25))
    # beyond the standard's 10 s assessment time the 10 s value holds: 2.8e7 / C_alpha within 0.5 %
    assert eye.retinal_thermal_limit_w_m2_sr(alpha, 600.0) == pytest.approx(2.8e7 / c_alpha, rel=5e-3)


@pytest.mark.parametrize("alpha_mrad, c_alpha", [(1.0, 11.0), (11.0, 11.0), (50.0, 50.0), (100.0, 100.0),
                                                 (3000.0, 100.0)])
def test_weak_stimulus_limit_with_alpha_within_the_standards_bounds(alpha_mrad, c_alpha):
    alpha = alpha_mrad / 1000
    assert eye.retinal_thermal_weak_stimulus_limit_w_m2_sr(alpha, 600.0) == pytest.approx(6e6 / c_alpha)
    assert eye.retinal_thermal_weak_stimulus_limit_w_m2_sr(alpha, 2.0) == pytest.approx(5e7 / (c_alpha * 2 ** 0.25))


# IEC 62471:2006 Table 4.2, R(lambda) 380-500 nm, as transcribed from EN 62471 in ISETCam (s_safetyHazardFunctions.m)
R_380_500 = {380: 0.1, 385: 0.13, 390: 0.25, 395: 0.5, 400: 1.0, 405: 2.0, 410: 4.0, 415: 8.0, 420: 9.0, 425: 9.5,
             430: 9.8, 435: 10.0, 440: 10.0, 445: 9.7, 450: 9.4, 455: 9.0, 460: 8.0, 465: 7.0, 470: 6.2, 475: 5.5,
             480: 4.5, 485: 4.0, 490: 2.2, 495: 1.6, 500: 1.0}


@pytest.mark.parametrize("nm", sorted(R_380_500))
def test_burn_hazard_function_380_500_nm_is_the_standards_table_and_ten_times_b(nm):
    from photodose.safety.blue_light import blue_light_weight

    assert eye.burn_hazard_weight(nm) == pytest.approx(R_380_500[nm], rel=1e-9)
    if nm < 500:  # the standard defines R = 10 B here: B from a different transcription (luxpy)
        assert eye.burn_hazard_weight(nm) == pytest.approx(10 * blue_light_weight(nm), rel=1e-6)


def test_burn_hazard_function_is_zero_outside_380_1400_nm():
    assert eye.burn_hazard_weight(379.9) == 0.0 and eye.burn_hazard_weight(1400.1) == 0.0


def test_skin_thermal_limit_only_up_to_10_s():
    assert skin.skin_thermal_limit_j_m2(1.0) == pytest.approx(20000.0)
    assert skin.skin_thermal_limit_j_m2(10.0) == pytest.approx(20000.0 * 10 ** 0.25)
    with pytest.raises(ValueError):
        skin.skin_thermal_limit_j_m2(11.0)


@pytest.mark.parametrize("nm, mw_cm2", [(630, 200), (670, 200), (810, 332), (830, 364), (850, 399)])
def test_laser_skin_mpe_cw_values_from_pbm_facts(nm, mw_cm2):
    assert skin.laser_skin_mpe_mw_cm2(nm, 600.0) == pytest.approx(mw_cm2, rel=0.005)


def test_laser_skin_mpe_short_pulses_and_ca_plateau():
    assert skin.correction_ca(1100.0) == 5.0
    assert skin.laser_skin_mpe_short_j_cm2(810.0, 1.0) == pytest.approx(1.1 * 10 ** 0.22)
    # at 1 s the mean irradiance allowed is 1.1 C_A W/cm2
    assert skin.laser_skin_mpe_mw_cm2(810.0, 1.0) == pytest.approx(1100.0 * 10 ** 0.22)
    with pytest.raises(ValueError):
        skin.laser_skin_mpe_mw_cm2(810.0, 4e4)
    with pytest.raises(ValueError):
        skin.correction_ca(1500.0)


def test_blue_light_dose_limit():
    assert eye.blue_light_radiance_dose_limit_j_m2_sr(100.0) == 1e6
    assert eye.blue_light_radiance_dose_limit_j_m2_sr(2e4) == pytest.approx(2e6)
