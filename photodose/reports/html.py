"""Self-contained HTML plan report: Jinja2 template, figures embedded as base64 (no network needed to view)."""

from __future__ import annotations

import base64

from ..package_data import read_text
from ..planning.plan_model import Plan
from ..planning.plan_text import plan_summary_rows, target_meaning
from ..planning.reporting import reporting_rows


def _template():
    import jinja2

    text = read_text(__package__, "templates", "plan_report.html")
    env = jinja2.Environment(autoescape=jinja2.select_autoescape(default=True, default_for_string=True))
    return env.from_string(text)


def render_plan_html(plan: Plan, depth_png: bytes, irradiance_png: bytes | None = None) -> str:
    """The report as one HTML string (plan, both figures, Jenkins & Carroll table, citations, note)."""
    def b64(png):
        return None if png is None else base64.b64encode(png).decode("ascii")
    return _template().render(plan=plan, depth_png=b64(depth_png), irradiance_png=b64(irradiance_png),
                              reporting=reporting_rows(plan.reporting_parameters), summary=plan_summary_rows(plan),
                              target_meaning=target_meaning(plan) if plan.target else None)


def write_plan_report(plan: Plan, device, path) -> str:
    """Render the figures and write the HTML report to ``path``; returns the path."""
    from pathlib import Path

    from .plots import depth_dose_png, irradiance_distance_png

    channel_ids = [r.channel for r in plan.surface.by_wavelength]
    html = render_plan_html(plan, depth_dose_png(plan),
                            irradiance_distance_png(device, channel_ids, plan.distance_mm))
    Path(path).write_text(html, encoding="utf-8")
    return str(path)
