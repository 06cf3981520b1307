"""``photodose log heat``: log a whole-body hyperthermia (sauna dome) session; heat sessions in ``progress``."""


from typing import Annotated, Optional

import typer

from ._output import JsonFlag, count_of, emit


def register(app: typer.Typer, *, open_journal, find_profile, parse_at, db_option, profile_option, at_option,
             notes_option) -> None:
    """Add ``heat`` to the ``log`` sub-app (the journal CLI passes its shared options and helpers)."""

    @app.command("heat")
    def heat(device: Annotated[str, typer.Option("--device", help="Sauna dome id, e.g. generic-infrared-sauna-dome")],
             minutes: Annotated[float, typer.Option("--minutes", help="Minutes of heating")],
             core: Annotated[Optional[float], typer.Option(
                 "--core", help="Highest core temperature measured, degC (e.g. rectal)")] = None,
             to_target: Annotated[Optional[float], typer.Option(
                 "--to-target", help="Minutes until the core reached the target, if measured")] = None,
             air: Annotated[Optional[float], typer.Option(
                 "--air", help="Chamber air temperature set, degC (default: the device's)")] = None,
             humidity: Annotated[Optional[float], typer.Option(
                 "--humidity", help="Chamber relative humidity, % (default: the device's)")] = None,
             at: at_option = None, notes: notes_option = None, profile: profile_option = None,
             db: db_option = None, as_json: JsonFlag = False) -> None:
        """Log a whole-body hyperthermia session: minutes, chamber settings, core temperature if measured."""
        from ..usecases.log_heat_session import log_heat_session

        journal = open_journal(db)
        person = find_profile(journal, profile)
        logged = log_heat_session(journal, person.id, device_id=device, heating_minutes=minutes,
                                  start_at=parse_at(at), core_temperature_c=core, minutes_to_target=to_target,
                                  air_temperature_c=air, relative_humidity_percent=humidity, notes=notes)

        def render(c, d):
            core_text = "" if d["core_temperature_c"] is None else f", core {d['core_temperature_c']:g} °C"
            c.print(f"logged heat session {d['id']}: {d['device_id']} {d['heating_minutes']:g} min{core_text}",
                    highlight=False)
            for w in d["warnings"]:
                c.print(f"[yellow]warning:[/] {w}", highlight=False)

        emit(logged.session | {"warnings": logged.warnings}, as_json, render)


def render_heat_progress(c, heat: dict) -> None:
    if not heat["n_sessions"]:
        return
    core = "" if heat["highest_core_c"] is None else f"; highest core measured {heat['highest_core_c']:g} °C"
    c.print(f"heat (sauna dome): {count_of(heat['n_sessions'], 'session')}, {heat['heating_minutes']:g} min of "
            f"heating{core}",
            highlight=False)
