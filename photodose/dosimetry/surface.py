"""Surface irradiance of the chosen device channels at a distance (devices stage), memoised per plan.

Channels are chosen by id or by nominal wavelength ("850" picks the channel whose centre is within
``WAVELENGTH_MATCH_NM``). The planning irradiance is the channel's mean over the treatment area
(``irradiance_summary``); the spatial peak is reported beside it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import PhotodoseInputError

WAVELENGTH_MATCH_NM = 5.0


def choose_channels(device, selection: list[str] | None) -> list:
    """Channels of ``device`` picked by id or nominal wavelength; all enabled channels when ``selection`` is empty."""
    if not selection:
        return [c for c in device.channels if c.enabled]
    chosen = []
    for item in selection:
        text = str(item).strip().removesuffix("nm").strip()
        match = [c for c in device.channels if c.id == text]
        if not match:
            try:
                nm = float(text)
            except ValueError:
                nm = None
            if nm is not None:
                match = [c for c in device.channels if abs(c.wavelength_nm - nm) <= WAVELENGTH_MATCH_NM]
        if not match:
            allowed = ", ".join(f"{c.id} ({c.wavelength_nm:g} nm)" for c in device.channels)
            raise PhotodoseInputError("channel", item, f"channels of {device.id}: {allowed}")
        chosen.extend(c for c in match if c not in chosen)
    return chosen


_DEVICES: dict[str, object] = {}


def _device_key(device) -> str:
    """Content key of a device (id + hash of its definition), so edited files never hit a stale cache entry."""
    key = f"{device.id}:{hashlib.sha1(device.model_dump_json().encode()).hexdigest()[:16]}"
    _DEVICES.setdefault(key, device)
    return key


@lru_cache(maxsize=4096)
def _summary_rows(device_key: str, distance_mm: float, channel_ids: tuple, area_mm: tuple | None) -> dict:
    from ..devices.irradiance import irradiance_summary

    summary = irradiance_summary(_DEVICES[device_key], distance_mm, area_mm, list(channel_ids))
    return {row["channel"]: row for row in summary["channels"]}


@dataclass
class SurfaceIrradiance:
    """Per-channel mean and peak irradiance (mW/cm^2) of ``channels`` at any distance (mm), memoised."""

    device: object
    channel_ids: list[str]
    area_mm: tuple[float, float] | None = None
    _memo: dict = field(default_factory=dict)

    def at(self, distance_mm: float) -> dict[str, dict]:
        """Rows of ``irradiance_summary`` per channel id at ``distance_mm`` (cached across plans)."""
        if "device_key" not in self._memo:
            self._memo["device_key"] = _device_key(self.device)
        return _summary_rows(self._memo["device_key"], round(float(distance_mm), 3), tuple(self.channel_ids),
                             None if self.area_mm is None else tuple(self.area_mm))

    def mean_mw_cm2(self, distance_mm: float) -> dict[str, float]:
        return {cid: row["mean_irradiance_mw_cm2"] for cid, row in self.at(distance_mm).items()}

    def peak_mw_cm2(self, distance_mm: float) -> dict[str, float]:
        return {cid: row["peak_irradiance_mw_cm2"] for cid, row in self.at(distance_mm).items()}
