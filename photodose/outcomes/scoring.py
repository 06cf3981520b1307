"""Score instrument answers: validate items, apply the instrument's total rule, look up the severity band."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import PhotodoseInputError, require_in_range
from .instruments import Instrument, get_instrument

_COMBINE = {"sum": sum, "max": max}


@dataclass(frozen=True)
class Score:
    instrument: str
    items: tuple[int, ...] | None
    total: float
    band: str | None


def _check_items(inst: Instrument, items) -> tuple[int, ...]:
    values = list(items)
    if len(values) != inst.n_items:
        raise PhotodoseInputError("items", ",".join(str(v) for v in values),
                                  f"{inst.id} needs exactly {inst.n_items} item scores, got {len(values)}")
    checked = []
    for i, v in enumerate(values, start=1):
        x = require_in_range(f"{inst.id} item {i}", v, inst.item_min, inst.item_max)
        if x != int(x):
            raise PhotodoseInputError(f"{inst.id} item {i}", v, f"whole numbers {inst.item_min}-{inst.item_max}")
        checked.append(int(x))
    return tuple(checked)


def score_items(instrument_id: str, items) -> Score:
    """Total and band from item scores, using the instrument's ``total_rule`` (groups combined by max or sum).

    PHQ-9: sum of 9 items 0-3. QIDS-SR16: max(1-4) + 5 + max(6-9) + sum(10-14) + max(15-16).
    Rules and bands: ``data/instruments.yaml``, each with its source (PHQ-9: kroenke2001_phq9;
    QIDS-SR16: rush2003_qids).
    """
    inst = get_instrument(instrument_id)
    if inst.kind != "items":
        raise PhotodoseInputError("instrument", instrument_id, f"{inst.id} is entered as a total, not as items")
    values = _check_items(inst, items)
    total = sum(_COMBINE[how](values[i - 1] for i in group) for group, how in inst.total_rule)
    return Score(inst.id, values, float(total), inst.band(total))


def score_total(instrument_id: str, total: float) -> Score:
    """Band for an entered total (HAM-D17 clinician total, pain NRS); the total must be a whole number in range."""
    inst = get_instrument(instrument_id)
    if inst.kind != "total":
        raise PhotodoseInputError("instrument", instrument_id, f"{inst.id} is scored from its {inst.n_items} items")
    x = require_in_range(f"{inst.id} total", total, inst.total_min, inst.total_max)
    if x != int(x):
        raise PhotodoseInputError(f"{inst.id} total", total, f"whole numbers {inst.total_min:g}-{inst.total_max:g}")
    return Score(inst.id, None, float(x), inst.band(x))
