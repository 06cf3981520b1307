"""Contraindication screening: the questionnaire (``data/screening.yaml``), stored answers, and their verdicts.

Each "yes" maps to ok / caution / do_not_use for the treated site and protocol (transcranial, pulsed visible
light), with its reason and source (a commonly listed precaution, photodose assumption (unsourced), unless a rule
says otherwise).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from ._time import as_utc
from .checks import SafetyCheck
from .sources import load_yaml

Verdict = Literal["ok", "caution", "do_not_use"]
_STATUS = {"ok": "ok", "caution": "caution", "do_not_use": "fail"}


class RuleCondition(BaseModel):
    sites: list[str] | None = None
    transcranial: bool | None = None
    pulsed_visible: bool | None = None

    def holds(self, site: str, transcranial: bool, pulsed_visible: bool) -> bool:
        return ((self.sites is None or site.strip().lower() in self.sites)
                and (self.transcranial is None or self.transcranial == transcranial)
                and (self.pulsed_visible is None or self.pulsed_visible == pulsed_visible))


class Rule(BaseModel):
    when: RuleCondition = Field(default_factory=RuleCondition)
    verdict: Verdict
    reason: str
    remedy: str | None = None
    source: str | None = None


class Question(BaseModel):
    id: str
    label: str
    text: str
    rules: list[Rule]


class Questionnaire(BaseModel):
    """``questions`` screen light plans; ``heat_questions`` screen whole-body hyperthermia (photodose.hyperthermia)."""

    version: int
    source: str
    questions: list[Question]
    heat_questions: list[Question] = Field(default_factory=list)

    def ids(self) -> list[str]:
        return [q.id for q in self.questions + self.heat_questions]


def load_questionnaire() -> Questionnaire:
    """The shipped questionnaire (``photodose/safety/data/screening.yaml``)."""
    return Questionnaire.model_validate(load_yaml("screening.yaml"))


class ScreeningAnswers(BaseModel):
    """A person's yes/no answers (question id -> True for yes), with when they were given.

    The journal stores them as JSON: :meth:`to_json` / :meth:`from_json`.
    """

    answered_at: datetime
    questionnaire_version: int = 1
    answers: dict[str, bool] = Field(default_factory=dict)

    def to_json(self) -> str:
        return self.model_dump_json()

    def answered_at_local(self) -> datetime:
        """When the answers were given, as the journal keeps dates: local wall-clock time, no time zone."""
        when = self.answered_at
        return (when.astimezone().replace(tzinfo=None) if when.tzinfo else when).replace(microsecond=0)

    @classmethod
    def from_json(cls, text: str) -> "ScreeningAnswers":
        return cls.model_validate_json(text)



def is_stale(answers: ScreeningAnswers, now: datetime, max_age_days: float | None = None,
             questionnaire: Questionnaire | None = None) -> bool:
    """True when the screening should be asked again.

    Stale when older than ``max_age_days`` (default from ``data/thresholds.yaml``: 90 days, photodose's choice,
    unsourced), when given in the future of ``now`` (clock error), or when the questionnaire has changed version.
    Naive datetimes are read as UTC.
    """
    if max_age_days is None:
        max_age_days = load_yaml("thresholds.yaml")["screening_max_age_days"]["value"]
    questionnaire = questionnaire or load_questionnaire()
    age = as_utc(now) - as_utc(answers.answered_at)
    return (age > timedelta(days=max_age_days) or age < timedelta(0)
            or answers.questionnaire_version != questionnaire.version)


def evaluate_question(question: Question, answer: bool | None, site: str, transcranial: bool,
                      pulsed_visible: bool, default_source: str) -> SafetyCheck:
    """Verdict for one answer: ``None`` (unanswered) cautions, "no" is ok, "yes" takes the first matching rule."""
    name, label = f"screening:{question.id}", f"screening: {question.label}"
    if answer is None:
        return SafetyCheck(name=name, label=label, status="caution", message=f"Not answered: {question.text}",
                           source=default_source, remedy="answer the screening question")
    if answer:
        for rule in question.rules:
            if rule.when.holds(site, transcranial, pulsed_visible):
                return SafetyCheck(name=name, label=label, status=_STATUS[rule.verdict], message=rule.reason,
                                   source=rule.source or default_source, remedy=rule.remedy)
    return SafetyCheck(name=name, label=label, status="ok", message=f"No concern for site '{site}'.",
                       source=default_source)


def evaluate_screening(answers: ScreeningAnswers, site: str, transcranial: bool, pulsed_visible: bool,
                       questionnaire: Questionnaire | None = None) -> list[SafetyCheck]:
    """One :class:`SafetyCheck` per question (ok / caution / fail for do_not_use), in questionnaire order."""
    questionnaire = questionnaire or load_questionnaire()
    return [evaluate_question(q, answers.answers.get(q.id), site, transcranial, pulsed_visible, questionnaire.source)
            for q in questionnaire.questions]


HEAT_SITE = "whole body"  # what a heat question's verdict is for (a dome heats the whole body)


def evaluate_heat_screening(answers: dict[str, bool] | None,
                            questionnaire: Questionnaire | None = None) -> list[SafetyCheck]:
    """One :class:`SafetyCheck` per heat question (whole-body hyperthermia), in order; ``answers``: id -> yes.

    A "no" or an unanswered question cites the source that makes the question matter (its rule's), not the light
    questionnaire's."""
    questionnaire = questionnaire or load_questionnaire()
    answers = answers or {}
    return [evaluate_question(q, answers.get(q.id), HEAT_SITE, False, False,
                              q.rules[0].source if q.rules else "photodose assumption (unsourced)")
            for q in questionnaire.heat_questions]


def merge_answers(previous: ScreeningAnswers | None, given: ScreeningAnswers) -> ScreeningAnswers:
    """``given`` plus the ``previous`` answers to questions not asked this time (answering the light questions
    keeps the heat answers, and the other way round). When any earlier answer is kept, the record is dated by the
    earlier of the two dates, so it goes stale with its oldest answer."""
    if previous is None:
        return given
    kept = {k: v for k, v in previous.answers.items() if k not in given.answers}
    if not kept:
        return given
    older = min(previous.answered_at, given.answered_at, key=as_utc)
    return given.model_copy(update={"answers": {**kept, **given.answers}, "answered_at": older})
