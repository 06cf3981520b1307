"""The plan in words: the rows of its summary, what its window judges and what its target number means.

One text for the CLI, the HTML report and the web page, so they say the same thing in the same words.
"""

from __future__ import annotations

from .plan_model import VERDICT_MEANING
from ..units import format_length


def plan_summary_rows(plan) -> list[tuple[str, str]]:
    """(label, text) rows of the plan summary, shared by the CLI table and the reports."""
    session = plan.session_seconds
    rows = [
        ("status", plan.status), ("device", plan.device),
        ("site / phototype", f"{plan.site} / {plan.skin_type}"),
        ("distance", plan.distance_text),
        ("session", "none (refused)" if session is None else f"{session:.0f} s ({session / 60:.1f} min)"),
        ("skin (incident)", f"{plan.surface.irradiance_mw_cm2:.1f} mW/cm2, {plan.surface.fluence_j_cm2:.2f} J/cm2, "
                            f"{plan.energy_j:.0f} J over {plan.area_cm2:.0f} cm2"),
    ]
    if plan.target is not None:
        t = plan.target
        interval = (f", 90 % interval {t.fluence_j_cm2_interval[0]:.3g}-{t.fluence_j_cm2_interval[1]:.3g}"
                    if t.fluence_j_cm2_interval else "")
        per_nm = ", ".join(f"{r.wavelength_nm:g} nm {r.fluence_j_cm2:.3g}" for r in t.by_wavelength)
        median = "median " if t.fluence_j_cm2_nominal is not None else ""
        nominal = f"; nominal {t.fluence_j_cm2_nominal:.3g} = {per_nm}" if median else f" ({per_nm})"
        rows.append(("target (fluence)", f"{t.tissue} at {t.depth_mm:g} mm: {median}{t.fluence_j_cm2:.3g} J/cm2"
                     f"{interval}{nominal}" + ("" if t.judged else "; for comparison")))
    if plan.transport is not None:
        rows.append(("light transport", transport_text(plan.transport)))
    rows.append((f"window ({plan.window.basis.replace('_', ' ')})", window_text(plan.window)))
    rows.append(("schedule", f"{plan.schedule.sessions_per_week} per week for {plan.schedule.weeks} weeks"
                 + (" (unsourced)" if plan.schedule.unsourced else "")))
    if plan.earliest_start is not None:
        rows.append(("earliest start", plan.earliest_start.strftime("%Y-%m-%d %H:%M")))
    if plan.eye is not None:
        rows.append(("eye", f"in the beam at {format_length(plan.eye.distance_mm, plan.distance_unit)}; "
                     f"{plan.eye.assumption}" if plan.eye.in_beam else f"out of the beam; {plan.eye.assumption}"))
    rows.append(("safety", plan.safety.status + (", goggles required" if plan.safety.goggles_required else "")))
    if plan.protocol:
        rows.append(("evidence", plan.protocol.evidence.label))
    if plan.device_provenance is not None:
        rows.append(("device model", plan.device_provenance.summary))
    return rows



def transport_text(transport) -> str:
    """Which transport gave the target dose; for the 3-D head also the placement, the cortex fluence per minute
    with its Monte Carlo standard error, and the flat stack's beside it."""
    head = transport.head
    if head is None:
        return transport.label
    return (f"{transport.label}: the device at {', '.join(head.positions)}; cortex ({head.target}) "
            f"{head.cortex_fluence_j_cm2_per_min:.3g} +- {head.cortex_fluence_stderr_j_cm2_per_min:.2g} J/cm2 per "
            f"minute (standard error {100 * head.relative_stderr:.1f} %), {100 * head.fraction_at_cortex:.2g} % of "
            f"the incident fluence; flat {head.flat_stack_site} stack "
            f"{head.flat_stack_cortex_fluence_j_cm2_per_min:.3g} J/cm2 per minute")


def window_text(window) -> str:
    """What the verdict judges: energy per point against WALT for laser-point plans, else the fluence window."""
    if window.basis == "energy_per_point":
        return (f"{window.j_per_point:g} J per point vs WALT {window.required_j_per_point:g} J per point: "
                f"{window.verdict}")
    chance = (f"; {100 * window.probability_inside:.0f} % chance inside over the input uncertainty"
              if window.probability_inside is not None else "")
    what = "incident dose at the skin" if window.at == "skin" else f"fluence at the {window.at}"
    return (f"{window.fluence_j_cm2:.3g} J/cm2 {what} vs {window.low_j_cm2:g}-{window.high_j_cm2:g} J/cm2"
            + (" (unsourced)" if window.unsourced else "") + f": {window.verdict} - "
            f"{VERDICT_MEANING[window.verdict].rstrip('.')}{chance}")



def target_meaning(plan) -> str:
    """One sentence: what the target number is and whether it is judged."""
    t = plan.target
    interval = (f" (5th-95th percentile {t.fluence_j_cm2_interval[0]:.3g}-{t.fluence_j_cm2_interval[1]:.3g})"
                if t.fluence_j_cm2_interval else "")
    judged = (f"judged against the target window: {plan.windows.target.verdict}, "
              f"{VERDICT_MEANING[plan.windows.target.verdict].rstrip('.')}" if t.judged and plan.windows.target
              else "shown for comparison, not judged (no window is sourced as fluence at this depth)")
    return (f"{t.fluence_j_cm2:.3g} J/cm2{interval} at {t.depth_mm:g} mm is fluence at the target; it can exceed "
            f"the skin dose because light scattered back from below adds to it. It is {judged}.")
