"""``photodose demo``: the main job on embedded defaults.

For now: optical properties of the default skin stack (forearm, skin phototype III) at the two most common
home-device wavelengths, red 660 nm and near-infrared 850 nm. Later stages grow this into a full plan.
"""

from __future__ import annotations

import typer

from ._output import JsonFlag, emit

DEMO_SITE = "forearm"
DEMO_SKIN_TYPE = "III"
DEMO_WAVELENGTHS_NM = (660.0, 850.0)


def demo_data() -> dict:
    """The demo's content as plain data: one described stack per demo wavelength."""
    from ..optics.sites import describe_stack

    return {"site": DEMO_SITE, "skin_type": DEMO_SKIN_TYPE,
            "stacks": [describe_stack(DEMO_SITE, nm, DEMO_SKIN_TYPE) for nm in DEMO_WAVELENGTHS_NM]}


def _render(console, data: dict) -> None:
    from .cmd_optics import render_stack

    console.print(f"[bold]photodose demo[/]: tissue optics of the {data['site']}, skin phototype {data['skin_type']}")
    for stack in data["stacks"]:
        render_stack(console, stack)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(as_json: JsonFlag = False) -> None:
        """Run photodose on embedded defaults (for now: a skin stack's optics at 660 and 850 nm)."""
        emit(demo_data(), as_json, _render)
