"""The trials' session shape in a heat plan: heat to the target core temperature, hold it, then cool down
(Mason et al. 2021; the HEATBED registry NCT05041361), each part with its predicted core temperatures and source."""

import pytest

from photodose.bibliography import bibliography
from photodose.hyperthermia import HyperthermiaRequest, heat_limits, plan_hyperthermia
from photodose.hyperthermia.core_model import CoreTemperatureCurve
from photodose.hyperthermia.protocols import get_heat_protocol

CONDITION = "depression-whole-body-hyperthermia"


def _triangle():
    return CoreTemperatureCurve(minutes=[0, 1, 2, 3, 4], core_temperature_c=[37.0, 38.0, 39.0, 38.0, 37.0],
                                mean_skin_temperature_c=[34.0] * 5, heating_minutes=2, cooldown_minutes=2,
                                baseline_core_c=37.0)


def test_time_at_or_above_and_fall_below_on_a_triangle_are_exact():
    curve = _triangle()
    assert curve.minutes_at_or_above(38.5) == pytest.approx(1.0)  # from minute 1.5 to 2.5
    assert curve.minutes_at_or_above(36.0) == pytest.approx(4.0) and curve.minutes_at_or_above(39.5) == 0.0
    assert curve.minutes_to_fall_below(38.5, after_min=2) == pytest.approx(0.5)
    assert curve.minutes_to_fall_below(38.5, after_min=3) == 0.0  # already below
    assert curve.minutes_to_fall_below(36.0, after_min=2) is None  # never within the curve


@pytest.fixture(scope="module")
def plan():
    return plan_hyperthermia(HyperthermiaRequest(device="generic-infrared-sauna-dome", condition=CONDITION))


def test_phases_heat_to_target_hold_then_cool_down_and_join_up(plan):
    protocol = get_heat_protocol(CONDITION)
    heating, at_target, cool = plan.phases
    assert [p.name for p in plan.phases] == ["heating", "at_target", "cool_down"]
    assert heating.starts_at_min == 0 and heating.ends_at_min == pytest.approx(plan.minutes_to_target, abs=0.05)
    assert heating.core_end_c == pytest.approx(protocol.target_core_c, abs=0.01)
    assert at_target.starts_at_min == heating.ends_at_min and at_target.ends_at_min == plan.heating_minutes
    # the heat stays on for the protocol's hold (Mason 2021: two minutes), to the next whole simulated minute
    held = at_target.ends_at_min - at_target.starts_at_min
    assert protocol.time_at_target_min <= held < protocol.time_at_target_min + 1
    assert at_target.core_start_c >= protocol.target_core_c - 0.01 and at_target.core_end_c >= protocol.target_core_c
    assert cool.starts_at_min == plan.heating_minutes
    assert cool.ends_at_min - cool.starts_at_min == pytest.approx(heat_limits().cooldown_min.value)
    assert cool.core_end_c == pytest.approx(plan.cooldown.end_core_c, abs=0.01) and cool.core_end_c < cool.core_start_c


def test_time_at_target_and_the_fall_below_it_agree_with_the_curve(plan):
    series = plan.core_temperature_c
    above = sum(1 for t in series.degrees_c if t >= plan.target_core_c)  # whole minutes at or above, +-1 per edge
    assert plan.minutes_at_or_above_target >= plan.time_at_target_min
    assert abs(plan.minutes_at_or_above_target - above) <= 2
    below = plan.cooldown.minutes_to_below_target
    assert below is not None and below >= 0
    minute = plan.heating_minutes + below
    assert min(t for m, t in zip(series.minutes, series.degrees_c) if m > minute + 1) < plan.target_core_c


def test_each_part_cites_a_primary_source_in_the_bibliography(plan):
    keys = bibliography()
    assert "nct05041361_heatbed" in keys
    protocol = get_heat_protocol(CONDITION)
    # each part names its source as a reader finds it among the plan's citations (author and year, or the registry
    # number), never by a bibliography key
    named = {"HEATBED registry record NCT05041361": "nct05041361_heatbed", "Mason 2021": "mason2021_wbh",
             "Janssen 2016": "janssen2016_wbh"}
    for text in (protocol.heating_source, protocol.cooldown_source, protocol.time_at_target_source):
        cited = [key for label, key in named.items() if label in text]
        assert cited and all(key in keys and key in protocol.citations for key in cited), text
        assert not any(key in text for key in named.values()), text
    assert any("NCT05041361" in c for c in plan.citations)
    assert "unsourced" in plan.phases[-1].source  # the cool-down's length is photodose's, and says so
