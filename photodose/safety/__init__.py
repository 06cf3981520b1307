"""Safety stage: photobiological exposure limits, heating, contraindication screening, overdose and the gate.

Public surface: :func:`photodose.safety.gate.evaluate` over a :class:`photodose.safety.gate.SafetyContext`;
the limit functions in :mod:`eye_limits` and :mod:`skin_limits`; :mod:`bioheat`; :mod:`screening`; :mod:`overdose`.
"""

from .checks import SafetyCheck, SafetyReport

__all__ = ["SafetyCheck", "SafetyReport"]
