"""Optical properties of tissue from chromophores, tissue presets, body-site stacks, emission spectra.

Public API::

    tissue_properties(tissue, wavelength_nm, skin_type=None, melanin_model="jacques2013") -> TissueOptics
    body_stack(site, wavelength_nm, skin_type="III", thickness_mm=None, tissue=None) -> LayerStack
    site_layers(site) -> list[dict];  melanosome_fraction(skin_type) -> float
    TISSUES, SITES, PHOTOTYPES
"""

from .phototypes import PHOTOTYPES, melanosome_fraction
from .sites import SITES, body_stack, describe_stack, site_layers
from .tissues import TISSUES, TissueOptics, tissue_properties

__all__ = ["PHOTOTYPES", "SITES", "TISSUES", "TissueOptics", "body_stack", "describe_stack", "melanosome_fraction",
           "site_layers", "tissue_properties"]
