"""How much a plan's target dose depends on the subcutaneous-fat preset, where the sources disagree most.

The fat presets differ about 200-fold in absorption at 810 nm (in-vivo default, Bashkatov 2011 in vitro, Cassano
2019 lipid-only; see ``tissues.yaml``). For a plan whose light enters a fat layer before the target (the layer's
top lies above the target depth), the same session (channels, irradiance, time) is evaluated with every fat layer
above the target set to each preset in turn: D_p = sum_ch H_ch phi_ch(z_target; p). Always with the fast model
(delta-Eddington diffusion), so the comparison costs milliseconds whatever model the plan itself used.
"""

from __future__ import annotations

from dataclasses import replace

from ..dosimetry.depth_dose import depth_fluence_j_cm2
from ..optics.sites import layer_table
from ..optics.tissues import tissue_presets
from ..dosimetry.depth_model import DepthModel
from .windows import verdict

FAT_PRESETS = ("subcutaneous_fat", "subcutaneous_fat_bashkatov", "subcutaneous_fat_cassano2019")


def fat_layers_above(tissue, target_depth_mm: float) -> list[str]:
    """Names of the layers holding a fat preset whose top lies above ``target_depth_mm``."""
    return [layer["name"] for layer in layer_table(tissue.site, tissue.thickness_mm, tissue.tissue)
            if layer["tissue"] in FAT_PRESETS and layer["top_mm"] < target_depth_mm]


def fat_preset_sensitivity(tissue, channels, lights, time_s: float, target_depth_mm: float,
                           window=None) -> dict | None:
    """Target fluence of this session under each fat preset, or None when no fat layer lies above the target.

    ``tissue``: the plan's TissueModel; ``channels`` and ``lights`` (same order): the device channels and their
    :class:`~photodose.dosimetry.session_dose.ChannelLight`; ``window``: the target DoseWindow for the verdicts.
    Returns {"layers", "model", "by_preset": [{"tissue", "label", "fluence_j_cm2", "verdict", "used_by_plan"}],
    "low_j_cm2", "high_j_cm2", "spread_factor"}.
    """
    layers = fat_layers_above(tissue, target_depth_mm)
    if not layers:
        return None
    used = {layer["tissue"] for layer in layer_table(tissue.site, tissue.thickness_mm, tissue.tissue)
            if layer["name"] in layers}
    fast = DepthModel()
    rows = []
    for preset in FAT_PRESETS:
        variant = replace(tissue, depth_model=fast, tissue={**(tissue.tissue or {}), **dict.fromkeys(layers, preset)})
        dose = sum(depth_fluence_j_cm2(light.irradiance_mw_cm2, time_s, variant.phi(ch.spectrum, [target_depth_mm])[0])
                   for ch, light in zip(channels, lights))
        rows.append({"tissue": preset, "label": tissue_presets()[preset].label, "fluence_j_cm2": float(dose),
                     "verdict": None if window is None else verdict(dose, window.low_j_cm2, window.high_j_cm2),
                     "used_by_plan": used == {preset}})
    low, high = min(r["fluence_j_cm2"] for r in rows), max(r["fluence_j_cm2"] for r in rows)
    return {"layers": layers, "model": fast.label(), "by_preset": rows, "low_j_cm2": low, "high_j_cm2": high,
            "spread_factor": high / low if low > 0 else None}
