"""Self-contained HTML reports (light plans and heat plans): Jinja2 templates that extend one base
(``templates/report_base.html``: the page, its phone layout and the "informs, does not diagnose" notice), figures
embedded as base64 (no network needed to view)."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

from ..package_data import read_text
from ..planning.plan_model import Plan
from ..planning.plan_text import plan_summary_rows, target_meaning
from ..planning.reporting import reporting_rows
from ..units import unit_signs
from .head_plots import HeadSlices


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FunctionLoader(lambda name: read_text(__package__, "templates", name)),
                              autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                              finalize=unit_signs)   # "38.5 degC", "30 J/cm2" show as "38.5 °C", "30 J/cm²"


def _b64(png: bytes | None) -> str | None:
    return None if png is None else base64.b64encode(png).decode("ascii")


def render_plan_html(plan: Plan, depth_png: bytes, irradiance_png: bytes | None = None,
                     head_slices: HeadSlices | None = None) -> str:
    """The report as one HTML string (plan, the figures, Jenkins & Carroll table, citations, note); a head3d plan's
    slices picture with its caption when ``head_slices`` is given."""
    return _environment().get_template("plan_report.html").render(
        plan=plan, note=plan.note, depth_png=_b64(depth_png), irradiance_png=_b64(irradiance_png),
        head_slices=head_slices,
        reporting=reporting_rows(plan.reporting_parameters), summary=plan_summary_rows(plan),
        target_meaning=target_meaning(plan) if plan.target else None)


def write_plan_report(plan: Plan, device, path) -> str:
    """Render the figures (and a head3d plan's slices, from the plan's own head run) and write the HTML report to
    ``path``; returns the path."""
    from .head_plots import plan_head_slices
    from .plots import depth_dose_png, irradiance_distance_png

    channel_ids = [r.channel for r in plan.surface.by_wavelength]
    html = render_plan_html(plan, depth_dose_png(plan),
                            irradiance_distance_png(device, channel_ids, plan.distance_mm),
                            plan_head_slices(plan, device))
    Path(path).write_text(html, encoding="utf-8")
    return str(path)


def render_heat_plan_html(plan, core_png: bytes) -> str:
    """The heat plan's report (``plan``: a photodose.hyperthermia.HyperthermiaPlan) as one HTML string: status,
    the core-temperature curve, time to and at the target, the cool-down, the screening answers, every safety check
    with its reason and remedy, advice, evidence as the sources state it, citations and the notice."""
    from ..hyperthermia.plan import HEAT_STATUS_MEANING
    from ..planning.plan_model import SAFETY_MEANING

    return _environment().get_template("heat_report.html").render(
        plan=plan, note=plan.note, core_png=_b64(core_png), status_meaning=HEAT_STATUS_MEANING[plan.status],
        safety_meaning=SAFETY_MEANING[plan.safety.status])


def heat_plan_report_html(plan) -> str:
    """The heat plan's report with its core-temperature figure drawn."""
    from .plots import core_temperature_png

    return render_heat_plan_html(plan, core_temperature_png(plan))


def write_heat_plan_report(plan, path) -> str:
    """Write the heat plan's HTML report to ``path``; returns the path."""
    Path(path).write_text(heat_plan_report_html(plan), encoding="utf-8")
    return str(path)
