"""``photodose mc`` (Monte Carlo light transport, MCML-compatible) and ``photodose fast`` (diffusion estimate).

INPUT is an MCML ``.mci`` file (every run in it) or a JSON layers file (also the output of
``photodose stack ... --json``). ``mc --json`` prints ``MCResult.summary()`` per run (a list when an .mci file
holds several runs), with ``--depth-profile`` also ``depth_mm`` and ``fluence_per_irradiance`` (A(z)/mua:
for a wide beam, or laterally integrated for a finite one, fluence per unit irradiance).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import PhotodoseInputError
from ._output import JsonFlag, console, emit, require_output_path


@dataclass(frozen=True)
class _Run:
    stack: object            # LayerStack
    photons: int | None      # from the .mci file; None for JSON input
    grid: object | None      # Grid from the .mci file; None for JSON input
    output_file: str


def _load_runs(path: Path) -> tuple[list[_Run], bool]:
    """The runs of INPUT and whether it is a multi-run container (.mci with several runs)."""
    from ..optics.layers import LayerStack
    from ..transport.mci import read_mci

    suffix = path.suffix.lower()
    if suffix == ".mci":
        runs = [_Run(r.stack, r.photons, r.grid, r.output_file) for r in read_mci(path)]
        return runs, len(runs) > 1
    if suffix == ".json":
        return [_Run(LayerStack.from_json_file(path), None, None, path.with_suffix(".mco").name)], False
    raise PhotodoseInputError("input", str(path), "a .mci (MCML input) or .json (layers) file")


MAX_PHOTONS = 1e10  # input ceiling: hours of CPU at ~1e6 photons/s (photodose's choice)


def parse_photons(text: str) -> int:
    """A photon count typed as ``1000000``, ``1e6`` or ``1_000_000``."""
    try:
        value = float(str(text).replace("_", ""))
    except ValueError:
        value = float("nan")
    if not (1 <= value <= MAX_PHOTONS and value == int(value)):
        raise PhotodoseInputError("photons", text, f"a whole number from 1 to {MAX_PHOTONS:.0e}, e.g. 1e6")
    return int(value)


MAX_DEPTH_MM = 1000.0  # input ceiling (1 m): deeper is outside any body
MAX_DEPTH_POINTS = 10_000


def parse_depths_mm(text: str):
    """Depths in mm as ``START:STOP:STEP`` (STOP included) or a comma list ``0.5,1,2``."""
    import numpy as np

    allowed = (f"START:STOP:STEP (e.g. 0:10:0.5) or a list (0.5,1,2); depths in [0, {MAX_DEPTH_MM:g}] mm, "
               f"at most {MAX_DEPTH_POINTS} of them")
    try:
        if ":" in text:
            start, stop, step = (float(x) for x in text.split(":"))
            if not (step > 0 and 0 <= start <= stop <= MAX_DEPTH_MM and (stop - start) / step < MAX_DEPTH_POINTS):
                raise ValueError
            depths = np.arange(start, stop + step / 2, step)
        else:
            depths = np.array([float(x) for x in text.split(",")])
        if not (0 < depths.size <= MAX_DEPTH_POINTS and np.all((depths >= 0) & (depths <= MAX_DEPTH_MM))):
            raise ValueError  # also refuses NaN
        return depths
    except ValueError:
        raise PhotodoseInputError("depth-mm", text, allowed) from None


def _out_paths(out: Path | None, runs: list[_Run]) -> list[Path | None]:
    if out is None:
        return [None] * len(runs)
    if len(runs) == 1:
        return [out]
    if out.is_dir():
        return [out / run.output_file for run in runs]
    return [out.with_name(f"{out.stem}_{i}{out.suffix or '.mco'}") for i in range(1, len(runs) + 1)]


def _progress_bar(enabled: bool):
    from contextlib import nullcontext

    if not enabled:
        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, transient=True)


def _render_mc(con, data) -> None:
    from rich.table import Table

    for item in data if isinstance(data, list) else [data]:
        table = Table(title=f"{item.get('input', '')} ({item['beam']}, {item['incidence']}, "
                            f"{item['photons']:,} photons, {item['photons_per_second']:,.0f} photons/s)")
        table.add_column("quantity")
        table.add_column("value", justify="right")
        table.add_column("std. error", justify="right")
        se = item["stderr"]
        table.add_row("specular reflectance", f"{item['specular']:.5f}", "")
        for key, label in (("diffuse_reflectance", "diffuse reflectance"), ("absorbed", "absorbed"),
                           ("transmittance", "transmittance")):
            table.add_row(label, f"{item[key]:.5f}", f"{se[key]:.5f}")
        for i, (value, err) in enumerate(zip(item["layer_absorbed"], se["layer_absorbed"]), start=1):
            table.add_row(f"  absorbed in layer {i}", f"{value:.5f}", f"{err:.5f}")
        con.print(table)
        if "depth_mm" in item:
            _render_depth_profile(con, item)
        if "mco" in item:
            con.print(f"wrote {item['mco']}")


DEPTH_ROWS = 40  # rows of the depth-profile table on screen (--csv or --json give every bin)


def _render_depth_profile(con, item) -> None:
    from rich.table import Table

    depths, phi = item["depth_mm"], item["fluence_per_irradiance"]
    step = max(1, -(-len(depths) // DEPTH_ROWS))
    table = Table(title="fluence per unit irradiance at depth (Monte Carlo, bin centres)",
                  caption=None if step == 1 else f"every {step}th bin; --csv FILE or --json for all {len(depths)}")
    table.add_column("depth mm", justify="right")
    table.add_column("phi (J/cm² per J/cm²)", justify="right")
    for z, value in list(zip(depths, phi))[::step]:
        table.add_row(f"{z:g}", "-" if value is None or value != value else f"{value:.4f}")
    con.print(table)
    if item.get("csv"):
        con.print(f"wrote {item['csv']}")


def _write_depth_csv(path: Path, items: list[dict]) -> None:
    """One row per depth bin (and run): input, depth_mm, fluence_per_irradiance (empty below the stack)."""
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["run", "depth_mm", "fluence_per_irradiance"])
        for run, item in enumerate(items, start=1):
            for z, value in zip(item["depth_mm"], item["fluence_per_irradiance"]):
                writer.writerow([run, f"{z:g}", "" if value != value else f"{value:.6g}"])


def _grid_depths_mm(result) -> list[float]:
    """Bin-centre depths rounded to the grid's own precision (0.025, not 0.025000000000000001)."""
    from decimal import Decimal

    places = max(0, -Decimal(repr(result.grid.dz_mm / 2)).normalize().as_tuple().exponent)
    return [round(float(z), places) for z in result.depth_mm]


def _render_fast(con, data) -> None:
    from rich.table import Table

    for item in data if isinstance(data, list) else [data]:
        table = Table(title=f"fluence per unit irradiance, diffusion estimate ({item['input']})")
        table.add_column("depth mm", justify="right")
        table.add_column("phi (J/cm² per J/cm²)", justify="right")
        for z, phi in zip(item["depth_mm"], item["fluence_per_irradiance"]):
            table.add_row(f"{z:g}", "-" if phi is None or phi != phi else f"{phi:.4f}")
        con.print(table)
        con.print(item["validity"], style="dim", highlight=False)   # a paragraph: as a caption it ran 12 lines


def register(app: typer.Typer) -> None:
    @app.command("mc")
    def mc(
        input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="MCML .mci file or JSON layers file.")],
        photons: Annotated[Optional[str], typer.Option(help="Photon packets per run, e.g. 1e6 (default: the "
                                                             ".mci file's count, else 1e5).")] = None,
        seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same numbers.")] = 1,
        beam: Annotated[str, typer.Option(help="pencil | flat:RADIUS_MM | gaussian:RADIUS_MM | wide")] = "pencil",
        incidence: Annotated[str, typer.Option(help="collimated | cone:DEG | lambertian")] = "collimated",
        threads: Annotated[Optional[int], typer.Option(help="Worker threads (default: all cores).")] = None,
        kernel: Annotated[str, typer.Option(help="auto | simd (photons in SIMD lanes) | scalar (the reference "
                                                 "walk) | gpu (CUDA); auto: gpu when a CUDA GPU is present, "
                                                 "else simd.")] = "auto",
        scheduler: Annotated[Optional[str], typer.Option(help="Run the batches on Dask: tcp://HOST:8786 of an "
                                                         "existing cluster, or 'local' for a local cluster.")] = None,
        out: Annotated[Optional[Path], typer.Option(help="Write MCML .mco output here (several runs: "
                                                         "FILE_1.mco, ... or into a folder).")] = None,
        depth_profile: Annotated[bool, typer.Option("--depth-profile", help="Print the fluence per unit "
                                                    "irradiance at each depth bin (with --json: depth_mm and "
                                                    "fluence_per_irradiance).")] = False,
        csv_path: Annotated[Optional[Path], typer.Option("--csv", help="Write the depth profile as CSV here "
                                                         "(implies --depth-profile).")] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Monte Carlo light transport in layered tissue (MCML physics); MCML .mci in, .mco out."""
        from ..transport.beams import parse_beam, parse_incidence
        from ..transport.mco import write_mco
        from ..transport.montecarlo import resolve_kernel, run_mc
        from ..transport.result import Grid

        kernel = resolve_kernel(kernel)
        if scheduler is not None and kernel == "gpu":
            raise PhotodoseInputError("kernel", "gpu", "simd or scalar with --scheduler (Dask workers run on CPUs)")
        if out is not None and not out.is_dir():
            require_output_path("out", out)
        if csv_path is not None:
            require_output_path("csv", csv_path, (".csv",))
            depth_profile = True
        if scheduler is not None and scheduler != "local":
            import re

            if not re.fullmatch(r"(tcp|tls|ws|wss)://[A-Za-z0-9.\-\[\]:]{1,200}:\d{1,5}", scheduler):
                raise PhotodoseInputError("scheduler", scheduler, "'local' or a Dask scheduler address such as "
                                          "tcp://HOST:8786")
        runs, several = _load_runs(input_path)
        beam_spec, incidence_spec = parse_beam(beam), parse_incidence(incidence)
        photon_override = parse_photons(photons) if photons is not None else None
        outputs = []
        with _progress_bar(not as_json and sys.stdout.isatty()) as bar:
            for index, (run, mco_path) in enumerate(zip(runs, _out_paths(out, runs)), start=1):
                n = photon_override or run.photons or 100_000
                callback = None
                if bar is not None:
                    task = bar.add_task(f"run {index}/{len(runs)}", total=n)
                    callback = lambda done, total, task=task: bar.update(task, completed=done, total=total)
                if scheduler is None:
                    result = run_mc(run.stack, n, seed=seed, beam=beam_spec, incidence=incidence_spec,
                                    grid=run.grid or Grid(), threads=threads, progress=callback, kernel=kernel)
                else:
                    from ..scale.distributed import run_mc_distributed

                    try:
                        result = run_mc_distributed(run.stack, n, seed, beam_spec, incidence_spec,
                                                    run.grid or Grid(),
                                                    scheduler=None if scheduler == "local" else scheduler,
                                                    progress=callback or False, kernel=kernel)
                    except (TimeoutError, OSError) as exc:
                        detail = " ".join(str(exc).split())[:120]
                        raise PhotodoseInputError("scheduler", scheduler, "a Dask scheduler that answers "
                                                  f"({type(exc).__name__}: {detail})") from None
                item = {"input": input_path.name, **result.summary()}
                if depth_profile:
                    item["depth_mm"] = _grid_depths_mm(result)
                    item["fluence_per_irradiance"] = result.fluence_per_irradiance.tolist()
                if mco_path is not None:
                    item["mco"] = str(write_mco(mco_path, result, output_file=mco_path.name))
                outputs.append(item)
        if csv_path is not None:
            _write_depth_csv(csv_path, outputs)
            for item in outputs:
                item["csv"] = str(csv_path)
        emit(outputs if several else outputs[0], as_json, _render_mc)

    @app.command("fast")
    def fast(
        input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="MCML .mci file or JSON layers file.")],
        depth_mm: Annotated[str, typer.Option("--depth-mm", help="Depths in mm: START:STOP:STEP or a list "
                                              "0.5,1,2.")] = "0:10:0.5",
        as_json: JsonFlag = False,
    ) -> None:
        """Diffusion-theory estimate of fluence per unit irradiance at depth (wide beam; instant)."""
        from ..transport.depth_dose import fluence_per_irradiance

        runs, several = _load_runs(input_path)
        depths = parse_depths_mm(depth_mm)
        outputs = [{"input": input_path.name, **fluence_per_irradiance(run.stack, depths, "fast").to_json_dict()}
                   for run in runs]
        emit(outputs if several else outputs[0], as_json, _render_fast)
