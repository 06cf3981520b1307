"""Fluence per unit irradiance phi(z; lambda) of a body site, from the optics and transport stages, cached.

Edge module: it builds the site's layer stack (optics stage, ``body_stack``) and runs the chosen transport model
(:class:`~photodose.dosimetry.depth_model.DepthModel`: fast diffusion by default, Monte Carlo, or an atlas) once per
(site, wavelength rounded to 1 nm, phototype, thickness overrides, tissue-preset choices, depths, model); later
calls are dictionary look-ups. Channel spectra are integrated with their emission samples (weights sum to 1). Notes
from the model (an atlas falling back to Monte Carlo, or skipped for a tissue-preset choice) are collected by
:func:`model_notes`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .depth_dose import spectral_fluence_per_irradiance
from ..optics.layers import layer_index_at
from ..optics.sites import body_stack
from .depth_model import DepthModel, open_atlas_cached

SPECTRAL_SAMPLES = 5
CURVE_DEPTHS_MM = tuple(float(z) for z in np.round(np.arange(0.0, 40.0 + 1e-9, 0.25), 4))


FAST = DepthModel()
_NOTES: dict[tuple, str] = {}


def _transport_model(site: str, wavelength_nm: int, skin_type: str, thickness_key: tuple, tissue_key: tuple,
                     depths_mm: np.ndarray, model: DepthModel) -> np.ndarray:
    from ..transport.depth_dose import fluence_per_irradiance

    stack = _stack(site, wavelength_nm, skin_type, thickness_key, tissue_key)
    key = (site, wavelength_nm, skin_type, thickness_key, tissue_key, model)
    if model.method == "atlas" and tissue_key:  # an atlas holds the sites' own presets only
        _NOTES[key] = (f"{wavelength_nm} nm: the atlas holds the sites' own tissue presets, not the chosen "
                       f"{', '.join(f'{layer}={preset}' for layer, preset in tissue_key)}; "
                       f"running Monte Carlo with {model.photons:,} photons")
    if model.method == "fast":
        result = fluence_per_irradiance(stack, depths_mm, method="fast")
    elif model.method == "mc" or tissue_key:
        result = fluence_per_irradiance(stack, depths_mm, method="mc", photons=model.photons, seed=model.seed)
    else:
        from ..scale.atlas import fluence_per_irradiance_or_mc

        result = fluence_per_irradiance_or_mc(open_atlas_cached(model.atlas_dir), site, skin_type,
                                              float(wavelength_nm), depths_mm, dict(thickness_key) or None,
                                              photons=model.photons, seed=model.seed,
                                              say_fn=lambda msg: _NOTES.__setitem__(key, f"{wavelength_nm} nm: {msg}"))
    return np.asarray(result.fluence_per_irradiance, float)


def model_notes(site: str, skin_type: str, model: DepthModel) -> list[str]:
    """What the model said while answering for this site and phototype (e.g. an atlas falling back to MC)."""
    return sorted(note for (s, _, k, _, _, m), note in _NOTES.items() if (s, k, m) == (site, skin_type, model))


def _thickness_key(thickness_mm: dict[str, float] | None) -> tuple:
    return tuple(sorted((str(k), float(v)) for k, v in (thickness_mm or {}).items()))


def _tissue_key(tissue: dict[str, str] | None) -> tuple:
    return tuple(sorted((str(k), str(v)) for k, v in (tissue or {}).items()))


@lru_cache(maxsize=1024)
def _stack(site: str, wavelength_nm: int, skin_type: str, thickness_key: tuple, tissue_key: tuple = ()):
    return body_stack(site, float(wavelength_nm), skin_type=skin_type, thickness_mm=dict(thickness_key) or None,
                      tissue=dict(tissue_key) or None)


@lru_cache(maxsize=4096)
def _phi(site: str, wavelength_nm: int, skin_type: str, thickness_key: tuple, tissue_key: tuple, depths_mm: tuple,
         model: DepthModel) -> np.ndarray:
    phi = np.nan_to_num(_transport_model(site, wavelength_nm, skin_type, thickness_key, tissue_key,
                                         np.asarray(depths_mm, float), model), nan=0.0)
    phi.setflags(write=False)
    return phi


@lru_cache(maxsize=1024)
def _mua(site: str, wavelength_nm: int, skin_type: str, thickness_key: tuple, tissue_key: tuple,
         depths_mm: tuple) -> np.ndarray:
    stack = _stack(site, wavelength_nm, skin_type, thickness_key, tissue_key)
    bounds_mm = stack.boundaries_cm() * 10.0
    layer = layer_index_at(bounds_mm, depths_mm)
    mua = np.array([stack.layers[k].mua_per_cm for k in layer])
    mua.setflags(write=False)
    return mua


def absorbed_per_irradiance_per_cm(spectrum, site: str, skin_type: str, depths_mm,
                                   thickness_mm: dict[str, float] | None = None,
                                   samples: int = SPECTRAL_SAMPLES, model: DepthModel = FAST,
                                   tissue: dict[str, str] | None = None) -> np.ndarray:
    """Absorbed power density per unit irradiance sum_k w_k mua(z; lambda_k) phi(z; lambda_k) [1/cm].

    Times an irradiance in mW/cm^2 it gives mW/cm^3 (the heat source of the bioheat check).
    """
    depths = tuple(float(z) for z in np.atleast_1d(depths_mm))
    keys = (_thickness_key(thickness_mm), _tissue_key(tissue))
    nm, w = spectrum.samples(samples)
    return spectral_fluence_per_irradiance(
        lambda lam: _mua(site, int(round(lam)), skin_type, *keys, depths)
        * fluence_per_irradiance(site, lam, skin_type, depths, thickness_mm, model, tissue), nm, w)


def lateral_spread_mm(spectrum, site: str, skin_type: str, depths_mm, thickness_mm: dict[str, float] | None = None,
                      tissue: dict[str, str] | None = None) -> np.ndarray:
    """Lateral spread s(z) [mm] of a narrow beam's absorbed light at ``depths_mm`` on ``site``, at the spectrum's
    centre wavelength (a narrow line, as a laser's): :func:`photodose.transport.lateral_spread.lateral_spread` on
    the person's stack (Monte Carlo, cached on disk)."""
    from ..transport.lateral_spread import lateral_spread

    stack = body_stack(site, spectrum.centre_nm, skin_type, thickness_mm, tissue)
    return lateral_spread(stack).at(depths_mm)


def fluence_per_irradiance(site: str, wavelength_nm: float, skin_type: str, depths_mm,
                           thickness_mm: dict[str, float] | None = None, model: DepthModel = FAST,
                           tissue: dict[str, str] | None = None) -> np.ndarray:
    """phi(z; lambda) [(mW/cm^2)/(mW/cm^2)] at ``depths_mm`` for a wide beam on ``site`` (cached).

    ``tissue`` chooses layer presets (layer -> preset, see :func:`photodose.optics.sites.resolve_tissue_choices`).
    """
    depths = tuple(float(z) for z in np.atleast_1d(depths_mm))
    return _phi(site, int(round(wavelength_nm)), skin_type, _thickness_key(thickness_mm), _tissue_key(tissue),
                depths, model)


def channel_fluence_per_irradiance(spectrum, site: str, skin_type: str, depths_mm,
                                   thickness_mm: dict[str, float] | None = None,
                                   samples: int = SPECTRAL_SAMPLES, model: DepthModel = FAST,
                                   tissue: dict[str, str] | None = None) -> np.ndarray:
    """Spectrally weighted phi_ch(z) = sum_k w_k phi(z; lambda_k) over an EmissionSpectrum's samples."""
    nm, w = spectrum.samples(samples)
    return spectral_fluence_per_irradiance(
        lambda lam: fluence_per_irradiance(site, lam, skin_type, depths_mm, thickness_mm, model, tissue), nm, w)


def clear_cache() -> None:
    for cached in (_stack, _phi, _mua):
        cached.cache_clear()
    _NOTES.clear()
