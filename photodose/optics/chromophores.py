"""Absorption of tissue chromophores and Jacques' tissue model, vectorised over wavelength (nm, 1/cm).

Model (S. L. Jacques, "Optical properties of biological tissues: a review", Phys. Med. Biol. 58 (2013) R37,
eq. 12 without the bilirubin and beta-carotene terms; as coded in his mcxyz2 ``makeTissueList.m``)::

    mua  = B*S*mua_oxy + B*(1-S)*mua_deoxy + W*mua_water + F*mua_fat + M*mua_melanosome  [+ baseline]
    mus' = a' * (f_ray*(nm/500)**-4 + (1-f_ray)*(nm/500)**-b_mie)
    mus  = mus' / (1 - g)

Neither the review's eq. 12 nor mcxyz2 has a baseline term; ``baseline_mua_per_cm`` defaults to 0 and is
used only by presets anchored to a measured value (see ``tissues.py``), which say so.

Data behind each chromophore (all packaged in ``photodose/optics/data`` with provenance headers):

- whole blood, oxy/deoxy (150 g/L hemoglobin, Prahl's compilation): Jacques' library, 300-1000 nm. No data
  beyond 1000 nm: the 1000 nm value is held constant and :func:`data_notes` says so.
- water: Jacques' library (Hale & Querry) up to 1000 nm, Kou et al. 1993 beyond (to 2500 nm). At the
  switch the two sources differ (0.360 vs 0.407 /cm at 1000 nm); no blending is done.
- fat: van Veen et al. 2004 (lard), 429-1098 nm, file in 1/m converted to 1/cm; outside, the end value is
  held and :func:`data_notes` says so.
- melanosome: power law, Jacques' library form 6.6e11*nm**-3.33 /cm (``"jacques2013"``) or OMLC's melanin
  page form 1.70e12*nm**-3.48 (``"omlc"``); beyond 1000 nm the power law is extrapolated (noted).
"""

from __future__ import annotations

import numpy as np

from ..errors import require_choice
from .spectra import load_spectrum

JACQUES_LIBRARY_END_NM = 1000.0
MELANIN_MODELS: dict[str, tuple[float, float]] = {
    "jacques2013": (6.6e11, 3.33),  # Jacques 2013 library: 6.6e11 * nm^-3.33 /cm
    "omlc": (1.70e12, 3.48),  # OMLC melanin page: 1.70e12 * nm^-3.48 /cm
}
HEMOGLOBIN_MOLAR_MASS_G_PER_MOL = 64500.0  # Prahl (OMLC), as stated in the table's header
WHOLE_BLOOD_HEMOGLOBIN_G_PER_L = 150.0  # Prahl / Jacques library header
LN10_PRAHL = 2.303  # decadic -> natural, as written in Prahl's conversion


def _nm(wavelength_nm) -> np.ndarray:
    return np.asarray(wavelength_nm, dtype=float)


def melanosome_mua_per_cm(wavelength_nm, model: str = "jacques2013") -> np.ndarray:
    """Absorption of the interior of a cutaneous melanosome, 1/cm: ``k * nm**-p``.

    ``model``: ``"jacques2013"`` (6.6e11, 3.33; Jacques 2013 spectral library) or ``"omlc"``
    (1.70e12, 3.48; OMLC melanin page).
    """
    k, p = MELANIN_MODELS[require_choice("melanin_model", model, MELANIN_MODELS)]
    return k * _nm(wavelength_nm) ** -p


def prahl_hemoglobin_mua_per_cm(wavelength_nm, saturation: float = 1.0,
                                hemoglobin_g_per_l: float = WHOLE_BLOOD_HEMOGLOBIN_G_PER_L) -> np.ndarray:
    """Absorption of hemoglobin solution from Prahl's molar extinction table (250-1000 nm), 1/cm.

    mua = 2.303 * e(nm) * C / 64500 with e in cm-1/M (decadic) and C in g/L; e mixes HbO2 and Hb by
    ``saturation``. Source: S. Prahl, OMLC tabulation (Gratzer, Kollias). Defined only inside the table.
    """
    table = load_spectrum("prahl_hemoglobin")
    e = saturation * table.interp("hbo2", wavelength_nm) + (1.0 - saturation) * table.interp("hb", wavelength_nm)
    return LN10_PRAHL * e * hemoglobin_g_per_l / HEMOGLOBIN_MOLAR_MASS_G_PER_MOL


def blood_mua_per_cm(wavelength_nm, saturation: float) -> np.ndarray:
    """Whole blood (150 g/L) at oxygen saturation ``saturation``, Jacques' library; held beyond 1000 nm."""
    lib = load_spectrum("jacques_library")
    return (saturation * lib.interp("mua_oxy_blood", wavelength_nm)
            + (1.0 - saturation) * lib.interp("mua_deoxy_blood", wavelength_nm))


def water_mua_per_cm(wavelength_nm) -> np.ndarray:
    """Pure water, 1/cm: Jacques' library (Hale & Querry) to 1000 nm, Kou et al. 1993 beyond."""
    nm = _nm(wavelength_nm)
    library = load_spectrum("jacques_library").interp("mua_water", nm)
    kou = load_spectrum("water_kou1993").interp("mua", nm)
    return np.where(nm <= JACQUES_LIBRARY_END_NM, library, kou)


def fat_mua_per_cm(wavelength_nm) -> np.ndarray:
    """Mammalian fat (lard), van Veen et al. 2004, 1/cm (file in 1/m); end values held outside 429-1098 nm."""
    return load_spectrum("fat_vanveen2004").interp("mua_per_m", wavelength_nm) / 100.0


def absorption_per_cm(wavelength_nm, *, blood_fraction: float, saturation: float, water_fraction: float,
                      fat_fraction: float = 0.0, melanosome_fraction: float = 0.0,
                      melanin_model: str = "jacques2013", baseline_mua_per_cm: float = 0.0) -> np.ndarray:
    """Jacques 2013 eq. 12: mua = B*S*oxy + B*(1-S)*deoxy + W*water + F*fat + M*melanosome (+ baseline), 1/cm."""
    nm = _nm(wavelength_nm)
    mua = blood_fraction * blood_mua_per_cm(nm, saturation) + water_fraction * water_mua_per_cm(nm)
    if fat_fraction:
        mua = mua + fat_fraction * fat_mua_per_cm(nm)
    if melanosome_fraction:
        mua = mua + melanosome_fraction * melanosome_mua_per_cm(nm, melanin_model)
    return mua + baseline_mua_per_cm


def reduced_scattering_per_cm(wavelength_nm, musp_500nm_per_cm: float, rayleigh_fraction: float,
                              mie_power: float) -> np.ndarray:
    """Jacques 2013: mus' = a' * (f_ray*(nm/500)**-4 + (1-f_ray)*(nm/500)**-b_mie), 1/cm."""
    x = _nm(wavelength_nm) / 500.0
    return musp_500nm_per_cm * (rayleigh_fraction * x**-4 + (1.0 - rayleigh_fraction) * x**-mie_power)


def data_notes(wavelength_nm, *, blood_fraction: float, fat_fraction: float = 0.0,
               melanosome_fraction: float = 0.0) -> list[str]:
    """Where the requested wavelengths leave a chromophore's tabulated data (only chromophores present)."""
    nm = np.atleast_1d(_nm(wavelength_nm))
    notes = []
    if blood_fraction and np.any(nm > JACQUES_LIBRARY_END_NM):
        notes.append("hemoglobin data end at 1000 nm (Prahl/Jacques); beyond, the 1000 nm value is held constant")
    fat = load_spectrum("fat_vanveen2004")
    if fat_fraction and not np.all(fat.covers(nm)):
        lo, hi = fat.range_nm
        notes.append(f"fat data cover {lo:g}-{hi:g} nm (van Veen 2004); outside, the end value is held constant")
    if melanosome_fraction and np.any(nm > JACQUES_LIBRARY_END_NM):
        notes.append("melanosome power law extrapolated beyond the 1000 nm end of Jacques' library")
    return notes
