"""Shared helpers for the journal tests (no tests here): a populated profile (the journal fixture is in conftest.py)."""

from datetime import datetime, timedelta


from photodose.journal import repository as repo
from photodose.dosimetry.arithmetic import fluence_j_cm2
from photodose.journal.dosing import SessionDose
from photodose.outcomes import score_items, score_total
from plan_json import journal_plan

PLAN = journal_plan()  # a real Plan: 600 s at 50 mW/cm2, 3 J/cm2 at 10 mm, 3 a week for 4 weeks


def dose(irradiance_mw_cm2: float, duration_s: float, target_j_cm2: float | None = None) -> SessionDose:
    return SessionDose(irradiance_mw_cm2, fluence_j_cm2(irradiance_mw_cm2, duration_s),
                       None if target_j_cm2 is None else 10.0, target_j_cm2)


def log(journal, profile_id, when: datetime, site="knee", irradiance=50.0, duration_s=600.0, target=None, **kw):
    return repo.log_session(journal, profile_id, start_at=when, duration_s=duration_s, site=site,
                            device_id="test-panel", distance_mm=150.0, dose=dose(irradiance, duration_s, target),
                            **kw)


def populate(journal, name="ann"):
    """A profile with a plan, sessions at two sites, every kind of outcome, awkward text and JSON."""
    p = repo.add_profile(journal, name, skin_phototype="III",
                         body_measurements={"knee": {"fat_thickness_mm": 8.5}},
                         contraindication_answers={"pregnant": False, "photosensitising_drugs": ["none"]},
                         answered_at=datetime(2026, 9, 30, 10))
    plan = repo.add_plan(journal, p.id, PLAN, created_at=datetime(2026, 10, 5, 7))
    start = datetime(2026, 10, 5, 8)
    for day in range(0, 14, 2):
        log(journal, p.id, start + timedelta(days=day), target=1.0 + day / 7, plan_id=plan.id,
            planned_seconds=600.0, channels=["660", "850"], warmth_0_10=day % 10,
            notes='felt "warm", then, fine\nsecond line' if day == 2 else None, comfort="ok")
    log(journal, p.id, start + timedelta(days=1, hours=3), site="forearm", irradiance=33.3333333333, duration_s=421.5)
    for week, items in enumerate(([3, 3, 2, 2, 2, 2, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 0, 0],
                                  [0, 1, 0, 1, 1, 0, 0, 1, 0])):
        repo.log_outcome(journal, p.id, score_items("phq9", items), recorded_at=start + timedelta(days=7 * week))
    repo.log_outcome(journal, p.id, score_items("qids16", [1] * 16), recorded_at=start)
    repo.log_outcome(journal, p.id, score_total("hamd17", 21), recorded_at=start, notes="clinician: Dr. Ö")
    repo.log_outcome(journal, p.id, score_total("pain", 7), recorded_at=start, site="knee")
    repo.log_outcome(journal, p.id, score_total("pain", 4), recorded_at=start + timedelta(days=13), site="knee")
    repo.log_custom_metric(journal, p.id, "wrinkle score", value=0.1 + 0.2, unit="score",
                           file_path="/photos/day 1.jpg", recorded_at=start)
    return p

