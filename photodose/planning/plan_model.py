"""The plan: photodose's main result, as frozen, documented pydantic models (the ``plan --json`` contract).

Shaped after pvlib's ``ModelChainResult``: every field says what it is and carries its unit in its name
(``_mm``, ``_s``/``_seconds``, ``_mw_cm2``, ``_j_cm2``, ``_j``). The CLI's ``--json``, ``/api/plan`` and the
journal all print or store this model; :func:`load_plan` reads a stored plan of any schema version.

Dose words, used the same way everywhere:
- *skin* (incident) dose: radiant exposure at the skin surface, irradiance x time. The literature's dose windows
  are stated in it, so ``window.verdict`` judges it.
- *target* dose: fluence rate x time at the target depth. It can exceed the skin dose, because light scattered
  back from deeper tissue adds to the light coming down. It is judged only where a window is sourced as fluence at
  depth; otherwise it is shown for comparison.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..dosimetry.head_dose import SiteAnatomy
from ..safety.checks import SafetyReport
from ..safety.eye_geometry import EyeGeometry
from ..units import LengthUnit, format_length
from .reporting import CONTACT_TECHNIQUE

__all__ = [
    "DepthDose", "DeviceProvenance", "DoseWindowResult", "EyeGeometry", "HeadTransport", "Plan", "PlanOption",
    "PlanTransport", "PointsSummary", "Schedule", "SchedulePhase", "STATUS_MEANING", "SurfaceDose", "TargetDose",
    "VERDICT_MEANING", "load_plan", "PLAN_SCHEMA_VERSION",
]

PLAN_SCHEMA_VERSION = 2

PlanStatus = Literal["planned", "compromise", "no_feasible_plan", "refused"]

STATUS_MEANING = {
    "planned": "every constraint is met and the dose is inside its window.",
    "compromise": "the dose is inside its window, but a preference (distance range, session bounds) could not be met.",
    "no_feasible_plan": ("no distance and time meet the constraints; the plan shown is the nearest, "
                         "not a recommendation."),
    "refused": "the safety gate refused this session; follow the remedies before using it.",
}
VERDICT_MEANING = {
    "inside": "the dose lies within the window.",
    "below": "the dose is under the window's low end: too little to expect the effect.",
    "above": "the dose exceeds the window's high end: more is not better (biphasic dose response).",
}
SAFETY_MEANING = {
    "ok": "no check found a problem.",
    "caution": "usable, but read the cautions (for example unanswered screening questions).",
    "refused": "a check failed: the session is not safe as planned.",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WavelengthSurface(_Frozen):
    """One channel at the skin."""

    channel: str
    wavelength_nm: float
    irradiance_mw_cm2: float
    peak_irradiance_mw_cm2: float
    fluence_j_cm2: float


class SurfaceDose(_Frozen):
    """Light at the skin: mean and peak irradiance over the treatment area, and the session's incident dose."""

    irradiance_mw_cm2: float
    peak_irradiance_mw_cm2: float
    fluence_j_cm2: float
    by_wavelength: list[WavelengthSurface]


class WavelengthTarget(_Frozen):
    """One channel at the target: fluence per unit irradiance (dimensionless) and the fluence it gives."""

    channel: str
    wavelength_nm: float
    fluence_per_irradiance: float | None
    fluence_j_cm2: float
    finite_beam_ratio: float | None = None
    finite_beam_stderr: float | None = None


class PresetDose(_Frozen):
    tissue: str
    label: str = ""   # the preset in words (TissuePreset.label)
    fluence_j_cm2: float
    verdict: str | None = None
    used_by_plan: bool


class FatSensitivity(_Frozen):
    """The target dose under each subcutaneous-fat preset (a sensitivity detail)."""

    layers: list[str]
    model: str
    by_preset: list[PresetDose]
    low_j_cm2: float
    high_j_cm2: float
    spread_factor: float


class TargetSensitivity(_Frozen):
    subcutaneous_fat_preset: FatSensitivity | None = None


class TargetDose(_Frozen):
    """Fluence at the target depth; median and [5th, 95th] percentile over the input uncertainty where sampled."""

    depth_mm: float
    fluence_j_cm2: float
    by_wavelength: list[WavelengthTarget]
    tissue: str
    sensitivity: TargetSensitivity = TargetSensitivity()
    fluence_j_cm2_nominal: float | None = None
    fluence_j_cm2_interval: tuple[float, float] | None = None
    probability_inside: float | None = None
    judged: bool = False
    meaning: str = ("fluence at the target depth; it can exceed the skin dose because light scattered back from "
                    "below adds to it")


class DoseWindowResult(_Frozen):
    """A dose window and the verdict on the dose it judges (J/cm2; a point plan judges J per point)."""

    at: str
    low_j_cm2: float | None
    high_j_cm2: float | None
    goal_j_cm2: float | None
    fluence_j_cm2: float | None
    verdict: Literal["inside", "below", "above"] | None
    source: str
    unsourced: bool
    citations: list[str]
    basis: str | None = None
    judged_on: str | None = None
    j_per_point: float | None = None
    required_j_per_point: float | None = None
    probability_inside: float | None = None


class Windows(_Frozen):
    skin: DoseWindowResult | None
    target: DoseWindowResult | None


class SchedulePhase(_Frozen):
    """A run of weeks of one schedule: sessions per week and the session length as a fraction of the plan's."""

    label: str
    weeks: int
    sessions_per_week: int
    session_fraction: float = 1.0
    source: str
    unsourced: bool


class Schedule(_Frozen):
    """How often: sessions per week (and its range), weeks, total, interval in days, and the source.

    ``kind`` "steady" is ``sessions_per_week`` for ``weeks``; "ramp-up" and "daily-then-taper" list their weeks in
    ``phases`` (see :mod:`photodose.planning.schedule`), which adherence and the overdose check follow.
    """

    sessions_per_week: int
    sessions_per_week_range: tuple[int, int] | None = None
    weeks: int
    unsourced: bool
    source: str
    citations: list[str]
    total_sessions: int
    interval_days: float
    kind: str = "steady"
    phases: list[SchedulePhase] = Field(default_factory=list)


class WavelengthDepthDose(_Frozen):
    channel: str
    wavelength_nm: float
    fluence_j_cm2: list[float]


class DepthDose(_Frozen):
    """Fluence against depth (mm) for the session, total and per channel; the uncertainty band where sampled."""

    depth_mm: list[float]
    total_j_cm2: list[float]
    by_wavelength: list[WavelengthDepthDose]
    total_j_cm2_p05: list[float] | None = None
    total_j_cm2_p95: list[float] | None = None


# What each blocking constraint (``constraints.blocking``, a JSON key) is called where a person reads it.
BLOCKING_WORDS = {
    "max_irradiance": "the irradiance limit", "fixed_session_time": "the session length you fixed",
    "max_session_time": "the longest session", "min_session_time": "the shortest session",
    "skin_window": "the skin dose window", "session_time": "the session length range",
    "max_seconds_per_point": "the dose table's longest time per point",
    "min_seconds_per_point": "the dose table's shortest time per point",
}


class PlanConstraints(_Frozen):
    min_session_s: float
    max_session_s: float
    max_irradiance_mw_cm2: float | None
    blocking: list[str]


class Evidence(_Frozen):
    """The protocol's evidence as its sources state it; ``label`` says when the grade is photodose's own."""

    level: str
    statement: str
    label: str | None = None


class ProtocolSummary(_Frozen):
    id: str
    name: str
    wavelengths_nm: list[float]
    evidence: Evidence
    reference_dose: str | None = None


class ChannelParameters(_Frozen):
    channel: str
    wavelength_nm: float
    spectral_width_fwhm_nm: float | None
    device_output_power_mw: float
    power_at_skin_mw: float
    irradiance_mw_cm2: float
    pulse_parameters: str


class ReportingParameters(_Frozen):
    """Jenkins & Carroll's (2011) dose and beam parameters of the session."""

    wavelength_nm: list[float]
    power_mw: float
    irradiation_time_s: float
    beam_area_cm2: float
    pulse_parameters: list[str]
    anatomical_location: str
    number_of_treatments: int
    interval_between_treatments: str
    energy_j: float
    energy_density_j_cm2: float
    irradiance_mw_cm2: float
    coherence: str
    application_technique: str
    beam_profile: str
    per_channel: list[ChannelParameters]
    source: str
    points_per_treatment: int | None = None
    energy_per_point_j: float | None = None
    irradiation_time_per_point_s: float | None = None


class CitationRef(_Frozen):
    key: str
    text: str
    authors: str | None = None
    year: int | None = None
    title: str | None = None
    journal: str | None = None
    volume_pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    verified_by: str | None = None


class PointsSummary(_Frozen):
    """A contact laser plan per point (WALT 2010)."""

    count: int
    j_per_point: float
    required_j_per_point: float
    seconds_per_point: float
    total_energy_j: float
    power_mw: float
    beam_area_cm2: float
    irradiance_mw_cm2: float
    skin_fluence_per_point_j_cm2: float
    target_fluence_per_point_j_cm2: float | None
    finite_beam_ratio: float | None
    finite_beam_stderr: float | None
    source: str
    citations: list[str]


class PlanOption(_Frozen):
    """One cell of the distance x time table: the skin dose and its window verdict (and the safety status)."""

    distance_mm: float
    distance_text: str
    minutes: float
    skin_fluence_j_cm2: float
    verdict: Literal["inside", "below", "above"] | None
    safety: str | None = None


class DeviceProvenance(_Frozen):
    """Which of the device model's values are manufacturer claims, measurements, or assumptions."""

    device: str
    summary: str
    claims: list[str] = Field(default_factory=list)
    measurements: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)


class HeadTransport(_Frozen):
    """The 3-D head run behind a ``head3d`` plan's target dose (:mod:`photodose.planning.head3d`).

    The device at each of ``positions`` on the ICBM152 head (``distance_mm`` from the scalp), one minute traced by
    voxel Monte Carlo; fluences per minute of session (J/cm2/min) with their Monte Carlo standard errors;
    ``fraction_at_cortex``: the cortex fluence over the nominal incident fluence.
    """

    head_model: str
    target: str
    positions: list[str]
    distance_mm: float
    cortex_fluence_j_cm2_per_min: float
    cortex_fluence_stderr_j_cm2_per_min: float
    scalp_fluence_j_cm2_per_min: float
    fraction_at_cortex: float
    fraction_at_cortex_stderr: float
    flat_stack_site: str
    flat_stack_cortex_fluence_j_cm2_per_min: float
    sites: list[SiteAnatomy]
    photons: int
    seed: int
    seconds: float
    assumptions: list[str]
    citations: list[str]

    @property
    def relative_stderr(self) -> float:
        value = self.cortex_fluence_j_cm2_per_min
        return self.cortex_fluence_stderr_j_cm2_per_min / value if value > 0 else float("nan")


class PlanTransport(_Frozen):
    """Which light transport gave the plan's target dose: ``fast`` (1-D diffusion), ``mc`` (wide-field Monte
    Carlo), ``atlas`` or ``head3d`` (the 3-D head, with its run in ``head``), and its label in words."""

    method: Literal["fast", "mc", "atlas", "head3d"]
    label: str
    head: HeadTransport | None = None


class Plan(_Frozen):
    """A planned session and its course: distance, time, schedule, doses, verdicts, safety, reasons, sources.

    ``status`` (see :data:`STATUS_MEANING`) is "refused" whenever ``safety.status`` is; a refused plan has
    ``session_seconds`` None. ``window`` is the verdict that decides the plan (the skin window for incident-dose
    windows, the target window where one is sourced as fluence at depth, J per point for laser point plans).
    """

    schema_version: int = PLAN_SCHEMA_VERSION
    status: PlanStatus
    status_meaning: str = ""
    device: str
    condition: str | None
    category: str
    protocol: ProtocolSummary | None
    site: str
    skin_type: str
    session_seconds: float | None = Field(gt=0, le=86_400, allow_inf_nan=False)  # > 0 s, at most a day
    distance_mm: float = Field(ge=0, le=10_000, allow_inf_nan=False)  # at most 10 m (units.MAX_LENGTH_MM)
    distance_unit: LengthUnit = "mm"   # the unit distances are shown in: the person's, else the device's usual one
    surface: SurfaceDose
    area_cm2: float
    energy_j: float
    target: TargetDose | None
    tissue_presets: dict[str, str]
    window: DoseWindowResult
    windows: Windows
    schedule: Schedule
    depth_dose: DepthDose
    constraints: PlanConstraints
    reasons: list[str]
    warnings: list[str]
    reporting_parameters: ReportingParameters
    citations: list[CitationRef]
    note: str
    safety: SafetyReport
    points: PointsSummary | None = None
    options: list[PlanOption] = Field(default_factory=list)
    eye: EyeGeometry | None = None
    device_provenance: DeviceProvenance | None = None
    earliest_start: datetime | None = None
    profile: str | None = None
    transport: PlanTransport | None = None   # None in plans stored before it was recorded

    def option_grid(self) -> tuple[list[float], list[tuple[str, list[PlanOption | None]]]]:
        """The options as a table: (minutes of each column, [(distance text, the cell per column or None)])."""
        minutes = sorted({o.minutes for o in self.options})
        cells = {(o.distance_text, o.minutes): o for o in self.options}
        distances = dict.fromkeys(o.distance_text for o in self.options)
        return minutes, [(d, [cells.get((d, m)) for m in minutes]) for d in distances]

    @property
    def distance_text(self) -> str:
        """The plan's distance in its unit ("6 in"), as its options table shows it; "in contact" for a contact
        device."""
        if self.reporting_parameters.application_technique == CONTACT_TECHNIQUE:
            return "in contact"
        return next((o.distance_text for o in self.options if abs(o.distance_mm - self.distance_mm) < 0.05),
                    format_length(self.distance_mm, self.distance_unit))

    @property
    def followable(self) -> bool:
        """A session a person may follow: the safety gate passed it (ok or caution) and it has a time."""
        return self.status != "refused" and self.session_seconds is not None


def load_plan(data: dict | Plan) -> Plan:
    """A :class:`Plan` from its JSON of any schema version (version 1: the untyped plan stored before typing).

    Version 1 plans lack ``schema_version``, ``options``, ``eye`` and ``device_provenance`` and may carry keys
    no longer written; they are read with those fields empty.
    """
    if isinstance(data, Plan):
        return data
    doc = dict(data)
    version = doc.get("schema_version", 1)
    if version == 1:
        known = set(Plan.model_fields)
        doc = {k: v for k, v in doc.items() if k in known}
        doc["schema_version"] = PLAN_SCHEMA_VERSION
    return Plan.model_validate(doc)
