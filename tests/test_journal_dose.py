"""Session dose from the device, target dose from a plan, cumulative dose per site, adherence over a month."""

from datetime import date, datetime, timedelta

import pytest

from photodose.errors import PhotodoseInputError
from photodose.journal import cumulative_dose, sessions_for_site
from photodose.journal import repository as repo
from photodose.journal.adherence import plan_adherence, weekly_adherence
from photodose.journal.dosing import logged_session_dose, target_dose_from_plan
from conftest import both_backends
from test_journal_fixtures import PLAN, log


@pytest.fixture
def fake_catalog(monkeypatch):
    """A catalog with one device whose irradiance falls with the inverse square of distance (100 mW/cm2 at 100 mm)."""
    import photodose.devices.catalog as catalog
    import photodose.devices.irradiance as irradiance

    def load_device(device_id):
        if device_id != "square-law":
            raise PhotodoseInputError("device", device_id, "one of: square-law")
        return {"id": device_id}

    def irradiance_summary(device, distance_mm, channels=None):
        return {"total_mean_irradiance_mw_cm2": 100.0 * (100.0 / distance_mm) ** 2}

    monkeypatch.setattr(catalog, "load_device", load_device)
    monkeypatch.setattr(irradiance, "irradiance_summary", irradiance_summary)


def test_surface_dose_is_irradiance_times_time(fake_catalog):
    # pbm_facts.md section 1: J/cm2 = mW/cm2 x s / 1000; 25 mW/cm2 at 200 mm for 12 min -> 18 J/cm2
    d = logged_session_dose("square-law", 200.0, 12 * 60, "knee")
    assert d.surface_irradiance_mw_cm2 == pytest.approx(25.0)
    assert d.surface_fluence_j_cm2 == pytest.approx(18.0)
    assert d.target_fluence_j_cm2 is None and d.target_depth_mm is None


def test_unknown_device_refused(fake_catalog):
    with pytest.raises(PhotodoseInputError, match="device"):
        logged_session_dose("no-such-panel", 150.0, 600, "knee")


def test_real_catalog_device():
    from photodose.devices.catalog import list_devices

    device_id = list_devices()[0].id
    near = logged_session_dose(device_id, 100.0, 600, "knee")
    far = logged_session_dose(device_id, 300.0, 600, "knee")
    assert 0 < far.surface_irradiance_mw_cm2 < near.surface_irradiance_mw_cm2
    assert near.surface_fluence_j_cm2 == pytest.approx(near.surface_irradiance_mw_cm2 * 600 / 1000)
    with pytest.raises(PhotodoseInputError):
        logged_session_dose("no-such-device-xyz", 150.0, 600, "knee")


def test_target_dose_scales_with_time_and_irradiance():
    # plan: 3 J/cm2 at 10 mm in 600 s at 50 mW/cm2 -> 0.005 J/cm2 per s at that irradiance
    dev = PLAN.device
    assert target_dose_from_plan(PLAN, "knee", dev, 600, 50.0) == (10.0, pytest.approx(3.0))
    assert target_dose_from_plan(PLAN, "knee", dev, 300, 50.0)[1] == pytest.approx(1.5)
    assert target_dose_from_plan(PLAN, "knee", dev, 600, 25.0)[1] == pytest.approx(1.5)
    assert target_dose_from_plan(PLAN, "forearm", dev, 600, 50.0) == (None, None)
    assert target_dose_from_plan(PLAN.model_copy(update={"target": None}), "knee", dev, 600, 50.0) == (None, None)


def test_a_panel_plan_gives_no_target_dose_to_a_laser_session_logged_against_it():
    """The untyped plan was read by the wrong key ("device_id"; the planner wrote "device"), so a panel plan's
    target dose carried over to a laser-probe session (105.9 J/cm2 at 10 mm)."""
    assert target_dose_from_plan(PLAN, "knee", "generic-laser-probe-808", 600, 50.0) == (None, None)


@both_backends
def test_cumulative_dose_per_day_week_and_course(journal):
    p = repo.add_profile(journal, "ann")
    monday = datetime(2026, 10, 5, 8)  # ISO week 2026-W41
    log(journal, p.id, monday, irradiance=50, duration_s=600, target=2.0)             # 30 J/cm2
    log(journal, p.id, monday + timedelta(hours=10), irradiance=20, duration_s=300)   # 6 J/cm2, same day
    log(journal, p.id, monday + timedelta(days=7), irradiance=40, duration_s=500, target=1.0)  # 20, W42
    log(journal, p.id, monday + timedelta(days=1), site="forearm", irradiance=100, duration_s=600)  # other site
    total = cumulative_dose(journal, p.id, "Knee")
    assert total.course.n_sessions == 3
    assert total.course.surface_fluence_j_cm2 == pytest.approx(56.0)
    assert total.course.target_fluence_j_cm2 == pytest.approx(3.0) and total.course.n_with_target == 2
    assert total.by_day[date(2026, 10, 5)].surface_fluence_j_cm2 == pytest.approx(36.0)
    assert {k: v.surface_fluence_j_cm2 for k, v in total.by_iso_week.items()} == \
        {"2026-W41": pytest.approx(36.0), "2026-W42": pytest.approx(20.0)}
    later = cumulative_dose(journal, p.id, "knee", since=monday + timedelta(hours=1))
    assert later.course.surface_fluence_j_cm2 == pytest.approx(26.0)
    window = cumulative_dose(journal, p.id, "knee", since=monday, until=monday + timedelta(days=1))
    assert window.course.n_sessions == 2
    rows = sessions_for_site(journal, p.id, "knee", since=monday + timedelta(hours=1))
    assert [(r.start_at, r.surface_fluence_j_cm2) for r in rows] == [
        (monday + timedelta(hours=10), pytest.approx(6.0)), (monday + timedelta(days=7), pytest.approx(20.0))]
    assert cumulative_dose(journal, p.id, "calf").course.n_sessions == 0


def synthetic_month(course_start: datetime, per_week: list[list[int]]) -> list[datetime]:
    """Session times: for each week, sessions on the given weekdays (0 = Monday) at 08:00."""
    return [course_start + timedelta(days=7 * w + d) for w, days in enumerate(per_week) for d in days]


def test_adherence_over_a_synthetic_month():
    start = datetime(2026, 10, 5, 8)  # a Monday
    # 3 sessions/week planned for 4 weeks; done: 3, 2, 4, 3 -> week 2 misses one
    times = synthetic_month(start, [[0, 2, 4], [1, 3], [0, 1, 3, 5], [0, 2, 4]])
    a = weekly_adherence(times, 3, 4, start.date(), today=date(2026, 11, 2))
    assert [w.done for w in a.by_week] == [3, 2, 4, 3]
    assert [w.missed for w in a.by_week] == [0, 1, 0, 0]
    assert [w.status for w in a.by_week] == ["met", "short", "met", "met"]
    assert (a.sessions_done, a.sessions_planned_so_far, a.sessions_missed) == (12, 12, 1)
    assert (a.current_streak_weeks, a.longest_streak_weeks) == (2, 2)
    assert [w.iso_week for w in a.by_week] == ["2026-W41", "2026-W42", "2026-W43", "2026-W44"]


def test_adherence_mid_course_and_partial_first_week():
    start = datetime(2026, 10, 9, 8)  # a Friday: 3 days left in the first ISO week
    times = synthetic_month(start, [[0, 1], [3]])  # Fri + Sat; then the next Monday
    a = weekly_adherence(times, 5, 3, start.date(), today=date(2026, 10, 14))
    assert [w.planned for w in a.by_week] == [3, 5, 5]
    assert [w.status for w in a.by_week] == ["short", "in progress", "upcoming"]
    assert a.sessions_missed == 1 and a.current_streak_weeks == 0
    before = weekly_adherence([start - timedelta(days=3)], 5, 3, start.date(), today=date(2026, 10, 14))
    assert before.sessions_outside_course == 1 and before.sessions_done == 0


@both_backends
def test_plan_adherence_from_stored_plan(journal):
    p = repo.add_profile(journal, "ann")
    plan = repo.add_plan(journal, p.id, PLAN, created_at=datetime(2026, 10, 5, 7))
    for t in synthetic_month(datetime(2026, 10, 5, 8), [[0, 2, 4], [1, 3], [0, 1, 3], [0, 2, 4]]):
        log(journal, p.id, t, plan_id=plan.id)
    log(journal, p.id, datetime(2026, 10, 6, 9))  # not logged against the plan: not counted
    a = plan_adherence(journal, p.id, plan.id, today=date(2026, 11, 2))
    assert [w.done for w in a.by_week] == [3, 2, 3, 3] and a.sessions_missed == 1
    with pytest.raises(PhotodoseInputError, match="plan"):
        repo.add_plan(journal, p.id, {"session_seconds": 600})  # not a plan: refused before it is stored
