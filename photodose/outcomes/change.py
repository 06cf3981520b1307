"""Change from baseline: response (>= 50 % reduction), remission (per-instrument threshold with its source),
clinically important change for pain (Farrar et al., Pain 94 (2001) 149)."""

from __future__ import annotations

from dataclasses import dataclass

from .instruments import get_instrument, response_rule


def is_response(baseline_total: float, current_total: float) -> bool | None:
    """True when ``current`` is at least 50 % below ``baseline`` (Trivedi et al. 2006); None if baseline is 0."""
    if baseline_total <= 0:
        return None
    fraction, _ = response_rule()
    return (baseline_total - current_total) / baseline_total >= fraction


def is_remission(instrument_id: str, total: float) -> bool | None:
    """True when ``total`` is below the instrument's remission threshold; None if the instrument has none."""
    inst = get_instrument(instrument_id)
    if inst.remission_below is None:
        return None
    return total < inst.remission_below


def is_clinically_important_change(instrument_id: str, baseline_total: float, current_total: float) -> bool | None:
    """Improvement of at least the instrument's clinically important points OR fraction (pain NRS: 2 points or
    30 %, Farrar et al. 2001); None for instruments without such a rule."""
    inst = get_instrument(instrument_id)
    if inst.clinically_important_points is None:
        return None
    drop = baseline_total - current_total
    by_points = drop >= inst.clinically_important_points
    by_fraction = baseline_total > 0 and drop / baseline_total >= inst.clinically_important_fraction
    return bool(by_points or by_fraction)


@dataclass(frozen=True)
class ChangeFromBaseline:
    instrument: str
    site: str | None
    baseline_total: float
    current_total: float
    change: float
    percent_change: float | None
    response: bool | None
    remission: bool | None
    remission_source: str | None
    clinically_important: bool | None
    current_band: str | None
    n_scores: int


def change_from_baseline(instrument_id: str, totals: list[float], site: str | None = None) -> ChangeFromBaseline:
    """Summarise a time-ordered list of totals: the first is the baseline, the last the current score."""
    inst = get_instrument(instrument_id)
    base, cur = float(totals[0]), float(totals[-1])
    return ChangeFromBaseline(
        instrument=inst.id, site=site, baseline_total=base, current_total=cur, change=cur - base,
        percent_change=None if base == 0 else 100.0 * (cur - base) / base,
        response=is_response(base, cur), remission=is_remission(inst.id, cur),
        remission_source=inst.remission_source,
        clinically_important=is_clinically_important_change(inst.id, base, cur),
        current_band=inst.band(cur), n_scores=len(totals),
    )
