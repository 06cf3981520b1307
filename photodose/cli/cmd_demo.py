"""``photodose demo``: the main job on embedded defaults.

A complete plan for a catalog panel with 660 + 850 nm channels on the knee, skin phototype III, for knee
osteoarthritis: distance, session time, surface and target dose per wavelength, the dose-window verdict,
the schedule, the safety gate and the Jenkins & Carroll reporting table; the self-contained HTML report is
written to ``--out`` and its path printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._output import JsonFlag, console, emit


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        out: Annotated[Path, typer.Option("--out", help="Folder for the HTML report.")] = Path("photodose-demo"),
        as_json: JsonFlag = False,
    ) -> None:
        """Plan a knee session with a 660 + 850 nm panel (phototype III) and write the HTML report."""
        from ..usecases.demo import run_demo_plan
        from .cmd_plan import render_plan

        plan, report_path = run_demo_plan(out)
        report_path = str(Path(report_path).resolve())
        if as_json:
            emit(plan.model_dump(mode="json") | {"report_path": report_path}, True, render_plan)
        else:
            render_plan(console, plan)
            console.print(f"\n[bold]Report:[/] {report_path}")
