"""Plain-words remedies: how far to move, how long to stay, what to wear."""

from __future__ import annotations

import math

from .context import DistancePoint


def distance_for_factor_mm(table: list[DistancePoint] | None, use_distance_mm: float, factor: float) -> float | None:
    """Smallest distance beyond the use distance where the relative irradiance falls to ``factor`` or below.

    Linear interpolation in the caller's table (relative to the use distance); None when the table is missing or
    never falls that low.
    """
    if not table or factor <= 0:
        return None
    points = sorted([(p.distance_mm, p.relative_irradiance) for p in table if p.distance_mm >= use_distance_mm])
    points = [(use_distance_mm, 1.0)] + [p for p in points if p[0] > use_distance_mm]
    for (d0, r0), (d1, r1) in zip(points, points[1:]):
        if r1 <= factor < r0:
            return d0 + (r0 - factor) / (r0 - r1) * (d1 - d0)
    return None


def reduce_irradiance(factor: float, table: list[DistancePoint] | None, use_distance_mm: float) -> str:
    """'reduce the irradiance to N % (move to at least D cm)' for an allowed irradiance scale ``factor`` < 1."""
    text = f"reduce the irradiance to {factor:.0%} of the planned value"
    distance = distance_for_factor_mm(table, use_distance_mm, factor)
    if distance is not None:
        text += f" (move to at least {math.ceil(distance / 10.0):g} cm)"
    else:
        text += " (move further away or use a lower power setting)"
    return text


def duration(seconds: float) -> str:
    """A duration rounded down, in s below 2 min and in min (0.1) above."""
    if seconds >= 120:
        return f"{math.floor(seconds / 6.0) / 10.0:.1f} min"
    return f"{math.floor(seconds):.0f} s"


def shorten(seconds: float) -> str:
    return "do not use at this setting" if seconds < 1 else f"shorten the session to {duration(seconds)}"


def either(*remedies: str | None) -> str:
    return "; or ".join(r for r in remedies if r)
