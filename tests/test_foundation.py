"""The shared edges: unit parsing, range errors, CLI error contract."""

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.errors import PhotodoseInputError, require_in_range
from photodose.optics.emission import EmissionSpectrum
from photodose.units import parse_area_mm, parse_irradiance_mw_cm2, parse_length_mm


@pytest.mark.parametrize("text,mm", [("6 in", 152.4), ("15 cm", 150.0), ("150 mm", 150.0), ('6"', 152.4),
                                     ("0.3 m", 300.0)])
def test_lengths_with_units(text, mm):
    assert parse_length_mm(text) == pytest.approx(mm)


@pytest.mark.parametrize("bad", ["abc", "-3 cm", "15 kg", "15"])
def test_bad_lengths_name_field_and_value(bad):
    with pytest.raises(PhotodoseInputError) as info:
        parse_length_mm(bad, "distance")
    assert "distance" in str(info.value) and bad in str(info.value)


def test_irradiance_and_area():
    assert parse_irradiance_mw_cm2("62 mW/cm2") == pytest.approx(62.0)
    assert parse_irradiance_mw_cm2("620 W/m2") == pytest.approx(62.0)
    assert parse_area_mm("20 cm x 30 cm") == pytest.approx((200.0, 300.0))


def test_range_error_names_range():
    with pytest.raises(PhotodoseInputError, match=r"\[400, 1400\]"):
        require_in_range("wavelength_nm", 1500, 400, 1400)


def test_gaussian_samples_conserve_weight_and_mean():
    nm, w = EmissionSpectrum.gaussian(850, 30).samples(7)
    assert w.sum() == pytest.approx(1.0)
    assert (nm * w).sum() == pytest.approx(850.0)
    # variance of the quadrature equals sigma^2 of the Gaussian (exact for degree-2 polynomials)
    sigma = 30 / 2.3548200450309493
    assert ((nm - 850) ** 2 * w).sum() == pytest.approx(sigma**2, rel=1e-9)


def test_cli_lists_commands():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0


@pytest.mark.parametrize("bad", ["nan cm", "inf mm", "1e9 km", "11 m"])
def test_non_finite_or_huge_lengths_are_refused(bad):
    with pytest.raises(PhotodoseInputError, match="distance"):
        parse_length_mm(bad, "distance")


@pytest.mark.parametrize("bad", ["nan mW/cm2", "1e12 mW/cm2"])
def test_non_finite_or_huge_irradiance_is_refused(bad):
    with pytest.raises(PhotodoseInputError, match="reading"):
        parse_irradiance_mw_cm2(bad, "reading")


def test_infinite_number_is_not_in_an_open_range():
    with pytest.raises(PhotodoseInputError, match="finite"):
        require_in_range("value", float("inf"))


def _run_main(argv, capsys):
    from photodose.cli import main

    with pytest.raises(SystemExit) as info:
        main(argv)
    return info.value.code, capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["irradiance", "generic-panel-660-850", "--curve", "1 cm..60 cm", "--plot", "{missing}/c.png"],
    ["irradiance", "generic-panel-660-850", "--curve", "1 cm..60 cm", "--plot", "{tmp}/c.txt"],
    ["plan", "--device", "generic-panel-660-850", "--site", "knee", "--condition", "knee-osteoarthritis",
     "--report", "{tmp}/r.pdf"],
    ["mc", "tests/data/sample.mci", "--photons", "100", "--out", "{missing}/x.mco"],
])
def test_unwritable_output_is_one_line_exit_2_and_writes_nothing(argv, tmp_path, capsys):
    argv = [a.format(missing=tmp_path / "missing", tmp=tmp_path) for a in argv]
    code, err = _run_main(argv, capsys)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_os_error_becomes_one_line_exit_2(monkeypatch, capsys):
    import photodose.cli as cli

    def fail(**_):
        raise PermissionError(13, "Permission denied", "/root/x.png")

    monkeypatch.setattr(cli, "app", fail)
    code, err = _run_main(["irradiance"], capsys)
    assert code == 2
    assert err.strip() == "error: cannot use /root/x.png: Permission denied"


def test_input_error_survives_pickling():
    import pickle

    err = pickle.loads(pickle.dumps(PhotodoseInputError("photons", -5, "at least 1", "run.mci: line 3")))
    assert (err.field, err.value, err.allowed, err.source) == ("photons", -5, "at least 1", "run.mci: line 3")
    assert str(err) == "run.mci: line 3: photons=-5 is not allowed; at least 1"


# photodose safety screen (cmd_safety.py): tests/test_safety_* belongs to the safety engineers.
@pytest.mark.parametrize("answers,extra,match", [
    ("answered_at: 2099-01-01T00:00:00\nanswers: {cancer: no}\n", [], "answered_at.*future"),
    ("answers: {cancer: no}\n", ["--site", "mars"], "site='mars'"),
])
def test_screening_refuses_future_answers_and_unknown_sites(tmp_path, capsys, answers, extra, match):
    import re

    path = tmp_path / "answers.yaml"
    path.write_text(answers)
    code, err = _run_main(["safety", "screen", "--answers", str(path), "--save", str(tmp_path / "saved.json"),
                           *extra], capsys)
    assert code == 2 and re.search(match, err) and not (tmp_path / "saved.json").exists()


def test_help_groups_commands_along_the_data_flow():
    from photodose.cli import HELP_PANELS

    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    text = result.output
    positions = [text.index(panel) for panel in ("Start here", "Tissue and light transport", "Devices", "Journal")]
    assert positions == sorted(positions)
    # every registered command sits in a panel
    registered = {info.name for info in [*app.registered_commands, *app.registered_groups]}
    assert registered <= {name for names in HELP_PANELS.values() for name in names}
