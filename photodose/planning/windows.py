"""Dose-window verdicts and the planning goal inside a window.

Choice (photodose, stated): the goal is the window's geometric middle sqrt(low x high). For a biphasic
(hormetic) response the window spans an order of magnitude and the response is usually drawn on a log-dose
axis (Huang et al., Dose-Response 7 (2009) 358), so the log-middle keeps equal ratio margins to both edges.
"""

from __future__ import annotations

import math

Verdict = str  # "below" | "inside" | "above"


def window_goal_j_cm2(low_j_cm2: float, high_j_cm2: float) -> float:
    """Geometric middle sqrt(low * high) of a dose window [J/cm^2]."""
    return math.sqrt(low_j_cm2 * high_j_cm2)


def verdict(fluence_j_cm2: float, low_j_cm2: float, high_j_cm2: float, rel_tol: float = 1e-6) -> Verdict:
    """"below", "inside" or "above" the window (edges count as inside, within ``rel_tol``)."""
    if fluence_j_cm2 < low_j_cm2 * (1 - rel_tol):
        return "below"
    if fluence_j_cm2 > high_j_cm2 * (1 + rel_tol):
        return "above"
    return "inside"
