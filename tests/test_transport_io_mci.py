"""MCML .mci reader: the sample fixture (two runs, comments), cm -> mm, and refusal of malformed lines."""

from pathlib import Path

import pytest

from photodose.errors import PhotodoseInputError
from photodose.transport.mci import parse_mci, read_mci

SAMPLE = Path(__file__).parent / "data" / "sample.mci"


def test_sample_has_both_runs_with_values_converted_to_mm():
    slab, skin = read_mci(SAMPLE)
    assert slab.output_file == "vdhulst.mco" and skin.output_file == "skin850.mco"
    assert (slab.photons, skin.photons) == (1_000_000, 500_000)
    layer = slab.stack.layers[0]
    assert (layer.n, layer.mua_per_cm, layer.mus_per_cm, layer.g) == (1.0, 10.0, 90.0, 0.75)
    assert layer.thickness_mm == pytest.approx(0.2)          # 0.02 cm
    assert slab.grid.dz_mm == pytest.approx(0.01) and slab.grid.dr_mm == pytest.approx(0.1)
    assert (slab.grid.nz, slab.grid.nr, slab.grid.na) == (20, 50, 30)
    assert [l.name for l in skin.stack.layers] == ["epidermis", "dermis", "subcutaneous fat"]
    assert [l.thickness_mm for l in skin.stack.layers] == pytest.approx([0.1, 2.0, 10.0])
    assert skin.stack.layers[2].n == 1.44 and skin.stack.n_above == 1.0 and skin.stack.n_below == 1.0


def _sample_lines() -> list[str]:
    return SAMPLE.read_text().splitlines()


def _line_index(lines: list[str], startswith: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(startswith))


@pytest.mark.parametrize("original, replacement, field", [
    ("1.4     0.4     200", "1.4     -1      200     0.9     0.2", "mua"),
    ("1.4     0.4     200", "1.4     0.4     -5      0.9     0.2", "mus"),
    ("1.4     0.4     200", "1.4     0.4     200     1.0     0.2", "g"),
    ("1.4     0.4     200", "1.4     0.4     200     -1.2    0.2", "g"),
    ("1.4     0.4     200", "0.9     0.4     200     0.9     0.2", "n"),
    ("1.4     0.4     200", "1.4     0.4     200     0.9     0", "d"),
    ("1.4     0.4     200", "1.4     0.4     abc     0.9     0.2", "mus"),
    ("1.4     0.4     200", "1.4     0.4     200     0.9", "n mua mus g d"),
    ("3                           # number of layers", "0   # no layers", "number of layers"),
    ("500000", "-20", "photons"),
    ("0.005   0.01", "0.005", "dz dr"),
    ("242     100    30", "242 100 0", "na"),
])
def test_malformed_line_is_refused_with_file_line_and_field(tmp_path, original, replacement, field):
    lines = _sample_lines()
    index = _line_index(lines, original)
    lines[index] = replacement
    path = tmp_path / "bad.mci"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(PhotodoseInputError) as info:
        read_mci(path)
    assert info.value.field == field
    assert info.value.source == f"bad.mci: line {index + 1}"
    assert str(info.value).startswith(f"bad.mci: line {index + 1}: {field}=")


def test_truncated_file_and_extra_runs_are_refused():
    text = SAMPLE.read_text()
    with pytest.raises(PhotodoseInputError, match="end of file"):
        parse_mci(text.rsplit("1.0                         # n for medium below", 1)[0], "cut.mci")
    with pytest.raises(PhotodoseInputError, match=r"cut.mci: line \d+: number of runs=1"):
        parse_mci(text.replace("2                           # number of runs", "1"), "cut.mci")


def test_last_layer_of_1e9_cm_is_semi_infinite_and_format_letter_is_optional():
    text = "1.0\n1\nout.mco\n100\n0.01 0.01\n10 10 10\n1\n1.0\n1.4 0.1 100 0.9 1E9 # dermis\n1.0\n"
    (run,) = parse_mci(text)
    assert run.stack.semi_infinite and run.stack.layers[0].name == "dermis"
