"""The result types every safety check returns: one :class:`SafetyCheck` per question, a :class:`SafetyReport` per
plan."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

CheckStatus = Literal["ok", "caution", "fail"]
ReportStatus = Literal["ok", "caution", "refused"]


class SafetyCheck(BaseModel):
    """One safety question answered in plain words.

    ``value`` and ``limit`` are in ``unit`` (None when the check is not numeric); ``source`` names where the
    limit comes from (or says "unsourced"); ``remedy`` says what change would pass a failed check.
    """

    name: str
    status: CheckStatus
    message: str
    value: float | None = None
    limit: float | None = None
    unit: str | None = None
    source: str | None = None
    remedy: str | None = None


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
