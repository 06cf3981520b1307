"""Surface irradiance of the chosen device channels at a distance (devices stage), memoised per plan.

Channels are chosen by id or by nominal wavelength ("850" picks the channel whose centre is within
``WAVELENGTH_MATCH_NM``). The planning irradiance is the channel's mean over the treatment area
(``irradiance_summary``); the spatial peak is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
class SurfaceIrradiance:
    """Memoised per-channel mean and peak irradiance (mW/cm^2) of ``channels`` at any distance (mm)."""

    device: object
    channel_ids: list[str]
    area_mm: tuple[float, float] | None = None
    _memo: dict = field(default_factory=dict)

    def at(self, distance_mm: float) -> dict[str, dict]:
        key = round(float(distance_mm), 3)
        if key not in self._memo:
            from ..devices.irradiance import irradiance_summary

            summary = irradiance_summary(self.device, key, self.area_mm, self.channel_ids)
            self._memo[key] = {row["channel"]: row for row in summary["channels"]}
        return self._memo[key]

    def mean_mw_cm2(self, distance_mm: float) -> dict[str, float]:
        return {cid: row["mean_irradiance_mw_cm2"] for cid, row in self.at(distance_mm).items()}

    def peak_mw_cm2(self, distance_mm: float) -> dict[str, float]:
        return {cid: row["peak_irradiance_mw_cm2"] for cid, row in self.at(distance_mm).items()}
