"""The contraindication questionnaire for the web: read answers from a form, store them with the profile, and
evaluate them for a site (the safety stage's rules, reasons and sources)."""

from __future__ import annotations

from datetime import datetime

from ..errors import PhotodoseInputError

ANSWERS = {"yes": True, "no": False}


def questionnaire():
    from ..safety.screening import load_questionnaire

    return load_questionnaire()


def missing_answers(form) -> dict[str, str]:
    """{form field: message} for each question not answered yes or no."""
    return {f"q_{q.id}": f"{q.text} Please answer yes or no." for q in questionnaire().questions
            if str(form.get(f"q_{q.id}") or "") not in ANSWERS}


def answers_from_form(form) -> dict[str, bool]:
    """{question id: True/False} for every light question (an unanswered one is refused, naming it) and for each
    heat question answered (the heat questions are for sauna domes: optional here)."""
    out = {}
    for q in questionnaire().questions:
        value = str(form.get(f"q_{q.id}") or "")
        if value not in ANSWERS:
            raise PhotodoseInputError(f"q_{q.id}", value or None, "answer yes or no")
        out[q.id] = ANSWERS[value]
    for q in questionnaire().heat_questions:
        value = str(form.get(f"q_{q.id}") or "")
        if value in ANSWERS:
            out[q.id] = ANSWERS[value]
    return out


def stored_answers(answers: dict[str, bool], now: datetime | None = None, previous: dict | None = None):
    """(the JSON kept with the profile, the date it is kept under): the safety stage's ScreeningAnswers, with the
    ``previous`` stored answers to questions not asked here kept (the heat answers survive the light
    questionnaire; safety.screening.merge_answers)."""
    from ..safety.screening import ScreeningAnswers, merge_answers

    record = ScreeningAnswers(answered_at=now or datetime.now().replace(microsecond=0),
                              questionnaire_version=questionnaire().version, answers=answers)
    record = merge_answers(ScreeningAnswers.model_validate(previous) if previous else None, record)
    return record.model_dump(mode="json"), record.answered_at_local()


def evaluate(stored: dict, site: str, transcranial: bool = False, pulsed_visible: bool = False) -> dict:
    """{"status": ok|caution|do_not_use, "stale": bool, "checks": [...]} for ``site``."""
    from ..safety.checks import overall_status
    from ..safety.screening import ScreeningAnswers, evaluate_screening, is_stale

    answers = ScreeningAnswers.model_validate(stored)
    checks = evaluate_screening(answers, site, transcranial, pulsed_visible, questionnaire())
    return {"status": overall_status(checks), "stale": is_stale(answers, datetime.now()),
            "checks": [c.model_dump() for c in checks]}


def evaluate_heat(stored: dict | None) -> dict | None:
    """{"status", "checks"} of the heat questions (whole-body hyperthermia) when any is answered, else None."""
    from ..safety.checks import overall_status
    from ..safety.screening import evaluate_heat_screening

    answers = (stored or {}).get("answers") or {}
    if not any(q.id in answers for q in questionnaire().heat_questions):
        return None
    checks = evaluate_heat_screening(answers, questionnaire())
    return {"status": overall_status(checks), "checks": [c.model_dump() for c in checks]}
