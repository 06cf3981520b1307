"""``photodose head``: a device's light traced in 3-D through a segmented head to the cortex under a target.

Calls :func:`photodose.dosimetry.head_dose.head_dose` and prints its ``HeadDose`` (``--json``: the model's
fields); ``--plot FILE.png`` draws three slices through the target with the session's fluence (J/cm²)
(:func:`photodose.reports.head_plots.head_slices_png`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..bibliography import cite
from ._output import JsonFlag, emit, require_output_path


def _render(console, d) -> None:
    console.print(f"[bold]{d.device}[/bold] at {', '.join(d.positions)} for {d.minutes:g} min, "
                  f"{', '.join(f'{nm:g}' for nm in d.wavelengths_nm)} nm, {d.power_per_site_w:.3g} W per site "
                  f"(head model {d.head_model}, {d.photons:,} photons, seed {d.seed})")
    console.print(f"  cortex fluence on the {d.target} surface (grey matter touching CSF): "
                  f"{d.cortex_fluence_j_cm2:.3g} +- {d.cortex_fluence_stderr_j_cm2:.2g} J/cm²")
    console.print(f"  scalp fluence under the device: {d.scalp_fluence_j_cm2:.3g} "
                  f"+- {d.scalp_fluence_stderr_j_cm2:.2g} J/cm² (incident {d.incident_fluence_j_cm2:.3g} J/cm²)")
    console.print(f"  fraction at cortex: {100 * d.fraction_at_cortex:.2f} +- {100 * d.fraction_at_cortex_stderr:.2f} %"
                  f" of the incident fluence; {100 * d.energy_fraction_at_cortex:.3f} % of the emitted energy "
                  f"absorbed in the target")
    gm = d.grey_matter
    console.print(f"  grey matter: {100 * gm.absorbed_fraction:.2f} % of the energy ({gm.energy_j:.3g} J); fluence "
                  f"median {gm.fluence_median_j_cm2:.3g}, 99th percentile {gm.fluence_p99_j_cm2:.3g}, "
                  f"max {gm.fluence_max_j_cm2:.3g} J/cm²")
    for site in d.sites:
        console.print(f"  under {site.position}: scalp {site.scalp_mm:.1f}, skull {site.skull_mm:.1f}, CSF "
                      f"{site.csf_mm:.1f} mm; cortex at {site.scalp_to_cortex_mm:.1f} mm")
    f = d.flat_stack
    console.print(f"  flat {f.site} stack (one site): cortex {f.cortex_fluence_j_cm2:.3g} +- "
                  f"{f.cortex_fluence_stderr_j_cm2:.2g} J/cm² at {f.grey_matter_depth_mm:g} mm, "
                  f"fraction {100 * f.fraction_at_cortex:.2f} %")
    console.print(f"  [dim]{d.seconds:.1f} s on {d.threads} threads[/dim]")
    console.print("Sources:")
    for key in d.citations:
        console.print(f"  - {cite(key)}", highlight=False, markup=False)  # "[authors not read]" is text


def register(app: typer.Typer) -> None:
    @app.command("head")
    def head(
        device: Annotated[str, typer.Option("--device", help="Device id from `photodose devices` or a device "
                                            "file.")],
        position: Annotated[list[str], typer.Option("--position", help="10-20 position of one device, e.g. F3; "
                                                    "repeat for several sites.")],
        minutes: Annotated[float, typer.Option("--minutes", help="Session length in minutes.")],
        nm: Annotated[Optional[float], typer.Option("--nm", help="Trace at this wavelength instead of the "
                                                    "device's channels' (400-1400 nm).")] = None,
        photons: Annotated[str, typer.Option("--photons", help="Photon packets, e.g. 2e5.")] = "2e5",
        target: Annotated[str, typer.Option("--target", help="Where the cortex dose is read: the cortical surface "
                                            "(grey matter touching CSF) within 15 mm of the cortex under dlpfc "
                                            "(F3 and F4, both sides), frontopolar (Fp1/Fpz/Fp2) or one 10-20 "
                                            "position (e.g. F3: left only).")] = "dlpfc",
        distance: Annotated[Optional[float], typer.Option("--distance-mm", help="Standoff from the scalp in mm "
                                                          "(default: the device's).")] = None,
        seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same numbers.")] = 1,
        threads: Annotated[Optional[int], typer.Option(help="Worker threads (default: all cores).")] = None,
        scheduler: Annotated[Optional[str], typer.Option(help="Run the batches on Dask: tcp://HOST:8786 of an "
                                                         "existing cluster, or 'local' for a local cluster.")] = None,
        plot: Annotated[Optional[Path], typer.Option("--plot", help="Write a PNG of three slices with the "
                                                     "fluence.")] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Dose at the cortex from a device placed on a segmented adult head (3-D voxel Monte Carlo)."""
        from ..dosimetry.head_dose import head_dose_and_fluence
        from .cmd_transport import parse_photons

        if plot is not None:
            plot = require_output_path("plot", plot, (".png",))
        dose, fluence = head_dose_and_fluence(device, list(position), minutes, wavelength_nm=nm,
                                              photons=parse_photons(photons), target=target, distance_mm=distance,
                                              seed=seed, threads=threads, scheduler=scheduler)
        if plot is not None:
            from ..reports.head_plots import head_slices_png

            plot.write_bytes(head_slices_png(dose, fluence))
        emit(dose, as_json, _render)
