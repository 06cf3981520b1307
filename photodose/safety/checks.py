"""The result types every safety check returns: one :class:`SafetyCheck` per question, a :class:`SafetyReport` per
plan."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

CheckStatus = Literal["ok", "caution", "fail"]
ReportStatus = Literal["ok", "caution", "refused"]


# What each check is called where a person reads it; ``name`` stays the stable key in JSON.
CHECK_LABELS = {
    "eye:infrared": "eyes: infrared (cornea and lens)",
    "eye:retinal_thermal": "eyes: retinal heating",
    "eye:blue_light": "eyes: blue light",
    "eye:laser": "eyes: laser beam",
    "eye:in_beam": "eyes in the beam",
    "skin:heating": "skin heating",
    "skin:thermal_short": "skin burn limit (first 10 s)",
    "skin:laser_mpe": "skin: laser exposure limit",
    "skin:laser_mpe_range": "skin: laser limit's validity",
    "skin:laser_pulses": "skin: laser pulses",
    "skin_eye:ultraviolet": "ultraviolet (skin and eyes)",
    "heat:core_ceiling": "core temperature ceiling",
    "heat:session_length": "heat session length",
    "overdose:day": "dose on this site today",
    "overdose:week": "dose on this site in 7 days",
    "overdose:sessions_per_week": "sessions on this site in 7 days",
    "overdose:interval": "time since the last session on this site",
    "screening": "screening",
    "screening:stale": "screening answers' age",
}


def hazard_label(hazard: str) -> str:
    """An IEC 62471 eye hazard of a risk group in words: "infrared_eye" -> "infrared (cornea and lens)"."""
    return CHECK_LABELS.get(f"eye:{hazard.removesuffix('_eye')}", hazard.replace("_", " ")).removeprefix("eyes: ")


class SafetyCheck(BaseModel):
    """One safety question answered in plain words.

    ``name`` is the check's stable key (JSON, tests); ``label`` what a person reads (``CHECK_LABELS``, or the
    screening question's short name). ``value`` and ``limit`` are in ``unit`` (None when the check is not
    numeric); ``source`` names where the limit comes from (or says "unsourced"); ``remedy`` says what change
    would pass a failed check.
    """

    name: str
    label: str = ""
    status: CheckStatus
    message: str
    value: float | None = None
    limit: float | None = None
    unit: str | None = None
    source: str | None = None
    remedy: str | None = None

    @model_validator(mode="after")
    def _label_from_name(self) -> "SafetyCheck":
        if not self.label:
            self.label = CHECK_LABELS.get(self.name) or self.name.replace("_", " ").replace(":", ": ")
        return self


class SafetyReport(BaseModel):
    """The gate's verdict: ``refused`` if any check fails, ``caution`` if any check cautions, else ``ok``.

    ``risk_group`` is the overall IEC 62471 group at the use distance, ``risk_groups`` the group per eye hazard
    (infrared_eye, retinal_thermal, blue_light); see :mod:`photodose.safety.risk_group`.
    """

    status: ReportStatus
    checks: list[SafetyCheck] = Field(default_factory=list)
    risk_group: str | None = None
    risk_groups: dict[str, str] = Field(default_factory=dict)
    goggles_required: bool = False
    unprotected_viewing_allowed_s: float | None = None

    @property
    def failed(self) -> list[SafetyCheck]:
        return [c for c in self.checks if c.status == "fail"]


def overall_status(checks: list[SafetyCheck]) -> ReportStatus:
    """``refused`` if any check fails, ``caution`` if any cautions, else ``ok``."""
    statuses = {c.status for c in checks}
    if "fail" in statuses:
        return "refused"
    if "caution" in statuses:
        return "caution"
    return "ok"
