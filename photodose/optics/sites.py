"""Body-site layer stacks (package data ``sites.yaml``) turned into transport :class:`LayerStack` objects.

Layer thicknesses are typical values, unsourced, unless a layer's ``source`` cites an ultrasound or radiograph
measurement (the data file says which, per layer); every one can be overridden per person by layer name
(``{"subcutaneous_fat": 12.0}``), and so can each layer's tissue preset (``{"subcutaneous_fat":
"subcutaneous_fat_bashkatov"}``), where the sources disagree. Tendon, ligament and fascia layers use the dermis
preset as a stand-in (no such preset exists) and their ``source`` says so. The epidermis takes its melanosome
fraction from the skin phototype; optical properties come from :func:`photodose.optics.tissues.tissue_properties`.
The surface faces air (n_above = 1.0); below the last layer lies more of the same tissue (n_below = its n), so
a semi-infinite last layer, or one made finite by an override, reflects nothing back at its bottom.
"""

from __future__ import annotations

import numpy as np

from ..errors import PhotodoseInputError
from .layers import LayerStack
from .datafiles import canonical_name, load_yaml, normalise_key
from .phototypes import normalise_skin_type
from .tissues import check_wavelength_nm, resolve_tissue_name, tissue_presets, tissue_properties

N_AIR = 1.0
MAX_THICKNESS_MM = 1000.0  # input ceiling for an overridden layer (1 m): thicker is not a body layer
SITES: tuple[str, ...] = tuple(load_yaml("sites.yaml")["sites"])


def resolve_site_name(site: str) -> str:
    """Canonical site name: case, spaces and hyphens ignored; aliases (head -> forehead, back -> upper_back)."""
    return canonical_name("site", site, "sites.yaml", "sites")


def site_description(site: str) -> str:
    return load_yaml("sites.yaml")["sites"][resolve_site_name(site)].get("description", "")


def site_layers(site: str) -> list[dict]:
    """Ordered layers of a site: ``[{"name", "tissue", "thickness_mm" (None = semi-infinite), "source"}]``."""
    data = load_yaml("sites.yaml")
    default_source = data["default_source"]
    return [{"name": layer["name"], "tissue": layer["tissue"], "thickness_mm": layer["thickness_mm"],
             "source": layer.get("source", default_source)}
            for layer in data["sites"][resolve_site_name(site)]["layers"]]


def _layer_key(given_name: str, by_name: dict, field: str, site: str) -> str:
    """Layer name as the site names it (``fat`` also names ``subcutaneous_fat``); unknown names are refused."""
    key = normalise_key(given_name)
    key = key if key in by_name else load_yaml("tissues.yaml").get("aliases", {}).get(key, key)
    if key not in by_name:
        from ..errors import did_you_mean

        aliases = {a: k for a, k in load_yaml("tissues.yaml").get("aliases", {}).items() if k in by_name}
        raise PhotodoseInputError(field, given_name, did_you_mean(given_name, by_name, aliases=aliases)
                                  + f"layers of site {site or '?'}: " + ", ".join(by_name))
    return key


def apply_thickness_overrides(layers: list[dict], thickness_mm: dict[str, float] | None,
                              site: str = "") -> list[dict]:
    """Copy of ``layers`` with thicknesses replaced by name (``fat`` also names ``subcutaneous_fat``).

    Unknown layer names and thicknesses that are not finite and > 0 raise PhotodoseInputError.
    """
    result = [dict(layer) for layer in layers]
    by_name = {layer["name"]: layer for layer in result}
    for given_name, value in (thickness_mm or {}).items():
        key = _layer_key(given_name, by_name, "thickness layer", site)
        try:
            mm = float(value)
        except (TypeError, ValueError):
            raise PhotodoseInputError(f"thickness_mm.{key}", value, "a number of mm > 0") from None
        if not (0 < mm <= MAX_THICKNESS_MM):
            raise PhotodoseInputError(f"thickness_mm.{key}", value,
                                      f"a thickness in (0, {MAX_THICKNESS_MM:g}] mm (omit it for semi-infinite)")
        by_name[key]["thickness_mm"] = mm
        by_name[key]["source"] = "given by the user"
    return result


def resolve_tissue_choices(site: str, tissue: dict[str, str] | None) -> dict[str, str]:
    """``{layer: preset}`` with the site's layer names and canonical preset names (aliases resolved), validated.

    A layer whose site preset is pigmented (the epidermis, which carries the skin phototype's melanin) only takes
    a pigmented preset: swapping it for a melanin-free one would silently drop the phototype, so it is refused.
    Unknown layers or presets raise PhotodoseInputError naming them and what is allowed.
    """
    name = resolve_site_name(site)
    by_name = {layer["name"]: layer for layer in site_layers(name)}
    presets = tissue_presets()
    chosen: dict[str, str] = {}
    for given_layer, given_preset in (tissue or {}).items():
        key = _layer_key(given_layer, by_name, "tissue layer", name)
        try:
            preset = resolve_tissue_name(given_preset)
        except PhotodoseInputError:
            from ..errors import did_you_mean

            raise PhotodoseInputError(f"tissue.{key}", given_preset, did_you_mean(given_preset, presets)
                                      + "tissue presets: " + ", ".join(presets)) from None
        if presets[by_name[key]["tissue"]].pigmented and not presets[preset].pigmented:
            pigmented = ", ".join(p for p, v in presets.items() if v.pigmented)
            raise PhotodoseInputError(f"tissue.{key}", given_preset,
                                      f"layer {key} carries the skin phototype's melanin; "
                                      f"pigmented presets: {pigmented}")
        chosen[key] = preset
    return chosen


def tissue_swaps(site: str, tissue: dict[str, str] | None) -> dict[str, str]:
    """The validated choices (:func:`resolve_tissue_choices`) that differ from the site's own presets."""
    own = {layer["name"]: layer["tissue"] for layer in site_layers(site)}
    return {layer: preset for layer, preset in resolve_tissue_choices(site, tissue).items() if own[layer] != preset}


def layer_table(site: str, thickness_mm: dict[str, float] | None = None,
                tissue: dict[str, str] | None = None) -> list[dict]:
    """The site's layers after thickness overrides and tissue choices, each with ``top_mm`` (depth of its top)."""
    name = resolve_site_name(site)
    layers = apply_tissue_choices(apply_thickness_overrides(site_layers(name), thickness_mm, name), tissue, name)
    tops_mm = np.concatenate([[0.0], np.cumsum([layer["thickness_mm"] or 0.0 for layer in layers[:-1]])])
    return [dict(layer, top_mm=float(top)) for layer, top in zip(layers, tops_mm)]


def apply_tissue_choices(layers: list[dict], tissue: dict[str, str] | None, site: str) -> list[dict]:
    """Copy of ``layers`` with tissue presets replaced by layer name (see :func:`resolve_tissue_choices`).

    Each layer gains ``site_tissue`` (the site's own preset) so a swap stays visible.
    """
    chosen = resolve_tissue_choices(site, tissue)
    return [dict(layer, tissue=chosen.get(layer["name"], layer["tissue"]), site_tissue=layer["tissue"])
            for layer in layers]


def body_stack(site: str, wavelength_nm: float, skin_type: str = "III",
               thickness_mm: dict[str, float] | None = None, tissue: dict[str, str] | None = None) -> LayerStack:
    """Layer stack of a body site at one wavelength (400-1400 nm) for a skin phototype (I-VI).

    ``thickness_mm`` overrides layer thicknesses by layer name (see :func:`site_layers`); ``tissue`` overrides
    layer tissue presets by layer name (see :func:`resolve_tissue_choices`). The last layer is semi-infinite
    unless overridden. Optical properties: :func:`photodose.optics.tissues.tissue_properties`.
    """
    return LayerStack.model_validate(describe_stack(site, wavelength_nm, skin_type, thickness_mm, tissue))


def describe_stack(site: str, wavelength_nm: float, skin_type: str = "III",
                   thickness_mm: dict[str, float] | None = None, tissue: dict[str, str] | None = None) -> dict:
    """The stack as a JSON-ready dict (LayerStack's JSON layers format plus site, tissue, mus', sources, notes).

    Each layer's ``tissue`` is the preset used; ``tissue_source`` says whether it is the site's or given by the user.
    """
    name = resolve_site_name(site)
    nm = float(check_wavelength_nm(float(wavelength_nm)))
    roman = normalise_skin_type(skin_type)
    layers = []
    for layer in layer_table(name, thickness_mm, tissue):
        optics = tissue_properties(layer["tissue"], nm, skin_type=roman)
        swapped = layer["tissue"] != layer["site_tissue"]
        layers.append({"name": layer["name"], "tissue": optics.tissue, "thickness_mm": layer["thickness_mm"],
                       "mua_per_cm": optics.mua_per_cm, "mus_per_cm": optics.mus_per_cm,
                       "musp_per_cm": optics.musp_per_cm, "g": optics.g, "n": optics.n,
                       "thickness_source": layer["source"],
                       "tissue_source": (f"given by the user (site preset: {layer['site_tissue']})" if swapped
                                         else "site preset"),
                       "optics_source": optics.source, "optics_citations": list(optics.citations),
                       "data_note": optics.data_note})
    return {"site": name, "wavelength_nm": nm, "skin_type": roman, "n_above": N_AIR,
            "n_below": layers[-1]["n"], "layers": layers}
