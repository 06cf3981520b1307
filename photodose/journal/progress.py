"""Progress: the series behind the plots (dose per session, cumulative dose per site, outcome scores) and a
summary of change from baseline per instrument (pain per site, custom metrics per name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate as running_sum

from ..outcomes import ChangeFromBaseline, change_from_baseline, get_instrument
from ..outcomes.instruments import response_rule
from .db import Journal
from .repository import list_outcomes, list_sessions


@dataclass
class ScoreSeries:
    """Scores of one instrument (pain: at one site) over time, with the lines to draw against them."""

    label: str
    instrument: str
    site: str | None
    times: list[datetime]
    totals: list[float]
    response_line: float | None = None  # (1 - 0.5) x baseline
    remission_line: float | None = None  # remission when total < this
    remission_source: str | None = None


@dataclass
class ProgressSeries:
    """Per site: (session start times, surface fluence J/cm2 of each session) and (times, running total)."""

    dose_by_site: dict[str, tuple[list[datetime], list[float]]] = field(default_factory=dict)
    cumulative_by_site: dict[str, tuple[list[datetime], list[float]]] = field(default_factory=dict)
    scores: list[ScoreSeries] = field(default_factory=list)
    # rev 0005: sessions that reported side effects: (start, site, surface J/cm2, "redness (mild), ...")
    side_effects: list[tuple[datetime, str, float, str]] = field(default_factory=list)


def _score_series(db: Journal, profile_id: int) -> list[ScoreSeries]:
    groups: dict[tuple[str, str | None], list] = {}
    for o in list_outcomes(db, profile_id):
        if o.instrument == "custom":
            if o.metric_value is None:
                continue
            key = (f"custom:{o.metric_name}", o.site)
            groups.setdefault(key, []).append((o.recorded_at, o.metric_value))
        else:
            groups.setdefault((o.instrument, o.site), []).append((o.recorded_at, o.total))
    fraction, _ = response_rule()
    series = []
    for (instrument, site), points in groups.items():
        times, totals = [p[0] for p in points], [float(p[1]) for p in points]
        label = instrument + (f" ({site})" if site else "")
        s = ScoreSeries(label, instrument, site, times, totals)
        if not instrument.startswith("custom:"):
            inst = get_instrument(instrument)
            s.response_line = (1.0 - fraction) * totals[0]
            s.remission_line, s.remission_source = inst.remission_below, inst.remission_source
        series.append(s)
    return series


def progress_series(db: Journal, profile_id: int) -> ProgressSeries:
    """Everything the progress plots draw, from the journal."""
    sessions = list_sessions(db, profile_id)
    out = ProgressSeries()
    for site in sorted({s.site for s in sessions}):
        picked = [s for s in sessions if s.site == site]
        times, doses = [s.start_at for s in picked], [s.surface_fluence_j_cm2 for s in picked]
        out.dose_by_site[site] = (times, doses)
        out.cumulative_by_site[site] = (times, list(running_sum(doses)))
    out.scores = _score_series(db, profile_id)
    out.side_effects = [(s.start_at, s.site, s.surface_fluence_j_cm2,
                         ", ".join(f"{e['effect']} ({e['severity']})" for e in s.side_effects))
                        for s in sessions if s.side_effects]
    return out


def progress_summary(db: Journal, profile_id: int) -> list[ChangeFromBaseline]:
    """Change from baseline (first score) to the latest score for each instrument and pain site."""
    return [change_from_baseline(s.instrument, s.totals, s.site)
            for s in _score_series(db, profile_id) if not s.instrument.startswith("custom:")]
