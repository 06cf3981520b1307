"""Pass a plan through the safety gate (``photodose.safety.gate.evaluate``) and return {"status", "checks"}."""

from __future__ import annotations


def safety_for_plan(plan_doc: dict, device, channels, req) -> dict:
    """The gate's verdict on the plan as a JSON-ready dict; ``not_evaluated`` while the gate is unavailable."""
    try:
        from ..safety.gate import SafetyContext, evaluate
    except ModuleNotFoundError:
        return {"status": "not_evaluated", "checks": [], "note": "safety gate not available in this build"}
    ctx = build_context(SafetyContext, plan_doc, device, channels, req)
    report = evaluate(ctx)
    return {"status": report.status, "checks": [c.model_dump() for c in report.checks]}


def build_context(context_cls, plan_doc: dict, device, channels, req):
    """Fill the gate's SafetyContext from the plan (fields as documented in photodose/safety/gate.py)."""
    return context_cls(**(req.safety or {}))
