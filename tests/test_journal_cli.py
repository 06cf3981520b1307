"""The journal's command line contract, on a real SQLite file (PHOTODOSE_DB / --db)."""

import json
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from photodose.cli import main
from plan_json import journal_plan


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A fresh journal file; the device catalog answers 40 mW/cm2 at any distance for device 'flat-40'."""
    import photodose.journal.dosing as dosing
    from photodose.errors import PhotodoseInputError

    def irradiance(device_id, distance_mm, channels=None):
        if device_id != "flat-40":
            raise PhotodoseInputError("device", device_id, "one of: flat-40")
        return 40.0

    monkeypatch.setattr(dosing, "device_irradiance_mw_cm2", irradiance)
    # the safety verdict of a logged session needs a device model: flat-40 is the generic pad under another id
    from photodose.devices.catalog import CATALOG_DIR

    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path))
    (tmp_path / "devices").mkdir()
    pad = (CATALOG_DIR / "generic-pad-660-850.yaml").read_text(encoding="utf-8")
    (tmp_path / "devices" / "flat-40.yaml").write_text(pad.replace("id: generic-pad-660-850", "id: flat-40"),
                                                       encoding="utf-8")
    path = tmp_path / "cli.sqlite"
    monkeypatch.setenv("PHOTODOSE_DB", str(path))
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return info.value.code, out, err


def run_json(capsys, *args):
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_profile_log_history_progress_flow(db, capsys, tmp_path):
    added = run_json(capsys, "profile", "add", "ann", "--skin-type", "iii", "--fat", "knee=8 mm")
    assert added["skin_phototype"] == "III" and added["body_measurements"] == {"knee": {"fat_thickness_mm": 8.0}}
    session = run_json(capsys, "log", "session", "--site", "knee", "--device", "flat-40", "--distance", "15 cm",
                       "--minutes", "12", "--at", "2026-11-02 08:00", "--warmth", "3")
    assert session["surface_fluence_j_cm2"] == pytest.approx(40 * 720 / 1000)  # pbm_facts.md section 1
    assert (session["distance_mm"], session["duration_s"], session["target_fluence_j_cm2"]) == (150.0, 720.0, None)
    phq = run_json(capsys, "log", "outcome", "phq9", "--items", "2,3,2,2,2,2,1,1,1", "--at", "2026-11-01 09:00")
    assert (phq["total"], phq["band"]) == (16, "moderately severe")
    run_json(capsys, "log", "outcome", "phq9", "--items", "1,1,1,1,0,0,0,0,0", "--at", "2026-11-15 09:00")
    qids = run_json(capsys, "log", "outcome", "qids16", "--items", ",".join(["1"] * 16), "--at", "2026-11-01 09:00")
    assert qids["total"] == 1 + 1 + 1 + 5 + 1
    assert run_json(capsys, "log", "outcome", "hamd17", "--total", "23", "--at", "2026-11-01")["band"] == "very severe"
    pain = run_json(capsys, "log", "outcome", "pain", "--site", "knee", "--score", "6", "--at", "2026-11-01")
    assert (pain["total"], pain["site"]) == (6, "knee")
    custom = run_json(capsys, "log", "outcome", "custom", "wrinkle score", "--value", "3.5", "--unit", "points",
                      "--file", "/photos/a.jpg", "--at", "2026-11-01")
    assert (custom["metric_name"], custom["metric_value"], custom["file_path"]) == (
        "wrinkle score", 3.5, "/photos/a.jpg")

    history = run_json(capsys, "history", "--site", "knee")
    assert set(history) == {"profile", "sessions", "outcomes", "cumulative"}
    assert [o["instrument"] for o in history["outcomes"]] == ["pain"]
    assert history["cumulative"]["knee"]["surface_fluence_j_cm2"] == pytest.approx(28.8)

    plot = tmp_path / "progress.png"
    progress = run_json(capsys, "progress", "--plot", str(plot))
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    phq9 = next(c for c in progress["change_from_baseline"] if c["instrument"] == "phq9")
    assert (phq9["baseline_total"], phq9["current_total"], phq9["response"], phq9["remission"]) == (16, 4, True, True)
    assert progress["dose_by_site"]["knee"]["course"]["n_sessions"] == 1


def test_log_session_from_plan_stores_target_dose(db, capsys, tmp_path):
    run_json(capsys, "profile", "add", "ann")
    plan_file = tmp_path / "plan.json"
    plan = journal_plan(irradiance_mw_cm2=40.0, target_depth_mm=12.0, target_fluence_j_cm2=2.4, weeks=2)
    plan_file.write_text(plan.model_copy(update={"device": "flat-40"}).model_dump_json())
    plan_id = run_json(capsys, "log", "plan", str(plan_file))["id"]
    session = run_json(capsys, "log", "session", "--site", "knee", "--device", "flat-40", "--distance", "15 cm",
                       "--minutes", "5", "--plan", str(plan_id), "--at", "2026-11-02 08:00")
    assert (session["target_depth_mm"], session["planned_seconds"]) == (12.0, 600)
    assert session["target_fluence_j_cm2"] == pytest.approx(1.2)  # half the planned time -> half the target dose
    progress = run_json(capsys, "progress")
    assert progress["adherence"][0]["plan_id"] == plan_id


@pytest.mark.parametrize("args,needle", [
    (["log", "session", "--site", "knee", "--device", "flat-40", "--distance", "15 cm", "--minutes", "12",
      "--at", (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")], "future"),
    (["log", "session", "--site", "elbow-of-mars", "--device", "flat-40", "--distance", "15 cm", "--minutes", "12"],
     "site"),
    (["log", "session", "--site", "knee", "--device", "nope", "--distance", "15 cm", "--minutes", "12"], "device"),
    (["log", "session", "--site", "knee", "--device", "flat-40", "--distance", "-3 cm", "--minutes", "12"], "distance"),
    (["log", "outcome", "phq9", "--items", "1,2,0"], "exactly 9"),
    (["log", "outcome", "phq9", "--items", "1,2,0,1,1,0,2,1,4"], "item 9"),
    (["log", "outcome", "pain", "--site", "knee", "--score", "11"], "pain total"),
    (["log", "outcome", "hamd17", "--total", "60"], "hamd17 total"),
    (["log", "session", "--site", "knee", "--device", "flat-40", "--distance", "nan cm", "--minutes", "12"],
     "distance"),
    (["log", "outcome", "custom", "wrinkles", "--value", "inf"], "value"),
    (["log", "outcome", "pain", "--site", "knee", "--score", "3", "--at", "1900-01-01 08:00"], "before 1960"),
])
def test_refusals_exit_2_and_write_nothing(db, capsys, args, needle):
    run_json(capsys, "profile", "add", "ann")
    before = run_json(capsys, "history")
    code, out, err = run(capsys, *args)
    assert code == 2 and needle in err and "Traceback" not in err
    assert run_json(capsys, "history") == before


def test_several_profiles_need_profile_option(db, capsys):
    run_json(capsys, "profile", "add", "ann")
    run_json(capsys, "profile", "add", "bob")
    code, _, err = run(capsys, "log", "outcome", "pain", "--site", "knee", "--score", "3")
    assert code == 2 and "--profile" in err
    logged = run_json(capsys, "log", "outcome", "pain", "--site", "knee", "--score", "3", "--profile", "bob")
    assert logged["total"] == 3
    assert [p["name"] for p in run_json(capsys, "profile", "list")["profiles"]] == ["ann", "bob"]
    assert run_json(capsys, "profile", "show", "bob")["name"] == "bob"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_and_delete(db, capsys, tmp_path, fmt):
    run_json(capsys, "profile", "add", "ann")
    run_json(capsys, "log", "session", "--site", "knee", "--device", "flat-40", "--distance", "10 cm",
             "--minutes", "10", "--at", "2026-11-02 08:00", "--notes", 'a, "quoted"\nnote')
    run_json(capsys, "log", "outcome", "pain", "--site", "knee", "--score", "5", "--at", "2026-11-02 09:00")
    out_file = tmp_path / f"ann.{fmt}"
    exported = run_json(capsys, "export", "--format", fmt, str(out_file))
    assert exported["counts"] == {"devices": 1, "plans": 0, "sessions": 1, "outcomes": 1}
    code, _, err = run(capsys, "import", str(out_file))
    assert code == 2 and "--as" in err
    other = tmp_path / "other.sqlite"
    imported = run_json(capsys, "import", str(out_file), "--db", str(other))
    assert imported["counts"] == exported["counts"]
    original = run_json(capsys, "history")
    copy = run_json(capsys, "history", "--db", str(other))
    assert copy == original
    run_json(capsys, "profile", "delete", "ann", "--yes")
    assert run_json(capsys, "profile", "list")["profiles"] == []


@pytest.mark.slow  # a real process (a few seconds); CI runs it, `pytest -m "not slow"` skips it
def test_cli_error_is_one_line_in_a_real_process(db):
    result = subprocess.run([sys.executable, "-m", "photodose", "log", "outcome", "phq9", "--items", "1,2"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "exactly 9" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_phq9_item_9_alert_reaches_the_person(db, capsys):
    run_json(capsys, "profile", "add", "bo")
    logged = run_json(capsys, "log", "outcome", "phq9", "--items", "0,0,0,0,0,0,0,0,1", "--at", "2026-11-01 09:00")
    assert logged["band"] == "minimal" and len(logged["alerts"]) == 1 and "item 9" in logged["alerts"][0]
    quiet = run_json(capsys, "log", "outcome", "phq9", "--items", "3,3,3,3,3,3,3,3,0", "--at", "2026-11-02 09:00")
    assert quiet["alerts"] == []


@pytest.mark.parametrize("text,needle", [('{"foo": 1}', "question ids"), ("[1, 2]", "mapping"),
                                         ("answered_at: 2099-01-01T00:00:00\nanswers: {cancer: no}\n", "future")])
def test_profile_answers_are_checked_like_the_screening(db, capsys, tmp_path, text, needle):
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    code, _, err = run(capsys, "profile", "add", "ann", "--answers", str(path))
    assert code == 2 and needle in err
    assert run_json(capsys, "profile", "list")["profiles"] == []


def test_profile_keeps_the_date_the_answers_were_given(db, capsys, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("answered_at: 2026-01-05T10:00:00\nanswers: {cancer: no, epilepsy: yes}\n")
    added = run_json(capsys, "profile", "add", "ann", "--answers", str(path))
    assert added["contraindication_answers"]["answers"] == {"cancer": False, "epilepsy": True}
    assert added["contraindications_answered_at"].startswith("2026-01-05")


def test_profile_show_reads_as_a_record_not_python_dicts(db, capsys, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("answers: {cancer: yes, epilepsy: no}\n")
    run_json(capsys, "profile", "add", "ann", "--fat", "knee=8 mm", "--answers", str(path))
    code, out, _ = run(capsys, "profile", "show", "ann")
    assert code == 0 and "knee 8 mm" in out and "yes to: cancer" in out and "{" not in out


def _refused_plan() -> dict:
    plan = journal_plan().model_dump(mode="json")
    return plan | {"status": "refused", "session_seconds": None}


@pytest.mark.parametrize("plan,needle", [({"foo": 1}, "plan.status"),
                                         ({"session_seconds": None, "distance_mm": 150.0, "site": "knee",
                                           "surface": {}, "target": {}, "schedule": {}, "status": "refused"},
                                          "plan.device"),
                                         (_refused_plan(), "refused plan")])
def test_log_plan_refuses_junk_and_refused_plans(db, capsys, tmp_path, plan, needle):
    run_json(capsys, "profile", "add", "ann")
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    code, _, err = run(capsys, "log", "plan", str(path))
    assert code == 2 and needle in err
    assert run_json(capsys, "profile", "show", "ann")["plans"] == []


def test_history_on_a_narrow_terminal_never_splits_a_device_id(tmp_path):
    """At 80 columns the sessions are one line each, with the device id whole (the table folded it to
    "mitored-mitopro-" / "1500-plus")."""
    from typer.testing import CliRunner

    from photodose.cli import app

    db = str(tmp_path / "j.db")
    runner = CliRunner()
    assert runner.invoke(app, ["profile", "add", "Ana", "--db", db]).exit_code == 0
    logged = runner.invoke(app, ["log", "session", "--site", "lower_back", "--device", "mitored-mitopro-1500-plus",
                                 "--distance", "6 in", "--minutes", "5", "--db", db])
    assert logged.exit_code == 0, logged.output
    for width in ("80", "130"):
        out = runner.invoke(app, ["history", "--db", db], env={"COLUMNS": width})
        assert out.exit_code == 0 and "mitored-mitopro-1500-plus" in out.stdout and "…" not in out.stdout


def test_names_and_notes_with_brackets_are_printed_whole(tmp_path):
    """Rich reads "[test]" as a style tag: a profile called "Ana [test]" was printed "Ana " (data lost on screen).
    Every string a command prints from its data is escaped first (``cli._output.emit``)."""
    from typer.testing import CliRunner

    from photodose.cli import app

    db = str(tmp_path / "j.db")
    runner = CliRunner()
    added = runner.invoke(app, ["profile", "add", "Ana [test]", "--db", db])
    assert added.exit_code == 0 and "Ana [test]" in added.output
    assert "Ana [test]" in runner.invoke(app, ["profile", "list", "--db", db], env={"COLUMNS": "120"}).output
    assert "sessions of Ana [test]" in runner.invoke(app, ["history", "--db", db]).output


def test_a_device_name_with_brackets_is_printed_whole_in_a_plan(tmp_path, monkeypatch):
    """The plan's summary rows (device model: the device's name) were printed without escaping: "Panel [v2]"
    showed as "Panel "."""
    from typer.testing import CliRunner

    from photodose.cli import app

    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path))
    runner = CliRunner()
    mine = tmp_path / "mine.yaml"
    assert runner.invoke(app, ["device", "template", "--from", "joovv-solo-3", "-o", str(mine)]).exit_code == 0
    mine.write_text(mine.read_text().replace("name: My Joovv Solo 3.0", "name: Panel [v2]"))
    assert runner.invoke(app, ["device", "add", str(mine)]).exit_code == 0
    out = runner.invoke(app, ["plan", "--device", "my-joovv-solo-3", "--condition", "knee-osteoarthritis"],
                        env={"COLUMNS": "200"}).output
    assert "Panel [v2]" in out
