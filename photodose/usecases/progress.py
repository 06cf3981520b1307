"""Progress of a profile: one function for ``photodose progress``, the web Progress page and the progress API.

It gathers, for one journal profile: change from baseline per outcome instrument, the cumulative surface (and
target) dose per site, side effects per site, adherence to each stored plan's schedule, sauna-dome (heat) sessions,
and the series behind the charts. The edges only format it.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from ..journal.adherence import Adherence
from ..journal.cumulative import CumulativeDose
from ..journal.progress import ProgressSeries
from ..outcomes import ChangeFromBaseline


class PlanAdherence(BaseModel):
    """Adherence to one stored plan's schedule."""

    model_config = ConfigDict(frozen=True)
    plan_id: int
    adherence: Adherence


class Progress(BaseModel):
    """A profile's progress (see the module docstring); dose in J/cm2, times as local naive datetimes."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    profile: str
    change_from_baseline: list[ChangeFromBaseline]
    dose_by_site: dict[str, CumulativeDose]
    side_effects_by_site: dict[str, list[str]]
    side_effects_note: str
    adherence: list[PlanAdherence]
    heat: dict
    series: ProgressSeries

    def summary_json(self) -> dict:
        """The ``photodose progress --json`` document (the adherence rows carry their plan id beside their fields;
        the chart series are the API's)."""
        data = self.model_dump(mode="json", exclude={"series", "adherence"})
        data["adherence"] = [{"plan_id": a.plan_id, **a.model_dump(mode="json")["adherence"]} for a in self.adherence]
        return data


def profile_progress(journal, profile, today: date | None = None) -> Progress:
    """The progress of ``profile`` (a journal Profile row) in ``journal``; adherence as of ``today``."""
    from ..errors import PhotodoseInputError
    from ..journal.adherence import plan_adherence
    from ..journal.cumulative import cumulative_dose
    from ..journal.heat_sessions import list_heat_sessions
    from ..journal.progress import progress_series, progress_summary
    from ..journal.repository import list_plans, list_sessions
    from ..journal.side_effects import REMEDY, SEVERITY_NOTE, side_effect_lines

    sessions = list_sessions(journal, profile.id)
    sites = sorted({s.site for s in sessions})
    adherence = []
    for plan in list_plans(journal, profile.id):
        try:
            adherence.append(PlanAdherence(plan_id=plan.id,
                                           adherence=plan_adherence(journal, profile.id, plan.id, today=today)))
        except PhotodoseInputError:  # a stored plan this version cannot read: progress still shows the rest
            continue
    heat_rows = list_heat_sessions(journal, profile.id)
    cores = [r.core_temperature_c for r in heat_rows if r.core_temperature_c is not None]
    from ..journal.exchange import record_dict

    heat = {"n_sessions": len(heat_rows), "heating_minutes": sum(r.heating_minutes for r in heat_rows),
            "highest_core_c": max(cores) if cores else None, "sessions": [record_dict(r) for r in heat_rows]}
    return Progress(
        profile=profile.name, change_from_baseline=progress_summary(journal, profile.id),
        dose_by_site={s: cumulative_dose(journal, profile.id, s) for s in sites},
        side_effects_by_site={s: side_effect_lines([r for r in sessions if r.site == s]) for s in sites},
        side_effects_note=f"{SEVERITY_NOTE}; remedy: {REMEDY}", adherence=adherence, heat=heat,
        series=progress_series(journal, profile.id))
