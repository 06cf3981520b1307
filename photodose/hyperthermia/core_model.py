"""Core temperature during whole-body heating: a thin wrapper around pythermalcomfort's JOS-3.

Model
-----
JOS-3 (Takahashi Y, Nomoto A, Yoda S, Hisayama R, Ogata M, Ozeki Y, Tanabe S. "Thermoregulation model JOS-3 with
new open source code." Energy and Buildings 2021;231:110575, doi:10.1016/j.enbuild.2020.110575, citation key
``takahashi2021_jos3``) as implemented by pythermalcomfort (``pythermalcomfort.models.JOS3``; Tartarini F,
Schiavon S. SoftwareX 2020;12:100578, doi:10.1016/j.softx.2020.100578, key ``tartarini2020_pythermalcomfort``).
photodose writes no thermophysiology of its own: it sets JOS-3's environment minute by minute and reads its
pelvis core temperature.

Why JOS-3 and not Gagge's two-node model
---------------------------------------
- A dome heats the body while the head stays outside: JOS-3 takes air and radiant temperature per body segment
  (17 segments), so the head sits in room air and the rest in the dome. The two-node model has one environment.
- JOS-3 uses the person's height, weight, age, sex and body fat (body surface area, basal metabolism, blood flow);
  the two-node model uses one body surface area.
- JOS-3 steps in time and returns the whole curve, heating and cool-down; pythermalcomfort's two-node function
  returns the state after one fixed exposure.
- Against the two measured 60-min saunas (Mündel 2006, Su 2025) both models run hot, the two-node model more so
  for every body (``validation.gagge_sauna_end_core``; docs/hyperthermia.md).

What photodose reads
--------------------
``t_core_pelvis`` (degC), JOS-3's pelvis core node, compared with rectal temperature, which is what the trials
measured (Mason et al. 2021 measured rectally). A baseline of ``BASELINE_MIN`` minutes at rest in room air comes
before the heat, so the body starts from JOS-3's own neutral state (about 37.0 degC in the pelvis core).

Units: temperatures degC, humidity % relative humidity at the chamber's air temperature, air speed m/s, time
in minutes (JOS-3 steps of 60 s), height m, weight kg, age years, body fat %.

Validity (measured by ``tests/test_hyperthermia_validation.py``; see ``VALIDITY``)
-------------------------------------------------------------------------------
JOS-3 turns vapour condensing on the skin into cooling: when the air's water-vapour pressure exceeds the skin's
saturation pressure its skin wettedness goes negative and the core is predicted too cool (a steam sauna at
44 degC and 99 % RH is predicted ~0.5 degC below the measured rise). photodose refuses chambers whose vapour
pressure reaches the saturation pressure at 35 degC (``MAX_VAPOUR_PRESSURE_KPA``).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import PhotodoseInputError

_FROZEN = ConfigDict(frozen=True, extra="forbid")

BASELINE_MIN = 30  # minutes at rest in room air before heating (photodose's choice: JOS-3 settles from its defaults)
PELVIS = 4  # index of the pelvis among JOS-3's 17 body segments (pythermalcomfort JOS3.body_names)
HEAD = 0
MAX_VAPOUR_PRESSURE_KPA = 5.63  # saturation vapour pressure at 35 degC (Tetens/pythermalcomfort p_sat(35) = 5628 Pa)
MAX_SIMULATION_MIN = 600  # longest heating + cool-down simulated (photodose's input limit, unsourced)

VALIDITY = (
    "Checked against measured rectal temperature in dry heat (head out of a far-infrared dome, Mason et al. 2021, to "
    "which the generic dome is fitted; seated in dry saunas and chambers at 58-73 degC, Iguchi et al. 2012, Mündel et "
    "al. 2006, Su et al. 2025, where it over-predicts the core rise by 0.2-1.1 degC). Not valid in humid heat: a "
    "chamber whose water-vapour "
    f"pressure reaches {MAX_VAPOUR_PRESSURE_KPA} kPa (saturation at 35 degC) is refused, because JOS-3 then treats "
    "condensation on the skin as cooling. Contact with the mat, towels or blankets is not modelled."
)

Sex = Literal["male", "female"]
Posture = Literal["lying", "sitting"]


class Person(BaseModel):
    """The body JOS-3 heats: height (m), weight (kg), age (years), sex and body fat (%).

    ``body_fat_percent`` defaults to JOS-3's own default (15 %), a model default, not a measurement.
    """

    model_config = _FROZEN
    height_m: float = Field(ge=1.0, le=2.5)
    weight_kg: float = Field(ge=30.0, le=250.0)
    age_years: int = Field(ge=18, le=100)
    sex: Sex
    body_fat_percent: float = Field(15.0, ge=3.0, le=60.0)


class Chamber(BaseModel):
    """The heated environment around the body (and, with ``head_outside``, not around the head).

    ``mean_radiant_temperature_c`` carries the radiant heat of the emitters (an infrared dome's air is cooler than
    its emitters); ``relative_humidity_percent`` is at the chamber's air temperature.
    """

    model_config = _FROZEN
    air_temperature_c: float = Field(ge=20.0, le=100.0)
    mean_radiant_temperature_c: float = Field(ge=20.0, le=150.0)
    relative_humidity_percent: float = Field(ge=0.0, le=100.0)
    air_speed_m_s: float = Field(0.1, ge=0.0, le=5.0)
    head_outside: bool = True
    posture: Posture = "lying"

    @property
    def vapour_pressure_kpa(self) -> float:
        return self.relative_humidity_percent / 100.0 * saturation_vapour_pressure_kpa(self.air_temperature_c)


class Room(BaseModel):
    """Room air around the head and during the baseline and cool-down (photodose assumption: 25 degC, 50 % RH)."""

    model_config = _FROZEN
    air_temperature_c: float = Field(25.0, ge=10.0, le=40.0)
    relative_humidity_percent: float = Field(50.0, ge=0.0, le=100.0)
    air_speed_m_s: float = Field(0.1, ge=0.0, le=5.0)


class CoreTemperatureCurve(BaseModel):
    """Pelvis core temperature (JOS-3, compared with rectal) each minute from the start of heating.

    ``minutes[i]`` and ``core_temperature_c[i]`` pair up (minute 0 is the end of the baseline);
    ``heating_minutes`` is when the heat stopped; ``cooldown_minutes`` the rest in room air after it.
    """

    model_config = _FROZEN
    minutes: list[float]
    core_temperature_c: list[float]
    mean_skin_temperature_c: list[float]
    heating_minutes: float
    cooldown_minutes: float
    baseline_core_c: float
    reached_target_min: float | None = None
    model: str = "JOS-3 (Takahashi et al. 2021) via pythermalcomfort; pelvis core node"

    @property
    def peak_c(self) -> float:
        return max(self.core_temperature_c)

    def at(self, minute: float) -> float:
        """Core temperature at ``minute`` (linear between the 1-minute steps)."""
        return float(np.interp(minute, self.minutes, self.core_temperature_c))

    def minutes_to(self, temperature_c: float) -> float | None:
        """First minute (interpolated) at which the core reaches ``temperature_c``; None if it never does."""
        t = self.core_temperature_c
        for i in range(1, len(t)):
            if t[i] >= temperature_c > t[i - 1]:
                return self.minutes[i - 1] + (temperature_c - t[i - 1]) / (t[i] - t[i - 1])
        return 0.0 if t and t[0] >= temperature_c else None

    def minutes_at_or_above(self, temperature_c: float) -> float:
        """Minutes (linear between the 1-minute steps) during which the core is at or above ``temperature_c``."""
        m, t, total = self.minutes, self.core_temperature_c, 0.0
        for i in range(1, len(t)):
            lo, hi = sorted((t[i - 1], t[i]))
            if lo >= temperature_c:
                total += m[i] - m[i - 1]
            elif hi > temperature_c:
                total += (m[i] - m[i - 1]) * (hi - temperature_c) / (hi - lo)
        return total

    def minutes_to_fall_below(self, temperature_c: float, after_min: float) -> float | None:
        """Minutes after ``after_min`` until the core (interpolated) first falls below ``temperature_c``; 0 if it
        is already below then, None if it never falls below within the curve."""
        m, t = self.minutes, self.core_temperature_c
        if self.at(after_min) < temperature_c:
            return 0.0
        for i in range(1, len(t)):
            if m[i] > after_min and t[i] < temperature_c <= t[i - 1]:
                return m[i - 1] + (t[i - 1] - temperature_c) / (t[i - 1] - t[i]) - after_min
        return None


def saturation_vapour_pressure_kpa(temperature_c: float) -> float:
    """Saturation vapour pressure of water (kPa) at ``temperature_c`` (degC): Tetens' formula as pythermalcomfort
    uses it, ``0.61078 exp(17.27 T / (T + 237.3))``."""
    return 0.61078 * math.exp(17.27 * temperature_c / (temperature_c + 237.3))


def check_chamber(chamber: Chamber) -> None:
    """Refuse a chamber outside JOS-3's validity (see ``VALIDITY``)."""
    vp = chamber.vapour_pressure_kpa
    if vp >= MAX_VAPOUR_PRESSURE_KPA:
        raise PhotodoseInputError(
            "relative_humidity", f"{chamber.relative_humidity_percent:g} % at {chamber.air_temperature_c:g} degC",
            f"a water-vapour pressure below {MAX_VAPOUR_PRESSURE_KPA} kPa (this is {vp:.1f} kPa): JOS-3 treats "
            "condensation on the skin as cooling, so photodose does not model humid heat")


def _segments(value: float, head_value: float, head_outside: bool) -> np.ndarray:
    arr = np.full(17, float(value))
    if head_outside:
        arr[HEAD] = head_value
    return arr


def simulate_core_temperature(person: Person, chamber: Chamber, *, heating_minutes: float,
                              cooldown_minutes: float = 0.0, room: Room | None = None,
                              stop_at_c: float | None = None, hold_minutes: float = 0.0) -> CoreTemperatureCurve:
    """Core temperature each minute: ``BASELINE_MIN`` at rest in ``room``, then heat in ``chamber``, then rest.

    Heating lasts ``heating_minutes`` or, with ``stop_at_c``, until the core reaches ``stop_at_c`` and
    ``hold_minutes`` more (whichever comes first); then ``cooldown_minutes`` in room air, heat off.
    Metabolic rate: JOS-3's resting value (physical activity ratio 1.0 lying, 1.2 sitting), no clothing (0 clo).
    """
    from pythermalcomfort.models import JOS3

    check_chamber(chamber)
    room = room or Room()
    if not 0 < heating_minutes <= MAX_SIMULATION_MIN or not 0 <= cooldown_minutes <= MAX_SIMULATION_MIN:
        raise PhotodoseInputError("minutes", f"{heating_minutes:g} + {cooldown_minutes:g}",
                                  f"heating 0-{MAX_SIMULATION_MIN} min and cool-down 0-{MAX_SIMULATION_MIN} min")
    body = JOS3(height=person.height_m, weight=person.weight_kg, fat=person.body_fat_percent,
                age=person.age_years, sex=person.sex)
    body.posture = chamber.posture
    body.clo = 0.0
    body.par = 1.0 if chamber.posture == "lying" else 1.2

    def _room() -> None:
        body.tdb, body.tr = room.air_temperature_c, room.air_temperature_c
        body.rh, body.v = room.relative_humidity_percent, room.air_speed_m_s

    _room()
    body.simulate(BASELINE_MIN, dtime=60, output=False)
    core, skin = [float(body.t_core[PELVIS])], [float(body.t_skin_mean)]
    baseline = core[0]
    body.tdb = _segments(chamber.air_temperature_c, room.air_temperature_c, chamber.head_outside)
    body.tr = _segments(chamber.mean_radiant_temperature_c, room.air_temperature_c, chamber.head_outside)
    body.rh = _segments(chamber.relative_humidity_percent, room.relative_humidity_percent, chamber.head_outside)
    body.v = _segments(chamber.air_speed_m_s, room.air_speed_m_s, chamber.head_outside)
    reached, heated = None, 0
    limit = int(math.ceil(heating_minutes))
    while heated < limit:
        body.simulate(1, dtime=60, output=False)
        heated += 1
        core.append(float(body.t_core[PELVIS]))
        skin.append(float(body.t_skin_mean))
        if stop_at_c is not None and reached is None and core[-1] >= stop_at_c:
            reached = heated
            limit = min(limit, heated + int(math.ceil(hold_minutes)))
    _room()
    for _ in range(int(math.ceil(cooldown_minutes))):
        body.simulate(1, dtime=60, output=False)
        core.append(float(body.t_core[PELVIS]))
        skin.append(float(body.t_skin_mean))
    minutes = list(map(float, range(len(core))))
    curve = CoreTemperatureCurve(minutes=minutes, core_temperature_c=core, mean_skin_temperature_c=skin,
                                 heating_minutes=float(heated), cooldown_minutes=float(len(core) - 1 - heated),
                                 baseline_core_c=baseline)
    if stop_at_c is not None:
        curve = curve.model_copy(update={"reached_target_min": curve.minutes_to(stop_at_c)})
    return curve
