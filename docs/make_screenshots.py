"""Screenshots of the Plan, Progress and Journal pages, and Progress on a 390 px phone, for the README
(run: python docs/make_screenshots.py).

Builds a demo journal in a temporary PHOTODOSE_HOME: one plan, three weeks of sessions and PHQ-9 / pain scores
(illustrative values for the picture, not data), then drives Debian's Chromium with Playwright.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests"))

from test_web_fixtures import CHROMIUM, CHROMIUM_ARGS, live_server  # noqa: E402

PLAN_FORM = {"device": "generic-panel-660-850", "condition": "knee-osteoarthritis", "site": "knee",
             "skin_type": "III", "distance": "30 cm"}
PHQ9_WEEKLY = [(2, 2, 1, 2, 1, 1, 2, 1, 0), (2, 1, 1, 2, 1, 1, 1, 1, 0), (1, 1, 1, 1, 1, 0, 1, 1, 0),
               (1, 1, 0, 1, 0, 0, 1, 0, 0)]
PAIN_WEEKLY = [7, 6, 5, 4]


def demo_journal(db_url: str) -> None:
    from photodose.journal import open_journal, repository
    from photodose.outcomes import score_items, score_total
    from photodose.usecases.log_session import log_session_from_plan
    from photodose.web.planning import make_plan

    db = open_journal(db_url)
    profile = repository.add_profile(db, "Alex", skin_phototype="III")
    plan = make_plan(**PLAN_FORM, goggles=True)
    start = datetime.now().replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=22)
    stored = repository.add_plan(db, profile.id, plan, created_at=start)
    for week in range(4):
        day0 = start + timedelta(days=7 * week)
        repository.log_outcome(db, profile.id, score_items("phq9", PHQ9_WEEKLY[week]), recorded_at=day0)
        repository.log_outcome(db, profile.id, score_total("pain", PAIN_WEEKLY[week]), site="knee", recorded_at=day0)
        for offset in (0, 2, 4):
            ended = day0 + timedelta(days=offset, minutes=15)
            if ended < datetime.now() - timedelta(hours=1):
                minutes = plan.session_seconds / 60 * (0.85 if (week + offset) % 3 == 0 else 1.0)
                log_session_from_plan(db, profile.id, stored.id, minutes * 60, ended_at=ended,
                                      notes="knee felt warm, no soreness" if (week, offset) == (2, 2) else None)
    db.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    from photodose.web import create_app

    with tempfile.TemporaryDirectory() as home:
        os.environ["PHOTODOSE_HOME"] = home
        db_url = str(Path(home) / "journal.sqlite")
        demo_journal(db_url)
        with live_server(create_app(db_url)) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(url + "/")
            for field, value in PLAN_FORM.items():
                (page.fill if field == "distance" else page.select_option)(f"#{field}", value)
            page.check("input[name=goggles]")
            page.click("text=Make plan")
            page.wait_for_selector("[data-plotly=depth-dose] .main-svg")
            page.wait_for_timeout(500)
            page.screenshot(path=str(HERE / "screenshot-plan.png"), type="png")
            if os.environ.get("PHOTODOSE_PHONE_SHOTS"):  # a 390 px phone view of the same plan, full page, to check
                page.set_viewport_size({"width": 390, "height": 844})
                page.screenshot(path=os.environ["PHOTODOSE_PHONE_SHOTS"], type="png", full_page=True)
            page.goto(url + "/progress")
            page.wait_for_selector("[data-plotly=progress-figure] .main-svg")
            page.wait_for_timeout(500)
            page.screenshot(path=str(HERE / "screenshot-progress.png"), type="png", full_page=True)
            page.goto(url + "/journal")  # the journal: sessions with notes, edit and delete, the timer
            page.screenshot(path=str(HERE / "screenshot-journal.png"), type="png", full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})  # a phone: no sideways scroll, charts fit
            page.goto(url + "/progress")
            page.wait_for_selector("[data-plotly=progress-figure] .main-svg")
            page.wait_for_timeout(500)
            page.screenshot(path=str(HERE / "screenshot-phone-progress.png"), type="png", full_page=True)
            browser.close()


if __name__ == "__main__":
    main()
