"""photodose: physics-based dosimetry for red and near-infrared photobiomodulation.

The data flow (docs/architecture.md; enforced by import-linter): optics -> transport, devices -> dosimetry ->
planning (with protocols, calling the safety gate) -> journal -> reports -> use cases -> the CLI and web edges.
photodose informs; it does not diagnose or prescribe.
"""

__version__ = "0.1.0"
