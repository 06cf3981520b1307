"""Heat limits and advice for whole-body hyperthermia (``data/heat_limits.yaml``), each with its source.

- ``core_ceiling_c`` (39.0 degC): NIOSH 2016 (quoting WHO 1969 / NIOSH 1986): reason to end exposure even when
  core temperature is monitored. A plan whose predicted core temperature reaches it is refused.
- ``max_heating_min`` (110 min): the longest session of Mason et al. 2021 in a commercial infrared dome.
- ``time_at_target_min`` (2 min): Mason et al. 2021 ended heating after two minutes at 38.5 degC.
- ``cooldown_min`` (60 min): how long the plan follows the core after the heat stops (photodose assumption).
Heat contraindications are screening questions (``heat_questions`` in photodose/safety/data/screening.yaml).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from ..package_data import load_yaml

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class SourcedValue(BaseModel):
    model_config = _FROZEN
    value: float
    source: str
    note: str


class Advice(BaseModel):
    model_config = _FROZEN
    text: str
    source: str


class HeatLimits(BaseModel):
    """The limits a hyperthermia plan is gated by (degC, minutes), each with its source key and note."""

    model_config = _FROZEN
    core_ceiling_c: SourcedValue
    max_heating_min: SourcedValue
    time_at_target_min: SourcedValue
    cooldown_min: SourcedValue
    advice: list[Advice]


@lru_cache(maxsize=1)
def heat_limits() -> HeatLimits:
    """The shipped heat limits (``photodose/hyperthermia/data/heat_limits.yaml``)."""
    return HeatLimits.model_validate(load_yaml("photodose.hyperthermia", "data", "heat_limits.yaml"))
