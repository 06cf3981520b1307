"""Phone and keyboard, in Chromium (Playwright, Debian's /usr/bin/chromium): every page at 390 px and 1280 px has
no serious or critical axe-core violation, no horizontal scroll of the page, and charts as wide as their card;
focus goes to the first error of a failed form; the session timer survives a reload, alerts once at the planned
end (tone, notification, one spoken line) and is not re-announced while it runs.

axe-core 4.14.1 (Deque Systems, MPL-2.0) is vendored as tests/data/axe/axe.min.js (`npm pack axe-core`)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from test_web_fixtures import CHROMIUM, CHROMIUM_ARGS, live_server, make_app

playwright_api = pytest.importorskip("playwright.sync_api")

AXE_JS = Path(__file__).parent / "data" / "axe" / "axe.min.js"
WIDTHS = (390, 1280)
BLOCKING = ("serious", "critical")
PLAN_FORM = {"device": "generic-panel-660-850", "condition": "knee-osteoarthritis", "site": "knee",
             "skin_type": "III", "distance": "30 cm"}
DOME = {"device": "generic-infrared-sauna-dome", "condition": "depression-whole-body-hyperthermia"}


def populate(db_url: str) -> None:
    """A profile with a saved plan, two weeks of sessions (one with notes), PHQ-9 and pain scores."""
    from photodose.journal import open_journal, repository
    from photodose.outcomes import score_items, score_total
    from photodose.usecases.log_session import log_session_from_plan
    from photodose.web.planning import make_plan

    db = open_journal(db_url)
    profile = repository.add_profile(db, "Alex", skin_phototype="III")
    plan = make_plan(**PLAN_FORM, goggles=True)
    start = datetime.now().replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=15)
    stored = repository.add_plan(db, profile.id, plan, created_at=start)
    for day in (0, 2, 4, 7, 9, 11):
        log_session_from_plan(db, profile.id, stored.id, plan.session_seconds, ended_at=start + timedelta(days=day),
                              notes="knee warm afterwards, no pain" if day == 2 else None)
    for week, items in enumerate(((2, 2, 1, 2, 1, 1, 2, 1, 0), (1, 1, 1, 1, 1, 0, 1, 1, 0))):
        repository.log_outcome(db, profile.id, score_items("phq9", items), recorded_at=start + timedelta(days=7 * week))
        repository.log_outcome(db, profile.id, score_total("pain", 6 - 2 * week), site="knee",
                               recorded_at=start + timedelta(days=7 * week), notes="after stairs")
    db.close()


def stored_monte_carlo_job(home: Path) -> str:
    """A finished 2,000-photon Monte Carlo job in the app's job store (read back when the app starts)."""
    from dataclasses import asdict

    from photodose.web import montecarlo
    from photodose.web.jobs import Job
    from photodose.web.owners import LOCAL_USER

    params = montecarlo.check_request("knee", 660, "III", 2000, 1)
    job = Job("a11y-job", LOCAL_USER, "Monte Carlo 660 nm, knee, 2,000 photons", kind="montecarlo", units=2000,
              status="done", progress=1.0, result=montecarlo.run_depth_dose(params, lambda *_: None),
              started_at=0.0, finished_at=1.0)
    (home / "jobs").mkdir()
    (home / "jobs" / f"{job.id}.json").write_text(json.dumps(asdict(job)))
    return job.id


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed")
    tmp = tmp_path_factory.mktemp("a11y")
    mp = pytest.MonkeyPatch()
    stored_monte_carlo_job(tmp)
    app = make_app(tmp, mp)
    populate(str(tmp / "journal.sqlite"))
    login_app = make_app(tmp_path_factory.mktemp("a11y-login"), mp, require_login=True)
    with live_server(app) as url, live_server(login_app) as login_url, playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium, url, login_url
        chromium.close()
    mp.undo()


def _fill_plan(page, url, form, distance=None):
    page.goto(url + "/")
    for field, value in form.items():
        (page.fill if field == "distance" else page.select_option)(f"#{field}", value)
    if distance is not None:
        page.fill("#distance", distance)
    page.click("text=Make plan")
    page.wait_for_load_state()


def _calibrated(page, url):
    """A Joovv calibrated from three readings in inches: the result table holds the claim's long source."""
    page.goto(url + "/devices?device=joovv-solo-3")
    page.fill("#readings", "6 in, 62\n12 in, 30\n18 in, 17")
    page.click("button:has-text('Calibrate')")
    page.wait_for_selector("text=Manufacturer claim")


def _heat_report(page, url):
    """The heat plan's HTML report (the same page ``photodose plan --report`` writes), from the plan page's link."""
    _fill_plan(page, url, DOME)
    page.goto(url + page.get_attribute('[data-test="heat-report"]', "href"))


PAGES = {
    "plan form": lambda page, url, _: page.goto(url + "/"),
    "plan": lambda page, url, _: _fill_plan(page, url, PLAN_FORM),
    "plan, failed form": lambda page, url, _: _fill_plan(page, url, PLAN_FORM, distance="far away"),
    "heat plan": lambda page, url, _: _fill_plan(page, url, DOME),
    "heat plan report": lambda page, url, _: _heat_report(page, url),
    "devices": lambda page, url, _: page.goto(url + "/devices"),
    "devices, calibrated": lambda page, url, _: _calibrated(page, url),
    "screening": lambda page, url, _: page.goto(url + "/screening"),
    "journal": lambda page, url, _: page.goto(url + "/journal"),
    "journal, edit session": lambda page, url, _: page.goto(url + "/journal/sessions/2/edit"),
    "journal, delete plan": lambda page, url, _: page.goto(url + "/journal/plans/1/delete"),
    "progress": lambda page, url, _: page.goto(url + "/progress"),
    "profile": lambda page, url, _: page.goto(url + "/profile"),
    "monte carlo": lambda page, url, _: page.goto(url + "/montecarlo"),
    "monte carlo result": lambda page, url, _: page.goto(url + "/montecarlo?job=a11y-job"),
    "not found": lambda page, url, _: page.goto(url + "/no-such-page"),
    "login": lambda page, _, login_url: page.goto(login_url + "/login"),
}
CHARTS = {"plan": "depth-dose", "heat plan": "core-temperature", "devices": "irradiance-figure",
          "devices, calibrated": "irradiance-figure",
          "progress": "progress-figure", "monte carlo result": "mc-figure"}


def audit(page) -> dict:
    """axe-core's serious and critical violations, the page's horizontal overflow, and each chart's width
    against its container's."""
    if page.locator("[data-plotly]").count():
        page.wait_for_selector("[data-plotly] .main-svg")
        page.wait_for_timeout(200)  # Plotly's responsive resize
    page.add_script_tag(path=str(AXE_JS))
    checked = page.evaluate("""async () => { const r = await axe.run(document);
        return {passes: r.passes.length, violations: r.violations.map(v => (
            {id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))}; }""")
    assert checked["passes"] > 10  # axe ran its rules on a real page
    violations = checked["violations"]
    return {
        "blocking": [v for v in violations if v["impact"] in BLOCKING],
        "other": [v for v in violations if v["impact"] not in BLOCKING],
        "overflow_px": page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
        "charts": page.evaluate("""[...document.querySelectorAll('[data-plotly]')].map(el => [
            el.querySelector('.main-svg').getBoundingClientRect().width, el.clientWidth, el._fullLayout._size.w])"""),
    }


@pytest.mark.slow
def test_every_page_at_390_and_1280_px_passes_axe_without_page_scroll(browser):
    chromium, url, login_url = browser
    context = chromium.new_context(bypass_csp=True)  # axe is injected as a script tag; the app's CSP forbids it
    page = context.new_page()
    page.set_default_timeout(30_000)
    found, summary = [], []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, visit in PAGES.items():
            visit(page, url, login_url)
            if name != "not found":
                assert not page.title().startswith(("Page not found", "Something went wrong")), name
            if name in CHARTS:
                assert page.locator(f"[data-plotly={CHARTS[name]}]").count() == 1, name
            result = audit(page)
            summary.append(f"{width} px {name}: {len(result['blocking'])} serious/critical, "
                           f"{len(result['other'])} minor/moderate, overflow {result['overflow_px']} px")
            if result["blocking"]:
                found.append(f"{width} px {name}: {result['blocking']}")
            if result["overflow_px"] > 0:
                found.append(f"{width} px {name}: the page scrolls sideways by {result['overflow_px']} px")
            for svg_px, box_px, plot_px in result["charts"]:
                if abs(svg_px - box_px) > 2 or svg_px < min(300, width - 80):
                    found.append(f"{width} px {name}: a chart {svg_px:.0f} px wide in a {box_px} px box")
                if plot_px < 0.6 * svg_px:  # the plot, not its legend and margins, has most of the width
                    found.append(f"{width} px {name}: a plot area {plot_px:.0f} px of a {svg_px:.0f} px chart")
    context.close()
    print("\n".join(summary))
    assert not found, "\n".join(found)


@pytest.mark.slow  # the module's browser and server take ~16 s to start: CI runs it, `pytest -m "not slow"` skips it
def test_focus_moves_to_the_first_error_of_a_failed_form(browser):
    chromium, url, _ = browser
    page = chromium.new_page()
    _fill_plan(page, url, PLAN_FORM, distance="far away")
    assert page.evaluate("document.activeElement.id") == "distance"
    page.goto(url + "/journal")
    row = page.locator("form.plan-row").first
    row.locator("input[name=minutes]").fill("-3")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "minutes-1"
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    page.close()


TIMER_SPY = """
window.__tones = 0; window.__notes = [];
const Real = window.AudioContext;
window.AudioContext = class extends Real {
  createOscillator() { const o = super.createOscillator(); const s = o.start.bind(o);
                       o.start = (...a) => { window.__tones += 1; return s(...a); }; return o; }
};
window.Notification = class { constructor(title, opts) { window.__notes.push(opts.body); } };
window.Notification.permission = "granted";
window.Notification.requestPermission = async () => "granted";
"""


@pytest.mark.slow  # as above
def test_timer_survives_a_reload_and_alerts_once_at_the_planned_end(browser):
    chromium, url, _ = browser
    context = chromium.new_context()
    context.add_init_script(TIMER_SPY)
    page = context.new_page()
    page.goto(url + "/journal")
    row = page.locator("form.plan-row").first
    planned_s = float(row.get_attribute("data-planned-seconds"))
    assert row.locator("[aria-live]").count() == 0 and row.locator(".clock").get_attribute("aria-live") is None
    row.locator("[data-timer-start]").click()
    assert row.locator(".timer-status").inner_text() == "Timer started."
    page.wait_for_timeout(1600)  # three ticks: the spoken status does not change with them
    assert row.locator(".timer-status").inner_text() == "Timer started."
    page.reload()
    row = page.locator("form.plan-row").first
    playwright_api.expect(row.locator(".clock")).not_to_have_text("00:00", timeout=5000)  # it kept running
    assert row.locator("[data-timer-stop]").is_visible()
    key = row.get_attribute("data-timer-key")
    # move the start back to just before the planned end, as if the session had run that long
    page.evaluate("([key, s]) => { const t = JSON.parse(localStorage.getItem(key));"
                  " t.began = Date.now() - s * 1000 + 1500; localStorage.setItem(key, JSON.stringify(t)); }",
                  [key, planned_s])
    page.reload()
    row = page.locator("form.plan-row").first
    playwright_api.expect(row.locator(".timer-status")).to_contain_text("Planned time reached", timeout=5000)
    assert page.evaluate("window.__tones") == 3 and len(page.evaluate("window.__notes")) == 1
    assert "clock done" in row.locator(".clock").get_attribute("class").replace("clock  done", "clock done")
    page.reload()  # announced once: not again after a reload
    page.wait_for_timeout(800)
    assert page.evaluate("window.__tones") == 0 and page.evaluate("window.__notes") == []
    page.locator("form.plan-row").first.locator("[data-timer-stop]").click()
    assert float(page.locator("form.plan-row").first.locator("input[name=minutes]").input_value()) >= planned_s / 60
    context.close()
