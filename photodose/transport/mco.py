"""Write and read MCML output files (``.mco``, ASCII format ``A1``).

The layout follows MCML 1.2's ``WriteResult`` (``mcmlio.c``; Wang, Jacques & Zheng 1995): a version header,
``InParm`` (the input echoed in cm), ``RAT`` (Rsp, Rd, A, Tt), then the blocks ``A_l``, ``A_z``, ``Rd_r``,
``Rd_a``, ``Tt_r``, ``Tt_a`` (one number per line) and ``A_rz``, ``Rd_ra``, ``Tt_ra`` (five numbers per line,
first index r). Number formats and units are MCML's: RAT ``%-14.6G``, A_l ``%12.4G``, arrays ``%12.4E``;
A_z 1/cm, A_rz 1/cm^3, Rd_r and Tt_r 1/cm^2, Rd_a and Tt_a 1/sr, Rd_ra and Tt_ra 1/(cm^2 sr).
Arrays a run did not tally (a wide beam has no radial arrays) are written as zeros, and a comment says so.
A semi-infinite last layer is echoed with MCML's customary thickness ``SEMI_INFINITE_CM`` (1e9 cm).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import PhotodoseInputError
from ..optics.layers import LayerStack
from .mci import CM_TO_MM, SEMI_INFINITE_CM, DataLines, read_run
from .result import Grid, MCResult



@dataclass(frozen=True)
class McoData:
    """The content of an ``.mco`` file, in MCML's units (arrays indexed [r][z] or [r][angle] as MCML)."""

    stack: LayerStack
    photons: int
    grid: Grid
    output_file: str
    specular: float
    diffuse_reflectance: float
    absorbed: float
    transmittance: float
    layer_absorbed: np.ndarray
    absorbed_z_per_cm: np.ndarray
    rd_r_per_cm2: np.ndarray
    rd_a_per_sr: np.ndarray
    tt_r_per_cm2: np.ndarray
    tt_a_per_sr: np.ndarray
    absorbed_rz_per_cm3: np.ndarray
    rd_ra: np.ndarray
    tt_ra: np.ndarray


# ---------------------------------------------------------------- writing
def _in_parm(stack: LayerStack, photons: int, grid: Grid, output_file: str) -> list[str]:
    out = [
        "InParm \t\t\t# Input parameters. cm is used.",
        f"{output_file} \tA\t\t# output file name, ASCII.",
        f"{photons} \t\t\t# No. of photons",
        "%G\t%G\t\t# dz, dr [cm]" % (grid.dz_mm / CM_TO_MM, grid.dr_mm / CM_TO_MM),
        f"{grid.nz}\t{grid.nr}\t{grid.na}\t# No. of dz, dr, da.",
        "",
        f"{len(stack.layers)}\t\t\t\t\t# Number of layers",
        "#n\tmua\tmus\tg\td\t# One line for each layer",
        "%G\t\t\t\t\t# n for medium above" % stack.n_above,
    ]
    for i, layer in enumerate(stack.layers, start=1):
        d_cm = SEMI_INFINITE_CM if layer.thickness_mm is None else layer.thickness_mm / CM_TO_MM
        out.append("%G\t%G\t%G\t%G\t%G\t# layer %d" % (layer.n, layer.mua_per_cm, layer.mus_per_cm, layer.g, d_cm, i))
    out += ["%G\t\t\t\t\t# n for medium below" % stack.n_below, ""]
    return out


def format_mci(stack: LayerStack, photons: int, grid: Grid = Grid(), output_file: str = "photodose.mco") -> str:
    """An MCML input (.mci) file of one run: ``stack``, ``photons`` and ``grid`` as MCML reads them (lengths in
    cm with 6 significant digits; a semi-infinite layer as SEMI_INFINITE_CM)."""
    records = _in_parm(stack, photons, grid, output_file)
    return "\n".join(["1.0\t\t\t\t\t# file version", "1\t\t\t\t\t# number of runs", "", "#" + records[0],
                      *records[1:]]) + "\n"


def _rat(result: MCResult) -> list[str]:
    return [
        "RAT #Reflectance, absorption, transmission. ",
        "%-14.6G \t#Specular reflectance [-]" % result.specular,
        "%-14.6G \t#Diffuse reflectance [-]" % result.diffuse_reflectance,
        "%-14.6G \t#Absorbed fraction [-]" % result.absorbed,
        "%-14.6G \t#Transmittance [-]" % result.transmittance,
        "",
    ]


def _column(tag_line: str, values: np.ndarray, fmt: str = "%12.4E") -> list[str]:
    return [tag_line] + [fmt % v for v in values] + [""]


def _two_d_block(header: str, tag: str, count: str, values: np.ndarray) -> list[str]:
    """MCML's 2D block: a comment header, the tag, then five numbers per line, second index fastest."""
    name = tag.split("_")[0]
    head = [header] + [f"# {name}[{i}][0], [{i}][1],..[{i}][{count}-1]" for i in ("0", "1")] + [
        "# ...", f"# {name}[nr-1][0], [nr-1][1],..[nr-1][{count}-1]", tag]
    flat = np.asarray(values, dtype=float).ravel()
    rows = ["".join("%12.4E " % v for v in flat[i:i + 5]) for i in range(0, flat.size, 5)]
    return head + rows + [""]


def format_mco(result: MCResult, output_file: str = "photodose.mco") -> str:
    """The text of an MCML ``.mco`` file for ``result`` (layout and units of MCML 1.2's ``WriteResult``)."""
    grid = result.grid
    nr, nz, na = grid.nr, grid.nz, grid.na
    missing = []

    def array(value, shape, name):
        if value is None:
            missing.append(name)
            return np.zeros(shape)
        return np.asarray(value, dtype=float).reshape(shape)

    a_z = array(result.absorbed_z_per_cm, (nz,), "A_z")
    rd_r = array(result.rd_r_per_cm2, (nr,), "Rd_r")
    rd_a = array(result.rd_a_per_sr, (na,), "Rd_a")
    tt_r = array(result.tt_r_per_cm2, (nr,), "Tt_r")
    tt_a = array(result.tt_a_per_sr, (na,), "Tt_a")
    a_rz = array(result.absorbed_rz_per_cm3, (nr, nz), "A_rz")
    rd_ra = array(result.rd_ra, (nr, na), "Rd_ra")
    tt_ra = array(result.tt_ra, (nr, na), "Tt_ra")

    lines = [
        "A1 \t# Version number of the file format.",
        "",
        "####",
        "# Data categories include: ",
        "# InParm, RAT, ",
        "# A_l, A_z, Rd_r, Rd_a, Tt_r, Tt_a, ",
        "# A_rz, Rd_ra, Tt_ra ",
        "####",
        "",
        "# User time: %8d sec = %8.2f hr.  Simulation time of this run." % (round(result.seconds),
                                                                          result.seconds / 3600.0),
        f"# Written by photodose {__version__}: beam {result.beam.label()}, incidence "
        f"{result.incidence.label()}, seed {result.seed}, {result.batches} batches.",
    ]
    if missing:
        lines.append("# Not tallied by this run, written as zeros: " + ", ".join(missing))
    lines.append("")
    lines += _in_parm(result.stack, result.photons, grid, output_file)
    lines += _rat(result)
    lines += _column("A_l #Absorption as a function of layer. [-]", result.layer_absorbed, "%12.4G")
    lines += _column("A_z #A[0], [1],..A[nz-1]. [1/cm]", a_z)
    lines += _column("Rd_r #Rd[0], [1],..Rd[nr-1]. [1/cm2]", rd_r)
    lines += _column("Rd_a #Rd[0], [1],..Rd[na-1]. [sr-1]", rd_a)
    lines += _column("Tt_r #Tt[0], [1],..Tt[nr-1]. [1/cm2]", tt_r)
    lines += _column("Tt_a #Tt[0], [1],..Tt[na-1]. [sr-1]", tt_a)
    lines += _two_d_block("# A[r][z]. [1/cm3]", "A_rz", "nz", a_rz)
    lines += _two_d_block("# Rd[r][angle]. [1/(cm2sr)].", "Rd_ra", "na", rd_ra)
    lines += _two_d_block("# Tt[r][angle]. [1/(cm2sr)].", "Tt_ra", "na", tt_ra)
    return "\n".join(lines) + "\n"


def write_mco(path: str | Path, result: MCResult, output_file: str | None = None) -> Path:
    """Write ``result`` as an MCML ``.mco`` file at ``path``; the InParm echo names ``output_file`` (default:
    path's name)."""
    p = Path(path)
    p.write_text(format_mco(result, output_file or p.name))
    return p


# ---------------------------------------------------------------- reading
def _block_sizes(num_layers: int, grid: Grid) -> dict[str, tuple[int, ...]]:
    nr, nz, na = grid.nr, grid.nz, grid.na
    return {"RAT": (4,), "A_l": (num_layers,), "A_z": (nz,), "Rd_r": (nr,), "Rd_a": (na,), "Tt_r": (nr,),
            "Tt_a": (na,), "A_rz": (nr, nz), "Rd_ra": (nr, na), "Tt_ra": (nr, na)}


def parse_mco(text: str, source: str = "<mco>") -> McoData:
    """Parse the text of an MCML ASCII ``.mco`` file (as written by MCML 1.2 or :func:`format_mco`)."""
    lines = DataLines(text, source)
    line = lines.next("version", 1)
    if line.fields[0] != "A1":
        raise PhotodoseInputError("version", line.fields[0], "an ASCII MCML output file (A1)", lines.where(line))
    line = lines.next("InParm", 1)
    if line.fields[0] != "InParm":
        raise PhotodoseInputError("InParm", line.fields[0], "the InParm section", lines.where(line))
    run = read_run(lines)
    sizes = _block_sizes(len(run.stack.layers), run.grid)
    blocks: dict[str, np.ndarray] = {}
    tokens = lines.tokens()
    for number, tag in tokens:
        if tag not in sizes or tag in blocks:
            raise PhotodoseInputError("section", tag, "one of " + ", ".join(sizes) + " (each once)",
                                      f"{source}: line {number}")
        shape = sizes[tag]
        values = []
        for _ in range(int(np.prod(shape))):
            number, token = next(tokens, (lines.last_number, "end of file"))
            try:
                values.append(float(token))
            except ValueError:
                raise PhotodoseInputError(tag, token, f"{int(np.prod(shape))} numbers in section {tag}",
                                          f"{source}: line {number}") from None
        blocks[tag] = np.array(values).reshape(shape)
    absent = [tag for tag in sizes if tag not in blocks]
    if absent:
        raise PhotodoseInputError("section", ", ".join(absent), "every MCML section present",
                                  f"{source}: line {lines.last_number}")
    rsp, rd, a, tt = blocks["RAT"]
    return McoData(stack=run.stack, photons=run.photons, grid=run.grid, output_file=run.output_file,
                   specular=rsp, diffuse_reflectance=rd, absorbed=a, transmittance=tt,
                   layer_absorbed=blocks["A_l"], absorbed_z_per_cm=blocks["A_z"],
                   rd_r_per_cm2=blocks["Rd_r"], rd_a_per_sr=blocks["Rd_a"],
                   tt_r_per_cm2=blocks["Tt_r"], tt_a_per_sr=blocks["Tt_a"],
                   absorbed_rz_per_cm3=blocks["A_rz"], rd_ra=blocks["Rd_ra"], tt_ra=blocks["Tt_ra"])


def read_mco(path: str | Path) -> McoData:
    """Read an MCML ASCII ``.mco`` file."""
    p = Path(path)
    try:
        text = p.read_text()
    except FileNotFoundError:
        raise PhotodoseInputError("input", str(p), "an existing .mco file") from None
    return parse_mco(text, source=p.name)
