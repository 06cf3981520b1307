"""photodose: physics-based dosimetry for red and near-infrared photobiomodulation.

The data flow (see DESIGN.md): optics -> transport -> devices -> dosimetry -> planning -> safety -> journal.
photodose informs; it does not diagnose or prescribe.
"""

__version__ = "0.1.0"
