"""Body-site layer stacks (package data ``sites.yaml``) turned into transport :class:`LayerStack` objects.

Layer thicknesses are typical values, unsourced, unless a layer's ``source`` cites an ultrasound or radiograph
measurement (the data file says which, per layer); every one can be overridden per person by layer name
(``{"subcutaneous_fat": 12.0}``). Tendon, ligament and fascia layers use the dermis preset as a stand-in (no
such preset exists) and their ``source`` says so. The epidermis takes its melanosome
fraction from the skin phototype; optical properties come from :func:`photodose.optics.tissues.tissue_properties`.
The surface faces air (n_above = 1.0); below the last layer lies more of the same tissue (n_below = its n), so
a semi-infinite last layer, or one made finite by an override, reflects nothing back at its bottom.
"""

from __future__ import annotations


from ..errors import PhotodoseInputError
from ..transport.layers import LayerStack
from .datafiles import canonical_name, load_yaml, normalise_key
from .phototypes import normalise_skin_type
from .tissues import check_wavelength_nm, tissue_properties

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


def apply_thickness_overrides(layers: list[dict], thickness_mm: dict[str, float] | None,
                              site: str = "") -> list[dict]:
    """Copy of ``layers`` with thicknesses replaced by name (``fat`` also names ``subcutaneous_fat``).

    Unknown layer names and thicknesses that are not finite and > 0 raise PhotodoseInputError.
    """
    result = [dict(layer) for layer in layers]
    by_name = {layer["name"]: layer for layer in result}
    tissue_aliases = load_yaml("tissues.yaml").get("aliases", {})
    for given_name, value in (thickness_mm or {}).items():
        key = normalise_key(given_name)
        key = key if key in by_name else tissue_aliases.get(key, key)
        if key not in by_name:
            raise PhotodoseInputError("thickness layer", given_name, f"layers of site {site or '?'}: " + ", ".join(by_name))
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


def body_stack(site: str, wavelength_nm: float, skin_type: str = "III",
               thickness_mm: dict[str, float] | None = None) -> LayerStack:
    """Layer stack of a body site at one wavelength (400-1400 nm) for a skin phototype (I-VI).

    ``thickness_mm`` overrides layer thicknesses by layer name (see :func:`site_layers`). The last layer is
    semi-infinite unless overridden. Optical properties: :func:`photodose.optics.tissues.tissue_properties`.
    """
    return LayerStack.model_validate(describe_stack(site, wavelength_nm, skin_type, thickness_mm))


def describe_stack(site: str, wavelength_nm: float, skin_type: str = "III",
                   thickness_mm: dict[str, float] | None = None) -> dict:
    """The stack as a JSON-ready dict (LayerStack's JSON layers format plus site, tissue, mus', sources, notes)."""
    name = resolve_site_name(site)
    nm = float(check_wavelength_nm(float(wavelength_nm)))
    roman = normalise_skin_type(skin_type)
    layers = []
    for layer in apply_thickness_overrides(site_layers(name), thickness_mm, name):
        optics = tissue_properties(layer["tissue"], nm, skin_type=roman)
        layers.append({"name": layer["name"], "tissue": optics.tissue, "thickness_mm": layer["thickness_mm"],
                       "mua_per_cm": optics.mua_per_cm, "mus_per_cm": optics.mus_per_cm,
                       "musp_per_cm": optics.musp_per_cm, "g": optics.g, "n": optics.n,
                       "thickness_source": layer["source"], "optics_source": optics.source,
                       "data_note": optics.data_note})
    return {"site": name, "wavelength_nm": nm, "skin_type": roman, "n_above": N_AIR,
            "n_below": layers[-1]["n"], "layers": layers}
