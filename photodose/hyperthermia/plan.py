"""The hyperthermia plan: core temperature over a dome session for one person, gated by heat limits.

``plan_hyperthermia(request)`` simulates (JOS-3, :mod:`.core_model`) the person in the device's chamber until the
core reaches the protocol's target and holds it ``time_at_target_min``, or until the session limit; then the
cool-down in room air. The safety report (photodose.safety.checks types) fails when the predicted core
temperature reaches the ceiling (39.0 degC, NIOSH 2016), when the target needs longer than the session limit
(110 min, Mason et al. 2021), or when a heat screening answer rules the session out; each failure names its
reason and remedy, as the light plans do.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..bibliography import cite
from ..safety.checks import SafetyCheck, SafetyReport, overall_status
from ..safety.screening import evaluate_heat_screening
from .core_model import VALIDITY, Chamber, Person, Room, simulate_core_temperature
from .limits import Advice, heat_limits
from .protocols import HeatProtocol, HeatSchedule, get_heat_protocol

_FROZEN = ConfigDict(frozen=True, extra="forbid")

HEAT_STATUS_MEANING = {
    "planned": ("the core is predicted to reach the target within the session limit and to stay under the "
                "ceiling, and no screening answer rules the session out."),
    "refused": "a heat limit or a screening answer rules this session out; read each reason and its remedy.",
}

# The person planned for when no profile gives one: a 70 kg adult (photodose's default, unsourced).
DEFAULT_PERSON = Person(height_m=1.75, weight_kg=70.0, age_years=30, sex="male")
DEFAULT_PERSON_TEXT = (f"{DEFAULT_PERSON.weight_kg:g} kg, {DEFAULT_PERSON.height_m:g} m, {DEFAULT_PERSON.age_years} "
                       f"years, {DEFAULT_PERSON.sex} (photodose default, unsourced)")
DEFAULT_PERSON_NOTE = f"default person (no profile with height, weight, age and sex): {DEFAULT_PERSON_TEXT}"


class HyperthermiaRequest(BaseModel):
    """What to plan: a sauna dome (id), a heat protocol (condition), the person and their heat screening answers."""

    model_config = _FROZEN
    device: str
    condition: str
    person: Person | None = None
    person_note: str | None = None
    screening: dict[str, bool] | None = None  # heat question id -> yes; None: not answered
    room: Room = Field(default_factory=Room)


class CoreTemperatureSeries(BaseModel):
    """Predicted core (rectal-equivalent) temperature: ``minutes[i]`` from the start of heating, ``degrees_c[i]``."""

    model_config = _FROZEN
    minutes: list[float]
    degrees_c: list[float]
    model: str
    validity: str


class Cooldown(BaseModel):
    """After the heat stops: rest in room air for ``minutes``; predicted peak (may come after the heat stops),
    ``minutes_to_below_target`` (from heat off until the core falls back under the target; None: not within the
    cool-down) and the core temperature at the end."""

    model_config = _FROZEN
    minutes: float
    starts_at_min: float
    peak_core_c: float
    peak_at_min: float
    minutes_to_below_target: float | None = None
    end_core_c: float
    room: Room
    source: str


PHASE_LABEL = {"heating": "heating", "at_target": "at target", "cool_down": "cool-down"}


class SessionPhase(BaseModel):
    """One part of the session (the trials' shape: heat to the target, hold it, cool down), minutes from the start
    of heating, with the predicted core temperature at its ends and the source that states the part."""

    model_config = _FROZEN
    name: Literal["heating", "at_target", "cool_down"]
    starts_at_min: float
    ends_at_min: float
    core_start_c: float
    core_end_c: float
    what: str
    source: str

    @property
    def label(self) -> str:
        return PHASE_LABEL[self.name]


class HeatScreeningAnswer(BaseModel):
    """One heat screening question as the plan used it: its id, its text and the person's answer; its verdict is
    the safety check named ``screening:<id>``."""

    model_config = _FROZEN
    id: str
    question: str
    answer: Literal["yes", "no", "not answered"]


class HyperthermiaPlan(BaseModel):
    """A whole-body hyperthermia session plan (the heat counterpart of :class:`photodose.planning.plan_model.Plan`).

    ``status``: ``planned`` (the target is predicted within the limits), ``refused`` (a safety check fails: see
    ``safety``). ``minutes_to_target``: predicted minutes of heating until the core reaches ``target_core_c``
    (None: not within ``heating_limit_min``). ``heating_minutes``: when the plan stops the heat.
    """

    model_config = _FROZEN
    kind: Literal["hyperthermia"] = "hyperthermia"
    status: Literal["planned", "refused"]
    device: str
    device_name: str
    condition: str
    protocol_name: str
    person: Person
    person_note: str
    person_is_default: bool = False   # no height, weight, age and sex were given: DEFAULT_PERSON was planned for
    chamber: Chamber
    chamber_provenance: dict[str, str]
    target_core_c: float
    time_at_target_min: float
    minutes_to_target: float | None
    minutes_at_or_above_target: float
    heating_minutes: float
    heating_limit_min: float
    baseline_core_c: float
    core_temperature_c: CoreTemperatureSeries
    cooldown: Cooldown
    phases: list[SessionPhase]
    schedule: HeatSchedule
    safety: SafetyReport
    screening: list[HeatScreeningAnswer] = Field(default_factory=list)
    advice: list[Advice]
    evidence_label: str
    evidence: list[str]
    reasons: list[str]
    citations: list[str]
    note: str = "photodose informs; it does not diagnose or prescribe. Measure core temperature during the session."


def plan_hyperthermia(request: HyperthermiaRequest) -> HyperthermiaPlan:
    """Plan one session of ``request.condition`` in ``request.device`` for ``request.person``."""
    from ..devices.catalog import load_device
    from ..errors import PhotodoseInputError

    device = load_device(request.device)
    if device.chamber is None:
        raise PhotodoseInputError("device", device.id, "a sauna dome (kind sauna_dome) for a heat protocol")
    protocol = get_heat_protocol(request.condition)
    limits = heat_limits()
    person = request.person or DEFAULT_PERSON
    person_note = request.person_note or (DEFAULT_PERSON_NOTE if request.person is None else "given")
    c = device.chamber
    chamber = Chamber(air_temperature_c=c.air_temperature_c, mean_radiant_temperature_c=c.mean_radiant_temperature_c,
                      relative_humidity_percent=c.relative_humidity_percent, head_outside=c.head_outside,
                      posture=c.posture)
    max_heat = limits.max_heating_min.value
    curve = simulate_core_temperature(person, chamber, heating_minutes=max_heat,
                                      cooldown_minutes=limits.cooldown_min.value, room=request.room,
                                      stop_at_c=protocol.target_core_c, hold_minutes=protocol.time_at_target_min)
    peak = curve.peak_c
    peak_at = curve.minutes[curve.core_temperature_c.index(peak)]
    checks = (_heat_checks(protocol, curve.reached_target_min, peak, limits)
              + evaluate_heat_screening(request.screening))
    status = overall_status(checks)
    below = curve.minutes_to_fall_below(protocol.target_core_c, curve.heating_minutes)
    cooldown = Cooldown(minutes=curve.cooldown_minutes, starts_at_min=curve.heating_minutes, peak_core_c=peak,
                        peak_at_min=peak_at, minutes_to_below_target=None if below is None else round(below, 1),
                        end_core_c=curve.core_temperature_c[-1], room=request.room,
                        source=f"{limits.cooldown_min.source}: {limits.cooldown_min.note}")
    keys = sorted({*protocol.citations, "takahashi2021_jos3", "tartarini2020_pythermalcomfort",
                   limits.core_ceiling_c.source, *(a.source for a in limits.advice)})
    reasons = [
        f"person: {person_note}",
        f"dome: {device.name}; chamber {c.air_temperature_c:g} degC air, {c.mean_radiant_temperature_c:g} degC mean "
        f"radiant, {c.relative_humidity_percent:g} % RH, head {'outside' if c.head_outside else 'inside'}",
        f"model: JOS-3 (pythermalcomfort), pelvis core as rectal temperature; {VALIDITY}",
        f"target {protocol.target_core_c:g} degC held {protocol.time_at_target_min:g} min "
        f"({protocol.time_at_target_source})",
    ]
    return HyperthermiaPlan(
        status="refused" if status == "refused" else "planned", device=device.id, device_name=device.name,
        condition=protocol.id, protocol_name=protocol.name, person=person, person_note=person_note,
        person_is_default=request.person is None,
        chamber=chamber, chamber_provenance={k: f"{v.tag}: {v.source}" for k, v in device.provenance.items()
                                             if k.startswith("chamber.")},
        target_core_c=protocol.target_core_c, time_at_target_min=protocol.time_at_target_min,
        minutes_to_target=None if curve.reached_target_min is None else round(curve.reached_target_min, 1),
        minutes_at_or_above_target=round(curve.minutes_at_or_above(protocol.target_core_c), 1),
        heating_minutes=curve.heating_minutes, heating_limit_min=max_heat, baseline_core_c=curve.baseline_core_c,
        core_temperature_c=CoreTemperatureSeries(minutes=curve.minutes,
                                                 degrees_c=[round(t, 3) for t in curve.core_temperature_c],
                                                 model=curve.model, validity=VALIDITY),
        cooldown=cooldown, phases=session_phases(curve, protocol, limits), schedule=protocol.schedule,
        safety=SafetyReport(status=status, checks=checks), screening=heat_screening_answers(request.screening),
        advice=[a.model_copy(update={"source": cite(a.source)}) for a in limits.advice],
        evidence_label=protocol.evidence.label,
        evidence=[f"{cite(s.key)}: {s.text}" for s in protocol.evidence.statements],
        reasons=reasons, citations=[cite(k) for k in keys])


def session_phases(curve, protocol: HeatProtocol, limits) -> list[SessionPhase]:
    """The session's parts on ``curve`` (a core_model.CoreTemperatureCurve): heating until the core reaches the
    target, the hold at the target while the heat stays on, the cool-down after the heat is off."""
    reached, off, end = curve.reached_target_min, curve.heating_minutes, curve.minutes[-1]
    target = f"{protocol.target_core_c:g} degC"

    def phase(name, start, stop, what, source):
        return SessionPhase(name=name, starts_at_min=round(start, 1), ends_at_min=round(stop, 1),
                            core_start_c=round(curve.at(start), 2), core_end_c=round(curve.at(stop), 2),
                            what=what, source=source)

    phases = [phase("heating", 0.0, off if reached is None else reached,
                    f"heat on, until the core (rectal) reaches {target}" +
                    ("" if reached is not None else ": not reached before the session limit"),
                    protocol.heating_source)]
    if reached is not None:
        phases.append(phase("at_target", reached, off,
                            f"heat on, core held at or above {target} for {protocol.time_at_target_min:g} min, "
                            "then heat off",
                            protocol.time_at_target_source))
    if end > off:
        phases.append(phase("cool_down", off, end, f"heat off, resting in room air for {end - off:.0f} min",
                            f"{protocol.cooldown_source} Length: {limits.cooldown_min.source}"))
    return phases


def _heat_checks(protocol: HeatProtocol, reached_min: float | None, peak_c: float, limits) -> list[SafetyCheck]:
    ceiling, max_heat = limits.core_ceiling_c, limits.max_heating_min
    checks = []
    if peak_c >= ceiling.value:
        checks.append(SafetyCheck(
            name="heat:core_ceiling", status="fail", value=round(peak_c, 2), limit=ceiling.value, unit="degC",
            message=f"predicted core temperature {peak_c:.2f} degC reaches the {ceiling.value:g} degC ceiling",
            source=cite(ceiling.source), remedy="stop the heat at the target as measured (not by the clock); use a "
                                                "lower chamber setting"))
    else:
        checks.append(SafetyCheck(
            name="heat:core_ceiling", status="ok", value=round(peak_c, 2), limit=ceiling.value, unit="degC",
            message=f"predicted peak {peak_c:.2f} degC stays under the {ceiling.value:g} degC ceiling",
            source=cite(ceiling.source)))
    if reached_min is None:
        checks.append(SafetyCheck(
            name="heat:session_length", status="fail", limit=max_heat.value, unit="min",
            message=f"the core is not predicted to reach {protocol.target_core_c:g} degC within the "
                    f"{max_heat.value:g}-minute session limit",
            source=cite(max_heat.source),
            remedy="do not extend the session past the limit; a dome that heats more (measured), or a supervised "
                   "medical hyperthermia service"))
    else:
        checks.append(SafetyCheck(
            name="heat:session_length", status="ok", value=round(reached_min + protocol.time_at_target_min, 1),
            limit=max_heat.value, unit="min",
            message=f"{reached_min:.0f} min to {protocol.target_core_c:g} degC plus {protocol.time_at_target_min:g} "
                    f"min at target, within the {max_heat.value:g}-minute limit", source=cite(max_heat.source)))
    return checks


def heat_screening_answers(answers: dict[str, bool] | None) -> list[HeatScreeningAnswer]:
    """The heat screening questions with the person's answers (``answers``: question id -> yes)."""
    from ..safety.screening import load_questionnaire

    answers = answers or {}
    return [HeatScreeningAnswer(id=q.id, question=q.text,
                                answer="not answered" if answers.get(q.id) is None else
                                ("yes" if answers[q.id] else "no"))
            for q in load_questionnaire().heat_questions]
