"""A journal that can be corrected: edit and delete sessions, outcomes and plans, each in one transaction with the
inserts' checks; the same plan saved twice is stored once."""

from datetime import datetime, timedelta

import pytest

from conftest import both_backends
from photodose.errors import PhotodoseInputError
from photodose.journal import repository as repo
from photodose.outcomes import score_items, score_total
from test_journal_fixtures import PLAN, dose, log

WHEN = datetime(2026, 10, 5, 8)
pytestmark = both_backends  # the same on SQLite and PostgreSQL


@pytest.fixture
def ann(journal):
    return repo.add_profile(journal, "ann")


def test_saving_the_same_plan_twice_stores_one(journal, ann):
    first = repo.add_plan(journal, ann.id, PLAN)
    again = repo.add_plan(journal, ann.id, PLAN.model_dump(mode="json"))  # the same plan as JSON (the API's way)
    assert again.id == first.id and len(repo.list_plans(journal, ann.id)) == 1
    other = repo.add_plan(journal, repo.add_profile(journal, "bob").id, PLAN)  # another profile has its own
    assert other.id != first.id


def test_editing_a_sessions_length_rescales_its_dose(journal, ann):
    # fluence = irradiance x time (J/cm2 = mW/cm2 x s / 1000): 50 mW/cm2 for 600 s = 30 J/cm2; 300 s gives 15
    row = log(journal, ann.id, WHEN, irradiance=50.0, duration_s=600.0, target=3.0)
    assert row.surface_fluence_j_cm2 == pytest.approx(30.0)
    edited = repo.update_session(journal, ann.id, row.id, duration_s=300.0, notes="stopped early",
                                 start_at=WHEN + timedelta(hours=2), warmth_0_10=4)
    stored = repo.get_session(journal, ann.id, row.id)
    assert edited.id == row.id
    assert stored.duration_s == 300.0 and stored.surface_fluence_j_cm2 == pytest.approx(15.0)
    assert stored.target_fluence_j_cm2 == pytest.approx(1.5)
    assert stored.surface_irradiance_mw_cm2 == 50.0
    assert (stored.notes, stored.start_at, stored.warmth_0_10) == ("stopped early", WHEN + timedelta(hours=2), 4)
    repo.update_session(journal, ann.id, row.id, notes="")  # an emptied note is cleared, the rest kept
    stored = repo.get_session(journal, ann.id, row.id)
    assert stored.notes is None and stored.duration_s == 300.0


@pytest.mark.parametrize("change, field", [
    ({"duration_s": 0}, "duration_s"), ({"duration_s": float("nan")}, "duration_s"),
    ({"start_at": datetime.now() + timedelta(days=2)}, "at"), ({"start_at": datetime(1900, 1, 1)}, "at"),
    ({"warmth_0_10": 11}, "warmth"), ({"warmth_0_10": 2.5}, "warmth"),
])
def test_a_refused_session_edit_names_the_field_and_writes_nothing(journal, ann, change, field):
    row = log(journal, ann.id, WHEN)
    with pytest.raises(PhotodoseInputError) as err:
        repo.update_session(journal, ann.id, row.id, notes="should not be kept", **change)
    assert err.value.field == field
    stored = repo.get_session(journal, ann.id, row.id)
    assert stored.notes is None and stored.duration_s == 600.0 and stored.start_at == WHEN


def test_another_profiles_rows_cannot_be_edited_or_deleted(journal, ann):
    bob = repo.add_profile(journal, "bob")
    row = log(journal, ann.id, WHEN)
    outcome = repo.log_outcome(journal, ann.id, score_total("pain", 5), site="knee", recorded_at=WHEN)
    plan = repo.add_plan(journal, ann.id, PLAN)
    for call in (lambda: repo.update_session(journal, bob.id, row.id, notes="x"),
                 lambda: repo.delete_session(journal, bob.id, row.id),
                 lambda: repo.update_outcome(journal, bob.id, outcome.id, notes="x"),
                 lambda: repo.delete_outcome(journal, bob.id, outcome.id),
                 lambda: repo.delete_plan(journal, bob.id, plan.id)):
        with pytest.raises(PhotodoseInputError):
            call()
    assert len(repo.list_sessions(journal, ann.id)) == len(repo.list_outcomes(journal, ann.id)) == 1
    assert len(repo.list_plans(journal, ann.id)) == 1


def test_a_session_over_several_sites_is_edited_and_deleted_whole(journal, ann):
    rows = repo.log_session_sites(journal, ann.id, [("knee", dose(50, 600)), ("forearm", dose(20, 600))],
                                  start_at=WHEN, duration_s=600, device_id="test-panel", distance_mm=150,
                                  session_group="g1")
    repo.update_session(journal, ann.id, rows[0].id, duration_s=1200)
    by_site = {r.site: r for r in repo.list_sessions(journal, ann.id)}
    assert by_site["knee"].surface_fluence_j_cm2 == pytest.approx(60.0)
    assert by_site["forearm"].surface_fluence_j_cm2 == pytest.approx(24.0)
    assert repo.delete_session(journal, ann.id, rows[1].id) == 2
    assert repo.list_sessions(journal, ann.id) == []


def test_outcome_edit_rescores_and_delete_removes_it(journal, ann):
    row = repo.log_outcome(journal, ann.id, score_items("phq9", [1] * 9), recorded_at=WHEN)
    repo.update_outcome(journal, ann.id, row.id, score=score_items("phq9", [2] * 9), notes="after a bad week",
                        recorded_at=WHEN - timedelta(days=1))
    stored = repo.get_outcome(journal, ann.id, row.id)
    assert stored.total == 18 and stored.band == score_items("phq9", [2] * 9).band
    assert stored.notes == "after a bad week" and stored.recorded_at == WHEN - timedelta(days=1)
    with pytest.raises(PhotodoseInputError) as err:
        repo.update_outcome(journal, ann.id, row.id, score=score_total("pain", 3))
    assert err.value.field == "instrument"
    pain = repo.log_outcome(journal, ann.id, score_total("pain", 5), site="knee", recorded_at=WHEN)
    with pytest.raises(PhotodoseInputError) as err:
        repo.update_outcome(journal, ann.id, pain.id, site=None)
    assert err.value.field == "site"
    repo.delete_outcome(journal, ann.id, row.id)
    assert [o.id for o in repo.list_outcomes(journal, ann.id)] == [pain.id]


def test_deleting_a_plan_keeps_the_sessions_that_followed_it(journal, ann):
    plan = repo.add_plan(journal, ann.id, PLAN)
    log(journal, ann.id, WHEN, plan_id=plan.id)
    log(journal, ann.id, WHEN + timedelta(days=2), plan_id=plan.id)
    assert repo.delete_plan(journal, ann.id, plan.id) == 2
    assert repo.list_plans(journal, ann.id) == []
    assert [s.plan_id for s in repo.list_sessions(journal, ann.id)] == [None, None]
