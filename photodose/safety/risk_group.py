"""IEC 62471 risk group of an incoherent source at a distance, per hazard, from the limits in ``data/risk_groups.yaml``.

Per hazard the group is the first of exempt / RG1 / RG2 whose emission limit the source stays within, else RG3.
Where only the exempt limit is sourced (blue light, retinal thermal), a source above it is "not exempt" and its
RG1-RG3 group is left unresolved. The overall group is the worst hazard's; an unresolved hazard makes it
"at least" the worst resolved group. Quantities come from :mod:`photodose.safety.eye_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sources import load_yaml

GROUP_ORDER = ("exempt", "RG1", "RG2", "RG3")
NOT_EXEMPT = "not exempt"
NOT_ASSESSED = "not assessed"


@dataclass(frozen=True)
class HazardGroup:
    """Risk group of one hazard: ``group`` is exempt / RG1 / RG2 / RG3, "not exempt" (RG1-RG3 unresolved) or
    "not assessed" (an input such as the source size is missing)."""

    hazard: str
    group: str
    value: float | None
    limit: float | None
    unit: str
    source: str


def _data() -> dict:
    return load_yaml("risk_groups.yaml")


def reference_distance_mm() -> float:
    """IEC 62471's assessment distance for lamps that are not general lighting (200 mm; see risk_groups.yaml)."""
    return float(_data()["reference_distance_mm"])


def infrared_eye_group(irradiance_w_m2: float) -> HazardGroup:
    """Exempt <= 100 W/m2 (1000 s), RG1 <= 570 W/m2 (100 s), RG2 <= 3200 W/m2 (10 s), else RG3."""
    entry = _data()["infrared_eye"]
    for row in entry["groups"]:
        if irradiance_w_m2 <= row["limit"]:
            return HazardGroup("infrared_eye", row["group"], irradiance_w_m2, row["limit"], entry["unit"],
                               entry["source"])
    return HazardGroup("infrared_eye", "RG3", irradiance_w_m2, entry["groups"][-1]["limit"], entry["unit"],
                       entry["source"])


def _exempt_or_not(hazard: str, value: float | None, limit: float, entry: dict) -> HazardGroup:
    if value is None:
        return HazardGroup(hazard, NOT_ASSESSED, None, limit, entry["unit"], entry["source"])
    return HazardGroup(hazard, "exempt" if value <= limit else NOT_EXEMPT, value, limit, entry["unit"],
                       entry["source"])


def blue_light_group(radiance_w_m2_sr: float | None) -> HazardGroup:
    """Exempt when L_B <= 100 W m-2 sr-1; above: not exempt (RG1-RG3 unresolved); None: not assessed."""
    entry = _data()["blue_light"]
    return _exempt_or_not("blue_light", radiance_w_m2_sr, float(entry["exempt_limit"]), entry)


def retinal_thermal_group(terms: dict | None, alpha_rad: float | None) -> HazardGroup:
    """Exempt when the applicable retinal thermal quantity is within its limit at every duration, else not exempt
    (RG1-RG3 unresolved); unknown alpha: not assessed.

    ``terms``: :func:`photodose.safety.eye_checks.retinal_thermal_terms` at t -> infinity: a weak visual stimulus
    is judged on L_IR <= 6000 / alpha (780-1400 nm), a visible source on L_R <= 28117 / alpha (380-1400 nm, the
    10 s value), alpha within the standard's bounds.
    """
    entry = _data()["retinal_thermal"]
    if terms is None or not alpha_rad:
        return HazardGroup("retinal_thermal", NOT_ASSESSED, None, None, entry["unit"], entry["source"])
    return _exempt_or_not("retinal_thermal", terms["radiance"], float(terms["limit"]), entry)


def overall_group(groups: list[HazardGroup]) -> str:
    """Worst group over hazards, e.g. "RG1", "exempt", "at least RG2 (blue_light: not exempt, RG1-RG3 not sourced)".

    Hazards not assessed are named in brackets; an empty list (no hazard applies) is "exempt".
    """
    resolved = [g.group for g in groups if g.group in GROUP_ORDER]
    unresolved = [g.hazard for g in groups if g.group == NOT_EXEMPT]
    missing = [g.hazard for g in groups if g.group == NOT_ASSESSED]
    worst = max(resolved, key=GROUP_ORDER.index, default="exempt")
    if unresolved:
        floor = max(worst, "RG1", key=GROUP_ORDER.index)
        text = f"at least {floor} ({', '.join(unresolved)}: not exempt, RG1-RG3 limits not sourced)"
    else:
        text = worst
    if missing:
        text += f" ({', '.join(missing)}: not assessed, source size unknown)"
    return text
