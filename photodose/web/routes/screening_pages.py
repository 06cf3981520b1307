"""Screening page: the contraindication questionnaire, stored with the active profile, with its verdicts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ...journal import repository
from .. import screening
from ..forms import values_of
from ..pages import render
from ..planning import site_choices, site_options
from ..profiles import active_profile, journal, require_active_profile
from ..security import checked_form

router = APIRouter(include_in_schema=False)


def _page(request: Request, *, status_code: int = 200, site: str = "knee", **context):
    profile = active_profile(request)
    stored = getattr(profile, "contraindication_answers", None) or None
    values = context.pop("values", None)
    if values is None and stored and "answers" in stored:
        values = {f"q_{k}": ("yes" if v else "no") for k, v in stored["answers"].items()}
    verdict = screening.evaluate(stored, site) if stored and "answers" in stored else None
    return render(request, "screening.html", status_code=status_code, active="screening",
                  questionnaire=screening.questionnaire(), verdict=verdict, stored=stored, site=site,
                  heat_verdict=screening.evaluate_heat(stored),
                  site_options=site_options(), values=values or {}, **context)


@router.get("/screening")
def screening_page(request: Request, site: str = "knee"):
    if site not in site_choices():
        site = "knee"
    return _page(request, site=site)


@router.post("/screening")
async def save_screening(request: Request):
    form = await checked_form(request)
    profile = require_active_profile(request)
    errors = screening.missing_answers(form)
    if errors:
        return _page(request, status_code=422, values=values_of(form), errors=errors)
    stored, answered_at = screening.stored_answers(screening.answers_from_form(form),
                                                   previous=profile.contraindication_answers)
    repository.set_contraindication_answers(journal(request), profile.id, stored, answered_at)
    return RedirectResponse("/screening?saved=1", status_code=303)
