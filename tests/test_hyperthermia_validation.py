"""JOS-3 (pythermalcomfort) against measured rectal temperatures during passive whole-body heating.

Published values (abstracts; photodose/hyperthermia/data/validation.yaml):
- Mason et al. 2021: head outside an infrared sauna dome, 38.5 degC reached in 82.12 +/- 11.3 min (61-110), n=25.
  The generic dome's temperature is fitted to the mean, so the mean is a calibration; the spread is the check.
- Iguchi et al. 2012: 30 min seated at 73 degC, rectal +0.8 degC, n=25 (spread not stated).
- Mündel et al. 2006: 60 min in a 58 degC, 13 % RH sauna, core +0.25 degC (spread not stated), mean skin 36.5 +/- 0.1.
- Su et al. 2025: 60 min in a 71.1 degC dry sauna device, rectal 38.0 +/- 0.3 degC at the end, n=22.
JOS-3 over-predicts all three dry-heat cases (the safe side for a core-temperature ceiling); each disagreement is
held by a bias bound (its sign and size) and the agreement the issue asks for by a strict xfail.
- Willmott et al. 2023: a 44 degC / 99 % RH steam pod, outside JOS-3's validity: refused.
"""

import statistics

import pytest

from photodose.errors import PhotodoseInputError
from photodose.hyperthermia.core_model import Chamber, Person, simulate_core_temperature
from photodose.hyperthermia.validation import (DOME_COHORT, REFERENCE_PEOPLE, chamber_rise, datasets,
                                               dome_minutes_to_target, sauna_curves)


def test_mason2021_dome_calibration_reference_adults_within_one_sd_of_the_measured_mean():
    m = datasets()["mason2021_dome"]
    times = dome_minutes_to_target(REFERENCE_PEOPLE)
    assert all(t is not None for t in times)
    assert abs(statistics.mean(times) - m["minutes_to_38_5_mean"]) < 2.0  # the fit itself
    for t in times:  # each reference adult inside the measured mean +/- 1 SD
        assert abs(t - m["minutes_to_38_5_mean"]) <= m["minutes_to_38_5_sd"] + 2.0, times


@pytest.mark.slow
def test_mason2021_dome_spread_over_bodies_within_three_sd_and_of_the_measured_order():
    """Bodies at the corners of the trial's inclusion criteria (18-45 y, BMI <= 30, both sexes) reach 38.5 degC
    within the measured mean +/- 3 SD, and their spread is within a factor 2 of the measured SD."""
    m = datasets()["mason2021_dome"]
    times = dome_minutes_to_target(DOME_COHORT)
    assert all(t is not None for t in times), times
    low = m["minutes_to_38_5_mean"] - 3 * m["minutes_to_38_5_sd"]
    high = m["minutes_to_38_5_mean"] + 3 * m["minutes_to_38_5_sd"]
    assert low <= min(times) and max(times) <= high, times
    assert 0.5 * m["minutes_to_38_5_sd"] <= statistics.stdev(times) <= 2.0 * m["minutes_to_38_5_sd"], times


def test_iguchi2012_dry_chamber_rise_over_predicted_by_at_most_half_a_degree():
    """JOS-3 never under-predicts the measured +0.8 degC after 30 min at 73 degC over the cohort's size and the
    room's humidity, and over-predicts by at most 0.55 degC (the spread of the measurement is not stated: this is
    a bias bound, documented in core_model.VALIDITY)."""
    measured = datasets()["iguchi2012_chamber"]["rise_c"]
    rises = chamber_rise()
    assert min(rises) >= measured
    assert max(rises) <= measured + 0.55


@pytest.fixture(scope="module")
def mundel():
    return datasets()["mundel2006_sauna"], sauna_curves("mundel2006_sauna")


@pytest.fixture(scope="module")
def su():
    return datasets()["su2025_sauna"], sauna_curves("su2025_sauna")


def test_mundel2006_sauna_rise_over_predicted_and_by_how_much(mundel):
    """60 min at 58 degC / 13 % RH: measured core +0.25 degC ("approximately"; no spread), predicted +0.98 to +1.03
    over small and large bodies of both sexes. Held: never below the measurement, at most 0.85 degC above it."""
    d, curves = mundel
    rises = [c.core_temperature_c[-1] - c.baseline_core_c for c in curves]
    assert min(rises) >= d["rise_c"]
    assert max(rises) <= d["rise_c"] + 0.85, rises


def test_mundel2006_sauna_mean_skin_over_predicted_and_by_how_much(mundel):
    """Mean skin temperature over the 60 min: measured 36.5 +/- 0.1 degC, predicted 37.3-37.5 degC. Held: above the
    measurement, by at most 1.2 degC; the skin is where JOS-3's excess heat enters the body."""
    d, curves = mundel
    skins = [statistics.mean(c.mean_skin_temperature_c[1:]) for c in curves]
    assert min(skins) >= d["mean_skin_c"] + d["mean_skin_spread_c"]
    assert max(skins) <= d["mean_skin_c"] + 1.2, skins


@pytest.mark.xfail(strict=True, reason=(
    "Mündel 2006: JOS-3 predicts +1.0 degC after 60 min at 58 degC / 13 % RH against a measured ~+0.25 degC (the "
    "abstract: 'conditions under which sweating effectively maintains core temperature'); the band is the measurement "
    "+/- 0.25 degC, its rounding (photodose assumption)"))
def test_mundel2006_sauna_rise_within_a_quarter_degree(mundel):
    d, curves = mundel
    assert all(abs(c.core_temperature_c[-1] - c.baseline_core_c - d["rise_c"]) <= 0.25 for c in curves)


def test_su2025_dry_sauna_end_temperature_over_predicted_and_by_how_much(su):
    """60 min at 71.1 degC, dry: measured rectal 38.0 +/- 0.3 degC at the end, predicted 38.47-39.06 degC (seated,
    room humidity 0.8-1.6 kPa). Held: never below the measured mean, at most 1.1 degC above it."""
    d, curves = su
    ends = [c.core_temperature_c[-1] for c in curves]
    assert min(ends) >= d["end_c"]
    assert max(ends) <= d["end_c"] + 1.1, ends


@pytest.mark.xfail(strict=True, reason=(
    "Su 2025: JOS-3 ends 60 min at 71.1 degC at 38.5-39.1 degC against 38.0 +/- 0.3: 1.6-3.5 times that spread "
    "high; humidity and posture are not in the abstract, and lying would raise the prediction further"))
def test_su2025_dry_sauna_end_temperature_within_twice_the_reported_spread(su):
    d, curves = su
    assert all(abs(c.core_temperature_c[-1] - d["end_c"]) <= 2 * d["end_sd_c"] for c in curves)


def test_jos3_over_predicts_both_60_minute_saunas_less_than_gagges_two_node_model(mundel, su):
    """The model choice, checked against the world: on Mündel 2006 (core rise, measured ~+0.25 degC) and Su 2025
    (rectal at the end, measured 38.0 degC), every body's JOS-3 error is smaller than the two-node model's for the
    same body and chamber (two-node: rise from its neutral 36.8 degC core, ends 38.4-40.2 degC)."""
    from photodose.hyperthermia.validation import GAGGE_NEUTRAL_CORE_C, gagge_sauna_end_core

    d, curves = mundel
    for curve, gagge_end in zip(curves, gagge_sauna_end_core("mundel2006_sauna"), strict=True):
        jos3_error = curve.core_temperature_c[-1] - curve.baseline_core_c - d["rise_c"]
        assert 0 < jos3_error < gagge_end - GAGGE_NEUTRAL_CORE_C - d["rise_c"]
    d, curves = su
    for curve, gagge_end in zip(curves, gagge_sauna_end_core("su2025_sauna"), strict=True):
        assert 0 < curve.core_temperature_c[-1] - d["end_c"] < gagge_end - d["end_c"]


def test_willmott2023_humid_steam_pod_is_outside_validity_and_refused():
    pod = Chamber(air_temperature_c=44, mean_radiant_temperature_c=44, relative_humidity_percent=99,
                  head_outside=True, posture="sitting")
    with pytest.raises(PhotodoseInputError) as err:
        simulate_core_temperature(Person(height_m=1.78, weight_kg=75, age_years=24, sex="male"), pod,
                                  heating_minutes=60)
    assert "condensation" in str(err.value) and "\n" not in str(err.value)


def test_cooling_after_the_heat_stops_returns_toward_baseline():
    """Conservation-like limit: with the heat off in a neutral room the core falls back towards its baseline."""
    c = simulate_core_temperature(REFERENCE_PEOPLE[0], Chamber(air_temperature_c=59.3, mean_radiant_temperature_c=59.3,
                                                               relative_humidity_percent=8),
                                  heating_minutes=60, cooldown_minutes=90)
    assert c.core_temperature_c[60] > c.baseline_core_c + 0.8
    assert c.core_temperature_c[-1] < c.core_temperature_c[60] - 0.5
    assert c.core_temperature_c[-1] > c.baseline_core_c - 0.3
