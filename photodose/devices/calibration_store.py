"""Save a calibration as a user device, so that every command (plan, dose, irradiance, log) uses it.

The saved device is the original device file with each enabled channel's power multiplied by the fitted power
scale (and, where the beam spread was fitted, each channel's half-angle set from the fitted Lambertian order),
those values tagged ``measurement`` with the date and the meter; the on-axis readings become ``measurement``
claims; a ``calibration`` block records the readings (as read and as used), the meter, its factor and the fit.

Meters. A reading is taken as the irradiance it displays only from an irradiance (optical power) meter set to
the light's wavelength. A "solar power meter" is calibrated for sunlight with a silicon detector; its reading of a
narrow-band LED is off by the ratio of the detector's spectral responsivity at the LED's wavelengths to its
responsivity-weighted sunlight calibration. No primary source that photodose holds quantifies that ratio for the
solar meters people own against these devices' spectra, so photodose applies no correction of its own: it warns,
and multiplies the readings by ``--meter-factor`` only when the person gives one they trust (for example from a
side-by-side reading with a calibrated meter), recording where it came from.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import yaml

from ..errors import PhotodoseInputError
from .calibration import CalibrationResult, Reading
from .emitters import half_angle_from_lambertian_order
from .model import Device

__all__ = ["METERS", "meter_correction", "save_calibrated_device"]

METERS = {
    "irradiance": "an irradiance (optical power) meter set to the light's wavelength: readings taken as read",
    "solar": "a solar power meter (calibrated for sunlight, not for narrow-band LEDs)",
    "other": "another meter of unknown spectral calibration",
}

SOLAR_WARNING = ("a solar power meter is calibrated for sunlight: its reading of a red/near-infrared LED is off by "
                 "its detector's spectral responsivity at the LED's wavelengths, and no source photodose holds "
                 "quantifies that for your meter and this device; readings used as read unless you give "
                 "--meter-factor from a side-by-side reading with a calibrated irradiance meter")


def meter_correction(meter: str, factor: float | None) -> tuple[float, str, list[str]]:
    """(factor applied to each reading, where the factor comes from, warnings) for ``meter``."""
    if meter not in METERS:
        raise PhotodoseInputError("--meter", meter, "one of: " + ", ".join(METERS))
    if factor is not None and not (0.01 <= factor <= 100):
        raise PhotodoseInputError("--meter-factor", factor, "a factor in [0.01, 100] that multiplies each reading")
    warnings = [] if meter == "irradiance" else [SOLAR_WARNING if meter == "solar" else
                                                  "a meter of unknown spectral calibration: readings used as read "
                                                  "unless you give --meter-factor"]
    if factor is not None and warnings:
        warnings = [warnings[0].split(";")[0] + f"; readings multiplied by your --meter-factor {factor:g} "
                    "(a factor photodose cannot check)"]
    if factor is None:
        unsourced = " (photodose assumption (unsourced): the reading is the irradiance)"
        note = METERS[meter] + "; no correction" + ("" if meter == "irradiance" else unsourced)
        return 1.0, note, warnings
    return factor, f"{METERS[meter]}; readings x {factor:g}, a factor given by the person (not checked by photodose)", \
        warnings


def _raw_device(device: Device) -> dict:
    path = Path(device.file)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".toml":
        import tomllib

        return tomllib.loads(text)
    return yaml.safe_load(text)


def calibrated_device_document(device: Device, result: CalibrationResult, readings: list[Reading],
                               read_mw_cm2: list[float], meter: str, meter_factor: float, meter_note: str,
                               new_id: str, day: date) -> dict:
    """The device file (as a mapping) of ``device`` calibrated by ``result``."""
    raw = _raw_device(device)
    raw.pop("calibration", None)
    when = day.isoformat()
    tag_source = (f"calibrated from meter readings on {when} ({len(readings)} reading(s), {meter} meter, "
                  f"rms residual {result.rms_residual_percent:.1f} %)")
    for i, (channel, raw_channel) in enumerate(zip(device.channels, raw.get("channels") or [])):
        if not channel.enabled:
            continue
        key, mw = (("total_power", channel.total_power_mw) if channel.total_power_mw is not None
                   else ("power_per_emitter", channel.power_per_emitter_mw))
        raw_channel[key] = {"value": f"{mw * result.power_scale:.6g} mW", "tag": "measurement",
                            "source": tag_source, "note": f"x {result.power_scale:.4g} of {device.id}'s model power"}
        if result.order_fitted and result.lambertian_order is not None:
            raw_channel.pop("lambertian_order", None)
            half_angle_deg = half_angle_from_lambertian_order(result.lambertian_order)
            raw_channel["half_angle"] = {"value": f"{half_angle_deg:.4g} deg",
                                         "tag": "measurement", "source": tag_source,
                                         "note": f"common Lambertian order m = {result.lambertian_order:.4g} fitted"}
    claims = list(raw.get("claims") or [])
    for r in readings:
        if r.x_mm == 0 and r.y_mm == 0:
            claims.append({"irradiance": f"{r.irradiance_mw_cm2:.6g} mW/cm2", "distance": f"{r.distance_mm:.6g} mm",
                           "tag": "measurement", "source": tag_source})
    raw["claims"] = claims
    raw["id"] = new_id
    raw["name"] = f"{device.name} (calibrated {when})"
    raw["calibration"] = {
        "date": when, "from_device": device.id, "meter": meter, "meter_factor": float(meter_factor),
        "meter_note": meter_note,
        "readings": [{"distance_mm": r.distance_mm, "x_mm": r.x_mm, "y_mm": r.y_mm, "read_mw_cm2": read,
                      "irradiance_mw_cm2": r.irradiance_mw_cm2} for r, read in zip(readings, read_mw_cm2)],
        "power_scale": _num(result.power_scale), "power_scale_std": _num(result.power_scale_std),
        "lambertian_order": _num(result.lambertian_order), "rms_residual_percent": _num(result.rms_residual_percent)}
    raw["calibration"]["readings"] = [{k: _num(v) for k, v in r.items()} for r in raw["calibration"]["readings"]]
    return raw


def _num(value):
    return None if value is None else float(value)


def save_calibrated_device(device: Device, result: CalibrationResult, readings: list[Reading],
                           read_mw_cm2: list[float], *, meter: str = "irradiance", meter_factor: float = 1.0,
                           meter_note: str = "", new_id: str | None = None, day: date | None = None) -> Device:
    """Write the calibrated device among the user's devices (replacing one with the same id) and return it."""
    from .catalog import add_user_device

    new_id = new_id or f"{device.id.removesuffix('-calibrated')}-calibrated"
    doc = calibrated_device_document(device, result, readings, read_mw_cm2, meter, meter_factor, meter_note, new_id,
                                     day or date.today())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{new_id}.yaml"
        path.write_text("# written by photodose calibrate --save\n" + yaml.safe_dump(doc, sort_keys=False,
                                                                                     allow_unicode=True),
                        encoding="utf-8")
        return add_user_device(path)
