"""Compare catalog claims with the device model and with the inverse-square guess most calculators make.

For each irradiance claim (E_claim at d_claim) the model's on-axis value at d_claim shows whether the
model reproduces the claim; at another distance d the model's prediction stands beside the point-source
guess E_claim (d_claim / d)^2, which overstates the fall-off of a panel that is large compared with d.
"""

from __future__ import annotations

from collections.abc import Iterable

from .emitters import inverse_square_mw_cm2
from .irradiance import on_axis_irradiance_mw_cm2
from .model import Device

COMPARISON_DISTANCE_MM = 300.0


def claim_table(devices: Iterable[Device], distance_mm: float = COMPARISON_DISTANCE_MM) -> list[dict]:
    """One row per (device, claim): claim, model at the claim distance, model and inverse-square guess at
    ``distance_mm``."""
    rows = []
    for device in devices:
        for claim in device.claims:
            model_at_claim = float(on_axis_irradiance_mw_cm2(device, claim.distance_mm, claim.channels))
            rows.append({
                "device": device.id, "kind": device.kind, "tag": claim.tag,
                "claim_distance_mm": claim.distance_mm, "claim_distance_unit": device.default_distance_unit,
                "claimed_irradiance_mw_cm2": claim.irradiance_mw_cm2,
                "model_at_claim_mw_cm2": model_at_claim,
                "model_vs_claim_percent": 100.0 * (model_at_claim / claim.irradiance_mw_cm2 - 1.0),
                "distance_mm": distance_mm,
                "model_mw_cm2": float(on_axis_irradiance_mw_cm2(device, distance_mm, claim.channels)),
                "inverse_square_guess_mw_cm2": float(inverse_square_mw_cm2(
                    claim.irradiance_mw_cm2, claim.distance_mm, distance_mm)),
            })
    return rows
