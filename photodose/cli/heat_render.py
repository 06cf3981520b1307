"""Render a whole-body hyperthermia plan (photodose.hyperthermia.HyperthermiaPlan) for people."""

from __future__ import annotations


def render_heat_plan(console, data: dict) -> None:
    """The summary, the core-temperature curve (every 10 minutes), safety with reasons and remedies, advice, sources."""
    from rich.table import Table

    from ..hyperthermia.plan import PHASE_LABEL

    table = Table(title=f"photodose heat plan: {data['protocol_name']}")
    table.add_column("item")
    table.add_column("value")
    mins, cool = data["minutes_to_target"], data["cooldown"]
    rows = [
        ("status", data["status"]), ("device", f"{data['device']} (sauna dome: heat, not light)"),
        ("person", data["person_note"]),
        ("target", f"core {data['target_core_c']:g} °C held {data['time_at_target_min']:g} min"),
        ("minutes to target",
         "not reached within the session limit" if mins is None else f"{mins:.0f} min (predicted)"),
        ("time at target", f"{data['minutes_at_or_above_target']:.1f} min at or above {data['target_core_c']:g} °C "
                           "(predicted, heat on and after)"),
        ("heating", f"{data['heating_minutes']:.0f} min (limit {data['heating_limit_min']:g} min)"),
        ("cool-down", f"{cool['minutes']:.0f} min in room air; peak {cool['peak_core_c']:.2f} °C "
                      f"at minute {cool['peak_at_min']:.0f}; " + _below(cool, data['target_core_c']) +
                      f"; {cool['end_core_c']:.2f} °C at the end"),
        ("schedule", f"{data['schedule']['sessions']} sessions, one every {data['schedule']['interval_days']} days"),
        ("safety", data["safety"]["status"]), ("evidence", data["evidence_label"]),
    ]
    for k, v in rows:
        table.add_row(k, str(v))
    console.print(table)
    for ph in data["phases"]:
        console.print(f"[cyan]phase {PHASE_LABEL[ph['name']]}:[/] minute {ph['starts_at_min']:.0f}-"
                      f"{ph['ends_at_min']:.0f}, core {ph['core_start_c']:.2f} -> {ph['core_end_c']:.2f} °C: "
                      f"{ph['what']}", highlight=False)
    series = data["core_temperature_c"]
    curve = ", ".join(f"{m:.0f}: {t:.2f}" for m, t in zip(series["minutes"], series["degrees_c"]) if m % 10 == 0)
    console.print(f"[cyan]core temperature (minute: °C):[/] {curve}", highlight=False)
    for check in data["safety"]["checks"]:
        if check["status"] != "ok":
            colour = "bold red" if check["status"] == "fail" else "yellow"
            remedy = f" [bold]remedy:[/] {check['remedy']}" if check.get("remedy") else ""
            console.print(f"[{colour}]safety {check['status']}:[/] {check['label']}: "
                          f"{check['message']}{remedy}", highlight=False)
    for a in data["advice"]:
        console.print(f"[green]advice:[/] {a['text']} ({a['source']})", highlight=False)
    for r in data["reasons"]:
        console.print(f"[cyan]why:[/] {r}", highlight=False)
    for e in data["evidence"]:
        console.print(f"[cyan]evidence:[/] {e}", highlight=False)
    for c in data["citations"]:
        console.print(f"  - {c}", highlight=False)
    console.print(f"[italic]{data['note']}[/]")
    for key in ("plot_path", "report_path"):
        if data.get(key):
            console.print(f"{key.removesuffix('_path')} written to {data[key]}", highlight=False)


def _below(cooldown: dict, target_c: float) -> str:
    m = cooldown.get("minutes_to_below_target")
    return (f"not back under {target_c:g} °C within the cool-down" if m is None else
            f"back under {target_c:g} °C {m:.0f} min after heat off")
