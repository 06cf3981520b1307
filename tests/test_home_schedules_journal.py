"""Schedules people are told to follow (ramp-up, daily-then-taper) with the adherence they give, and the journal as
people use it: course start, one session over several sites, BDI-II total, side effects (issue 15, items 4-5)."""

from datetime import date, datetime, timedelta

import pytest

from photodose.errors import PhotodoseInputError
from photodose.journal import repository as repo
from photodose.journal.adherence import plan_adherence, weekly_adherence
from photodose.planning.schedule import apply_schedule, weekly_plan
from test_journal_fixtures import PLAN, log

MONDAY = datetime(2026, 10, 5, 8)  # a Monday


def test_ramp_up_keeps_the_frequency_and_shortens_the_first_two_weeks():
    s = apply_schedule(PLAN, "ramp-up").schedule
    weeks = weekly_plan(s)
    assert [w[1] for w in weeks] == [0.5, 0.75, 1.0, 1.0] and all(w[0] == 3 for w in weeks)
    assert s.total_sessions == 12 and s.unsourced and "unsourced" in s.source
    assert s.phases[-1].source == PLAN.schedule.source  # the protocol's own weeks keep the protocol's label


def test_daily_then_taper_plans_7_then_the_midpoint_then_maintenance():
    s = apply_schedule(PLAN.model_copy(update={"schedule": PLAN.schedule.model_copy(update={"weeks": 8})}),
                       "daily-then-taper").schedule
    assert [w[0] for w in weekly_plan(s)] == [7, 7, 5, 5, 3, 3, 3, 3]
    assert s.total_sessions == sum(w[0] for w in weekly_plan(s)) == 36 and s.unsourced


def test_unknown_schedule_is_refused_naming_the_option():
    with pytest.raises(PhotodoseInputError, match="--schedule"):
        apply_schedule(PLAN, "fortnightly")


def test_taper_adherence_counts_daily_weeks_against_seven():
    taper = apply_schedule(PLAN.model_copy(update={"schedule": PLAN.schedule.model_copy(update={"weeks": 6})}),
                           "daily-then-taper").schedule
    done = [[0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4], [0, 2, 4, 6], [0, 2, 4], [0, 2]]
    starts = [MONDAY + timedelta(days=7 * w + d) for w, days in enumerate(done) for d in days]
    a = weekly_adherence(starts, 3, 6, MONDAY.date(), date(2026, 11, 16), weekly_plan(taper))
    assert [w.planned for w in a.by_week] == [7, 7, 5, 5, 3, 3]
    assert [w.status for w in a.by_week] == ["met", "short", "met", "short", "met", "short"]
    assert a.sessions_missed == 1 + 1 + 1 and a.sessions_done == len(starts)


def test_backdated_sessions_start_the_course_at_the_first_linked_session(journal):
    """Nine back-dated sessions logged after the plan was stored: 9 of 9 done, not '0 of 3'."""
    p = repo.add_profile(journal, "ann")
    plan = repo.add_plan(journal, p.id, PLAN, created_at=datetime(2026, 11, 2, 7))
    for t in [MONDAY + timedelta(days=7 * w + d) for w in range(3) for d in (0, 2, 4)]:
        log(journal, p.id, t, plan_id=plan.id)
    a = plan_adherence(journal, p.id, plan.id, today=date(2026, 10, 25))
    assert a.course_start == MONDAY.date() and a.course_start_from == "first session"
    assert (a.sessions_done, a.sessions_planned_so_far, a.sessions_missed) == (9, 9, 0)


def test_log_plan_start_date_starts_the_course_and_earlier_sessions_are_outside(journal):
    p = repo.add_profile(journal, "ann")
    plan = repo.add_plan(journal, p.id, PLAN, course_start=datetime(2026, 10, 12))
    log(journal, p.id, MONDAY, plan_id=plan.id)  # the week before --start
    log(journal, p.id, MONDAY + timedelta(days=7), plan_id=plan.id)
    a = plan_adherence(journal, p.id, plan.id, today=date(2026, 10, 14))
    assert a.course_start == date(2026, 10, 12) and a.course_start_from == "--start"
    assert a.sessions_done == 1 and a.sessions_outside_course == 1
    assert a.outside_course == [MONDAY.isoformat(sep=" ")]


@pytest.fixture
def person(journal):
    return repo.add_profile(journal, "ann")


def test_one_session_over_three_sites_stores_each_sites_dose_and_counts_once(journal, person):
    from photodose.journal.dosing import logged_session_dose
    from photodose.usecases.log_session import log_session

    plan = repo.add_plan(journal, person.id, PLAN)
    logged = log_session(journal, person.id, site=["face", "abdomen", "knee"], device_id="generic-panel-660-850",
                         distance_mm=150.0, duration_s=600.0, start_at=MONDAY, plan_id=plan.id)
    assert [s["site"] for s in logged.sessions] == ["face", "abdomen", "knee"]
    assert len({s["session_group"] for s in logged.sessions}) == 1 and logged.sessions[0]["session_group"]
    for s in logged.sessions:  # each site gets the device's dose at the distance for the whole session
        expected = logged_session_dose("generic-panel-660-850", 150.0, 600.0, s["site"])
        assert s["surface_fluence_j_cm2"] == pytest.approx(expected.surface_fluence_j_cm2)
    assert plan_adherence(journal, person.id, plan.id, today=MONDAY.date()).sessions_done == 1


def test_a_site_twice_in_one_session_writes_nothing(journal, person):
    from photodose.usecases.log_session import log_session

    with pytest.raises(PhotodoseInputError, match="site"):
        log_session(journal, person.id, site=["knee", "knee"], device_id="generic-panel-660-850",
                    distance_mm=150.0, duration_s=600.0, start_at=MONDAY)
    assert repo.list_sessions(journal, person.id) == []


def test_daily_week_of_a_taper_is_no_sessions_per_week_overdose(journal, person):
    from photodose.usecases.log_session import log_session

    steady = repo.add_plan(journal, person.id, PLAN)
    taper = repo.add_plan(journal, person.id, apply_schedule(PLAN, "daily-then-taper"))

    def week(plan_id, site):
        names = []
        for d in range(6):
            names += [w.name for w in log_session(
                journal, person.id, site=site, device_id="generic-panel-660-850", distance_mm=300.0,
                duration_s=300.0, start_at=MONDAY + timedelta(days=d), plan_id=plan_id).overdose_warnings]
        return names

    assert "overdose:sessions_per_week" in week(steady.id, "thigh")
    assert "overdose:sessions_per_week" not in week(taper.id, "calf")


def test_a_ramp_up_week_warns_about_a_full_length_session(journal, person):
    from photodose.usecases.log_session import log_session

    plan = repo.add_plan(journal, person.id, apply_schedule(PLAN, "ramp-up"))
    full = log_session(journal, person.id, site="knee", device_id="generic-panel-660-850", distance_mm=150.0,
                       duration_s=600.0, start_at=MONDAY, plan_id=plan.id)
    assert [w.name for w in full.overdose_warnings if w.name.startswith("schedule")] == ["schedule:session_length"]
    half = log_session(journal, person.id, site="knee", device_id="generic-panel-660-850", distance_mm=150.0,
                       duration_s=300.0, start_at=MONDAY + timedelta(days=2), plan_id=plan.id)
    assert not [w for w in half.overdose_warnings if w.name.startswith("schedule")]


def test_side_effects_are_stored_validated_and_shown_in_the_next_plan_for_the_site(journal, person):
    from photodose.planning.request import PlanRequest
    from photodose.usecases import plan_for_profile
    from photodose.usecases.log_session import log_session

    logged = log_session(journal, person.id, site="knee", device_id="generic-panel-660-850", distance_mm=150.0,
                         duration_s=600.0, start_at=MONDAY, side_effects=["redness:moderate", "headache"])
    assert logged.session["side_effects"] == [{"effect": "redness", "severity": "moderate"},
                                              {"effect": "headache", "severity": "mild"}]
    with pytest.raises(PhotodoseInputError, match="--side-effect"):
        log_session(journal, person.id, site="knee", device_id="generic-panel-660-850", distance_mm=150.0,
                    duration_s=600.0, start_at=MONDAY, side_effects=["sunburn:severe"])
    plan = plan_for_profile(PlanRequest(device="generic-panel-660-850", condition="knee-osteoarthritis"), journal,
                            person, now=MONDAY + timedelta(days=3))
    (line,) = [w for w in plan.warnings if "side effects" in w]
    assert "redness (moderate)" in line and "shorter sessions or more distance" in line


@pytest.mark.parametrize("total, band", [(0, "minimal"), (13, "minimal"), (14, "mild"), (19, "mild"),
                                         (20, "moderate"), (28, "moderate"), (29, "severe"), (63, "severe")])
def test_bdi2_total_takes_the_manuals_bands_at_their_edges(total, band):
    from photodose.outcomes import score_total

    assert score_total("bdi2", total).band == band


def test_bdi2_has_no_items_and_refuses_totals_outside_0_63():
    from photodose.outcomes import get_instrument, score_total

    assert get_instrument("bdi2").n_items == 0 and get_instrument("bdi2").item_labels == ()
    with pytest.raises(PhotodoseInputError):
        score_total("bdi2", 64)


def test_upgrade_from_revision_4_adds_course_start_group_and_side_effects_and_keeps_data(tmp_path):
    from sqlalchemy import inspect, text

    from photodose.journal import open_journal

    path = tmp_path / "rev4.sqlite"
    old = open_journal(str(path), migrate_to="0004")
    with old.engine.begin() as c:
        c.execute(text("INSERT INTO profiles (id, name, created_at) VALUES (1, 'kept', '2026-10-01 08:00:00')"))
    old.close()
    j = open_journal(str(path))
    assert {"session_group", "side_effects"} <= {c["name"] for c in inspect(j.engine).get_columns("sessions")}
    assert "course_start" in {c["name"] for c in inspect(j.engine).get_columns("plans")}
    assert repo.get_profile(j).name == "kept"
    j.close()


def test_export_import_keeps_course_start_groups_and_side_effects(journal, person):
    from photodose.journal.exchange import export_profile, import_profile
    from photodose.usecases.log_session import log_session

    plan = repo.add_plan(journal, person.id, PLAN, course_start=datetime(2026, 10, 5))
    log_session(journal, person.id, site=["face", "knee"], device_id="generic-panel-660-850", distance_mm=150.0,
                duration_s=600.0, start_at=MONDAY, plan_id=plan.id, side_effects=["warmth:mild"])
    data = export_profile(journal, person.id)
    copy = import_profile(journal, data, rename="ann2")
    sessions = repo.list_sessions(journal, copy.id)
    assert [s.side_effects for s in sessions] == [[{"effect": "warmth", "severity": "mild"}]] * 2
    assert len({s.session_group for s in sessions}) == 1
    assert repo.list_plans(journal, copy.id)[0].course_start == datetime(2026, 10, 5)
    data["sessions"][0]["side_effects"] = [{"effect": "sunburn", "severity": "mild"}]
    with pytest.raises(PhotodoseInputError, match="side_effects"):
        import_profile(journal, data, rename="ann3")


def test_schedule_command_lists_the_weeks_with_minutes():
    import json

    from typer.testing import CliRunner

    from photodose.cli import app

    result = CliRunner().invoke(app, ["schedule", "--condition", "knee-osteoarthritis", "--schedule", "ramp-up",
                                      "--minutes", "10", "--json"])
    assert result.exit_code == 0, result.output
    weeks = json.loads(result.stdout)["weeks"]
    assert [w["minutes"] for w in weeks[:3]] == [5.0, 7.5, 10.0]


def test_progress_series_carries_the_side_effects_beside_the_dose(journal, person, tmp_path):
    from photodose.journal.plots import plot_progress_png
    from photodose.journal.progress import progress_series
    from photodose.usecases.log_session import log_session

    log_session(journal, person.id, site="knee", device_id="generic-panel-660-850", distance_mm=150.0,
                duration_s=600.0, start_at=MONDAY, side_effects=["swelling:severe"])
    log_session(journal, person.id, site="knee", device_id="generic-panel-660-850", distance_mm=150.0,
                duration_s=600.0, start_at=MONDAY + timedelta(days=2))
    series = progress_series(journal, person.id)
    ((when, site, dose, text),) = series.side_effects
    assert (when, site, text) == (MONDAY, "knee", "swelling (severe)")
    assert dose == series.dose_by_site["knee"][1][0]
    assert plot_progress_png(series, tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
