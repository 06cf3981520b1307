"""Dose of one session: surface irradiance and fluence per channel, energy over the area, dose at depth.

Model: surface fluence H_ch = E_ch t / 1000 (seed rule); dose at depth D(z) = sum_ch H_ch phi_ch(z), with
phi_ch the transport stage's wide-field fluence per irradiance integrated over the channel's emission spectrum
(see :mod:`photodose.dosimetry.depth_dose`). Energy Q = H x treatment area. ``compute_session_dose`` is the
entry point the journal uses; the planner builds on :func:`channel_lights` and :func:`session_dose_from_lights`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arithmetic import energy_j, fluence_j_cm2
from .depth_dose import depth_fluence_j_cm2
from ..optics.phototypes import normalise_skin_type
from ..optics.sites import tissue_swaps
from .surface import SurfaceIrradiance, choose_channels
from .depth_model import DepthModel
from .tissue import CURVE_DEPTHS_MM, channel_fluence_per_irradiance

MM2_PER_CM2 = 100.0


@dataclass(frozen=True)
class ChannelLight:
    """One channel's light at the skin and its spectrally weighted fluence per irradiance in tissue."""

    channel_id: str
    wavelength_nm: float
    irradiance_mw_cm2: float
    peak_irradiance_mw_cm2: float
    phi_target: float | None
    phi_curve: np.ndarray


@dataclass(frozen=True)
class TissueModel:
    """The tissue the light enters: body site, phototype, thickness overrides, tissue-preset choices.

    ``tissue`` (layer -> preset) is validated and kept canonical, holding only the presets that differ from the
    site's own, so equivalent spellings share the cached phi and the default stack's cache.
    """

    site: str
    skin_type: str = "III"
    thickness_mm: dict | None = None
    depth_model: DepthModel = DepthModel()
    tissue: dict | None = None

    def __post_init__(self):
        object.__setattr__(self, "tissue", tissue_swaps(self.site, self.tissue) or None)

    def phi(self, spectrum, depths_mm) -> np.ndarray:
        return channel_fluence_per_irradiance(spectrum, self.site, self.skin_type, depths_mm, self.thickness_mm,
                                              model=self.depth_model, tissue=self.tissue)


def treatment_area_cm2(device) -> float:
    """The device's treatment area (else its emitting region) in cm^2."""
    width_mm, height_mm = device.treatment_area_mm or device.layout.extent_mm
    return width_mm * height_mm / MM2_PER_CM2


def channel_phis(channels, tissue: TissueModel, target_depth_mm: float | None) -> dict[str, tuple]:
    """(phi at target or None, phi over the curve depths) per channel id; independent of distance."""
    out = {}
    for ch in channels:
        phi_target = None if target_depth_mm is None else float(tissue.phi(ch.spectrum, [target_depth_mm])[0])
        out[ch.id] = (phi_target, tissue.phi(ch.spectrum, CURVE_DEPTHS_MM))
    return out


def channel_lights(channels, surface: SurfaceIrradiance, distance_mm: float, phis: dict) -> list[ChannelLight]:
    """Combine the surface irradiance at ``distance_mm`` with each channel's tissue response."""
    mean = surface.mean_mw_cm2(distance_mm)
    peak = surface.peak_mw_cm2(distance_mm)
    return [ChannelLight(ch.id, float(ch.wavelength_nm), mean[ch.id], peak[ch.id], phis[ch.id][0], phis[ch.id][1])
            for ch in channels]


def session_dose_from_lights(lights: list[ChannelLight], time_s: float, area_cm2: float,
                             target_depth_mm: float | None) -> dict:
    """The session's dose document (surface, energy, target, depth-dose curve) from per-channel parts."""
    surface_rows = [{"channel": l.channel_id, "wavelength_nm": l.wavelength_nm,
                     "irradiance_mw_cm2": l.irradiance_mw_cm2, "peak_irradiance_mw_cm2": l.peak_irradiance_mw_cm2,
                     "fluence_j_cm2": float(fluence_j_cm2(l.irradiance_mw_cm2, time_s))} for l in lights]
    surface_fluence = sum(r["fluence_j_cm2"] for r in surface_rows)
    curves = [depth_fluence_j_cm2(l.irradiance_mw_cm2, time_s, l.phi_curve) for l in lights]
    doc = {
        "session_seconds": float(time_s),
        "surface": {"irradiance_mw_cm2": float(sum(l.irradiance_mw_cm2 for l in lights)),
                    "peak_irradiance_mw_cm2": float(sum(l.peak_irradiance_mw_cm2 for l in lights)),
                    "fluence_j_cm2": float(surface_fluence), "by_wavelength": surface_rows},
        "area_cm2": float(area_cm2),
        "energy_j": float(energy_j(surface_fluence, area_cm2)),
        "target": None,
        "depth_dose": {"depth_mm": list(CURVE_DEPTHS_MM),
                       "total_j_cm2": [float(v) for v in np.sum(curves, axis=0)],
                       "by_wavelength": [{"channel": l.channel_id, "wavelength_nm": l.wavelength_nm,
                                          "fluence_j_cm2": [float(v) for v in c]} for l, c in zip(lights, curves)]},
    }
    if target_depth_mm is not None:
        rows = [{"channel": l.channel_id, "wavelength_nm": l.wavelength_nm, "fluence_per_irradiance": l.phi_target,
                 "fluence_j_cm2": float(depth_fluence_j_cm2(l.irradiance_mw_cm2, time_s, l.phi_target))}
                for l in lights]
        doc["target"] = {"depth_mm": float(target_depth_mm),
                         "fluence_j_cm2": float(sum(r["fluence_j_cm2"] for r in rows)), "by_wavelength": rows}
    return doc


def load_device_any(device):
    """A Device object, or one loaded from a catalog id or file path."""
    if isinstance(device, str):
        from ..devices.catalog import load_device

        return load_device(device)
    return device


def compute_session_dose(device, distance_mm: float, session_seconds: float, site: str, skin_type: str = "III",
                         channels: list[str] | None = None, target_depth_mm: float | None = None,
                         thickness_mm: dict[str, float] | None = None, tissue: dict[str, str] | None = None) -> dict:
    """Dose of one session with ``device`` (object, catalog id or file) at ``distance_mm`` for ``session_seconds``.

    ``tissue`` chooses layer presets (layer -> preset); the result then names them under ``"tissue"``.

    Returns {"session_seconds", "distance_mm", "device", "site", "skin_type", "surface": {"irradiance_mw_cm2",
    "peak_irradiance_mw_cm2", "fluence_j_cm2", "by_wavelength": [...]}, "area_cm2", "energy_j",
    "target": {"depth_mm", "fluence_j_cm2", "by_wavelength"} | None, "depth_dose": {...}}.
    """
    from ..errors import require_in_range

    device = load_device_any(device)
    require_in_range("session_seconds", session_seconds, 0, 86400)
    require_in_range("distance_mm", distance_mm, 0, 5000)
    tissue = TissueModel(site, normalise_skin_type(skin_type), thickness_mm, tissue=tissue)
    chosen = choose_channels(device, channels)
    surface = SurfaceIrradiance(device, [c.id for c in chosen])
    lights = channel_lights(chosen, surface, distance_mm, channel_phis(chosen, tissue, target_depth_mm))
    doc = session_dose_from_lights(lights, session_seconds, treatment_area_cm2(device), target_depth_mm)
    chosen = {"tissue": tissue.tissue} if tissue.tissue else {}
    return {"device": device.id, "distance_mm": float(distance_mm), "site": site, "skin_type": tissue.skin_type,
            **chosen, **doc}
