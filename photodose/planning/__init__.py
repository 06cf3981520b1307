"""Treatment planning: distance, time, schedule and dose at depth against a protocol's window.

Public API: :func:`photodose.planning.planner.plan` (with :class:`photodose.planning.request.PlanRequest`),
:func:`photodose.planning.session_dose.compute_session_dose` (the journal's dose of one session) and
:class:`photodose.planning.plan_model.Plan` (the typed result).
"""
