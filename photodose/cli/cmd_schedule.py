"""``photodose schedule``: the weeks of a schedule people are told to follow (steady, ramp-up, daily-then-taper)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ._output import JsonFlag, emit


def _render(console, d: dict) -> None:
    from rich.table import Table

    table = Table(title=f"{d['condition'] or 'photodose default'}: {d['kind']} schedule")
    for col in ("week", "phase", "sessions", "session length (of the plan's)"):
        table.add_column(col, justify="right")
    for w in d["weeks"]:
        length = f"{w['session_fraction']:.0%}" + (f" ({w['minutes']:.3g} min)" if w["minutes"] is not None else "")
        table.add_row(str(w["week"]), w["phase"], str(w["sessions"]), length)
    console.print(table)
    console.print(f"{d['total_sessions']} sessions over {len(d['weeks'])} weeks"
                  + (" (unsourced)" if d["unsourced"] else ""), highlight=False)
    by_source: dict[str, list[str]] = {}
    for p in d["phases"]:
        by_source.setdefault(p["source"], []).append(p["label"])
    for source, labels in by_source.items():
        console.print(f"  {', '.join(labels)}: {source}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("schedule")
    def schedule(
        condition: Annotated[Optional[str], typer.Option(help="condition (protocol id); default photodose's")] = None,
        kind: Annotated[str, typer.Option("--schedule", help="steady, ramp-up or daily-then-taper")] = "steady",
        minutes: Annotated[Optional[str], typer.Option(help="your planned session length, e.g. '10 min'")] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Week by week: sessions per week and session length of a schedule, each part labelled by its source.

        Store a plan with it: photodose log plan PLAN.json --schedule KIND [--start DATE].
        """
        from ..planning.plan_model import Schedule
        from ..planning.schedule import recommend_schedule, weekly_plan
        from ..protocols import get_protocol
        from .cmd_dose import parse_minutes

        protocol = get_protocol(condition) if condition else None
        typed = Schedule.model_validate(recommend_schedule(protocol, kind))
        session_min = parse_minutes(minutes) if minutes is not None else None
        weeks = [{"week": i + 1, "sessions": n, "session_fraction": f, "phase": label,
                  "minutes": None if session_min is None else f * session_min}
                 for i, (n, f, label) in enumerate(weekly_plan(typed))]
        data = {"condition": protocol.id if protocol else None, "kind": kind, "total_sessions": typed.total_sessions,
                "unsourced": typed.unsourced, "source": typed.source,
                "phases": [p.model_dump() for p in typed.phases] or [
                    {"label": "as planned", "source": typed.source, "unsourced": typed.unsourced}],
                "weeks": weeks}
        emit(data, as_json, _render)
