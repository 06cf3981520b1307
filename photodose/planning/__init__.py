"""Treatment planning: distance, time, options, schedule and the window verdicts for a device, body and protocol.

Public API: :func:`photodose.planning.planner.plan` (with :class:`photodose.planning.request.PlanRequest`) returns
:class:`photodose.planning.plan_model.Plan`; :func:`photodose.planning.safety_link.session_safety` is the one safety
verdict for one session. The dose arithmetic it builds on lives in :mod:`photodose.dosimetry`.
"""
