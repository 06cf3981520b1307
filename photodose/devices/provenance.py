"""What a device model rests on: its values grouped by provenance, and one sentence a person can read.

Every value of a device file is tagged (``Device.provenance``): a manufacturer ``claim``, an independent
``measurement``, a ``model_fit`` (chosen so the model reproduces a claim), an ``assumption`` or an
``illustrative`` generic value. A plan shows this so nobody mistakes a fitted or assumed geometry for a
measured one.
"""

from __future__ import annotations

import re

from ..units import format_length

FIELD_WORDS = {"total_power": "power", "emitter_power": "power per LED", "centre": "wavelength",
               "fwhm": "spectral width", "half_angle": "LED beam angle", "default_distance": "usual distance",
               "rows": "LED layout", "columns": "LED layout", "pitch": "LED layout", "size": "panel size",
               "diameter": "beam size", "positions": "LED layout", "area": "emitting area"}


def _word(field_path: str) -> str:
    last = field_path.split(".")[-1]
    return FIELD_WORDS.get(last, re.sub(r"_", " ", last))


def field_label(field_path: str, channel_ids: list[str]) -> str:
    """A device file's field path in words: "channels.1.total_power" -> "channel 850: power", "layout.pitch" ->
    "LED layout (pitch)", "*" -> "every other value"."""
    if field_path == "*":
        return "every other value"
    found = re.fullmatch(r"channels\.(\d+)\.(.+)", field_path)
    if found and int(found.group(1)) < len(channel_ids):
        return f"channel {channel_ids[int(found.group(1))]}: {_word(found.group(2))}"
    word, last = _word(field_path), field_path.split(".")[-1].replace("_", " ")
    shared = list(FIELD_WORDS.values()).count(word) > 1   # several fields share the word: say which one
    return f"{word} ({last})" if shared and last != word else word


def device_provenance(device) -> dict:
    """``{"device", "summary", "claims", "measurements", "assumptions"}``: the device's values by provenance
    (model fits count with the assumptions, named so), and a one-sentence summary."""
    groups: dict[str, list[str]] = {"claim": [], "measurement": [], "model_fit": [], "assumption": [],
                                    "illustrative": []}
    for path, prov in device.provenance.items():
        if path != "*":
            word = _word(path)
            if word not in groups[prov.tag]:
                groups[prov.tag].append(word)
    claims = [f"{c.irradiance_mw_cm2:g} mW/cm2 at {format_length(c.distance_mm, device.default_distance_unit)} "
              f"({c.tag})" for c in device.claims]
    default = device.provenance.get("*")
    parts = []
    if claims:
        parts.append("irradiance " + "; ".join(claims))
    if groups["claim"]:
        parts.append("claimed by the maker: " + ", ".join(groups["claim"]))
    if groups["measurement"]:
        parts.append("measured: " + ", ".join(groups["measurement"]))
    if groups["model_fit"]:
        parts.append(", ".join(groups["model_fit"]) + " fitted to the claim (not a maker's figure)")
    if groups["assumption"]:
        parts.append("assumed (not published): " + ", ".join(groups["assumption"]))
    if default is not None and default.tag == "illustrative":
        parts.append("a generic illustrative device, not a real product")
    elif default is not None and default.tag == "assumption" and not groups["assumption"]:
        parts.append("values not tagged otherwise are assumptions")
    calibration = getattr(device, "calibration", None)
    if calibration is not None:
        parts.insert(0, f"calibrated from meter readings on {calibration.date} ({len(calibration.readings)} "
                        f"reading(s), {calibration.meter} meter, power x {calibration.power_scale:.3g} of "
                        f"{calibration.from_device}, rms residual {calibration.rms_residual_percent:.1f} %)")
    summary = f"{device.name}: " + ("; ".join(parts) if parts else "no provenance recorded") + "."
    return {"device": device.id, "summary": summary,
            "claims": claims + [f"{w} (claim)" for w in groups["claim"]],
            "measurements": groups["measurement"],
            "assumptions": [f"{w} (fitted to the claim)" for w in groups["model_fit"]] + groups["assumption"]
            + (["illustrative generic device"] if default is not None and default.tag == "illustrative" else [])}
