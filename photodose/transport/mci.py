"""Read MCML input files (``.mci``), every run in the file.

Format (MCML 1.2 manual, Wang & Jacques 1992-2000; ``ReadParm`` in MCML's ``mcmlio.c``), one record per data
line, ``#`` starts a comment, blank lines are skipped::

    1.0                      # file version
    2                        # number of runs
    slab.mco  A              # run 1: output file name, format (A = ASCII)
    1000000                  # number of photons
    0.001  0.01              # dz, dr [cm]
    200  100  30             # nz, nr, na
    1                        # number of layers
    1.0                      # n of the medium above
    1.0  10  90  0.75  0.02  # per layer: n mua mus g d   (1/cm, cm)
    1.0                      # n of the medium below
    ...                      # run 2, same records

Lengths are converted from MCML's cm to photodose's mm. A last-layer thickness of at least
``SEMI_INFINITE_CM`` (the 1e9 cm that MCML users write for "infinitely thick") becomes a semi-infinite layer.
A layer line's trailing comment, if any, becomes the layer's name.
Every malformed or out-of-range value is refused with :class:`PhotodoseInputError` naming the file, the line
and the field, e.g. ``sample.mci: line 12: mua=-1.0 is not allowed; allowed range is [0, inf]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import PhotodoseInputError, require_in_range
from ..optics.layers import Layer, LayerStack
from .result import Grid

CM_TO_MM = 10.0
SEMI_INFINITE_CM = 1e9


@dataclass(frozen=True)
class MciRun:
    """One run of an ``.mci`` file: the stack (mm), photon count, tally grid (mm) and MCML output file name."""

    stack: LayerStack
    photons: int
    grid: Grid
    output_file: str


@dataclass(frozen=True)
class _Line:
    number: int
    fields: list[str]
    comment: str


class DataLines:
    """Data lines of an MCML text (comments and blanks dropped), read one record at a time (also used for .mco)."""

    def __init__(self, text: str, source: str):
        self.source = source
        self._iter: Iterator[_Line] = iter(self._data_lines(text))
        self.last_number = 0

    @staticmethod
    def _data_lines(text: str) -> Iterator[_Line]:
        for number, raw in enumerate(text.splitlines(), start=1):
            data, _, comment = raw.partition("#")
            if data.strip():
                yield _Line(number, data.split(), comment.strip())

    def where(self, line: _Line | None = None) -> str:
        return f"{self.source}: line {line.number if line else self.last_number}"

    def next(self, what: str, count: int, optional: int = 0) -> _Line:
        """The next data line: ``count`` fields named by ``what``, plus up to ``optional`` more."""
        line = next(self._iter, None)
        if line is None:
            raise PhotodoseInputError(what, "end of file", f"a line with {count} field(s) ({what})",
                                      f"{self.source}: line {self.last_number + 1}")
        self.last_number = line.number
        if not count <= len(line.fields) <= count + optional:
            raise PhotodoseInputError(what, " ".join(line.fields), f"expected {count} field(s) ({what})",
                                      self.where(line))
        return line

    def remaining(self) -> _Line | None:
        return next(self._iter, None)

    def tokens(self) -> Iterator[tuple[int, str]]:
        """The remaining fields one by one, with their line numbers."""
        for line in self._iter:
            self.last_number = line.number
            for token in line.fields:
                yield line.number, token


def _number(lines: DataLines, line: _Line, index: int, field: str, low: float | None = None,
            high: float | None = None, *, low_inclusive: bool = True, high_inclusive: bool = True) -> float:
    text = line.fields[index]
    try:
        value = float(text)
    except ValueError:
        raise PhotodoseInputError(field, text, "expected a number", lines.where(line)) from None
    if not math.isfinite(value):
        raise PhotodoseInputError(field, value, "expected a finite number", lines.where(line))
    return require_in_range(field, value, low, high, low_inclusive=low_inclusive,
                            high_inclusive=high_inclusive, source=lines.where(line))


def _count(lines: DataLines, line: _Line, index: int, field: str) -> int:
    value = _number(lines, line, index, field, 1)
    if value != int(value):
        raise PhotodoseInputError(field, line.fields[index], "expected a whole number >= 1", lines.where(line))
    return int(value)


def _ambient(lines: DataLines, side: str) -> float:
    field = f"n_{side}"
    line = lines.next(field, 1)
    return _number(lines, line, 0, field, 1.0, 3.0)


def _layer(lines: DataLines, index: int, is_last: bool) -> Layer:
    line = lines.next("n mua mus g d", 5)
    n = _number(lines, line, 0, "n", 1.0, 3.0)
    mua = _number(lines, line, 1, "mua", 0.0)
    mus = _number(lines, line, 2, "mus", 0.0)
    g = _number(lines, line, 3, "g", -1.0, 1.0, low_inclusive=False, high_inclusive=False)
    d_cm = _number(lines, line, 4, "d", 0.0, low_inclusive=False)
    thickness_mm = None if (is_last and d_cm >= SEMI_INFINITE_CM) else d_cm * CM_TO_MM
    return Layer(name=line.comment or f"layer {index}", n=n, mua_per_cm=mua, mus_per_cm=mus, g=g,
                 thickness_mm=thickness_mm)


def read_run(lines: DataLines) -> MciRun:
    """One run's records (also the InParm section of an .mco file)."""
    line = lines.next("output file", 1, optional=1)  # the format letter is optional, as in MCML
    if len(line.fields) == 2 and line.fields[1].upper() not in ("A", "B"):
        raise PhotodoseInputError("output file", " ".join(line.fields), "a file name and the format A",
                                  lines.where(line))
    output_file = line.fields[0]

    line = lines.next("photons", 1)
    photons = _count(lines, line, 0, "photons")
    line = lines.next("dz dr", 2)
    dz_cm = _number(lines, line, 0, "dz", 0.0, low_inclusive=False)
    dr_cm = _number(lines, line, 1, "dr", 0.0, low_inclusive=False)
    line = lines.next("nz nr na", 3)
    nz, nr, na = (_count(lines, line, i, f) for i, f in enumerate(("nz", "nr", "na")))
    line = lines.next("number of layers", 1)
    num_layers = _count(lines, line, 0, "number of layers")

    n_above = _ambient(lines, "above")
    layers = tuple(_layer(lines, i, i == num_layers) for i in range(1, num_layers + 1))
    n_below = _ambient(lines, "below")
    stack = LayerStack(n_above=n_above, n_below=n_below, layers=layers)
    grid = Grid(dz_mm=dz_cm * CM_TO_MM, nz=nz, dr_mm=dr_cm * CM_TO_MM, nr=nr, na=na)
    return MciRun(stack=stack, photons=photons, grid=grid, output_file=output_file)


def parse_mci(text: str, source: str = "<mci>") -> list[MciRun]:
    """Parse the text of an ``.mci`` file into its runs; ``source`` names the file in error messages."""
    lines = DataLines(text, source)
    line = lines.next("version", 1)
    _number(lines, line, 0, "version")
    line = lines.next("number of runs", 1)
    num_runs = _count(lines, line, 0, "number of runs")
    runs = [read_run(lines) for _ in range(num_runs)]
    extra = lines.remaining()
    if extra is not None:
        raise PhotodoseInputError("number of runs", num_runs,
                                  f"the file holds more data after {num_runs} run(s)", lines.where(extra))
    return runs


def read_mci(path: str | Path) -> list[MciRun]:
    """Read every run of the MCML input file at ``path``."""
    from ..inputs import read_text

    p = Path(path)
    return parse_mci(read_text(p, "input"), source=p.name)
