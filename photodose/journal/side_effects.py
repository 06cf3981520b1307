"""Side effects a person reports after a session, with severity, and the remedy the next plan for the site shows.

The effects are the ones consumer PBM articles name from overuse: warmth, redness, swelling, headache, fatigue and
irritation (plus "other" with words). No published instrument grades them for PBM: the three severity words and the
remedy (shorter sessions, more distance) are photodose's choices (photodose assumption (unsourced)); clinicians
must track adverse events with their own instruments.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..errors import PhotodoseInputError

__all__ = ["EFFECTS", "SEVERITIES", "REMEDY", "parse_side_effects", "side_effect_lines"]

EFFECTS = ("warmth", "redness", "swelling", "headache", "fatigue", "irritation", "other")
SEVERITIES = ("mild", "moderate", "severe")
REMEDY = ("shorter sessions or more distance next time; stop and ask a clinician if it is severe or lasts "
          "(photodose assumption (unsourced))")
SEVERITY_NOTE = "severity words mild/moderate/severe: photodose's scale (unsourced)"


def parse_side_effects(items: list[str] | list[dict] | None, field: str = "--side-effect") -> list[dict] | None:
    """``["redness:mild", "headache"]`` (or dicts {"effect", "severity"[, "note"]}) -> validated dicts; severity
    defaults to mild; "other:moderate:tingling" keeps the words as a note."""
    if not items:
        return None
    out = []
    for item in items:
        if isinstance(item, dict):
            effect, severity, note = item.get("effect"), item.get("severity") or "mild", item.get("note")
        else:
            parts = [p.strip() for p in re.split(r"[:=]", str(item), maxsplit=2)]
            effect = parts[0].lower()
            severity = parts[1].lower() if len(parts) > 1 and parts[1] else "mild"
            note = parts[2] if len(parts) > 2 else None
        effect = str(effect or "").strip().lower()
        if effect not in EFFECTS:
            raise PhotodoseInputError(field, item, "EFFECT[:SEVERITY] with EFFECT one of " + ", ".join(EFFECTS))
        if severity not in SEVERITIES:
            raise PhotodoseInputError(field, item, "severity one of " + ", ".join(SEVERITIES))
        out.append({"effect": effect, "severity": severity, **({"note": str(note)[:200]} if note else {})})
    return out


def side_effect_lines(sessions) -> list[str]:
    """One line per session (journal rows) that reported side effects: date, effects with severity, dose."""
    lines = []
    for s in sessions:
        if not s.side_effects:
            continue
        effects = ", ".join(f"{e['effect']} ({e['severity']})" + (f": {e['note']}" if e.get("note") else "")
                            for e in s.side_effects)
        when = s.start_at.strftime("%Y-%m-%d") if isinstance(s.start_at, datetime) else str(s.start_at)
        lines.append(f"{when} {s.site}: {effects} after {s.duration_s / 60:.3g} min at {s.distance_mm / 10:.3g} cm, "
                     f"{s.surface_fluence_j_cm2:.3g} J/cm2")
    return lines
