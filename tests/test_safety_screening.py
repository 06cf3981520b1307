"""Screening questionnaire: verdict mapping per site and protocol, JSON round trip, staleness."""

from datetime import datetime, timedelta, timezone

import pytest

from photodose.safety.screening import ScreeningAnswers, evaluate_screening, is_stale, load_questionnaire

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def _answers(**yes) -> ScreeningAnswers:
    ids = load_questionnaire().ids()
    return ScreeningAnswers(answered_at=NOW, answers={i: bool(yes.get(i, False)) for i in ids})


def _status(checks, qid):
    return next(c for c in checks if c.name == f"screening:{qid}").status


def test_questionnaire_covers_the_seed_documents_list():
    ids = set(load_questionnaire().ids())
    assert {"photosensitive_disorder", "photosensitizing_medication", "pregnant_or_breastfeeding", "cancer",
            "skin_cancer_history", "implant_in_field", "autoimmune", "bipolar", "eye_condition",
            "recent_skin_procedure", "epilepsy"} <= ids


def test_all_no_is_all_ok():
    checks = evaluate_screening(_answers(), "knee", transcranial=False, pulsed_visible=False)
    assert {c.status for c in checks} == {"ok"}
    assert all(c.source for c in checks)


@pytest.mark.parametrize("qid, site, transcranial, pulsed, expected", [
    ("bipolar", "forehead", True, False, "fail"),
    ("bipolar", "knee", False, False, "ok"),
    ("pregnant_or_breastfeeding", "abdomen", False, False, "fail"),
    ("pregnant_or_breastfeeding", "knee", False, False, "caution"),
    ("epilepsy", "face", False, True, "fail"),
    ("epilepsy", "face", False, False, "ok"),
    ("photosensitive_disorder", "knee", False, False, "fail"),
    ("photosensitizing_medication", "knee", False, False, "caution"),
    ("cancer", "knee", False, False, "fail"),
    ("recent_skin_procedure", "face", False, False, "fail"),
    ("autoimmune", "knee", False, False, "caution"),
])
def test_yes_answers_map_by_site_and_protocol(qid, site, transcranial, pulsed, expected):
    checks = evaluate_screening(_answers(**{qid: True}), site, transcranial, pulsed)
    assert _status(checks, qid) == expected
    others = [c.status for c in checks if c.name != f"screening:{qid}"]
    assert set(others) == {"ok"}
    if expected != "ok":
        assert _check_of(checks, qid).remedy


def _check_of(checks, qid):
    return next(c for c in checks if c.name == f"screening:{qid}")


def test_epilepsy_rule_cites_trigger_rates_and_labels_its_verdict():
    check = _check_of(evaluate_screening(_answers(epilepsy=True), "face", False, True), "epilepsy")
    assert "Epilepsy Society" in check.source and "3-30 Hertz" in check.source and "60 Hertz" in check.source
    assert "precaution (unsourced)" in check.source
    assert "3-30 flashes per second" in check.message


def test_unanswered_question_cautions():
    answers = ScreeningAnswers(answered_at=NOW, answers={"cancer": False})
    checks = evaluate_screening(answers, "knee", False, False)
    assert _status(checks, "bipolar") == "caution"
    assert _status(checks, "cancer") == "ok"


def test_json_round_trip():
    answers = _answers(bipolar=True)
    again = ScreeningAnswers.from_json(answers.to_json())
    assert again == answers


def test_staleness():
    answers = _answers()
    assert not is_stale(answers, NOW + timedelta(days=30))
    assert is_stale(answers, NOW + timedelta(days=91))
    assert is_stale(answers, NOW + timedelta(days=10), max_age_days=7)
    assert is_stale(answers, NOW - timedelta(days=1))  # answered in the future: clock error
    old_version = answers.model_copy(update={"questionnaire_version": 0})
    assert is_stale(old_version, NOW)
