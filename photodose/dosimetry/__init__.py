"""Dose arithmetic: surface fluence from irradiance and time, energy over an area, dose at depth."""

from .arithmetic import (energy_j, fluence_j_cm2, irradiance_for_fluence_mw_cm2, power_mw,
                         time_for_fluence_s)
from .depth_dose import depth_fluence_j_cm2, spectral_fluence_per_irradiance

__all__ = ["energy_j", "fluence_j_cm2", "irradiance_for_fluence_mw_cm2", "power_mw", "time_for_fluence_s",
           "depth_fluence_j_cm2", "spectral_fluence_per_irradiance"]
