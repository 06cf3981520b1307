"""JOS-3 (pythermalcomfort) against measured rectal temperatures during passive whole-body heating.

Published values (abstracts; photodose/hyperthermia/data/validation.yaml):
- Mason et al. 2021: head outside an infrared sauna dome, 38.5 degC reached in 82.12 +/- 11.3 min (61-110), n=25.
  The generic dome's temperature is fitted to the mean, so the mean is a calibration; the spread is the check.
- Iguchi et al. 2012: 30 min seated at 73 degC, rectal +0.8 degC, n=25 (spread not stated).
- Willmott et al. 2023: a 44 degC / 99 % RH steam pod, outside JOS-3's validity: refused.
"""

import statistics

import pytest

from photodose.errors import PhotodoseInputError
from photodose.hyperthermia.core_model import Chamber, Person, simulate_core_temperature
from photodose.hyperthermia.validation import (DOME_COHORT, REFERENCE_PEOPLE, chamber_rise, datasets,
                                               dome_minutes_to_target)


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
