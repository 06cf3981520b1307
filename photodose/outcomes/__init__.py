"""Outcome instruments: PHQ-9, QIDS-SR16, HAM-D17 (clinician total), numeric pain rating, custom metrics.

Definitions (item counts, scoring rules, bands, remission thresholds with their sources) are package data in
``data/instruments.yaml``; this package only applies them.
"""

from .instruments import Instrument, get_instrument, instrument_ids
from .scoring import Score, score_items, score_total
from .change import ChangeFromBaseline, change_from_baseline, is_remission, is_response

__all__ = [
    "Instrument", "get_instrument", "instrument_ids", "Score", "score_items", "score_total",
    "ChangeFromBaseline", "change_from_baseline", "is_remission", "is_response",
]
