"""Tissue presets (package data ``tissues.yaml``) evaluated with Jacques' chromophore model at any 400-1400 nm.

``tissue_properties("dermis", 810)`` -> :class:`TissueOptics` (mua, mus, mus' in 1/cm, g, n, source, data_note).
Presets are either Jacques 2013 / mcxyz2 chromophore parameter sets, or tissues published only as measured
values at a few wavelengths ("anchored"): those are turned into the same parameters by
:func:`resolve_anchored` (assumed composition + flat residual absorption, power-law scattering through the
anchor), an assumption that every result from them states in ``data_note``. An anchored preset with a
published ``table`` (values at several wavelengths, e.g. Cassano 2019 Table 1) is exact at each tabulated
wavelength: the model's spectrum is scaled by a factor interpolated linearly between the table's points and held
at the nearest end outside them (:func:`table_correction`), so between points it keeps the composition's shape
(water's 970 nm band, hemoglobin's) instead of a straight line. Chromophore presets may state blood as total
hemoglobin (µM) and borrow another preset's scattering (:func:`resolve_composition`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..errors import PhotodoseInputError, require_choice
from .layers import Layer
from .chromophores import (HEMOGLOBIN_MOLAR_MASS_G_PER_MOL, MELANIN_MODELS, WHOLE_BLOOD_HEMOGLOBIN_G_PER_L,
                           absorption_per_cm, data_notes, reduced_scattering_per_cm)
from .datafiles import canonical_name, load_yaml
from .phototypes import (melanosome_fraction, melanosome_fraction_citations, melanosome_fraction_source,
                         normalise_skin_type)

WAVELENGTH_MIN_NM = 400.0
WAVELENGTH_MAX_NM = 1400.0


class Anchor(BaseModel):
    """A measured point: wavelength, absorption and either reduced scattering or scattering (1/cm), and g
    where the source gives one for this wavelength (else the preset's)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wavelength_nm: float
    mua_per_cm: float
    musp_per_cm: float | None = None
    mus_per_cm: float | None = None
    g: float | None = None


class TissuePreset(BaseModel):
    """One preset as written in ``tissues.yaml`` (field meanings there and in chromophores.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    label: str = ""   # a few words for people where the preset's name is not enough ("in vitro, Bashkatov 2011")
    model: Literal["chromophore", "anchored"]
    pigmented: bool = False
    blood_fraction: float = 0.0
    total_hemoglobin_um: float | None = None
    saturation: float = 0.75
    water_fraction: float = 0.0
    fat_fraction: float = 0.0
    melanosome_fraction: float = 0.0
    musp_500nm_per_cm: float | None = None
    rayleigh_fraction: float = 0.0
    mie_power: float | None = None
    baseline_mua_per_cm: float = 0.0
    anchor: tuple[Anchor, ...] = ()
    table: tuple[Anchor, ...] = ()    # published values at several wavelengths, exact there (table_correction)
    anchor_nm: float | None = None    # with a table: the table's wavelength the composition is anchored to
    table_source: str | None = None
    residual_as: Literal["flat", "blood"] = "flat"
    scattering_from: str | None = None
    g: float
    n: float
    source: str
    n_source: str
    g_source: str | None = None
    composition_source: str | None = None
    citations: tuple[str, ...] = ()   # keys of photodose.bibliography for the preset's published values


@dataclass(frozen=True)
class TissueOptics:
    """Optical properties of one tissue at one wavelength (floats) or many (numpy arrays); 1/cm."""

    tissue: str
    wavelength_nm: float | np.ndarray
    mua_per_cm: float | np.ndarray
    mus_per_cm: float | np.ndarray
    musp_per_cm: float | np.ndarray
    g: float | np.ndarray            # an array only for a tabulated preset given an array of wavelengths
    n: float
    source: str
    data_note: str = ""
    citations: tuple[str, ...] = ()   # bibliography keys of the preset (photodose.bibliography.cite)

    def to_dict(self) -> dict:
        """Plain dict (arrays become lists) with the CLI's stable keys."""
        return {k: (v.tolist() if isinstance(v, np.ndarray) else list(v) if isinstance(v, tuple) else v)
                for k, v in asdict(self).items()}

    def to_layer(self, name: str, thickness_mm: float | None) -> Layer:
        """A transport :class:`Layer` (single wavelength only)."""
        if isinstance(self.wavelength_nm, np.ndarray):
            raise ValueError("to_layer needs the properties at a single wavelength")
        return Layer(name=name, n=self.n, mua_per_cm=self.mua_per_cm, mus_per_cm=self.mus_per_cm,
                     g=self.g, thickness_mm=thickness_mm)


def mie_power_through(anchors: tuple[Anchor, ...], g: float) -> float:
    """Power b of mus' ~ nm**-b through the anchors' mus' (least squares in log-log); needs >= 2 points."""
    nm = np.array([a.wavelength_nm for a in anchors])
    musp = np.array([_anchor_musp(a, g) for a in anchors])
    slope = np.polyfit(np.log(nm), np.log(musp), 1)[0]
    return float(-slope)


def _anchor_musp(anchor: Anchor, g: float) -> float:
    g = anchor.g if anchor.g is not None else g
    return anchor.musp_per_cm if anchor.musp_per_cm is not None else anchor.mus_per_cm * (1.0 - g)


def _with_table_anchor(preset: TissuePreset) -> TissuePreset:
    """A tabulated preset's composition anchor is its table entry at ``anchor_nm``."""
    if not preset.table or preset.anchor:
        return preset
    entry = next((a for a in preset.table if math.isclose(a.wavelength_nm, preset.anchor_nm or -1.0)), None)
    if entry is None:
        raise ValueError(f"preset {preset.name!r}: anchor_nm {preset.anchor_nm} is not a table wavelength")
    g = entry.g if entry.g is not None else preset.g
    return preset.model_copy(update={"anchor": (entry,), "g": g})


def resolve_anchored(preset: TissuePreset) -> TissuePreset:
    """Turn an anchored preset into model parameters that reproduce its first anchor exactly.

    mus' = a' * (nm/500)**-b through the first anchor (b fitted through all anchors when there are two or
    more, else the preset's ``mie_power``); absorption = assumed composition + a residual equal to the
    measured mua minus the composition's mua at the first anchor wavelength. The residual is either
    wavelength-independent (``residual_as: flat``) or attributed to whole blood at the preset's saturation
    (``residual_as: blood``: the blood volume fraction that reproduces the anchor, so the spectrum has
    hemoglobin's shape), an assumption stated in the preset's source.
    """
    if preset.model != "anchored":
        return preset
    first = preset.anchor[0]
    b = mie_power_through(preset.anchor, preset.g) if len(preset.anchor) > 1 else preset.mie_power
    a_prime = _anchor_musp(first, preset.g) / (first.wavelength_nm / 500.0) ** -b
    composition = absorption_per_cm(first.wavelength_nm, blood_fraction=preset.blood_fraction,
                                    saturation=preset.saturation, water_fraction=preset.water_fraction,
                                    fat_fraction=preset.fat_fraction, melanosome_fraction=preset.melanosome_fraction)
    residual = first.mua_per_cm - float(composition)
    if residual < 0:
        raise ValueError(f"preset {preset.name!r}: assumed composition absorbs more than the measured mua")
    update = {"mie_power": b, "musp_500nm_per_cm": a_prime, "rayleigh_fraction": 0.0}
    if preset.residual_as == "blood":
        blood_per_cm = float(absorption_per_cm(first.wavelength_nm, blood_fraction=1.0,
                                               saturation=preset.saturation, water_fraction=0.0))
        update["blood_fraction"] = preset.blood_fraction + residual / blood_per_cm
    else:
        update["baseline_mua_per_cm"] = residual
    return preset.model_copy(update=update)


def blood_fraction_from_hemoglobin_um(total_hemoglobin_um: float) -> float:
    """Whole-blood volume fraction B holding ``total_hemoglobin_um`` (µM of hemoglobin, tetramer) in tissue.

    B = THb * M_Hb / C_blood with M_Hb = 64500 g/mol and C_blood = 150 g/L, the basis of the whole-blood
    spectra in Jacques' library (Prahl's conversion); e.g. 12.5 µM -> B = 0.0054.
    """
    return total_hemoglobin_um * 1e-6 * HEMOGLOBIN_MOLAR_MASS_G_PER_MOL / WHOLE_BLOOD_HEMOGLOBIN_G_PER_L


def resolve_composition(preset: TissuePreset, presets: dict[str, TissuePreset]) -> TissuePreset:
    """Blood fraction from a stated total hemoglobin (µM), scattering copied from another resolved preset."""
    update = {}
    if preset.total_hemoglobin_um is not None:
        update["blood_fraction"] = blood_fraction_from_hemoglobin_um(preset.total_hemoglobin_um)
    if preset.scattering_from is not None:
        donor = presets[preset.scattering_from]
        update.update(musp_500nm_per_cm=donor.musp_500nm_per_cm, rayleigh_fraction=donor.rayleigh_fraction,
                      mie_power=donor.mie_power)
    return preset.model_copy(update=update)


@lru_cache(maxsize=1)
def _presets() -> dict[str, TissuePreset]:
    raw = load_yaml("tissues.yaml")["tissues"]
    resolved = {name: resolve_anchored(_with_table_anchor(TissuePreset(name=name, **fields)))
                for name, fields in raw.items()}
    return {name: resolve_composition(preset, resolved) for name, preset in resolved.items()}


TISSUES: tuple[str, ...] = tuple(load_yaml("tissues.yaml")["tissues"])


def _model_spectrum(preset: TissuePreset, nm, melanosome_fraction: float, melanin_model: str = "jacques2013"):
    """(mua, mus') in 1/cm of a resolved preset's chromophore model at ``nm``."""
    mua = absorption_per_cm(nm, blood_fraction=preset.blood_fraction, saturation=preset.saturation,
                            water_fraction=preset.water_fraction, fat_fraction=preset.fat_fraction,
                            melanosome_fraction=melanosome_fraction, melanin_model=melanin_model,
                            baseline_mua_per_cm=preset.baseline_mua_per_cm)
    musp = reduced_scattering_per_cm(nm, preset.musp_500nm_per_cm, preset.rayleigh_fraction, preset.mie_power)
    return mua, musp


@lru_cache(maxsize=None)
def table_correction(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(nm, mua factor, mus' factor, g) at a tabulated preset's table points: table value / model value.

    Interpolated linearly in nm between the points and held at the nearest end outside them, the factors make
    the preset exact at every tabulated wavelength and keep the model's spectral shape in between.
    """
    preset = _presets()[name]
    rows = sorted(preset.table, key=lambda a: a.wavelength_nm)
    nm = np.array([a.wavelength_nm for a in rows])
    g = np.array([a.g if a.g is not None else preset.g for a in rows])
    mua_model, musp_model = _model_spectrum(preset, nm, preset.melanosome_fraction)
    mua_table = np.array([a.mua_per_cm for a in rows])
    musp_table = np.array([_anchor_musp(a, preset.g) for a in rows])
    return nm, mua_table / mua_model, musp_table / musp_model, g


def tissue_presets() -> dict[str, TissuePreset]:
    """All presets by name, anchored ones already resolved to model parameters."""
    return dict(_presets())


def resolve_tissue_name(tissue: str) -> str:
    """Canonical preset name: case, spaces and hyphens ignored; aliases (bone -> skull, fat, gray_matter)."""
    return canonical_name("tissue", tissue, "tissues.yaml", "tissues")


def check_wavelength_nm(wavelength_nm) -> np.ndarray:
    """Wavelength(s) as an array; any value outside 400-1400 nm raises PhotodoseInputError."""
    try:
        nm = np.asarray(wavelength_nm, dtype=float)
    except (TypeError, ValueError):
        raise PhotodoseInputError("wavelength_nm", wavelength_nm, "a number in nm") from None
    bad = nm[~((nm >= WAVELENGTH_MIN_NM) & (nm <= WAVELENGTH_MAX_NM))]
    if bad.size:
        value = float(bad.flat[0])
        raise PhotodoseInputError("wavelength_nm", int(value) if value.is_integer() else value,
                                  f"allowed range is [{WAVELENGTH_MIN_NM:g}, {WAVELENGTH_MAX_NM:g}] nm")
    return nm


def tissue_properties(tissue: str, wavelength_nm, skin_type: str | None = None,
                      melanin_model: str = "jacques2013") -> TissueOptics:
    """Optical properties of a preset tissue at ``wavelength_nm`` (scalar or array, 400-1400 nm).

    Model: Jacques 2013 (Phys. Med. Biol. 58 R37) eq. 12 absorption and power-law reduced scattering,
    mus = mus'/(1-g); see :mod:`photodose.optics.chromophores` for the spectra and where their data end.
    ``skin_type`` (I-VI) sets the melanosome fraction of pigmented presets (epidermis) through
    :func:`photodose.optics.phototypes.melanosome_fraction` (a modelling choice); other presets ignore it.
    ``melanin_model``: "jacques2013" (6.6e11 nm^-3.33) or "omlc" (1.70e12 nm^-3.48).
    """
    name = resolve_tissue_name(tissue)
    nm = check_wavelength_nm(wavelength_nm)
    melanin_model = require_choice("melanin_model", melanin_model, MELANIN_MODELS)
    preset = _presets()[name]
    m = preset.melanosome_fraction
    source = preset.source if preset.table_source is None else f"{preset.source}; {preset.table_source}"
    citations = preset.citations
    if skin_type is not None:
        roman = normalise_skin_type(skin_type)
        if preset.pigmented:
            m = melanosome_fraction(roman)
            citations += tuple(k for k in melanosome_fraction_citations(roman) if k not in citations)
            source += f"; M = {m:g} for skin phototype {roman} ({melanosome_fraction_source(roman)})"
    mua, musp = _model_spectrum(preset, nm, m, melanin_model)
    g = preset.g
    if preset.table:
        table_nm, mua_factor, musp_factor, table_g = table_correction(name)
        mua = mua * np.interp(nm, table_nm, mua_factor)
        musp = musp * np.interp(nm, table_nm, musp_factor)
        g = np.interp(nm, table_nm, table_g)
    notes = [] if _all_tabulated(preset, nm) else data_notes(nm, blood_fraction=preset.blood_fraction,
                                                             fat_fraction=preset.fat_fraction,
                                                             melanosome_fraction=m)
    notes += _anchor_note(preset, nm)
    scalar = nm.ndim == 0
    as_out = (lambda a: float(a)) if scalar else (lambda a: np.asarray(a, dtype=float))
    return TissueOptics(tissue=name, wavelength_nm=as_out(nm), mua_per_cm=as_out(mua),
                        mus_per_cm=as_out(musp / (1.0 - g)), musp_per_cm=as_out(musp),
                        g=as_out(g) if preset.table else g, n=preset.n, source=f"{source}. {preset.n_source}",
                        data_note="; ".join(notes),
                        citations=citations)


def _all_tabulated(preset: TissuePreset, nm: np.ndarray) -> bool:
    """Every wavelength asked for is one of the preset's table points (its values are the table's there)."""
    table_nm = [a.wavelength_nm for a in preset.table]
    return bool(table_nm) and all(any(math.isclose(x, t) for t in table_nm) for x in np.atleast_1d(nm))


def _anchor_note(preset: TissuePreset, nm: np.ndarray) -> list[str]:
    if preset.model != "anchored":
        return []
    if preset.table:
        if _all_tabulated(preset, nm):
            return []
        where = ", ".join(f"{a.wavelength_nm:g}" for a in sorted(preset.table, key=lambda a: a.wavelength_nm))
        return [f"{preset.name} is tabulated at {where} nm; between them an assumed composition's spectral "
                f"shape is scaled to pass through each tabulated value, outside them it is scaled to the nearest"]
    exact_nm = preset.anchor[0].wavelength_nm  # the only wavelength reproduced in both mua and mus'
    if all(math.isclose(x, exact_nm) for x in np.atleast_1d(nm)):
        return []
    where = ", ".join(f"{a.wavelength_nm:g}" for a in preset.anchor)
    residual = "blood-shaped" if preset.residual_as == "blood" else "flat"
    return [f"{preset.name} is measured at {where} nm only; other wavelengths use an assumed composition "
            f"+ {residual} residual absorption and power-law scattering (mus' ~ nm^-{preset.mie_power:.3g})"]
