"""Dosimetry: the light a device puts on the skin and the dose it gives at depth.

- :mod:`.arithmetic`: fluence = irradiance x time, energy over an area, time to a fluence (Jenkins & Carroll 2011).
- :mod:`.surface`: each channel's mean and peak irradiance over the treatment area at a distance (devices stage).
- :mod:`.tissue`, :mod:`.depth_model`: fluence per unit irradiance phi(z) in a body-site stack, spectrally
  integrated, from the fast model, Monte Carlo or an atlas.
- :mod:`.session_dose`: the dose of one session, D(z) = sum over channels of E t phi(z) / 1000
  (:func:`~.session_dose.compute_session_dose`).
- :mod:`.head_dose`: a device's light traced in 3-D through the segmented head to the cortex (voxel Monte Carlo;
  ``photodose head`` and ``plan --transport head3d``).
"""

from .arithmetic import (energy_j, fluence_j_cm2, irradiance_for_fluence_mw_cm2, power_mw,
                         time_for_fluence_s)
from .depth_dose import depth_fluence_j_cm2, spectral_fluence_per_irradiance

__all__ = ["energy_j", "fluence_j_cm2", "irradiance_for_fluence_mw_cm2", "power_mw", "time_for_fluence_s",
           "depth_fluence_j_cm2", "spectral_fluence_per_irradiance"]
