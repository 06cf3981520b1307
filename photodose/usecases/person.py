"""What a plan takes from a person's journal: phototype, fat thickness at the site, screening answers (with
their date, so the gate can ask again when they are stale) and the earlier sessions at the site (for the
overdose check). Used by ``photodose plan --profile`` and the web app's Plan page.
"""

from __future__ import annotations

from datetime import datetime

from ..errors import PhotodoseInputError


def person_plan_inputs(journal, profile, site: str, now: datetime | None = None) -> dict:
    """``{"skin_type", "thickness_mm", "safety"}`` for a PlanRequest, from ``profile`` in ``journal``.

    ``thickness_mm`` carries the profile's measured subcutaneous fat at ``site`` (None when not measured);
    ``safety`` carries screening answers (None when never answered), prior sessions at the site, ``now`` and the
    planned start (now).
    """
    from ..journal.overdose import prior_site_sessions
    from ..safety.screening import ScreeningAnswers

    now = now or datetime.now()
    fat_mm = ((profile.body_measurements or {}).get(site) or {}).get("fat_thickness_mm")
    answers = profile.contraindication_answers
    try:
        screening = ScreeningAnswers.model_validate(answers) if answers else None
    except ValueError:
        raise PhotodoseInputError("contraindication_answers", f"profile {profile.name}",
                                  "answers the screening can read; answer the screening again") from None
    prior = prior_site_sessions(journal, profile.id, site, until=now)
    return {
        "skin_type": profile.skin_phototype,
        "thickness_mm": {"subcutaneous_fat": float(fat_mm)} if fat_mm else None,
        "safety": {"screening": screening, "prior_sessions": prior, "now": now, "planned_start": now},
    }
