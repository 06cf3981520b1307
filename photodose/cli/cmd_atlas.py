"""``photodose atlas`` (a Monte Carlo sweep into a Parquet store, on Dask) and ``photodose atlas-query``.

``atlas --json`` prints ``{"store", "points", "computed", "reused", "seconds", "computed_keys"}``; a rerun or a
larger sweep into the same store computes only the missing grid points. ``atlas-query --json`` prints
``{"store", "site", "skin_type", "wavelength_nm", "thickness_mm", "depth_mm", "fluence_per_irradiance", "stderr",
"method", "validity"}`` (method "atlas", or "mc" with --fallback-mc when the question lies outside the atlas).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._output import JsonFlag, emit
from .cmd_transport import parse_depths_mm, parse_photons

SchedulerOption = Annotated[Optional[str], typer.Option(
    help="Dask scheduler of an existing cluster, tcp://HOST:8786 (default: a local cluster, one worker per core).")]


def _thickness_overrides(items: list[str]) -> dict[str, list[float]]:
    from ..scale.points import parse_thickness_axis

    return dict(parse_thickness_axis(item) for item in items)


def _render_sweep(con, data) -> None:
    con.print(f"atlas {data['store']}: {data['points']} grid points, {data['computed']} computed now, "
              f"{data['reused']} already stored ({data['seconds']:.1f} s)")


def _render_query(con, data) -> None:
    from rich.table import Table

    table = Table(title=f"fluence per unit irradiance, {data['site']}, phototype {data['skin_type']}, "
                        f"{data['wavelength_nm']:g} nm ({data['method']})")
    table.add_column("depth mm", justify="right")
    table.add_column("phi (J/cm² per J/cm²)", justify="right")
    table.add_column("std. error", justify="right")
    for z, phi, se in zip(data["depth_mm"], data["fluence_per_irradiance"], data["stderr"]):
        table.add_row(f"{z:g}", "-" if phi != phi else f"{phi:.4f}", "-" if se != se else f"{se:.4f}")
    con.print(table)
    con.print(data["validity"], style="dim", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("atlas")
    def atlas(
        nm: Annotated[str, typer.Option("--nm", help="Wavelengths in nm: START..STOP:STEP or a list 660,810.")],
        site: Annotated[str, typer.Option(help="Body sites, comma separated (see `photodose sites`).")],
        store: Annotated[Path, typer.Option(help="Atlas store directory (created; reused to resume/extend).")],
        skin_type: Annotated[str, typer.Option("--skin-type", help="Phototypes, comma separated.")] = "III",
        thickness: Annotated[Optional[list[str]], typer.Option(
            help="Layer thickness axis LAYER=MM,MM,... (e.g. fat=2,4,8); repeat for more layers.")] = None,
        beam: Annotated[str, typer.Option(help="Beams, comma separated: wide | flat:R | gaussian:R | pencil")] = "wide",
        photons: Annotated[str, typer.Option(help="Photon packets per grid point, e.g. 1e5.")] = "1e5",
        seed: Annotated[int, typer.Option(help="Random seed of every grid point.")] = 1,
        max_depth_mm: Annotated[float, typer.Option("--max-depth-mm", help="Deepest tallied depth.")] = 20.0,
        scheduler: SchedulerOption = None,
        workers: Annotated[Optional[int], typer.Option(help="Local cluster workers (default: cores).")] = None,
        shared_walk: Annotated[bool, typer.Option(
            "--shared-walk", help="Phototypes of one site, wavelength and thickness share one Monte Carlo walk, "
            "reweighted for each melanin absorption (about 3x less CPU at equal standard error; wide beam).")] = False,
        as_json: JsonFlag = False,
    ) -> None:
        """Monte Carlo atlas sweep (wavelength x phototype x site x thickness x beam) on Dask into a Parquet store."""
        from ..scale.points import parse_number_range, split_list, sweep_points
        from ..scale.sweep import sweep_atlas
        from ..transport.beams import parse_beam

        points = sweep_points(split_list(site), split_list(skin_type), parse_number_range(nm, "nm"),
                              _thickness_overrides(thickness or []), [parse_beam(b) for b in split_list(beam)],
                              parse_photons(photons), seed, max_depth_mm)
        report = sweep_atlas(points, store, scheduler=scheduler, progress=not as_json, n_workers=workers,
                             shared_walk=shared_walk)
        emit(report.to_json_dict(), as_json, _render_sweep)

    @app.command("atlas-query")
    def atlas_query(
        store: Annotated[Path, typer.Argument(help="Atlas store directory.")],
        site: Annotated[str, typer.Option(help="Body site.")],
        nm: Annotated[float, typer.Option("--nm", help="Wavelength in nm.")],
        skin_type: Annotated[str, typer.Option("--skin-type", help="Phototype I-VI.")] = "III",
        thickness: Annotated[Optional[list[str]], typer.Option(help="Layer thickness LAYER=MM; repeatable.")] = None,
        depth_mm: Annotated[str, typer.Option("--depth-mm", help="START:STOP:STEP or a list.")] = "0:10:1",
        fallback_mc: Annotated[bool, typer.Option("--fallback-mc", help="Outside the atlas: run Monte Carlo "
                                                  "instead of failing.")] = False,
        photons: Annotated[str, typer.Option(help="Photons of the fallback Monte Carlo run.")] = "2e5",
        as_json: JsonFlag = False,
    ) -> None:
        """Fluence per unit irradiance at depth, interpolated from an atlas store."""
        from ..scale.atlas import fluence_per_irradiance_or_mc, open_atlas
        from ..scale.points import parse_thickness_axis
        from ..scale.progress import say

        overrides = {layer: values[0] for layer, values in (parse_thickness_axis(t) for t in thickness or [])}
        depths = parse_depths_mm(depth_mm)
        opened = open_atlas(store)
        if fallback_mc:
            result = fluence_per_irradiance_or_mc(opened, site, skin_type, nm, depths, overrides or None,
                                                  photons=parse_photons(photons), say_fn=say)
        else:
            result = opened.fluence_per_irradiance(site, skin_type, nm, depths, overrides or None)
        emit({"store": str(store), "site": site, "skin_type": skin_type, "wavelength_nm": nm,
              "thickness_mm": overrides, **result.to_json_dict()}, as_json, _render_query)
