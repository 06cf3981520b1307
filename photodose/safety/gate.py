"""The safety gate: every check for one planned session, and the verdict (ok / caution / refused).

``evaluate(ctx)`` is pure: the planner fills a :class:`SafetyContext`; a refused report lists each failed check
with the change that would pass it (more distance, less time, goggles, see a doctor).
"""

from __future__ import annotations

from datetime import datetime

from .checks import SafetyCheck, SafetyReport, overall_status
from .context import Channel, DistancePoint, SafetyContext
from .eye_checks import eye_checks, risk_group, risk_groups_by_hazard
from .overdose import Session, evaluate_overdose
from .screening import evaluate_screening, is_stale
from .skin_checks import heating_check, laser_skin_check, skin_thermal_check, ultraviolet_check
from .sources import source

__all__ = ["Channel", "DistancePoint", "SafetyContext", "SafetyReport", "SafetyCheck", "evaluate", "evaluate_exposure"]

_EPOCH = datetime(2000, 1, 1)


def screening_checks(ctx: SafetyContext) -> list[SafetyCheck]:
    if ctx.screening is None:
        return [SafetyCheck(name="screening", status="caution", source=source("screening"),
                            message="No contraindication screening answers.",
                            remedy="answer the screening questions (the Screening page, or photodose safety screen)")]
    checks = evaluate_screening(ctx.screening, ctx.site, ctx.transcranial, ctx.pulsed_visible)
    if ctx.now is not None and is_stale(ctx.screening, ctx.now):
        checks.append(SafetyCheck(name="screening:stale", status="caution", source=source("screening"),
                                  message="The screening answers are out of date.",
                                  remedy="answer the screening questions again"))
    return checks


def overdose_checks(ctx: SafetyContext) -> list[SafetyCheck]:
    if ctx.bounds is None:
        return []
    start = ctx.planned_start or ctx.now
    if start is None:
        if ctx.prior_sessions:
            raise ValueError("planned_start (or now) is needed to compare with prior sessions")
        start = _EPOCH
    planned = Session(start=start, site=ctx.site, fluence_j_cm2=ctx.session_fluence_j_cm2)
    return evaluate_overdose(ctx.prior_sessions, planned, ctx.bounds)


def evaluate_exposure(ctx: SafetyContext) -> SafetyReport:
    """The device-and-session checks only (eyes where the eye is, skin, heating), without screening and overdose.

    ``photodose safety device``, ``plan`` and ``log session`` show :func:`evaluate` of one context built by
    :func:`photodose.planning.safety_link.session_safety`.
    """
    eye, goggles_required, allowed_s = eye_checks(ctx)
    skin = laser_skin_check(ctx) if ctx.is_laser else [c for c in (skin_thermal_check(ctx),) if c]
    other = [c for c in (ultraviolet_check(ctx), heating_check(ctx)) if c]
    checks = eye + skin + other
    return SafetyReport(status=overall_status(checks), checks=checks, risk_group=risk_group(ctx),
                        risk_groups=risk_groups_by_hazard(ctx),
                        goggles_required=goggles_required, unprotected_viewing_allowed_s=allowed_s)


def evaluate(ctx: SafetyContext) -> SafetyReport:
    """Run every applicable check (exposure, screening, overdose); refused if any fails, caution if any cautions."""
    exposure = evaluate_exposure(ctx)
    checks = exposure.checks + screening_checks(ctx) + overdose_checks(ctx)
    return exposure.model_copy(update={"checks": checks, "status": overall_status(checks)})
