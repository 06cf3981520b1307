"""``photodose optics``, ``photodose stack``, ``photodose tissues``, ``photodose sites``: tissue optical properties."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ._output import JsonFlag, emit

OPTICS_KEYS = ("tissue", "wavelength_nm", "mua_per_cm", "mus_per_cm", "musp_per_cm", "g", "n", "source", "data_note")

WavelengthOption = Annotated[float, typer.Option("--nm", help="Wavelength in nm (400-1400).")]
SkinTypeOption = Annotated[Optional[str], typer.Option("--skin-type", help="Fitzpatrick phototype I-VI (or 1-6).")]
MelaninOption = Annotated[str, typer.Option("--melanin-model", help="Melanosome absorption: jacques2013 or omlc.")]
ThicknessOption = Annotated[Optional[list[str]], typer.Option(
    "--thickness", help="Override a layer thickness: LAYER=MM (e.g. subcutaneous_fat=12 or fat='1.2 cm'); repeatable.")]
TissueOption = Annotated[Optional[list[str]], typer.Option(
    "--tissue", help="Choose a layer's tissue preset: LAYER=PRESET (e.g. subcutaneous_fat=subcutaneous_fat_bashkatov; "
                     "see: photodose tissues); repeatable.")]


def parse_thickness_overrides(items: list[str] | None) -> dict[str, float]:
    """["fat=12", "dermis=1.5 mm"] -> {"fat": 12.0, "dermis": 1.5}; a bare number means mm."""
    from ..errors import PhotodoseInputError
    from ..units import parse_quantity

    overrides: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise PhotodoseInputError("--thickness", item, "LAYER=MM, e.g. subcutaneous_fat=12")
        try:
            mm = float(value)
        except ValueError:
            mm = parse_quantity(value, "mm", f"thickness_mm.{name.strip()}", default_unit="mm")
        overrides[name.strip()] = mm
    return overrides


def parse_tissue_choices(items: list[str] | None) -> dict[str, str] | None:
    """["fat=fat_bashkatov"] -> {"fat": "fat_bashkatov"} (names checked later against the site and the presets)."""
    from ..errors import PhotodoseInputError

    choices: dict[str, str] = {}
    for item in items or []:
        name, sep, preset = item.partition("=")
        if not sep or not name.strip() or not preset.strip():
            raise PhotodoseInputError("--tissue", item,
                                      "LAYER=PRESET, e.g. subcutaneous_fat=subcutaneous_fat_bashkatov")
        choices[name.strip()] = preset.strip()
    return choices or None


def _fmt(x: float | None, digits: int = 4) -> str:
    return "semi-inf." if x is None else f"{x:.{digits}g}"


def _render_optics(console, data: dict) -> None:
    from rich.table import Table

    table = Table(title=f"{data['tissue']} at {data['wavelength_nm']:g} nm", show_header=False)
    for key, label in (("mua_per_cm", "mua (1/cm)"), ("mus_per_cm", "mus (1/cm)"), ("musp_per_cm", "mus' (1/cm)"),
                       ("g", "g"), ("n", "n")):
        table.add_row(label, _fmt(data[key]))
    console.print(table)
    console.print(f"[dim]source: {data['source']}[/]")
    if data["data_note"]:
        console.print(f"[yellow]note: {data['data_note']}[/]")


def render_stack(console, data: dict) -> None:
    """Rich table of a stack as produced by :func:`photodose.optics.sites.describe_stack`."""
    from rich.table import Table

    table = Table(title=f"{data['site']} at {data['wavelength_nm']:g} nm, skin type {data['skin_type']}")
    table.add_column("layer", no_wrap=True)
    for col in ("mm", "mua 1/cm", "mus 1/cm", "mus' 1/cm", "g", "n"):
        table.add_column(col, justify="right", no_wrap=True)
    for layer in data["layers"]:
        table.add_row(layer["name"], _fmt(layer["thickness_mm"], 3), _fmt(layer["mua_per_cm"]),
                      _fmt(layer["mus_per_cm"]), _fmt(layer["musp_per_cm"]), f"{layer['g']:g}", f"{layer['n']:g}")
    console.print(table)
    sources = {layer["thickness_source"] for layer in data["layers"]}
    console.print(f"[dim]thicknesses: {'; '.join(sorted(sources))}. Optical sources: photodose tissues[/]")
    for layer in data["layers"]:
        if layer.get("tissue_source", "site preset") != "site preset":
            console.print(f"layer {layer['name']}: tissue preset {layer['tissue']}, {layer['tissue_source']}",
                          highlight=False)
    for note in dict.fromkeys(layer["data_note"] for layer in data["layers"] if layer["data_note"]):
        console.print(f"[yellow]note: {note}[/]")


def register(app: typer.Typer) -> None:
    @app.command("optics")
    def optics(tissue: Annotated[str, typer.Argument(help="Tissue preset (see: photodose tissues).")],
               nm: WavelengthOption, skin_type: SkinTypeOption = None,
               melanin_model: MelaninOption = "jacques2013", as_json: JsonFlag = False) -> None:
        """Optical properties (mua, mus, mus', g, n) of a tissue preset at one wavelength."""
        from ..optics.tissues import tissue_properties

        result = tissue_properties(tissue, nm, skin_type=skin_type, melanin_model=melanin_model).to_dict()
        emit({k: result[k] for k in OPTICS_KEYS}, as_json, _render_optics)

    @app.command("stack")
    def stack(site: Annotated[str, typer.Argument(help="Body site (see: photodose sites).")],
              nm: WavelengthOption, skin_type: SkinTypeOption = None,
              thickness: ThicknessOption = None, tissue: TissueOption = None, as_json: JsonFlag = False) -> None:
        """Layer stack of a body site at one wavelength (skin type III unless given); --json feeds `photodose mc`."""
        from ..optics.sites import describe_stack

        data = describe_stack(site, nm, skin_type or "III", parse_thickness_overrides(thickness),
                              parse_tissue_choices(tissue))
        emit(data, as_json, render_stack)

    @app.command("tissues")
    def tissues(as_json: JsonFlag = False) -> None:
        """List the tissue presets with the source of their numbers."""
        from ..optics.tissues import tissue_presets

        data = [{"tissue": p.name, "model": p.model, "g": p.g, "n": p.n, "source": p.source,
                 "n_source": p.n_source, "composition_source": p.composition_source}
                for p in tissue_presets().values()]
        emit(data, as_json, _render_tissues)

    @app.command("sites")
    def sites(as_json: JsonFlag = False) -> None:
        """List the body sites with their layers and thickness sources."""
        from ..optics.sites import SITES, site_description, site_layers

        data = [{"site": s, "description": site_description(s), "layers": site_layers(s)} for s in SITES]
        emit(data, as_json, _render_sites)


def _render_tissues(console, data: list[dict]) -> None:
    from rich.table import Table

    table = Table(title="tissue presets")
    for col in ("tissue", "model", "g", "n", "source"):
        table.add_column(col, overflow="fold")  # long DOIs fold instead of being cut
    for row in data:
        table.add_row(row["tissue"], row["model"], f"{row['g']:g}", f"{row['n']:g}", row["source"])
    console.print(table)


def _render_sites(console, data: list[dict]) -> None:
    from rich.table import Table

    table = Table(title="body sites (thicknesses in mm)")
    for col in ("site", "layers", "thickness source"):
        table.add_column(col, overflow="fold")  # long DOIs fold instead of being cut
    for row in data:
        layers = ", ".join(f"{l['name']} {_fmt(l['thickness_mm'], 3)}" for l in row["layers"])
        table.add_row(row["site"], layers, "; ".join(sorted({l["source"] for l in row["layers"]})))
    console.print(table)
