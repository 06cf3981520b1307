"""The HTML report is self-contained (no network) and carries the plan, figures, parameter table and note."""

import re

import pytest

from photodose.planning.planner import plan
from photodose.planning.request import PlanRequest
from photodose.reports.html import render_plan_html
from photodose.reports.plots import depth_dose_png

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def knee_plan():
    return plan(PlanRequest(device="generic-panel-660-850", condition="knee-osteoarthritis", safety={"goggles": True}))


def test_report_is_self_contained(knee_plan):
    png = depth_dose_png(knee_plan)
    assert png.startswith(PNG)
    html = render_plan_html(knee_plan, png, png)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert html.count("data:image/png;base64,") == 2
    for text in ("Jenkins &amp; Carroll", "Wavelength (nm)", "Interval between treatments", "does not diagnose",
                 "UNVERIFIED", knee_plan.window.verdict):
        assert text in html


def test_report_escapes_text(knee_plan):
    evil = knee_plan.model_copy(update={"reasons": ["<script>alert(1)</script>"]})
    assert "<script>alert" not in render_plan_html(evil, depth_dose_png(knee_plan))


def test_report_shows_fat_preset_sensitivity_and_tissue_choice(knee_plan):
    html = render_plan_html(knee_plan, depth_dose_png(knee_plan))
    rows = knee_plan.target.sensitivity.subcutaneous_fat_preset.by_preset
    assert "depends on the fat model" in html
    for row in rows:
        assert row.tissue in html and f"{row.fluence_j_cm2:.3g}" in html
    chosen = plan(PlanRequest(device="generic-panel-660-850", condition="knee-osteoarthritis",
                              tissue={"subcutaneous_fat": "subcutaneous_fat_bashkatov"}, safety={"goggles": True}))
    assert "subcutaneous_fat = subcutaneous_fat_bashkatov" in render_plan_html(chosen, depth_dose_png(chosen))
