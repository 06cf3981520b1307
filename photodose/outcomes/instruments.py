"""Load instrument definitions from package data (``data/instruments.yaml``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from ..errors import require_choice
from ..package_data import load_yaml, read_text

_DATA = "photodose.outcomes.data"


@dataclass(frozen=True)
class Band:
    min_total: float
    max_total: float
    label: str


@dataclass(frozen=True)
class Instrument:
    """One outcome instrument. ``kind`` is ``items`` (scored from item answers) or ``total`` (a total is entered)."""

    id: str
    name: str
    kind: str
    total_min: float
    total_max: float
    bands: tuple[Band, ...]
    bands_source: str
    n_items: int = 0
    item_min: int = 0
    item_max: int = 0
    total_rule: tuple[tuple[tuple[int, ...], str], ...] = ()
    remission_below: float | None = None
    remission_source: str | None = None
    needs_site: bool = False
    clinically_important_points: float | None = None
    clinically_important_fraction: float | None = None
    clinically_important_source: str | None = None
    item_labels: tuple[str, ...] = ()
    alert_items: tuple[tuple[int, float, str, str], ...] = ()  # (item, above, what it asks, source)

    def alerts(self, items) -> list[str]:
        """Messages for answered items that must reach the person now (e.g. PHQ-9 item 9 above 0)."""
        return [f"You answered item {item} ({what}) with {items[item - 1]}: please contact your local emergency "
                "number or a crisis line now."
                for item, above, what, _source in self.alert_items if items and items[item - 1] > above]

    def band(self, total: float) -> str | None:
        """Severity band label for ``total`` (None when the instrument has no bands)."""
        for b in self.bands:
            if b.min_total <= total <= b.max_total:
                return b.label
        return None


def _raw() -> dict:
    return load_yaml(_DATA, "instruments.yaml")


def _item_labels(filename: str | None) -> tuple[str, ...]:
    if not filename:
        return ()
    text = read_text(_DATA, filename)
    rows = csv.DictReader((ln for ln in text.splitlines() if not ln.startswith("#")), delimiter="\t")
    return tuple(r["label"] for r in sorted(rows, key=lambda r: int(r["item"])))


def _build(key: str, d: dict) -> Instrument:
    remission = d.get("remission") or {}
    important = d.get("clinically_important_change") or {}
    return Instrument(
        id=key, name=d["name"], kind=d["kind"], total_min=d["total_min"], total_max=d["total_max"],
        bands=tuple(Band(b["min"], b["max"], b["label"]) for b in d.get("bands", [])),
        bands_source=d["bands_source"], n_items=d.get("n_items", 0),
        item_min=d.get("item_min", 0), item_max=d.get("item_max", 0),
        total_rule=tuple((tuple(g["items"]), g["combine"]) for g in d.get("total_rule", [])),
        remission_below=remission.get("below"), remission_source=remission.get("source"),
        needs_site=bool(d.get("needs_site", False)),
        clinically_important_points=important.get("points"),
        clinically_important_fraction=important.get("fraction"),
        clinically_important_source=important.get("source"),
        item_labels=_item_labels(d.get("items_file")),
        alert_items=tuple((a["item"], a["above"], a["what"], a["source"]) for a in d.get("alert_items", [])),
    )


@lru_cache(maxsize=None)
def get_instrument(instrument_id: str) -> Instrument:
    """The instrument ``instrument_id`` (``phq9``, ``qids16``, ``hamd17``, ``pain``); unknown ids are refused."""
    key = require_choice("instrument", instrument_id, instrument_ids())
    return _build(key, _raw()["instruments"][key])


def instrument_ids() -> tuple[str, ...]:
    return tuple(_raw()["instruments"])


def response_rule() -> tuple[float, str]:
    """(minimum fractional reduction from baseline that counts as response, its source)."""
    r = _raw()["response"]
    return float(r["min_reduction_fraction"]), r["source"]
