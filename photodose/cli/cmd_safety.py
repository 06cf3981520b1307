"""``photodose safety device`` (eye and skin checks of a device at a distance) and ``photodose safety screen``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import PhotodoseInputError
from ._output import JsonFlag, emit, require_output_path

safety_app = typer.Typer(help="Safety: eye and skin exposure limits of a device, contraindication screening.",
                         no_args_is_help=True)

_STYLE = {"ok": "green", "caution": "yellow", "fail": "bold red", "refused": "bold red"}


def _fmt(value) -> str:
    if value is None:
        return ""
    return "no limit" if value == float("inf") else f"{value:.4g}"


def _render_checks(console, checks: list[dict], title: str) -> None:
    console.print(f"[bold]{title}[/]")
    for c in checks:
        numbers = ""
        if c.get("value") is not None and c.get("limit") is not None:
            numbers = f" ({_fmt(c['value'])} vs limit {_fmt(c['limit'])} {c.get('unit') or ''})"
        console.print(f"[{_STYLE[c['status']]}]{c['status']:>7}[/]  {c['label']}{numbers}", highlight=False)
        console.print(f"         {c['message']}", highlight=False)
        if c.get("remedy"):
            console.print(f"         [bold]remedy:[/] {c['remedy']}", highlight=False)
        console.print(f"         source: {c.get('source') or 'unsourced'}", style="dim", highlight=False)


def _render_device(console, data: dict) -> None:
    from ..units import format_length

    at = format_length(data["distance_mm"], data["_unit"])   # in the unit typed
    _render_checks(console, data["checks"], f"{data['device']} on the {data['site']} at {at} for "
                                            f"{data['session_seconds'] / 60:g} min")
    if data.get("site_note"):
        console.print(data["site_note"], style="dim", highlight=False)
    console.print(f"eye: {data['eye']['assumption']}", highlight=False)
    allowed = data["unprotected_viewing_allowed_s"]
    from ..safety.checks import hazard_label

    hazards = ", ".join(f"{hazard_label(h)} {g}" for h, g in (data.get("risk_groups") or {}).items())
    console.print(f"status: [{_STYLE[data['status']]}]{data['status']}[/]   IEC 62471 risk group at "
                  f"{at}: {data['risk_group'] or 'n/a'}"
                  + (f" (eye hazards assessed: {hazards}; UV hazards only flagged)" if hazards else ""),
                  highlight=False)
    if data.get("risk_group_at_reference_distance"):
        console.print(f"risk group at the standard's {data['reference_distance_mm']:g} mm: "
                      f"{data['risk_group_at_reference_distance']}", highlight=False)
    console.print(f"goggles required: {'yes' if data['goggles_required'] else 'no'}; unprotected viewing safe for: "
                  + ("no limit" if allowed is None or allowed == float("inf") else f"{allowed:.0f} s"))


def _render_screen(console, data: dict) -> None:
    _render_checks(console, data["checks"], f"Screening for site '{data['site']}'")
    console.print(f"status: [{_STYLE[data['status']]}]{data['status']}[/]  (source: {data['source']})")


def read_answers_file(path: Path, now):
    """A YAML/JSON file: either {answered_at, answers: {id: yes/no}} or a plain {id: yes/no} mapping."""
    from ..inputs import load_document, require_mapping
    from ..safety.screening import ScreeningAnswers, load_questionnaire

    doc = require_mapping(load_document(path, "answers", max_bytes=100_000), "answers", str(path),
                          "question id to yes/no")
    raw = require_mapping(doc.get("answers", doc), "answers", str(path), "question id to yes/no")
    ids = load_questionnaire().ids()
    answers = {}
    for key, value in raw.items():
        if key not in ids:
            raise PhotodoseInputError("answers", key, "question ids: " + ", ".join(ids), str(path))
        if isinstance(value, str) and value.strip().lower() in ("yes", "no", "y", "n", "true", "false"):
            value = value.strip().lower() in ("yes", "y", "true")
        if not isinstance(value, bool):
            raise PhotodoseInputError(f"answers.{key}", value, "yes or no", str(path))
        answers[key] = value
    from pydantic import ValidationError

    try:
        given = ScreeningAnswers(answered_at=doc.get("answered_at", now), answers=answers)
    except ValidationError:
        raise PhotodoseInputError("answered_at", doc.get("answered_at"), "a date and time, e.g. 2026-11-20T08:00:00",
                                  str(path)) from None
    from datetime import timedelta

    from ..safety._time import as_utc

    if as_utc(given.answered_at) > as_utc(now) + timedelta(minutes=1):
        raise PhotodoseInputError("answered_at", given.answered_at.isoformat(),
                                  f"must not be in the future (now {now:%Y-%m-%d %H:%M} UTC)", str(path))
    return given


def register(app: typer.Typer) -> None:
    app.add_typer(safety_app, name="safety")


@safety_app.command("device")
def device_command(
    device: Annotated[str, typer.Argument(help="Device id from the catalog, or a device file.")],
    distance: Annotated[str, typer.Option(help="Distance from the device, with units, e.g. '15 cm'.")],
    minutes: Annotated[str, typer.Option(help="Session length: '20', '20 min' or '1 h'.")] = "20",
    site: Annotated[Optional[str], typer.Option(
        help="Body site treated (face, forehead, knee ...). Default: face for masks, forehead for headsets, "
             "else thigh (a stated default). Head sites and head-worn devices put the eye in the beam.")] = None,
    eye_distance: Annotated[Optional[str], typer.Option(
        "--eye-distance", help="Where the eye is, from the device's face, e.g. '80 cm' (default: in the beam for "
                               "head sites, else 60 cm, 45° off axis: a photodose assumption).")] = None,
    channels: Annotated[Optional[list[str]], typer.Option(
        "--channel", help="Channel id or wavelength to use (repeat; default: all enabled).")] = None,
    skin_type: Annotated[Optional[str], typer.Option(
        "--skin-type", help="Fitzpatrick phototype I-VI (heating; default: the profile's, else III).")] = None,
    condition: Annotated[Optional[str], typer.Option(
        help="Protocol id: its overdose bounds join the checks (as in 'photodose plan'); without it photodose's "
             "default bounds (as 'photodose log session' without a plan).")] = None,
    goggles: Annotated[bool, typer.Option("--goggles/--no-goggles", help="Goggles rated for the wavelengths.")] = False,
    at: Annotated[Optional[str], typer.Option(
        "--at", help='When the session starts, local time, e.g. "2026-11-20 08:00" (default now): the overdose '
                     "checks compare it with the profile's earlier sessions.")] = None,
    profile: Annotated[Optional[str], typer.Option(
        "--profile", help="Journal profile: its phototype, measured fat, screening answers and earlier sessions at "
                          "the site (as 'photodose plan --profile').")] = None,
    db: Annotated[Optional[str], typer.Option("--db", envvar="PHOTODOSE_DB",
                                              help="Journal database URL or file.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Safety verdict for one session of DEVICE: eye (where the eye is), skin, heating and screening checks.

    The same verdict as 'photodose plan' and 'photodose log session' for the same session (one function:
    planning.safety_link.session_safety). The IEC 62471 risk group is given at the use distance and at the
    standard's 200 mm.
    """
    from ..devices.catalog import load_device
    from ..optics.phototypes import normalise_skin_type
    from ..planning.safety_link import default_site, overdose_bounds, session_safety
    from ..dosimetry.session_dose import TissueModel
    from ..dosimetry.surface import choose_channels
    from ..safety.context import MAX_SESSION_S
    from ..safety.eye_checks import risk_group, risk_groups_by_hazard
    from ..safety.from_device import classification_channels, device_context_fields
    from ..safety.gate import SafetyContext
    from ..safety.risk_group import reference_distance_mm
    from ..units import parse_length_mm, parse_minutes

    distance_mm = parse_length_mm(distance, "distance")
    eye_mm = parse_length_mm(eye_distance, "eye-distance", allow_zero=False) if eye_distance is not None else None
    seconds = parse_minutes(minutes, "minutes", high=MAX_SESSION_S / 60) * 60.0
    model = load_device(device)
    chosen = choose_channels(model, channels)
    site_given = site is not None
    if site is not None:
        from ..journal.sites import require_site

        site = require_site(site)
    else:
        site = default_site(model.kind)
    person, thickness_mm = {}, None
    if profile is not None:
        from ..journal import open_journal
        from ..journal.repository import get_profile
        from ..usecases.person import person_plan_inputs

        journal = open_journal(db)
        inputs = person_plan_inputs(journal, get_profile(journal, profile), site)
        person, thickness_mm = dict(inputs["safety"]), inputs["thickness_mm"]
        skin_type = skin_type or inputs["skin_type"]
    if at is not None:
        from .cmd_journal import _parse_at

        person["planned_start"] = _parse_at(at)
    person["bounds"] = overdose_bounds(condition)  # None: photodose's defaults, as log session without a plan
    verdict = session_safety(model, site=site, distance_mm=distance_mm, session_seconds=seconds, channels=chosen,
                             tissue=TissueModel(site, normalise_skin_type(skin_type or "III"), thickness_mm),
                             eye_distance_mm=eye_mm,
                             goggles=goggles, person=person)
    reference_mm = reference_distance_mm()
    reference = SafetyContext(**device_context_fields(model, reference_mm), session_seconds=seconds,
                              classification_channels=classification_channels(model, chosen, reference_mm))
    data = {"device": model.id, "site": site, "profile": profile,
            "site_note": None if site_given else "site not given: the device kind's usual site, else the thigh "
                                                 "(photodose assumption (unsourced))",
            "distance_mm": distance_mm, "session_seconds": seconds, "goggles": goggles,
            "eye": verdict.eye.model_dump(), **verdict.doc(), "reference_distance_mm": reference_mm,
            "risk_group_at_reference_distance": risk_group(reference),
            "risk_groups_at_reference_distance": risk_groups_by_hazard(reference)}
    from ..units import length_unit_typed

    emit(data, as_json, lambda c, d: _render_device(c, {**d, "_unit": length_unit_typed(distance)}))


def journal_answer_fields(given) -> tuple[dict, datetime]:
    """Screening answers as the journal stores them: (answers as JSON-ready dict, answered_at in local time)."""
    import json

    return json.loads(given.to_json()), given.answered_at_local()


@safety_app.command("screen")
def screen_command(
    answers: Annotated[Optional[Path], typer.Option(
        "--answers", help="YAML/JSON file of answers (else asked).")] = None,
    site: Annotated[str, typer.Option(help="Body site to treat, e.g. knee, forehead, face.")] = "unspecified",
    transcranial: Annotated[bool, typer.Option("--transcranial", help="Transcranial use.")] = False,
    pulsed_visible: Annotated[bool, typer.Option("--pulsed-visible", help="Pulsed (flashing) visible light.")] = False,
    heat: Annotated[bool, typer.Option(
        "--heat", help="The heat questions, for whole-body hyperthermia in a sauna dome (heart and circulation, "
                       "pregnancy, heat intolerance, medicines, alcohol), instead of the light questions.")] = False,
    save: Annotated[Optional[Path], typer.Option("--save", help="Write the answers as JSON (for the journal).")] = None,
    profile: Annotated[Optional[str], typer.Option(
        "--profile",
        help="Store the answers (and their date) with this journal profile; plans for it use them. Its answers to "
             "the questions not asked this time are kept.")] = None,
    db: Annotated[Optional[str], typer.Option(
        "--db", envvar="PHOTODOSE_DB", help="Journal database URL or file.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Contraindication screening: ask the questions (or read --answers) and print each answer's verdict."""
    from datetime import timezone

    from ..safety.checks import overall_status
    from ..safety.screening import (HEAT_SITE, ScreeningAnswers, evaluate_heat_screening, evaluate_screening,
                                    load_questionnaire)

    if save is not None:
        require_output_path("save", save, (".json",))
    if heat and (site.strip().lower() != "unspecified" or transcranial or pulsed_visible):
        raise PhotodoseInputError("heat", "with --site/--transcranial/--pulsed-visible",
                                  "--heat alone: the heat questions are for the whole body in a sauna dome")
    if site.strip().lower() != "unspecified":
        from ..journal.sites import require_site

        site = require_site(site)
    now = datetime.now(timezone.utc)
    questionnaire = load_questionnaire()
    asked = questionnaire.heat_questions if heat else questionnaire.questions
    if answers is not None:
        given = read_answers_file(answers, now)
    else:
        if heat and not as_json:
            typer.echo("Heat screening for whole-body hyperthermia (a sauna dome): answer y or n.")
        given = ScreeningAnswers(answered_at=now, questionnaire_version=questionnaire.version,
                                 answers={q.id: typer.confirm(q.text, default=False) for q in asked})
    if save is not None:
        save.write_text(given.to_json() + "\n", encoding="utf-8")
    if profile is not None:
        given = _store_with_profile(given, profile, db)
    checks = (evaluate_heat_screening(given.answers, questionnaire) if heat else
              evaluate_screening(given, site.strip().lower(), transcranial, pulsed_visible, questionnaire))
    data = {"site": HEAT_SITE if heat else site, "heat": heat, "transcranial": transcranial,
            "pulsed_visible": pulsed_visible, "answered_at": given.answered_at.isoformat(), "answers": given.answers,
            "status": overall_status(checks),
            "source": "each heat question names its own source (above)" if heat else questionnaire.source,
            "checks": [c.model_dump() for c in checks], "profile": profile}
    emit(data, as_json, _render_screen)


def _store_with_profile(given, profile: str, db: str | None):
    """Store ``given`` with the journal profile, keeping its answers to the questions not asked this time
    (safety.screening.merge_answers); returns what was stored."""
    from ..journal import open_journal
    from ..journal.repository import get_profile, set_contraindication_answers
    from ..safety.screening import ScreeningAnswers, merge_answers

    journal = open_journal(db)
    row = get_profile(journal, profile)
    stored = row.contraindication_answers
    merged = merge_answers(ScreeningAnswers.model_validate(stored) if stored else None, given)
    set_contraindication_answers(journal, row.id, *journal_answer_fields(merged))
    return merged
