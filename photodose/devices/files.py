"""Read and validate device files (YAML or TOML): units typed by people, provenance tags, clear refusals.

File keys carry no unit and their values carry one ("6 in", "150 mW", "660 nm"); they become the model's
unit-named fields (``distance: 6 in`` -> ``distance_mm: 152.4``). Any value may be written as
``{value: ..., tag: claim|measurement|model_fit|assumption|illustrative, source: "...", note: "..."}``;
the tag is kept in ``Device.provenance`` under the value's path (e.g. ``channels.0.total_power``), and
``default_provenance`` applies to untagged values (stored under ``"*"``). ``beam_area: 1 cm2`` gives a
beam's diameter. A missing or impossible value is refused with :class:`PhotodoseInputError` naming the file and
the field.
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import ValidationError

from ..errors import PhotodoseInputError
from ..units import length_unit_typed, parse_area_mm, parse_quantity
from .model import Device

DEVICE_FILE_SUFFIXES = (".yaml", ".yml", ".toml")
MAX_DEVICE_FILE_BYTES = 200_000  # a 200-emitter panel with a measured spectrum is ~20 kB (photodose's limit)

# file key -> (model key, unit, unit assumed for a bare number or None if a unit is required)
_UNIT_KEYS = {
    "distance": ("distance_mm", "mm", None),
    "default_distance": ("default_distance_mm", "mm", None),
    "pitch": ("pitch_x_mm", "mm", None),
    "pitch_x": ("pitch_x_mm", "mm", None),
    "pitch_y": ("pitch_y_mm", "mm", None),
    "width": ("width_mm", "mm", None),
    "height": ("height_mm", "mm", None),
    "diameter": ("diameter_mm", "mm", None),
    "total_power": ("total_power_mw", "mW", None),
    "power_per_emitter": ("power_per_emitter_mw", "mW", None),
    "irradiance": ("irradiance_mw_cm2", "mW/cm**2", None),
    "frequency": ("frequency_hz", "Hz", "Hz"),
    "half_angle": ("half_angle_deg", "degree", "degree"),
    "divergence_half_angle": ("divergence_half_angle_deg", "degree", "degree"),
    "centre": ("centre_nm", "nm", "nm"),
    "fwhm": ("fwhm_nm", "nm", "nm"),
}
_SPECTRUM_KEYS = {"centre_nm", "fwhm_nm"}

# Input ranges per model unit (photodose's sanity limits, unsourced): a device is at most 10 m across, emits at
# most 10 kW, between 100 nm and 100 um, pulses at most at 1 GHz.
# (The model's own checks - positive powers, angles below 90 degrees - stay with the model.)
_RANGES = {"mm": (-10_000.0, 10_000.0), "mW": (None, 1e7), "mW/cm**2": (None, 1e6), "Hz": (None, 1e9),
           "mm**2": (None, 1e8), "centre_nm": (100.0, 100_000.0), "fwhm_nm": (None, 10_000.0)}


def read_device_file(path: str | Path) -> Device:
    """Load, convert and validate one device file; errors name ``path`` and the field."""
    path = Path(path)
    source = str(path)
    raw = _read_mapping(path)
    provenance: dict[str, dict] = {}
    data = _unwrap(raw, "", provenance, source)
    default = data.pop("default_provenance", None)
    if default is not None:
        provenance["*"] = default
    data["provenance"] = provenance
    data = _convert(data, "", source)
    for i, channel in enumerate(data.get("channels") or []):
        if isinstance(channel, dict):
            data["channels"][i] = _gather_spectrum(channel)
    try:
        return Device.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ())) or "device"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        raise PhotodoseInputError(field, err.get("input"), message, source=source) from None


def _read_mapping(path: Path) -> dict:
    from ..inputs import load_document, require_mapping

    if path.suffix.lower() not in DEVICE_FILE_SUFFIXES:
        raise PhotodoseInputError("file", str(path), "a device file ends in " + ", ".join(DEVICE_FILE_SUFFIXES))
    raw = load_document(path, "file", max_bytes=MAX_DEVICE_FILE_BYTES)
    return require_mapping(raw, "file", str(path), "device fields (id, name, kind, ...)")


def _is_tagged(node) -> bool:
    return isinstance(node, dict) and "value" in node and "tag" in node


def _unwrap(node, path: str, provenance: dict, source: str):
    """Replace tagged values by their value, recording {tag, source, note} under their path."""
    if _is_tagged(node):
        extra = set(node) - {"value", "tag", "source", "note"}
        if extra:
            raise PhotodoseInputError(f"{path}.{sorted(extra)[0]}", node, "a tagged value has value, tag, source, note",
                                      source=source)
        provenance[path] = {k: node[k] for k in ("tag", "source", "note") if k in node}
        return node["value"]
    if isinstance(node, dict):
        return {k: _unwrap(v, f"{path}.{k}" if path else str(k), provenance, source) for k, v in node.items()}
    if isinstance(node, list):
        return [_unwrap(v, f"{path}.{i}", provenance, source) for i, v in enumerate(node)]
    return node


def _convert(node, path: str, source: str):
    """Turn unit-typed file keys into the model's unit-named fields."""
    if isinstance(node, list):
        return [_convert(v, f"{path}.{i}", source) for i, v in enumerate(node)]
    if not isinstance(node, dict) or path.endswith("provenance"):
        return node
    out = {}
    for key, value in node.items():
        where = f"{path}.{key}" if path else str(key)
        if key in _UNIT_KEYS:
            model_key, unit, default_unit = _UNIT_KEYS[key]
            out[model_key] = _quantity(value, unit, default_unit, where, source)
            if key == "default_distance":
                out["default_distance_unit"] = length_unit_typed(str(value))
        elif key == "beam_area":
            area_mm2 = _quantity(value, "mm**2", None, where, source)
            out["diameter_mm"] = 2.0 * (area_mm2 / math.pi) ** 0.5
        elif key == "treatment_area":
            out["treatment_area_mm"] = _area(value, where, source)
        elif key == "positions":
            out["positions_mm"] = [_position(p, f"{where}.{i}", source) for i, p in enumerate(value or [])]
        else:
            out[key] = _convert(value, where, source)
    return out


def _quantity(value, unit: str, default_unit: str | None, field: str, source: str) -> float:
    try:
        low, high = _RANGES.get(field.rsplit(".", 1)[-1] + "_nm" if unit == "nm" else unit, (None, None))
        return parse_quantity(value, unit, field, default_unit=default_unit, low=low, high=high)
    except PhotodoseInputError as exc:
        raise PhotodoseInputError(field, value, exc.allowed, source=source) from None


def _area(value, field: str, source: str) -> tuple[float, float]:
    try:
        return parse_area_mm(str(value), field)
    except PhotodoseInputError as exc:
        raise PhotodoseInputError(field, value, exc.allowed, source=source) from None


def _position(value, field: str, source: str) -> tuple[float, float]:
    parts = [s for s in str(value).split(",")] if isinstance(value, str) else list(value or [])
    if len(parts) != 2:
        raise PhotodoseInputError(field, value, "a position is 'X, Y' with units, e.g. '2 cm, -1 cm'", source=source)
    return tuple(_quantity(p, "mm", None, field, source) for p in parts)


def _gather_spectrum(channel: dict) -> dict:
    """Move centre/fwhm (or spectrum_table {nm, relative_power}) of a channel into its ``spectrum``."""
    channel = dict(channel)
    spectrum = dict(channel.pop("spectrum", None) or {})
    for key in _SPECTRUM_KEYS & set(channel):
        spectrum[key] = channel.pop(key)
    table = channel.pop("spectrum_table", None)
    if isinstance(table, dict):
        nm, power = table.get("nm") or [], table.get("relative_power") or []
        spectrum.update(shape="table", table_nm=nm, table_relative_power=power)
        if nm and power and len(nm) == len(power) and "centre_nm" not in spectrum:
            spectrum["centre_nm"] = nm[max(range(len(power)), key=lambda i: power[i])]
    channel["spectrum"] = spectrum
    return channel
