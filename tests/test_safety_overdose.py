"""Overdose: cumulative fluence per site per day and week, session counts, spacing."""

from datetime import datetime, timedelta

from photodose.safety.overdose import ProtocolBounds, Session, earliest_start, evaluate_overdose

T0 = datetime(2026, 3, 2, 18, 0)
BOUNDS = ProtocolBounds(max_fluence_per_day_j_cm2=60, max_fluence_per_week_j_cm2=200, max_sessions_per_week=5,
                        min_hours_between_sessions=24)


def _by_name(checks):
    return {c.name: c for c in checks}


def test_first_session_within_bounds_is_ok():
    checks = evaluate_overdose([], Session(start=T0, site="knee", fluence_j_cm2=30), BOUNDS)
    assert {c.status for c in checks} == {"ok"}
    assert "overdose:interval" not in _by_name(checks)  # nothing to be close to


def test_daily_fluence_and_spacing_are_cautions_with_remedies():
    prior = [Session(start=T0 - timedelta(hours=8), site="Knee", fluence_j_cm2=40)]
    checks = _by_name(evaluate_overdose(prior, Session(start=T0, site="knee", fluence_j_cm2=30), BOUNDS))
    assert checks["overdose:day"].status == "caution"
    assert checks["overdose:day"].value == 70
    assert "67%" in checks["overdose:day"].remedy  # 20 of 30 J/cm2 left
    assert checks["overdose:interval"].status == "caution"
    assert "16.0 h later" in checks["overdose:interval"].remedy


def test_other_sites_do_not_count():
    prior = [Session(start=T0 - timedelta(hours=1), site="elbow", fluence_j_cm2=100)]
    checks = evaluate_overdose(prior, Session(start=T0, site="knee", fluence_j_cm2=30), BOUNDS)
    assert {c.status for c in checks} == {"ok"}


def test_weekly_fluence_and_session_count():
    prior = [Session(start=T0 - timedelta(days=d), site="knee", fluence_j_cm2=40) for d in (1, 2, 3, 4, 5)]
    checks = _by_name(evaluate_overdose(prior, Session(start=T0, site="knee", fluence_j_cm2=30), BOUNDS))
    assert checks["overdose:week"].value == 230 and checks["overdose:week"].status == "caution"
    assert checks["overdose:sessions_per_week"].value == 6 and checks["overdose:sessions_per_week"].status == "caution"
    assert checks["overdose:interval"].status == "ok"  # exactly 24 h apart
    old = [Session(start=T0 - timedelta(days=8), site="knee", fluence_j_cm2=190)]
    checks_after_old = evaluate_overdose(old, Session(start=T0, site="knee", fluence_j_cm2=30), BOUNDS)
    assert {c.status for c in checks_after_old} == {"ok"}


def test_session_count_remedy_waits_for_enough_sessions_to_leave_the_week():
    bounds = ProtocolBounds(max_sessions_per_week=2)
    prior = [Session(start=T0 - timedelta(days=d), site="knee", fluence_j_cm2=10) for d in (1, 2, 3)]
    check = evaluate_overdose(prior, Session(start=T0, site="knee", fluence_j_cm2=10), bounds)[0]
    assert check.status == "caution" and check.value == 4
    # two of the three earlier sessions must leave the 7-day window: the one 2 days back leaves at T0 + 5 days
    assert (T0 + timedelta(days=5)).isoformat()[:16] in check.remedy


def test_an_unsourced_bound_never_refuses_the_session():
    """The bounds are photodose defaults, not injury thresholds: a session above one is a caution with its remedy
    (the maker's 20 min at 6 in on a Joovv gives 93 J/cm2 against the knee window's 60), never a refusal."""
    from photodose.safety.checks import overall_status

    check = evaluate_overdose([], Session(start=T0, site="knee", fluence_j_cm2=93.3),
                              ProtocolBounds(max_fluence_per_day_j_cm2=60))[0]
    assert check.status == "caution" and check.remedy.startswith("shorten the session to 64%")
    assert "unsourced" in check.source
    assert overall_status([check]) == "caution"


def test_a_full_day_moves_the_next_session_to_the_next_midnight_exactly():
    """Two 25 J/cm2 sessions today leave no room under 60 J/cm2 a day: a third is moved to 00:00:00 the next day
    (it was moved to 00:00 with the planned start's seconds kept, e.g. 00:00:13.54)."""
    from datetime import datetime, timezone

    day = datetime(2026, 12, 2, tzinfo=timezone.utc)
    prior = [Session(start=day.replace(hour=h), site="knee", fluence_j_cm2=25.0) for h in (1, 2)]
    planned = Session(start=day.replace(hour=3, second=13, microsecond=540183), site="knee", fluence_j_cm2=25.0)
    assert earliest_start(prior, planned, ProtocolBounds(max_fluence_per_day_j_cm2=60.0)) == datetime(
        2026, 12, 3, tzinfo=timezone.utc)

