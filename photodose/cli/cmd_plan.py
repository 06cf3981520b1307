"""``photodose plan`` and ``photodose protocols list|show``: the planner and the protocol library at the CLI."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import PhotodoseInputError, require_choice
from .cmd_journal import DbOption
from ._output import JsonFlag, console, emit, print_rows, require_output_path

NOTE = "photodose informs; it does not diagnose or prescribe."


MAX_WINDOW_J_CM2 = 1000.0  # input ceiling for a custom dose window (photodose choice, unsourced)


def _parse_window(text: str) -> tuple[float, float]:
    allowed = f"LOW..HIGH in J/cm2 with 0 < LOW < HIGH <= {MAX_WINDOW_J_CM2:g}, e.g. 1..10"
    lo, sep, hi = str(text).partition("..")
    try:
        low, high = float(lo), float(hi)
    except ValueError:
        raise PhotodoseInputError("window", text, allowed) from None
    if not (0 < low < high <= MAX_WINDOW_J_CM2):  # also refuses NaN
        raise PhotodoseInputError("window", text, allowed)
    return low, high


def _parse_range_mm(text: str) -> tuple[float, float]:
    from ..units import parse_length_mm

    lo, sep, hi = str(text).partition("..")
    if not sep:
        raise PhotodoseInputError("distance-range", text, "MIN..MAX with units, e.g. '10 cm..40 cm'")
    low, high = (parse_length_mm(v, "distance-range", allow_zero=False) for v in (lo, hi))  # a log-spaced search
    if low > high:
        raise PhotodoseInputError("distance-range", text, "MIN..MAX with MIN <= MAX, e.g. '10 cm..40 cm'")
    return low, high


def _parse_thickness(items: list[str] | None) -> dict[str, float] | None:
    from ..units import parse_length_mm

    if not items:
        return None
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise PhotodoseInputError("thickness", item, "LAYER=LENGTH, e.g. subcutaneous_fat=12mm")
        out[name.strip()] = parse_length_mm(value if any(c.isalpha() for c in value) else f"{value} mm",
                                            f"thickness {name}", allow_zero=False)
    return out


def render_plan(console, plan) -> None:
    """The plan for people: the summary table, the distance x time options, safety, reasons, warnings, sources."""
    from rich.table import Table

    from ..planning.plan_model import SAFETY_MEANING, STATUS_MEANING
    from ..planning.plan_text import plan_summary_rows, target_meaning
    from ..planning.reporting import reporting_rows
    from ._output import printable   # Rich markup escaped, units with their signs ("J/cm²")

    table = Table(title=f"photodose plan: {plan.protocol.name if plan.protocol else 'custom target'}")
    table.add_column("item")
    table.add_column("value")
    for k, v in plan_summary_rows(plan):
        table.add_row(k, printable(v))
    console.print(table)
    console.print(f"[bold]{plan.status}[/]: {STATUS_MEANING[plan.status]} "
                  f"[bold]safety {plan.safety.status}[/]: {SAFETY_MEANING[plan.safety.status]}", highlight=False)
    if plan.target is not None:
        console.print(f"[cyan]target:[/] {printable(target_meaning(plan))}", highlight=False)
    _render_fat_sensitivity(console, plan.target.sensitivity.subcutaneous_fat_preset if plan.target else None)
    _render_options(console, plan)
    params = Table(title="Dose and beam parameters (Jenkins & Carroll 2011)")
    params.add_column("parameter")
    params.add_column("value")
    for label, text in reporting_rows(plan.reporting_parameters):
        params.add_row(printable(label), printable(text))
    console.print(params)
    for check in plan.safety.checks:  # a caution or refusal must say why, not just its status
        if check.status != "ok":
            colour = "bold red" if check.status == "fail" else "yellow"
            remedy = f" [bold]remedy:[/] {printable(check.remedy)}" if check.remedy else ""
            console.print(f"[{colour}]safety {check.status}:[/] {printable(check.label)}: "
                          f"{printable(check.message)}{remedy}",
                          highlight=False)
    for r in plan.reasons:
        console.print(f"[cyan]why:[/] {printable(r)}", highlight=False)
    for w in plan.warnings:
        console.print(f"[yellow]warning:[/] {printable(w)}", highlight=False)
    for c in plan.citations:
        console.print(f"  - {printable(c.text)}", highlight=False)
    console.print(f"[italic]{NOTE}[/]")


def _render_options(console, plan) -> None:
    """The distance x time table: skin dose and verdict per cell, in the units the person typed."""
    from rich.table import Table

    if not plan.options:
        return
    minutes, rows = plan.option_grid()
    table = Table(title="Other distances and times: skin dose (J/cm²)")
    table.add_column("distance")
    for m in minutes:
        table.add_column(f"{m:g} min")
    for d, cells in rows:
        row = []
        for o in cells:
            mark = "" if o is None or o.verdict in (None, "inside") else f" {o.verdict}"
            row.append("" if o is None else f"{o.skin_fluence_j_cm2:.3g}{mark}"
                       + (" refused" if o.safety == "refused" else ""))
        table.add_row(d, *row)
    console.print(table)
    console.print("Each cell: the skin dose in J/cm²; unmarked cells are inside the window, 'below' is too little, "
                  "'above' is more than the window (more is not better).", highlight=False)


def _render_fat_sensitivity(console, fat) -> None:
    """One line: the target dose under each subcutaneous-fat preset (the sources disagree)."""
    if not fat:
        return
    doses = ", ".join(f"{r.fluence_j_cm2:.3g} with {r.tissue}"
                      + (f" ({'; '.join(w for w in (r.label, 'used' if r.used_by_plan else '') if w)})"
                         if r.label or r.used_by_plan else "")
                      for r in fat.by_preset)
    spread = f"x{fat.spread_factor:.3g} spread" if fat.spread_factor else "no light with one preset"
    console.print(f"[yellow]fat-preset sensitivity:[/] nominal target dose {doses} J/cm² ({spread}; {fat.model}; "
                  "a sensitivity detail: measure your fat with ultrasound and give --thickness, or choose with "
                  "--tissue subcutaneous_fat=PRESET)", highlight=False)


def _render_protocols(console, data: dict) -> None:
    rows, unsourced = [], False
    for p in data["protocols"]:
        w = p["target_window"] or p["skin_window"]
        unsourced = unsourced or w["unsourced"]
        rows.append((p["id"], ", ".join(f"{x:g}" for x in p["wavelengths_nm"]), f"{p['target']['depth_mm']:g} mm",
                     f"{w['low_j_cm2']:g}-{w['high_j_cm2']:g} at {'target' if p['target_window'] else 'skin'}"
                     + ("*" if w["unsourced"] else ""), p["evidence"]["label"]))
    print_rows(console, "photodose protocols", ("id", "nm", "target depth", "window (J/cm²)", "evidence"), rows,
               id_columns=("id",))
    heat = data.get("heat_protocols") or []
    if heat:
        console.print("[bold]whole-body hyperthermia (sauna domes; the dose is core temperature over time)[/]")
        for h in heat:
            console.print(f"[bold]{h['id']}[/]: {_heat_summary(h)}; {h['evidence']['label']}", highlight=False)
    if unsourced:
        console.print("* unsourced window: a photodose assumption, no primary source gives its limits "
                      "(`photodose protocols show ID` gives each protocol's sources)", highlight=False)
    console.print(f"[italic]{NOTE}[/]")


def _render_protocol(console, p: dict) -> None:
    console.print(f"[bold]{p['name']}[/] ({p['id']})")
    console.print(f"wavelengths: {', '.join(f'{x:g}' for x in p['wavelengths_nm'])} nm - {p['wavelength_source']}",
                  highlight=False)
    console.print(f"target: {p['target']['tissue']} at {p['target']['depth_mm']:g} mm - {p['target']['source']}",
                  highlight=False)
    for key in ("skin_window", "target_window"):
        w = p[key]
        if w:
            console.print(f"{key.replace('_', ' ')}: {w['low_j_cm2']:g}-{w['high_j_cm2']:g} J/cm²"
                          + (" (unsourced)" if w["unsourced"] else "") + f" - {w['source']}", highlight=False)
    s = p["session"]
    console.print(f"session: {s['min_s']:.0f}-{s['max_s']:.0f} s" + (" (unsourced)" if s["unsourced"] else "")
                  + f" - {s['source']}", highlight=False)
    sc = p["schedule"]
    console.print(f"schedule: {sc['sessions_per_week']} per week for {sc['weeks']} weeks"
                  + (" (unsourced)" if sc["unsourced"] else "") + f" - {sc['source']}", highlight=False)
    if p.get("reference_dose"):
        console.print(f"reference dose: {p['reference_dose']}", highlight=False)
    console.print(f"evidence: [bold]{p['evidence']['label']}[/] - {p['evidence']['statement']}", highlight=False)
    for c in p["citation_list"]:
        console.print(f"  - {c['text']}", highlight=False)
    console.print(f"[italic]{NOTE}[/]")


def _heat_schedule(h: dict) -> str:
    sc = h["schedule"]
    return f"{sc['sessions']} session{'s' if sc['sessions'] != 1 else ''}, one every {sc['interval_days']} days"


def _heat_summary(h: dict) -> str:
    return f"rectal core {h['target_core_c']:g} °C held {h['time_at_target_min']:g} min; {_heat_schedule(h)}"


def _render_heat_protocol(console, h: dict) -> None:
    console.print(f"[bold]{h['name']}[/] ({h['id']}): whole-body hyperthermia, planned with a sauna dome, "
                  f"e.g. `photodose plan --device generic-infrared-sauna-dome --condition {h['id']}`",
                  highlight=False)
    console.print(f"target: rectal core {h['target_core_c']:g} °C - {h['target_source']}", highlight=False)
    console.print(f"time at target: {h['time_at_target_min']:g} min - {h['time_at_target_source']}", highlight=False)
    console.print(f"heating: {h['heating_source']}", highlight=False)
    console.print(f"cool-down: {h['cooldown_source']}", highlight=False)
    console.print(f"schedule: {_heat_schedule(h)} - {h['schedule']['source']}", highlight=False)
    console.print(f"evidence: [bold]{h['evidence']['label']}[/]", highlight=False)
    for st in h["evidence"]["statements"]:
        console.print(f"  - {st['text']} ({st['key']})", highlight=False)
    for c in h["citation_list"]:
        console.print(f"  - {c['text']}", highlight=False)
    console.print(f"[italic]{NOTE}[/]")


def _heat_protocol_json(protocol) -> dict:
    from ..bibliography import cite

    return protocol.model_dump() | {"kind": "whole-body hyperthermia",
                                    "citation_list": [{"key": k, "text": cite(k)} for k in protocol.citations]}


def _protocol_json(protocol) -> dict:
    from ..protocols.library import citations_for

    return protocol.model_dump() | {"citation_list": [c.model_dump() | {"text": c.short()}
                                                      for c in citations_for(protocol)]}


def _profile_row(profile: str | None, db: str | None):
    """(journal, profile row) for ``--profile``, or (None, None)."""
    if profile is None:
        return None, None
    from ..journal import open_journal
    from ..journal.repository import get_profile

    journal = open_journal(db)
    return journal, get_profile(journal, profile)


def register(app: typer.Typer) -> None:
    protocols_app = typer.Typer(help="The protocol library: conditions, windows, schedules, evidence, citations.",
                                no_args_is_help=True)
    app.add_typer(protocols_app, name="protocols")

    @protocols_app.command("list")
    def protocols_list(as_json: JsonFlag = False) -> None:
        """List every protocol with its window and evidence level."""
        from ..protocols.library import list_protocols

        from ..hyperthermia import list_heat_protocols

        emit({"protocols": [_protocol_json(p) for p in list_protocols()],
              "heat_protocols": [_heat_protocol_json(p) for p in list_heat_protocols()], "note": NOTE},
             as_json, _render_protocols)

    @protocols_app.command("show")
    def protocols_show(protocol_id: Annotated[str, typer.Argument(help="protocol id, e.g. knee-osteoarthritis")],
                       as_json: JsonFlag = False) -> None:
        """Show one protocol in full, with its sources."""
        from ..hyperthermia import get_heat_protocol, is_heat_protocol, list_heat_protocols
        from ..protocols.library import get_protocol, list_protocols

        ids = [p.id for p in list_protocols()] + [p.id for p in list_heat_protocols()]
        protocol_id = require_choice("protocol id", protocol_id, ids)
        if is_heat_protocol(protocol_id):
            emit(_heat_protocol_json(get_heat_protocol(protocol_id)) | {"note": NOTE}, as_json,
                 _render_heat_protocol)
        else:
            emit(_protocol_json(get_protocol(protocol_id)) | {"note": NOTE}, as_json, _render_protocol)

    @app.command("plan")
    def plan_command(
        device: Annotated[str, typer.Option(help="catalog id or device file")],
        site: Annotated[Optional[str], typer.Option(help="body site (default: the protocol's)")] = None,
        skin_type: Annotated[Optional[str], typer.Option("--skin-type", help="Fitzpatrick phototype I-VI "
                                                         "(default: the profile's, else III)")] = None,
        condition: Annotated[Optional[str], typer.Option(help="protocol id (photodose protocols list)")] = None,
        distance: Annotated[Optional[str], typer.Option(
            help="distance with unit, e.g. '15 cm'; omit to choose")] = None,
        channel: Annotated[Optional[list[str]], typer.Option(help="channel id or wavelength; repeat")] = None,
        minutes: Annotated[Optional[str], typer.Option(
            "--minutes", help="session length (fixed): '20', '20 min' or '1 h'")] = None,
        min_minutes: Annotated[Optional[str], typer.Option(
            "--min-minutes", help="shortest session, e.g. '5 min'")] = None,
        max_minutes: Annotated[Optional[str], typer.Option(
            "--max-minutes", help="longest session, e.g. '30 min'")] = None,
        eye_distance: Annotated[Optional[str], typer.Option(
            "--eye-distance", help="where your eyes are from the device's face, e.g. '70 cm' (sites away from the "
                                   "head; default: a stated viewing geometry)")] = None,
        max_irradiance: Annotated[Optional[str], typer.Option("--max-irradiance", help="e.g. '50 mW/cm2'")] = None,
        distance_range: Annotated[Optional[str], typer.Option("--distance-range", help="e.g. '10 cm..40 cm'")] = None,
        thickness: Annotated[Optional[list[str]], typer.Option(help="layer override LAYER=LENGTH; repeat")] = None,
        tissue: Annotated[Optional[list[str]], typer.Option(
            help="layer tissue preset LAYER=PRESET, e.g. subcutaneous_fat=subcutaneous_fat_bashkatov; repeat")] = None,
        target_depth_mm: Annotated[Optional[float], typer.Option(
            "--target-depth-mm", help="custom target depth")] = None,
        window: Annotated[Optional[str], typer.Option(help="custom target window LOW..HIGH J/cm2")] = None,
        goggles: Annotated[bool, typer.Option(
            "--goggles", help="goggles rated for these wavelengths are worn")] = False,
        transport: Annotated[str, typer.Option(
            help="depth model: fast | mc | mc:PHOTONS | atlas:DIR (an atlas from 'photodose atlas'; Monte Carlo "
                 "outside it) | head3d | head3d:PHOTONS (transcranial: the cortex dose from the 3-D head)")] = "fast",
        position: Annotated[Optional[list[str]], typer.Option(
            "--position", help="head3d: 10-20 position of the device, e.g. F3; repeat (default: the head "
                               "target's positions)")] = None,
        head_target: Annotated[Optional[str], typer.Option(
            "--head-target", help="head3d: dlpfc, frontopolar or a 10-20 position (default: the protocol's)")] = None,
        report: Annotated[Optional[str], typer.Option(help="write a self-contained HTML report")] = None,
        plot: Annotated[Optional[str], typer.Option(help="write the depth-dose PNG")] = None,
        profile: Annotated[Optional[str], typer.Option(
            "--profile", help="journal profile: its phototype, measured fat at the site, screening answers and "
                              "earlier sessions at the site feed the plan and the safety gate")] = None,
        db: DbOption = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Plan a session: distance, time, dose at skin and target, window verdict, schedule, safety."""
        from ._early import check_names

        check_names(device=device, condition=condition)  # a typo is refused before the heavy imports (< 1 s)
        for option, path, suffixes in (("plot", plot, (".png",)), ("report", report, (".html", ".htm"))):
            if path:
                require_output_path(option, path, suffixes)
        from ..usecases.plan_heat import is_heat_plan, plan_heat_for_profile

        if is_heat_plan(device, condition):  # a sauna dome: heat, not light (photodose.hyperthermia)
            from .heat_render import render_heat_plan

            heat_plan = plan_heat_for_profile(device, condition, *_profile_row(profile, db))
            heat = heat_plan.model_dump(mode="json")
            if plot:
                from pathlib import Path

                from ..reports.plots import core_temperature_png

                Path(plot).write_bytes(core_temperature_png(heat_plan))
                heat["plot_path"] = plot
            if report:
                from ..reports.html import write_heat_plan_report

                heat["report_path"] = write_heat_plan_report(heat_plan, report)
            return emit(heat, as_json, render_heat_plan)
        from ..planning.request import PlanRequest
        from ..units import length_unit_typed
        from ..usecases import plan_for_profile
        from .cmd_optics import parse_tissue_choices
        from ..units import parse_irradiance_mw_cm2, parse_length_mm, parse_minutes

        if (target_depth_mm is None or window is None) and condition is None:
            raise PhotodoseInputError("condition", None, "give --condition (see 'photodose protocols list'), or a "
                                      "custom target with both --target-depth-mm and --window")
        journal, person = _profile_row(profile, db)
        req = PlanRequest(
            device=device, channels=channel or None,
            distance_mm=None if distance is None else parse_length_mm(distance, "distance"),
            site=site, skin_type=skin_type, thickness_mm=_parse_thickness(thickness),
            tissue=parse_tissue_choices(tissue), condition=condition,
            target_depth_mm=target_depth_mm, window_j_cm2=None if window is None else _parse_window(window),
            **{name: None if text is None else parse_minutes(text, name.replace("_", "-"), high=240)
               for name, text in (("minutes", minutes), ("min_minutes", min_minutes), ("max_minutes", max_minutes))},
            max_irradiance_mw_cm2=None if max_irradiance is None else parse_irradiance_mw_cm2(max_irradiance,
                                                                                                "max-irradiance"),
            distance_range_mm=None if distance_range is None else _parse_range_mm(distance_range),
            eye_distance_mm=None if eye_distance is None else parse_length_mm(eye_distance, "eye-distance"),
            distance_unit=length_unit_typed(distance or distance_range) if (distance or distance_range) else None,
            safety={"goggles": goggles}, transport=transport, head_positions=position or None,
            head_target=head_target,
        )
        result = plan_for_profile(req, journal, person)
        out = {}
        if plot:
            from pathlib import Path

            from ..reports.plots import depth_dose_png

            Path(plot).write_bytes(depth_dose_png(result))
            out["plot_path"] = plot
        if report:
            from ..dosimetry.session_dose import load_device_any
            from ..reports.html import write_plan_report

            out["report_path"] = write_plan_report(result, load_device_any(device), report)
        if as_json:
            emit(result.model_dump(mode="json") | out, True, render_plan)
        else:
            render_plan(console, result)
            for label, path in out.items():
                console.print(f"{label.replace('_path', '')} written to {path}", highlight=False)
