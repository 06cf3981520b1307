"""The embedded demo plan: a catalog panel with 660 + 850 nm on the knee, phototype III (knee osteoarthritis)."""

from __future__ import annotations

from pathlib import Path

from ..planning.plan_model import Plan
from ..planning.planner import plan
from ..planning.request import PlanRequest

DEMO_DEVICE = "generic-panel-660-850"
DEMO_REQUEST = {"device": DEMO_DEVICE, "condition": "knee-osteoarthritis", "site": "knee", "skin_type": "III"}


def run_demo_plan(out_dir) -> tuple[Plan, str]:
    """Plan the demo case and write ``plan.html`` (self-contained) into ``out_dir``; returns (plan, report path).

    No goggles are assumed, so the planner must find a distance at which unprotected viewing is within the
    eye limit for the whole session; no screening answers are given, so the safety gate cautions about screening.
    """
    from ..reports.html import write_plan_report
    from ..dosimetry.session_dose import load_device_any

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = plan(PlanRequest(**DEMO_REQUEST))
    path = write_plan_report(result, load_device_any(DEMO_DEVICE), out / "plan.html")
    return result, path
