"""Whole-body hyperthermia protocols (``data/protocols.yaml``): target core temperature, time at target,
schedule and evidence as the trials state them.

They are kept here rather than in ``photodose/protocols/data/protocols.yaml`` because that schema is for light
(wavelengths, fluence windows at depth); a heat protocol's dose is a core temperature over time.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PhotodoseInputError
from ..package_data import load_yaml

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class HeatSchedule(BaseModel):
    model_config = _FROZEN
    sessions: int = Field(ge=1)
    interval_days: int = Field(ge=1)
    source: str


class EvidenceStatement(BaseModel):
    model_config = _FROZEN
    key: str
    text: str


class HeatEvidence(BaseModel):
    model_config = _FROZEN
    label: str
    statements: list[EvidenceStatement]


class HeatProtocol(BaseModel):
    """One condition's heat protocol: heat until the core (rectal) reaches ``target_core_c`` (degC), hold it
    ``time_at_target_min``, then cool down; each part with the source that states it (``*_source``)."""

    model_config = _FROZEN
    id: str
    name: str
    target_core_c: float = Field(gt=37.0, lt=42.0)
    target_source: str
    time_at_target_min: float = Field(ge=0)
    time_at_target_source: str
    heating_source: str
    cooldown_source: str
    schedule: HeatSchedule
    evidence: HeatEvidence
    citations: list[str]


@lru_cache(maxsize=1)
def _protocols() -> dict[str, HeatProtocol]:
    raw = load_yaml("photodose.hyperthermia", "data", "protocols.yaml")
    return {p["id"]: HeatProtocol.model_validate(p) for p in raw["protocols"]}


def list_heat_protocols() -> list[HeatProtocol]:
    return list(_protocols().values())


def is_heat_protocol(condition: str | None) -> bool:
    return condition in _protocols()


def get_heat_protocol(condition: str) -> HeatProtocol:
    found = _protocols().get(condition)
    if found is None:
        raise PhotodoseInputError("condition", condition, "a heat protocol: " + ", ".join(_protocols()))
    return found
