"""Devices for the web: catalog rows, irradiance against distance, user uploads, meter-reading calibration."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ..errors import PhotodoseInputError
from .planning import load_catalog_device

MAX_UPLOAD_BYTES = 200_000
MAX_YAML_DEPTH = 16  # a device file nests 3-4 levels (device > channels > channel > tagged value)
MAX_DEVICE_ID_CHARS = 100  # the id becomes a file name
MAX_READINGS = 50
CURVE_POINTS = 40
CURVE_RANGE_MM = (10.0, 1000.0)


def catalog_rows() -> list[dict]:
    from ..devices.catalog import list_devices

    return [{"id": d.id, "name": d.name, "kind": d.kind,
             "wavelengths_nm": [c.wavelength_nm for c in d.channels]} for d in list_devices()]


def irradiance_curve(device) -> tuple[list[float], list[float]]:
    """On-axis time-averaged irradiance (mW/cm2) at log-spaced distances (mm) over ``CURVE_RANGE_MM``."""
    from ..devices.irradiance import on_axis_irradiance_mw_cm2

    distances = np.geomspace(*CURVE_RANGE_MM, CURVE_POINTS)
    if device.layout.kind == "area":
        distances = np.concatenate([[0.0], distances])
    return distances.tolist(), np.asarray(on_axis_irradiance_mw_cm2(device, distances), float).tolist()


def summary_at(device_id: str, distance: str):
    """(device, irradiance summary at ``distance`` typed with a unit)."""
    device = load_catalog_device(device_id)
    return device, summary_of(device, distance)


def summary_of(device, distance: str) -> dict:
    """The device's irradiance summary at ``distance`` typed with a unit (at most 3 m)."""
    from ..devices.irradiance import irradiance_summary
    from ..units import parse_length_mm

    try:
        distance_mm = parse_length_mm(distance, "distance")
    except OverflowError:
        raise PhotodoseInputError("distance", str(distance)[:40], "at most 3 m (3000 mm)") from None
    if distance_mm > 3000:
        raise PhotodoseInputError("distance", distance, "at most 3 m (3000 mm)")
    return irradiance_summary(device, distance_mm)


def check_yaml_shape(text: str, filename: str) -> None:
    """Refuse YAML that is costly to load before loading it (anchors and aliases: the "billion laughs"; nesting
    deeper than ``MAX_YAML_DEPTH``): the one reader's check, :func:`photodose.inputs.check_yaml_shape`."""
    from ..inputs import check_yaml_shape as check

    check(text, "file", filename, max_depth=MAX_YAML_DEPTH)


def add_uploaded_device(filename: str, content: bytes):
    """Validate an uploaded device file (YAML/TOML) and add it to the acting user's devices (a web user's own
    folder: ``security.user_devices_folder``)."""
    from ..devices.catalog import add_user_device
    from ..devices.files import DEVICE_FILE_SUFFIXES, read_device_file

    filename = str(filename or "")[:200]
    suffix = Path(filename).suffix.lower()
    if suffix not in DEVICE_FILE_SUFFIXES:
        raise PhotodoseInputError("file", filename, "a device file ending in " + ", ".join(DEVICE_FILE_SUFFIXES))
    if not content or len(content) > MAX_UPLOAD_BYTES:
        raise PhotodoseInputError("file", f"{len(content)} bytes",
                                  f"a non-empty file of at most {MAX_UPLOAD_BYTES} bytes")
    from ..inputs import decode_text

    text = decode_text(content, "file", filename)
    if suffix != ".toml":
        check_yaml_shape(text, filename)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            device = read_device_file(path)
            if len(device.id) > MAX_DEVICE_ID_CHARS:
                raise PhotodoseInputError("id", device.id[:40] + "...", f"a device id of at most {MAX_DEVICE_ID_CHARS} "
                                          "characters")
            return add_user_device(path)
        except PhotodoseInputError as exc:
            value = filename if str(exc.value) == str(path) else _short(exc.value)
            raise PhotodoseInputError(exc.field, value, exc.allowed, source=filename) from None
        except RecursionError:
            raise PhotodoseInputError("file", filename, "a device file nested less deeply") from None


def _short(value, limit: int = 80):
    """An offending value as shown back to the person: at most ``limit`` characters."""
    text = str(value)
    return value if len(text) <= limit else text[:limit] + "..."


def parse_readings(text: str) -> list[tuple[float, float]]:
    """Meter readings, one per line: "distance, irradiance" (distance with a unit, irradiance in mW/cm2 or with
    a unit), e.g. "15 cm, 42" or "300 mm, 21.5 mW/cm2"."""
    from ..units import parse_irradiance_mw_cm2, parse_length_mm

    readings = []
    for n, line in enumerate((ln for ln in (text or "").splitlines() if ln.strip()), start=1):
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if len(parts) != 2:
            raise PhotodoseInputError("readings", line, f'line {n}: "distance, irradiance", e.g. "15 cm, 42"')
        irradiance = parts[1] if not _is_number(parts[1]) else f"{parts[1]} mW/cm2"
        readings.append((parse_length_mm(parts[0], f"readings line {n} distance"),
                         parse_irradiance_mw_cm2(irradiance, f"readings line {n} irradiance")))
    if not readings or len(readings) > MAX_READINGS:
        raise PhotodoseInputError("readings", len(readings), f"1 to {MAX_READINGS} readings, one per line")
    return readings


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def calibrate_device(device_id: str, readings: list[tuple[float, float]]):
    """(device, CalibrationResult as a dict) for readings [(distance_mm, irradiance_mw_cm2)]."""
    from ..devices.calibration import calibrate

    device = load_catalog_device(device_id)
    return device, calibrate(device, readings).to_dict()
