"""Plan figures: depth-dose curve per wavelength with the window shaded; irradiance against distance.

Matplotlib with the non-interactive Agg backend; functions return PNG bytes (I/O stays with the caller).
"""

from __future__ import annotations

import io

import numpy as np

PHASE_COLOURS = {"heating": "#e67e22", "at_target": "#c0392b", "cool_down": "#2471a3"}  # heat plan phases


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    _pyplot().close(fig)
    return buf.getvalue()


def _finish(fig, ax, xlabel: str, ylabel: str, title: str, log_x: bool) -> bytes:
    if log_x:
        ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return _png(fig)


def depth_dose_png(plan) -> bytes:
    """Fluence against depth for each channel and in total (log axis), target marked, window shaded, and the
    5th-95th percentile band of the total where the plan sampled its inputs (``plan``: a planning Plan); a 3-D head
    plan also marks its cortex dose (the curves stay the flat stack's)."""
    plt = _pyplot()
    curve = plan.depth_dose
    z = np.asarray(curve.depth_mm)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for row in curve.by_wavelength:
        ax.plot(z, np.maximum(row.fluence_j_cm2, 1e-6), label=f"{row.wavelength_nm:g} nm")
    ax.plot(z, np.maximum(curve.total_j_cm2, 1e-6), color="black", lw=2, label="total")
    if curve.total_j_cm2_p05 is not None and curve.total_j_cm2_p95 is not None:
        ax.fill_between(z, np.maximum(curve.total_j_cm2_p05, 1e-6), np.maximum(curve.total_j_cm2_p95, 1e-6),
                        color="grey", alpha=0.25, label="total, 5th-95th percentile (input uncertainty)")
    window, target = plan.window, plan.target
    if window.low_j_cm2 is not None and window.high_j_cm2 is not None:
        if window.basis == "target":
            ax.axhspan(window.low_j_cm2, window.high_j_cm2, color="tab:green", alpha=0.15,
                       label=f"target window {window.low_j_cm2:g}-{window.high_j_cm2:g} J/cm2")
        else:
            ax.axhspan(window.low_j_cm2, window.high_j_cm2, xmin=0, xmax=0.04, color="tab:green", alpha=0.4,
                       label=f"skin window {window.low_j_cm2:g}-{window.high_j_cm2:g} J/cm2 (at the surface)")
    if target:
        ax.axvline(target.depth_mm, color="tab:red", ls="--", label=f"target {target.depth_mm:g} mm")
    if plan.transport is not None and plan.transport.head is not None and target:  # the curve is the flat stack's
        ax.plot([target.depth_mm], [target.fluence_j_cm2], "D", color="tab:red",
                label=f"cortex, 3-D head: {target.fluence_j_cm2:.3g} J/cm2 (curves: flat stack)")
    return _finish(fig, ax, "depth (mm)", "fluence per session (J/cm2)",
                   f"Dose at depth: {plan.site}, phototype {plan.skin_type}", log_x=False)


def irradiance_distance_png(device, channel_ids: list[str], chosen_distance_mm: float | None = None,
                            distances_mm=None) -> bytes:
    """On-axis irradiance of each channel and in total against distance (log-log), the plan's distance marked."""
    from ..devices.irradiance import on_axis_irradiance_mw_cm2

    plt = _pyplot()
    d = np.geomspace(5.0, 1000.0, 40) if distances_mm is None else np.asarray(distances_mm, float)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    total = np.zeros_like(d)
    for cid in channel_ids:
        e = np.asarray(on_axis_irradiance_mw_cm2(device, d, [cid]), float)
        total += e
        ax.plot(d, e, label=f"channel {cid}")
    ax.plot(d, total, color="black", lw=2, label="total")
    if chosen_distance_mm:
        ax.axvline(chosen_distance_mm, color="tab:red", ls="--", label=f"plan {chosen_distance_mm:.0f} mm")
    return _finish(fig, ax, "distance (mm)", "on-axis irradiance (mW/cm2)",
                   f"Irradiance against distance: {device.id}", log_x=True)


def core_temperature_png(plan) -> bytes:
    """A heat plan's predicted core temperature against minutes (``plan``: a
    photodose.hyperthermia.HyperthermiaPlan), the target, the ceiling and the moment the heat stops marked."""
    from ..hyperthermia import heat_limits

    plt = _pyplot()
    series = plan.core_temperature_c
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(series.minutes, series.degrees_c, color="#c0392b", lw=2, label="core, predicted (JOS-3)")
    ax.axhline(plan.target_core_c, ls="--", color="#555", label=f"target {plan.target_core_c:g} °C")
    ceiling = heat_limits().core_ceiling_c.value
    ax.axhline(ceiling, color="#8e0000", label=f"ceiling {ceiling:g} °C (NIOSH 2016)")
    ax.axvline(plan.heating_minutes, ls=":", color="#1c2430", label="heat off")
    for phase in plan.phases:
        ax.axvspan(phase.starts_at_min, phase.ends_at_min, color=PHASE_COLOURS[phase.name], alpha=0.12, lw=0)
        ax.annotate(phase.label, ((phase.starts_at_min + phase.ends_at_min) / 2, 1.0),
                    xycoords=("data", "axes fraction"), ha="center", va="bottom", fontsize=8,
                    color=PHASE_COLOURS[phase.name])
    ax.set(xlabel="minutes from the start of heating", ylabel="core temperature (°C)",
           title=f"Core temperature in {plan.device}\n")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)  # below: the curve stays clear
    return _png(fig)
