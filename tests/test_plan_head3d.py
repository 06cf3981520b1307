"""``plan --transport head3d`` (issue 16, item 4): a transcranial plan whose target dose, and so its minutes, come from
the cortex fluence of the 3-D head run, recorded in the typed Plan and shown by the CLI, the report and the web page.

The plans here use 2e4 photons (about 13 % standard error, a few seconds); the arithmetic they check is exact.
"""

from __future__ import annotations

import math
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.dosimetry.depth_model import DEFAULT_HEAD3D_PHOTONS, parse_depth_model
from photodose.errors import PhotodoseInputError
from photodose.planning.plan_model import Plan
from photodose.planning.plan_text import plan_summary_rows
from photodose.planning.planner import plan
from photodose.planning.request import PlanRequest

HEAD3D = "head3d:2e4"
# a custom cortex window (J/cm2) whose goal sqrt(0.15 x 0.3) needs 20-30 min of the generic headset at F3 + F4
CORTEX_WINDOW = (0.15, 0.3)


def _request(**kw) -> PlanRequest:
    return PlanRequest(**({"device": "generic-headset-810", "condition": "depression-transcranial",
                           "safety": {"goggles": True}, "transport": HEAD3D} | kw))


@pytest.fixture(scope="module")
def head_plan() -> Plan:
    return plan(_request(window_j_cm2=CORTEX_WINDOW))


def test_depth_model_reads_head3d_and_its_photons():
    assert parse_depth_model("head3d").method == "head3d"
    assert parse_depth_model("head3d").photons == DEFAULT_HEAD3D_PHOTONS
    assert parse_depth_model("HEAD3D:5e4").photons == 50_000
    assert parse_depth_model("head3d").slab.method == "fast"     # the flat stack's curve stays the fast model's
    for bad in ("head3d:1e2", "head3d:nan", "head3d:many", "head3d:1e9"):
        with pytest.raises(PhotodoseInputError) as err:
            parse_depth_model(bad)
        assert err.value.field == "transport"


def test_minutes_come_from_the_head_cortex_fluence(head_plan):
    """Planning on a cortex window, the session is the window's goal over the head's cortex fluence per minute."""
    head = head_plan.transport.head
    goal = math.sqrt(CORTEX_WINDOW[0] * CORTEX_WINDOW[1])
    assert head_plan.window.basis == "target" and head_plan.target.judged
    assert head_plan.session_seconds / 60 == pytest.approx(goal / head.cortex_fluence_j_cm2_per_min, rel=1e-3)
    assert head_plan.target.fluence_j_cm2_nominal == pytest.approx(
        head.cortex_fluence_j_cm2_per_min * head_plan.session_seconds / 60, rel=1e-3)
    # the sum over channels of E phi t is the head's number, not the flat stack's (which differs from it, so the
    # checks above tell the two apart)
    flat = head.flat_stack_cortex_fluence_j_cm2_per_min
    assert flat != pytest.approx(head.cortex_fluence_j_cm2_per_min, rel=0.05)


def test_the_plan_records_the_head_run(head_plan):
    t = head_plan.transport
    assert t.method == "head3d" and "3-D head" in t.label and "20,000 photons" in t.label
    head = t.head
    assert head.positions == ["F3", "F4"] and head.target == "dlpfc" and head.photons == 20_000
    assert 0 < head.relative_stderr < 0.3
    assert head.distance_mm == 5.0 and [s.position for s in head.sites] == ["F3", "F4"]
    assert head_plan.target.depth_mm == pytest.approx(sum(s.scalp_to_cortex_mm for s in head.sites) / 2, abs=0.125)
    assert {"cassano2019", "fonov2009", "beam2009"} <= {c.key for c in head_plan.citations}
    assert Plan.model_validate_json(head_plan.model_dump_json()) == head_plan   # stored and read back alike
    rows = dict(plan_summary_rows(head_plan))
    assert rows["light transport"].startswith("3-D head (voxel Monte Carlo, ICBM152)")
    assert "standard error" in rows["light transport"] and "F3, F4" in rows["light transport"]


def test_a_fast_plan_says_its_transport_too():
    p = plan(PlanRequest(device="generic-headset-810", condition="depression-transcranial", safety={"goggles": True}))
    assert p.transport.method == "fast" and p.transport.head is None
    assert dict(plan_summary_rows(p))["light transport"].startswith("wide-field fast transport model")


def test_the_report_shows_the_transport_row(head_plan):
    from photodose.reports.html import render_plan_html
    from photodose.reports.plots import depth_dose_png

    png = depth_dose_png(head_plan)
    html = render_plan_html(head_plan, png, png)
    assert "light transport" in html and "3-D head (voxel Monte Carlo, ICBM152)" in html


def _cli(argv):
    result = CliRunner().invoke(app, ["plan", *argv])
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize("argv,option,why", [
    (["--device", "generic-headset-810", "--condition", "knee-osteoarthritis", "--transport", "head3d"],
     "--transport", "site is knee"),
    (["--device", "joovv-solo-3", "--condition", "depression-transcranial", "--transport", "head3d"],
     "--transport", "is a panel"),
    (["--device", "generic-headset-810", "--condition", "depression-transcranial", "--position", "F3"],
     "--position", "only with --transport head3d"),
    (["--device", "generic-headset-810", "--condition", "cognition-transcranial", "--transport", "head3d"],
     "--head-target", "names no target in the head"),
    (["--device", "generic-headset-810", "--condition", "depression-transcranial", "--transport", "head3d",
      "--head-target", "dlfpc"], "--head-target", "did you mean 'dlpfc'"),
    (["--device", "generic-headset-810", "--condition", "depression-transcranial", "--transport", "head3d",
      "--target-depth-mm", "12"], "--target-depth-mm", "no target depth"),
])
def test_bad_head3d_input_is_one_line_exit_2(argv, option, why):
    code, out = _cli(argv)
    assert code == 2, out
    lines = out.strip().splitlines()
    assert len(lines) == 1 and option in lines[0] and why in lines[0], out


def test_the_cli_table_shows_the_transport(head_plan):
    """Same request as the fixture: the head run is cached, so the CLI answers at once."""
    code, out = _cli(["--device", "generic-headset-810", "--condition", "depression-transcranial", "--transport",
                      HEAD3D, "--window", "0.3..0.6", "--goggles"])
    assert code == 0, out
    assert "light transport" in out and "3-D head" in out


def test_the_web_plan_page_offers_and_shows_the_head(head_plan, tmp_path, monkeypatch):
    from test_web_fixtures import client_for, csrf_of, make_app

    import photodose.dosimetry.depth_model as depth_model

    monkeypatch.setattr(depth_model, "DEFAULT_HEAD3D_PHOTONS", 20_000)   # the fixture's run, cached
    client = client_for(make_app(tmp_path, monkeypatch))
    form = {"device": "generic-headset-810", "site": "forehead", "skin_type": "III",
            "condition": "depression-transcranial", "goggles": "1", "transport": "head3d",
            "csrf_token": csrf_of(client, "/")}
    assert 'name="transport"' in client.get("/").text
    page = client.post("/plan", data=form)
    assert page.status_code == 200
    assert 'data-test="transport"' in page.text and "3-D head (voxel Monte Carlo, ICBM152)" in page.text
    shown = page.text[page.text.index('data-test="head-slices"'):]
    assert '<img src="data:image/png;base64,iVBORw0KGgo' in shown      # a PNG, embedded like the report's
    assert 'alt="Three slices of the head (sagittal, coronal, axial)' in shown and "<figcaption" in shown
    api = client.post("/api/plan", json={k: v for k, v in form.items() if k not in ("csrf_token", "goggles")}
                      | {"goggles": True})
    assert api.status_code == 200 and api.json()["transport"]["method"] == "head3d"
    typo = client.post("/api/plan", json={"device": "generic-headset-810", "site": "forehead",
                                          "condition": "depression-transcranial", "transport": "head3"})
    assert typo.status_code == 422 and "did you mean 'head3d'" in typo.text
    fast = client.post("/plan", data=form | {"transport": "fast", "csrf_token": csrf_of(client, "/")})
    assert fast.status_code == 200 and 'data-test="head-slices"' not in fast.text
    refused = client.post("/plan", data=form | {"site": "knee", "csrf_token": csrf_of(client, "/")})
    assert refused.status_code == 422 and "site on the head" in refused.text


def test_the_depth_dose_figures_mark_the_head_cortex_dose(head_plan):
    """The curves are the flat stack's; the plan's (head) cortex dose is a separate marker at the target depth."""
    from photodose.reports.plots import depth_dose_png
    from photodose.web.charts import depth_dose_figure

    assert depth_dose_png(head_plan).startswith(b"\x89PNG")
    marker = [t for t in depth_dose_figure(head_plan).data if t.name and t.name.startswith("cortex, 3-D head")]
    assert len(marker) == 1
    assert marker[0].x[0] == head_plan.target.depth_mm and marker[0].y[0] == head_plan.target.fluence_j_cm2


def _slices_of(html: str) -> bytes:
    import base64
    import re

    section = html[html.index("<h2>Dose in the head</h2>"):]
    return base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', section).group(1))


def test_the_report_shows_the_head_slices_of_the_plan_run(head_plan, tmp_path, monkeypatch):
    """The report draws the run the plan's numbers come from: the planner's cached run, no second Monte Carlo."""
    import photodose.dosimetry.head_dose as head_dose_module
    from photodose.dosimetry.session_dose import load_device_any
    from photodose.reports.html import write_plan_report

    def no_second_run(*a, **kw):
        raise AssertionError("the report ran the head Monte Carlo again")

    monkeypatch.setattr(head_dose_module, "head_dose_and_fluence", no_second_run)
    html = Path(write_plan_report(head_plan, load_device_any("generic-headset-810"), tmp_path / "r.html")).read_text()
    png = _slices_of(html)
    assert png.startswith(b"\x89PNG") and 20_000 < len(png) < 300_000
    head = head_plan.transport.head
    minutes = head_plan.session_seconds / 60
    caption = unescape(html[html.index("<figcaption>"):html.index("</figcaption>")])
    for words in (f"Fluence in the {minutes:.3g} min session (J/cm², log colour", "the device at F3, F4",
                  "the target 'dlpfc'", f"{head.cortex_fluence_j_cm2_per_min * minutes:.3g} +- ", "20,000 photons",
                  "Monte Carlo standard error", "the run the plan's numbers come from"):
        assert words in caption, words


def test_a_light_plan_without_the_head_has_no_slices():
    from photodose.reports.head_plots import plan_head_slices
    from photodose.reports.html import render_plan_html
    from photodose.reports.plots import depth_dose_png

    p = plan(PlanRequest(device="generic-headset-810", condition="depression-transcranial", safety={"goggles": True}))
    assert plan_head_slices(p, None) is None
    assert "Dose in the head" not in render_plan_html(p, depth_dose_png(p))


def test_a_run_that_does_not_match_the_plan_is_not_drawn(head_plan):
    """A changed device or head model would give another run: no picture, and the report says why."""
    from photodose.dosimetry.session_dose import load_device_any
    from photodose.reports.head_plots import plan_head_slices

    head = head_plan.transport.head
    edited = head_plan.model_copy(update={"transport": head_plan.transport.model_copy(update={
        "head": head.model_copy(update={"cortex_fluence_j_cm2_per_min": 2 * head.cortex_fluence_j_cm2_per_min})})})
    slices = plan_head_slices(edited, load_device_any("generic-headset-810"))
    assert slices.png is None and "left out" in slices.note


def test_a_cache_miss_repeats_the_same_head_run(head_plan):
    """The voxel Monte Carlo is deterministic for a seed: the run repeated from the plan's record is the plan's."""
    import numpy as np

    from photodose.dosimetry.session_dose import load_device_any
    from photodose.planning import head3d

    device = load_device_any("generic-headset-810")
    dose, fluence = head3d.plan_head_run(head_plan, device)
    head3d._head_minute.cache_clear()
    again, fluence_again = head3d.plan_head_run(head_plan, device)
    assert again.cortex_fluence_j_cm2 == dose.cortex_fluence_j_cm2 == \
        head_plan.transport.head.cortex_fluence_j_cm2_per_min
    assert np.array_equal(fluence, fluence_again, equal_nan=True)   # NaN: air outside the head
