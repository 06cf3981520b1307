"""Fitzpatrick skin phototypes mapped to epidermal melanosome volume fraction.

Built on Jacques' ranges (OMLC "Skin optics summary", 1998): light-skinned adults 1.3-6.3 %, moderately
pigmented 11-16 %, darkly pigmented 18-43 %; type VI is the in-vivo 20 % of Saager et al. 2015 (J Biomed Opt
20(6):066005: ~5 % for type I non-sun-exposed to 20 % for type VI sun-exposed skin). Which of types I-V sits
where in Jacques' ranges is a MODELLING CHOICE of photodose (data file ``phototypes.yaml``), not a published
mapping: I 2 %, II 4 %, III 6 % (light range), IV 13 % (moderate), V 18 % (dark), VI 20 %.
"""

from __future__ import annotations

from ..errors import PhotodoseInputError
from .datafiles import load_yaml

PHOTOTYPES: tuple[str, ...] = ("I", "II", "III", "IV", "V", "VI")
_ARABIC = {str(i + 1): roman for i, roman in enumerate(PHOTOTYPES)}


def normalise_skin_type(skin_type: str | int) -> str:
    """"III", "iii", "3", 3 or "type III" -> "III"; anything else raises PhotodoseInputError."""
    key = str(skin_type).strip().upper().removeprefix("TYPE").strip()
    key = _ARABIC.get(key, key)
    if key not in PHOTOTYPES:
        raise PhotodoseInputError("skin_type", skin_type, "allowed: I, II, III, IV, V, VI (or 1-6)")
    return key


def _entry(skin_type: str) -> dict:
    """The phototype's row of ``phototypes.yaml``."""
    return load_yaml("phototypes.yaml")["phototypes"][normalise_skin_type(skin_type)]


def melanosome_fraction(skin_type: str) -> float:
    """Epidermal melanosome volume fraction (0-1) for a Fitzpatrick phototype (modelling choice, see module)."""
    return float(_entry(skin_type)["melanosome_fraction"])


def melanosome_fraction_source(skin_type: str) -> str:
    """Where a phototype's melanosome fraction comes from, in one phrase."""
    return _entry(skin_type).get("source", "phototype mapping is a modelling choice built on Jacques' melanosome "
                                           "ranges")


def melanosome_fraction_citations(skin_type: str) -> tuple[str, ...]:
    """Bibliography keys behind a phototype's melanosome fraction (Jacques' ranges; Saager 2015 for type VI)."""
    return tuple(_entry(skin_type).get("citations", ["jacques1998"]))


def phototype_source() -> str:
    return load_yaml("phototypes.yaml")["source"]
