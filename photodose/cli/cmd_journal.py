"""Journal commands: ``profile add|list|show|delete``, ``log session|plan|outcome ...``, ``history``,
``progress``, ``export``, ``import``. Every command takes ``--db URL`` (or ``PHOTODOSE_DB``)."""


import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import PhotodoseInputError
from ._output import JsonFlag, count_of, emit, print_rows, require_output_path

DbOption = Annotated[Optional[str], typer.Option(
    "--db", envvar="PHOTODOSE_DB", help="Database URL or SQLite file (default: the user data directory).")]
ProfileOption = Annotated[Optional[str], typer.Option(
    "--profile", help="Profile name (needed when the journal holds several).")]
AtOption = Annotated[Optional[str], typer.Option(
    "--at", help='When, local time, e.g. "2026-11-20 08:00" (default now).')]
NotesOption = Annotated[Optional[str], typer.Option("--notes")]


def _plain(obj: Any) -> Any:
    """Dataclasses, ORM rows and dates to JSON-ready values."""
    from ..journal.models import Base

    if isinstance(obj, Base):
        from ..journal.exchange import record_dict

        return record_dict(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k) if not isinstance(k, (date, datetime)) else k.isoformat(): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    return obj


def _parse_at(text: str | None) -> datetime:
    if not text:
        return datetime.now().replace(microsecond=0)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise PhotodoseInputError("at", text, 'a date and time like "2026-11-20 08:00"') from None
    if when.tzinfo is not None:  # "...+14:00": the same instant in local time, as the journal stores it
        try:
            when = when.astimezone().replace(tzinfo=None)
        except (OverflowError, ValueError, OSError):
            raise PhotodoseInputError("at", text, "a date and time within the years 1-9999") from None
    return when


def _parse_items(text: str) -> list[int]:
    try:
        return [int(v) for v in text.replace(" ", "").split(",") if v != ""]
    except ValueError:
        raise PhotodoseInputError("items", text, "comma-separated whole numbers, e.g. 1,2,0,1,1,0,2,1,0") from None


def _open(db: str | None):
    from ..journal import open_journal

    return open_journal(db)


def _profile(journal, name: str | None):
    from ..journal.repository import get_profile

    return get_profile(journal, name)


def _render_profile(console, d: dict) -> None:
    """A person's record for people: measurements per site, which screening answers were yes and when."""
    from rich.table import Table

    table = Table(title=f"profile {d['name']} (id {d['id']})", show_header=False)
    table.add_row("skin phototype", d["skin_phototype"] or "not given")
    fat = {site: m.get("fat_thickness_mm") for site, m in (d["body_measurements"] or {}).items()}
    table.add_row("fat thickness", ", ".join(f"{site} {mm:g} mm" for site, mm in fat.items() if mm is not None)
                  or "not given")
    answers = (d["contraindication_answers"] or {}).get("answers")
    if answers is None:
        table.add_row("screening", "not answered (photodose safety screen)")
    else:
        yes = [q for q, a in answers.items() if a]
        table.add_row("screening", f"answered {d['contraindications_answered_at']}; yes to: "
                                   + (", ".join(yes) if yes else "none"))
    table.add_row("devices in use", ", ".join(dev["device_id"] for dev in d["devices"]) or "none")
    table.add_row("stored plans", ", ".join(f"#{p['id']} ({p['created_at'][:10]})" for p in d["plans"]) or "none")
    table.add_row("created", d["created_at"])
    console.print(table)


def _profile_app() -> typer.Typer:
    app = typer.Typer(help="People (or patients) whose sessions and outcomes are journaled.", no_args_is_help=True)

    @app.command("add")
    def add(name: str,
            skin_type: Annotated[Optional[str], typer.Option("--skin-type", help="Fitzpatrick phototype I-VI")] = None,
            fat: Annotated[Optional[list[str]], typer.Option(
                "--fat", help='Fat thickness per site: knee="8 mm"')] = None,
            answers: Annotated[Optional[Path], typer.Option(
                "--answers",
                help="Contraindication answers: YAML/JSON file, e.g. from `photodose safety screen --save`")] = None,
            height: Annotated[Optional[str], typer.Option(help="height for heat plans, e.g. '175 cm'")] = None,
            weight: Annotated[Optional[str], typer.Option(help="weight for heat plans, e.g. '70 kg'")] = None,
            age: Annotated[Optional[int], typer.Option(help="age in years (heat plans)")] = None,
            sex: Annotated[Optional[str], typer.Option(help="male or female (JOS-3's body models; heat plans)")] = None,
            db: DbOption = None, as_json: JsonFlag = False) -> None:
        """Add a profile (name or pseudonym)."""
        from ..journal.repository import add_profile
        from ..journal.sites import require_site
        from ..optics.phototypes import normalise_skin_type
        from ..units import parse_length_mm

        skin_type = None if skin_type is None else normalise_skin_type(skin_type)  # I-VI or 1-6, as everywhere
        measurements = None
        for entry in fat or []:
            site, sep, length = entry.partition("=")
            if not sep:
                raise PhotodoseInputError("fat", entry, 'SITE=LENGTH, e.g. knee="8 mm"')
            measurements = measurements or {}
            measurements.setdefault(require_site(site), {})["fat_thickness_mm"] = parse_length_mm(length, "fat")
        answer_data, answered_at = None, None
        if answers is not None:  # the screening's own reader: known question ids, yes/no, not dated in the future
            from datetime import timezone

            from .cmd_safety import journal_answer_fields, read_answers_file

            answer_data, answered_at = journal_answer_fields(read_answers_file(answers, datetime.now(timezone.utc)))
        journal = _open(db)
        from ..journal.body import parse_body

        body = parse_body(height, weight, age, sex)  # checked before the profile is written
        profile = add_profile(journal, name, skin_phototype=skin_type, body_measurements=measurements,
                              contraindication_answers=answer_data, answered_at=answered_at)
        if body:
            from ..journal.body import set_body

            profile = set_body(journal, profile.id, **body)
        emit(_plain(profile), as_json, lambda c, d: c.print(f"profile {d['name']} added (id {d['id']})"))

    @app.command("list")
    def list_(db: DbOption = None, as_json: JsonFlag = False) -> None:
        """List profiles."""
        from rich.table import Table

        from ..journal.repository import list_profiles

        data = {"profiles": [_plain(p) for p in list_profiles(_open(db))]}

        def render(console, d):
            table = Table("id", "name", "skin phototype", "created")
            for p in d["profiles"]:
                table.add_row(str(p["id"]), p["name"], p["skin_phototype"] or "", p["created_at"])
            console.print(table)

        emit(data, as_json, render)

    @app.command("show")
    def show(name: Annotated[Optional[str], typer.Argument()] = None, db: DbOption = None,
             as_json: JsonFlag = False) -> None:
        """Show a profile with its devices in use and stored plans."""
        from ..journal.repository import list_devices, list_plans

        journal = _open(db)
        profile = _profile(journal, name)
        data = {**_plain(profile), "devices": _plain(list_devices(journal, profile.id)),
                "plans": [{"id": p.id, "created_at": p.created_at.isoformat()}
                          for p in list_plans(journal, profile.id)]}
        emit(data, as_json, _render_profile)

    @app.command("delete")
    def delete(name: str, yes: Annotated[bool, typer.Option("--yes", help="Confirm deleting all of its data")] = False,
               db: DbOption = None, as_json: JsonFlag = False) -> None:
        """Delete a profile and ALL its data (sessions, outcomes, plans, devices)."""
        from ..journal.repository import delete_profile

        if not yes:
            raise PhotodoseInputError("yes", False, "pass --yes to delete the profile and all of its data")
        journal = _open(db)
        profile = _profile(journal, name)
        delete_profile(journal, profile.id)
        emit({"deleted": profile.name}, as_json, lambda c, d: c.print(f"deleted profile {d['deleted']} and its data"))

    return app


def _read_json(path: Path, field: str) -> Any:
    from ..inputs import parse_json, read_text

    return parse_json(read_text(path, field), field, str(path))


def _emit_outcome(row, as_json: bool, alerts: list[str] | None = None) -> None:
    def render(c, d):
        what = d["metric_name"] or d["instrument"]
        value = d["total"] if d["total"] is not None else d["metric_value"]
        band = f" ({d['band']})" if d["band"] else ""
        c.print(f"logged {what}: {value}{band} at {d['recorded_at']}", highlight=False)
        for alert in d["alerts"]:
            c.print(f"[bold red]important:[/] {alert}", highlight=False)

    emit({**_plain(row), "alerts": alerts or []}, as_json, render)


def _outcome_app() -> typer.Typer:
    app = typer.Typer(help="Log an outcome: phq9, qids16, hamd17, pain, custom.", no_args_is_help=True)

    def _log_items(instrument: str, items: str, at, notes, profile, db, as_json) -> None:
        from ..journal.repository import log_outcome
        from ..outcomes import score_items

        from ..outcomes import get_instrument

        score = score_items(instrument, _parse_items(items))
        journal = _open(db)
        _emit_outcome(log_outcome(journal, _profile(journal, profile).id, score, recorded_at=_parse_at(at),
                                  notes=notes), as_json, get_instrument(instrument).alerts(score.items))

    def _log_total(instrument: str, total: float, site, at, notes, profile, db, as_json) -> None:
        from ..journal.repository import log_outcome
        from ..outcomes import score_total

        score = score_total(instrument, total)
        journal = _open(db)
        _emit_outcome(log_outcome(journal, _profile(journal, profile).id, score, recorded_at=_parse_at(at),
                                  site=site, notes=notes), as_json)

    items_help = "Comma-separated item scores 0-3"

    @app.command("phq9")
    def phq9(items: Annotated[str, typer.Option("--items", help=items_help + " (9 items)")], at: AtOption = None,
             notes: NotesOption = None, profile: ProfileOption = None, db: DbOption = None,
             as_json: JsonFlag = False) -> None:
        """PHQ-9: 9 items 0-3, total 0-27 with severity band."""
        _log_items("phq9", items, at, notes, profile, db, as_json)

    @app.command("qids16")
    def qids16(items: Annotated[str, typer.Option("--items", help=items_help + " (16 items)")], at: AtOption = None,
               notes: NotesOption = None, profile: ProfileOption = None, db: DbOption = None,
               as_json: JsonFlag = False) -> None:
        """QIDS-SR16: 16 item scores 0-3, scored by the QIDS rule (total 0-27)."""
        _log_items("qids16", items, at, notes, profile, db, as_json)

    @app.command("hamd17")
    def hamd17(total: Annotated[float, typer.Option("--total", help="Clinician total 0-52")], at: AtOption = None,
               notes: NotesOption = None, profile: ProfileOption = None, db: DbOption = None,
               as_json: JsonFlag = False) -> None:
        """HAM-D17 clinician-rated total 0-52."""
        _log_total("hamd17", total, None, at, notes, profile, db, as_json)

    @app.command("bdi2")
    def bdi2(total: Annotated[float, typer.Option("--total", help="Your BDI-II total 0-63 (items are not asked)")],
             at: AtOption = None, notes: NotesOption = None, profile: ProfileOption = None, db: DbOption = None,
             as_json: JsonFlag = False) -> None:
        """BDI-II total 0-63 with the manual's severity band (a licensed instrument: photodose keeps no items)."""
        _log_total("bdi2", total, None, at, notes, profile, db, as_json)

    @app.command("pain")
    def pain(site: Annotated[str, typer.Option("--site")],
             score: Annotated[float, typer.Option("--score", help="0-10")],
             at: AtOption = None, notes: NotesOption = None, profile: ProfileOption = None, db: DbOption = None,
             as_json: JsonFlag = False) -> None:
        """Numeric pain rating 0-10 at a body site."""
        _log_total("pain", score, site, at, notes, profile, db, as_json)

    @app.command("custom")
    def custom(name: str, value: Annotated[Optional[float], typer.Option("--value")] = None,
               unit: Annotated[Optional[str], typer.Option("--unit")] = None,
               file: Annotated[Optional[str], typer.Option("--file", help="e.g. a photo's path")] = None,
               site: Annotated[Optional[str], typer.Option("--site")] = None, at: AtOption = None,
               notes: NotesOption = None, profile: ProfileOption = None, db: DbOption = None,
               as_json: JsonFlag = False) -> None:
        """A free-form metric (e.g. a wrinkle score) and/or a file path (e.g. a photo)."""
        from ..journal.repository import log_custom_metric

        journal = _open(db)
        row = log_custom_metric(journal, _profile(journal, profile).id, name, recorded_at=_parse_at(at), value=value,
                                unit=unit, file_path=file, site=site, notes=notes)
        _emit_outcome(row, as_json)

    return app


def _schedule_text(schedule: dict) -> str:
    """The schedule in one paragraph: each phase's weeks, sessions per week and session length, and its source."""
    phases = schedule.get("phases") or [{"label": "as planned", "weeks": schedule["weeks"], "session_fraction": 1,
                                         "sessions_per_week": schedule["sessions_per_week"]}]
    steps = "; ".join(f"{p['label']}: {p['weeks']} wk x {p['sessions_per_week']}/wk"
                      + (f" at {p['session_fraction']:.0%} length" if p["session_fraction"] != 1 else "")
                      for p in phases)
    label = " (unsourced)" if schedule["unsourced"] else ""
    return (f"schedule {schedule.get('kind', 'steady')}{label}: {steps}; {schedule['total_sessions']} sessions - "
            f"{schedule['source']}")


def _log_app() -> typer.Typer:
    app = typer.Typer(help="Log sessions, plans and outcomes.", no_args_is_help=True)
    from .heat_log import register as register_heat  # ``log heat``: sauna-dome sessions (photodose.hyperthermia)

    register_heat(app, open_journal=_open, find_profile=_profile, parse_at=_parse_at, db_option=DbOption,
                  profile_option=ProfileOption, at_option=AtOption, notes_option=NotesOption)

    @app.command("session")
    def session(site: Annotated[str, typer.Option(
                    "--site", help="Site, or several treated at once: 'face,chest,knee' (one dose per site)")],
                device: Annotated[str, typer.Option("--device", help="Device catalog id")],
                distance: Annotated[str, typer.Option("--distance", help='e.g. "15 cm"; "0 cm" for contact')],
                minutes: Annotated[str, typer.Option("--minutes", help="Actual duration: '20', '20 min' or '1 h'")],
                at: AtOption = None,
                plan: Annotated[Optional[int], typer.Option("--plan", help="Stored plan id (adds target dose)")] = None,
                channels: Annotated[Optional[str], typer.Option(
                    "--channels", help="Comma-separated channel ids")] = None,
                warmth: Annotated[Optional[int], typer.Option("--warmth", help="How warm it felt, 0-10")] = None,
                comfort: Annotated[Optional[str], typer.Option("--comfort", help="How it felt, in words")] = None,
                side_effect: Annotated[Optional[list[str]], typer.Option(
                    "--side-effect", help="EFFECT[:SEVERITY] (repeatable): warmth, redness, swelling, headache, "
                                          "fatigue, irritation or other; mild, moderate or severe")] = None,
                goggles: Annotated[bool, typer.Option("--goggles", help="goggles rated for these wavelengths were "
                                                                        "worn")] = False,
                eye_distance: Annotated[Optional[str], typer.Option(
                    "--eye-distance", help="where your eyes were from the device's face, e.g. '70 cm'")] = None,
                notes: NotesOption = None, profile: ProfileOption = None, db: DbOption = None,
                as_json: JsonFlag = False) -> None:
        """Log a session; the surface dose is computed from the device catalog at the given distance, and the
        session gets the same safety verdict as `photodose plan` and `photodose safety device` give it."""
        from ..units import parse_length_mm, parse_minutes
        from ..usecases.log_session import log_session

        journal = _open(db)
        person = _profile(journal, profile)
        channel_ids = [c.strip() for c in channels.split(",") if c.strip()] if channels else None
        sites = [s.strip() for s in site.split(",") if s.strip()]
        logged = log_session(journal, person.id, site=sites if len(sites) > 1 else site, device_id=device,
                             distance_mm=parse_length_mm(distance, "distance"),
                             duration_s=60.0 * parse_minutes(minutes, "minutes"),
                             start_at=_parse_at(at), plan_id=plan, channels=channel_ids, notes=notes,
                             warmth_0_10=warmth, comfort=comfort, side_effects=side_effect, goggles=goggles,
                             eye_distance_mm=None if eye_distance is None else parse_length_mm(eye_distance,
                                                                                                "eye-distance"))

        def render(c, d):
            target = "" if d["target_fluence_j_cm2"] is None else \
                f", target {d['target_fluence_j_cm2']:.3g} J/cm² at {d['target_depth_mm']} mm"
            c.print(f"logged session {d['id']}: {d['site']} {d['duration_s'] / 60:g} min, "
                    f"{d['surface_irradiance_mw_cm2']:.3g} mW/cm², surface {d['surface_fluence_j_cm2']:.3g} J/cm²"
                    + target, highlight=False)
            for other in d["sessions"][1:]:
                c.print(f"  and {other['site']} (session {other['id']}): surface "
                        f"{other['surface_fluence_j_cm2']:.3g} J/cm²", highlight=False)
            for e in d.get("side_effects") or []:
                c.print(f"side effect: {e['effect']} ({e['severity']})", highlight=False)
            c.print(f"safety {d['safety']['status']}", highlight=False)
            for check in d["safety"]["checks"]:
                if check["status"] != "ok" and not check["name"].startswith("overdose:"):
                    c.print(f"[yellow]safety {check['status']}:[/] {check['label']}: {check['message']}"
                            + (f" Next time: {check['remedy']}" if check.get("remedy") else ""), highlight=False)
            for w in d["overdose_warnings"]:
                c.print(f"[yellow]warning:[/] {w['message']} Next time: {w['remedy']} (bounds: {w['bounds']})",
                        highlight=False)

        emit(_plain(logged.session) | {"overdose_warnings": [w.model_dump() for w in logged.overdose_warnings],
                                       "sessions": _plain(logged.sessions),
                                       "safety": logged.safety.model_dump()}, as_json, render)

    @app.command("plan")
    def plan_(file: Path,
              start: Annotated[Optional[str], typer.Option(
                  "--start", help="Day the course starts, e.g. 2026-11-02 (default: the first session logged "
                                  "with the plan)")] = None,
              schedule: Annotated[str, typer.Option(
                  "--schedule", help="steady (the plan's), ramp-up (shorter sessions first) or daily-then-taper")]
              = "steady",
              profile: ProfileOption = None, db: DbOption = None, as_json: JsonFlag = False) -> None:
        """Store a plan (the JSON printed by `photodose plan ... --json`) so sessions can refer to it."""
        from ..journal.repository import add_plan, typed_plan
        from ..planning.schedule import apply_schedule

        data = _read_json(file, "plan")
        course_start = None
        if start is not None:
            try:
                course_start = datetime.combine(date.fromisoformat(start.strip()), datetime.min.time())
            except ValueError:
                raise PhotodoseInputError("--start", start, "a date like 2026-11-02") from None
        typed = apply_schedule(typed_plan(data), schedule)
        journal = _open(db)
        row = add_plan(journal, _profile(journal, profile).id, typed, course_start=course_start)

        def render(c, d):
            c.print(f"stored plan {d['id']}; log sessions with --plan {d['id']}")
            c.print(_schedule_text(d["schedule"]), highlight=False)

        emit({"id": row.id, "created_at": row.created_at.isoformat(),
              "course_start": None if course_start is None else course_start.date().isoformat(),
              "schedule": typed.schedule.model_dump()}, as_json, render)

    app.add_typer(_outcome_app(), name="outcome")
    return app


def _history(site, profile, db, as_json) -> None:
    from rich.table import Table

    from ..journal.cumulative import cumulative_dose
    from ..journal.repository import list_outcomes, list_sessions

    journal = _open(db)
    person = _profile(journal, profile)
    sessions = list_sessions(journal, person.id, site=site)
    outcomes = [o for o in list_outcomes(journal, person.id) if site is None or o.site == _site(site)]
    sites = sorted({s.site for s in sessions})
    data = {"profile": person.name, "sessions": _plain(sessions), "outcomes": _plain(outcomes),
            "cumulative": {s: _plain(cumulative_dose(journal, person.id, s).course) for s in sites}}

    def render(c, d):
        rows = []
        for s in d["sessions"]:
            target = "" if s["target_fluence_j_cm2"] is None else f"{s['target_fluence_j_cm2']:.3g}"
            effects = ", ".join(f"{e['effect']} ({e['severity']})" for e in s.get("side_effects") or [])
            rows.append((str(s["id"]), s["start_at"][:16].replace("T", " "), s["site"], s["device_id"],
                         f"{s['duration_s'] / 60:g}", f"{s['surface_irradiance_mw_cm2']:.3g}",
                         f"{s['surface_fluence_j_cm2']:.3g}", target, effects))
        print_rows(c, f"sessions of {d['profile']}", ("id", "start", "site", "device", "min", "mW/cm²",
                                                      "J/cm² surface", "J/cm² target", "side effects"),
                   rows, id_columns=("start", "site", "device"))
        if d["outcomes"]:
            scores = Table("recorded", "instrument", "site", "total/value", "band", title="outcomes")
            for o in d["outcomes"]:
                value = o["total"] if o["total"] is not None else o["metric_value"]
                scores.add_row(o["recorded_at"], o["metric_name"] or o["instrument"], o["site"] or "",
                               "" if value is None else f"{value:g}", o["band"] or "")
            c.print(scores)
        else:
            c.print("outcomes: none logged yet (photodose log outcome)", highlight=False)
        for s, total in d["cumulative"].items():
            c.print(f"cumulative at {s}: {total['surface_fluence_j_cm2']:.3g} J/cm² surface over "
                    f"{count_of(total['n_sessions'], 'session')}", highlight=False)

    emit(data, as_json, render)


def _site(site: str) -> str:
    from ..journal.sites import require_site

    return require_site(site)


def _progress(plot, profile, db, as_json) -> None:
    from ..usecases.progress import profile_progress
    from .heat_log import render_heat_progress

    if plot is not None:
        require_output_path("plot", plot, (".png",))
    journal = _open(db)
    progress = profile_progress(journal, _profile(journal, profile))
    data = progress.summary_json() | {"plot": None}
    if plot is not None:
        from ..journal.plots import plot_progress_png

        data["plot"] = str(plot_progress_png(progress.series, plot))

    def render(c, d):
        for ch in d["change_from_baseline"]:
            where = f" ({ch['site']})" if ch["site"] else ""
            pct = "" if ch["percent_change"] is None else f" ({ch['percent_change']:+.0f} %)"
            c.print(f"{ch['instrument']}{where}: {ch['baseline_total']:g} -> {ch['current_total']:g}{pct}; "
                    f"response: {ch['response']}; remission: {ch['remission']}", highlight=False)
        for s, dose in d["dose_by_site"].items():
            c.print(f"{s}: {dose['course']['surface_fluence_j_cm2']:.3g} J/cm² over "
                    f"{count_of(dose['course']['n_sessions'], 'session')}", highlight=False)
            for line in d["side_effects_by_site"].get(s, []):
                c.print(f"  [yellow]side effect[/] {line}", highlight=False)
        if any(d["side_effects_by_site"].values()):
            c.print(f"  ({d['side_effects_note']})", highlight=False)
        for a in d["adherence"]:
            c.print(f"plan {a['plan_id']}: {a['sessions_done']} of {a['sessions_planned_so_far']} planned sessions "
                    f"done, {a['sessions_missed']} missed, streak {a['current_streak_weeks']} weeks; course from "
                    f"{a['course_start']} ({a['course_start_from']})", highlight=False)
            c.print("  weeks: " + "; ".join(f"{w['week_start']} {w['phase']} {w['done']}/{w['planned']} {w['status']}"
                                          for w in a["by_week"]), highlight=False)
            if a["outside_course"]:
                c.print(f"  {a['sessions_outside_course']} session(s) outside the course: "
                        + ", ".join(a["outside_course"]), highlight=False)
        render_heat_progress(c, d["heat"])
        if d["plot"]:
            c.print(f"plot written to {d['plot']}")

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    app.add_typer(_profile_app(), name="profile")
    app.add_typer(_log_app(), name="log")

    @app.command("history")
    def history(site: Annotated[Optional[str], typer.Option("--site")] = None, profile: ProfileOption = None,
                db: DbOption = None, as_json: JsonFlag = False) -> None:
        """Sessions, outcomes and cumulative dose per site."""
        _history(site, profile, db, as_json)

    @app.command("progress")
    def progress(plot: Annotated[Optional[Path], typer.Option("--plot", help="Write a PNG figure")] = None,
                 profile: ProfileOption = None, db: DbOption = None, as_json: JsonFlag = False) -> None:
        """Change from baseline, response and remission, dose per site, adherence; optional PNG plot."""
        _progress(plot, profile, db, as_json)

    @app.command("export")
    def export(file: Path, fmt: Annotated[str, typer.Option(
        "--format", help="json or csv (zip of CSV files)")] = "json",
               profile: ProfileOption = None, db: DbOption = None, as_json: JsonFlag = False) -> None:
        """Export all of a person's data as JSON or as a zip of CSV files."""
        from ..errors import require_choice
        from ..journal.exchange import export_profile, write_export

        fmt = require_choice("format", fmt, ("json", "csv"))
        require_output_path("file", file)
        journal = _open(db)
        data = export_profile(journal, _profile(journal, profile).id)
        write_export(data, file, fmt)
        counts = {k: len(data[k]) for k in ("devices", "plans", "sessions", "outcomes")}
        emit({"file": str(file), "format": fmt, "profile": data["profile"]["name"], "counts": counts}, as_json,
             lambda c, d: c.print(f"exported {d['profile']} to {d['file']} ({d['counts']})", highlight=False))

    @app.command("import")
    def import_(file: Path, rename: Annotated[Optional[str], typer.Option(
        "--as", help="Import under this name")] = None,
                db: DbOption = None, as_json: JsonFlag = False) -> None:
        """Import a person's data exported by `photodose export` (JSON or CSV zip)."""
        from ..journal.exchange import import_profile, read_export

        data = read_export(file)
        profile = import_profile(_open(db), data, rename=rename, source=str(file))
        counts = {k: len(data.get(k, [])) for k in ("devices", "plans", "sessions", "outcomes")}
        emit({"profile": profile.name, "id": profile.id, "counts": counts}, as_json,
             lambda c, d: c.print(f"imported {d['profile']} ({d['counts']})", highlight=False))
