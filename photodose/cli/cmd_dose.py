"""``photodose dose``: the calculator (irradiance x minutes = dose, or minutes to a dose), with a window verdict."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ._output import JsonFlag, emit

DOSE_HELP = """Dose calculator: dose at the skin = irradiance x time (J/cm2 = mW/cm2 x s / 1000).

Give --minutes for the dose, or --dose for the minutes; --condition adds the window verdict; --device with \
--distance takes the irradiance from the device model instead of a meter.

\b
Examples:
  photodose dose --irradiance "50 mW/cm2" --minutes 10
  photodose dose --irradiance "50 mW/cm2" --dose "30 J/cm2"
  photodose dose --irradiance 50 --minutes 10 --condition knee-osteoarthritis
  photodose dose --device joovv-solo-3 --distance "6 in" --dose "30 J/cm2"
"""


def parse_minutes(text: str, field: str = "--minutes") -> float:
    """Minutes typed as "20", "20 min" or "1 h"."""
    from ..units import parse_minutes as parse

    return parse(text, field)


def parse_fluence_j_cm2(text: str, field: str = "--dose") -> float:
    """A dose typed as "30 J/cm2" (or a bare number in J/cm2)."""
    from ..usecases.dose_calculator import parse_fluence_j_cm2 as parse

    return parse(text, field)


def _render(console, d: dict) -> None:
    src = d["irradiance_from"]
    where = f" ({src})" if src != "typed" else ""
    if d["device"]:
        from ..units import format_length

        where = f" from {d['device']} at {format_length(d['distance_mm'], d.get('_unit', 'cm'))}{where}"
    console.print(f"irradiance at the skin: {d['irradiance_mw_cm2']:.3g} mW/cm²{where}", highlight=False)
    if d["solved_for"] == "fluence_j_cm2":
        console.print(f"[bold]{d['minutes']:.3g} min -> {d['fluence_j_cm2']:.3g} J/cm²[/] at the skin", highlight=False)
    else:
        m = d["minutes"]
        console.print(f"[bold]{d['fluence_j_cm2']:.3g} J/cm² -> {m:.3g} min[/] ({m * 60:.0f} s)", highlight=False)
    w = d.get("window")
    if w:
        label = " (unsourced)" if w["unsourced"] else ""
        console.print(f"{w['condition']}: skin window {w['low_j_cm2']:g}-{w['high_j_cm2']:g} J/cm²{label}: "
                      f"[bold]{w['verdict']}[/] - {w['source']}", highlight=False)
    elif d.get("window_note"):
        console.print(d["window_note"], highlight=False)
    console.print("H = E x t / 1000 (radiant exposure; Jenkins & Carroll 2011, jenkins2011). "
                  "Dose at the skin, not at depth.", style="italic", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("dose", help=DOSE_HELP)
    def dose(
        irradiance: Annotated[Optional[str], typer.Option(help="measured irradiance, e.g. '50 mW/cm2'")] = None,
        minutes: Annotated[Optional[str], typer.Option(help="session length: '10', '10 min', '1 h'")] = None,
        dose_: Annotated[Optional[str], typer.Option("--dose", help="dose wanted at the skin, e.g. '30 J/cm2'")] = None,
        device: Annotated[Optional[str], typer.Option(help="device id: the model gives the irradiance")] = None,
        distance: Annotated[Optional[str], typer.Option(help="distance with --device, e.g. '6 in'")] = None,
        area: Annotated[Optional[str], typer.Option(help="area the mean is over, with --device")] = None,
        condition: Annotated[Optional[str], typer.Option(help="judge the dose against this condition's window")] = None,
        as_json: JsonFlag = False,
    ) -> None:
        from ..errors import PhotodoseInputError
        from ..units import length_unit_typed, parse_area_mm, parse_irradiance_mw_cm2, parse_length_mm, parse_quantity
        from ..usecases.dose_calculator import dose_calculation

        if distance is not None and device is None:
            raise PhotodoseInputError("--distance", distance, "--distance goes with --device (the model's distance)")
        e = None
        if irradiance is not None:
            e = parse_quantity(irradiance, "mW/cm**2", "--irradiance", default_unit="mW/cm**2")
            parse_irradiance_mw_cm2(f"{e} mW/cm2", "--irradiance")  # the same range as every typed irradiance
        result = dose_calculation(
            irradiance_mw_cm2=e, minutes=None if minutes is None else parse_minutes(minutes),
            fluence_j_cm2=None if dose_ is None else parse_fluence_j_cm2(dose_), device_id=device,
            distance_mm=None if distance is None else parse_length_mm(distance, "--distance", allow_zero=True),
            area_mm=None if area is None else parse_area_mm(area, "--area"), condition=condition)
        unit = length_unit_typed(distance) if distance else result.device_distance_unit or "cm"
        emit(result, as_json, lambda c, d: _render(c, {**d.model_dump(), "_unit": unit}))
