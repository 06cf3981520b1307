"""Whole-body hyperthermia with infrared sauna domes: core temperature over time (JOS-3) and heat limits.

Public surface:
- :class:`Chamber`, :class:`Person`, :class:`Room`: the dome's environment and the body (core_model);
  the catalog's device parameters are :class:`photodose.devices.model.SaunaChamber` (kind ``sauna_dome``).
- :func:`simulate_core_temperature` -> :class:`CoreTemperatureCurve`: the JOS-3 wrapper.
- :func:`heat_limits` -> :class:`HeatLimits`: core ceiling, session limit, time at target, cool-down, advice.
- :func:`plan_hyperthermia` (:class:`HyperthermiaRequest` -> :class:`HyperthermiaPlan`): the use case.
- :func:`get_heat_protocol`, :func:`is_heat_protocol`: the heat protocols (data/protocols.yaml).
"""

from .core_model import VALIDITY, Chamber, CoreTemperatureCurve, Person, Room, simulate_core_temperature
from .limits import HeatLimits, heat_limits
from .plan import HyperthermiaPlan, HyperthermiaRequest, plan_hyperthermia
from .protocols import get_heat_protocol, is_heat_protocol, list_heat_protocols

__all__ = ["VALIDITY", "Chamber", "CoreTemperatureCurve", "Person", "Room", "simulate_core_temperature",
           "HeatLimits", "heat_limits", "HyperthermiaPlan", "HyperthermiaRequest", "plan_hyperthermia",
           "get_heat_protocol", "is_heat_protocol", "list_heat_protocols"]
