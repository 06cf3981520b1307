"""Plotly figures for the pages (JSON for Plotly.newPlot in the browser; plotly.js is served by the app)."""

from __future__ import annotations

WAVELENGTH_COLOURS = {600: "#d7301f", 700: "#b30000", 800: "#7a0177", 2000: "#49006a"}
WINDOW_COLOUR = "#2ca25f"
_LAYOUT = {"margin": {"l": 60, "r": 20, "t": 30, "b": 50}, "legend": {"orientation": "h", "y": 1.12},
           "template": "plotly_white", "height": 380}


def _colour(wavelength_nm: float) -> str:
    return next(c for limit, c in WAVELENGTH_COLOURS.items() if wavelength_nm < limit)


def depth_dose_figure(plan):
    """Fluence (J/cm2) against depth (mm), per wavelength and total, with the plan's dose window shaded at the
    depth it applies to (the skin, or the target depth), the target depth marked and the total's 5th-95th
    percentile band where the plan sampled its inputs (``plan``: a planning Plan); a 3-D head plan also marks its
    cortex dose (the curves stay the flat stack's)."""
    import plotly.graph_objects as go

    curve = plan.depth_dose
    depth = curve.depth_mm
    fig = go.Figure()
    if curve.total_j_cm2_p05 is not None and curve.total_j_cm2_p95 is not None:
        fig.add_trace(go.Scatter(x=depth + depth[::-1], y=curve.total_j_cm2_p95 + curve.total_j_cm2_p05[::-1],
                                 fill="toself", fillcolor="rgba(28,36,48,0.15)", line={"width": 0},
                                 name="total, 5th-95th percentile", hoverinfo="skip"))
    for row in curve.by_wavelength:
        fig.add_trace(go.Scatter(x=depth, y=row.fluence_j_cm2, mode="lines", name=f"{row.wavelength_nm:g} nm",
                                 line={"color": _colour(row.wavelength_nm), "width": 2}))
    fig.add_trace(go.Scatter(x=depth, y=curve.total_j_cm2, mode="lines", name="total",
                             line={"color": "#1c2430", "width": 3}))
    window = plan.window
    target_depth = plan.target.depth_mm if plan.target else None
    if window.low_j_cm2 is not None and window.high_j_cm2 is not None:
        at_target = window.basis == "target" and target_depth is not None
        fig.add_hrect(y0=window.low_j_cm2, y1=window.high_j_cm2, fillcolor=WINDOW_COLOUR, opacity=0.18,
                      line_width=0)
        label = (f"dose window {window.low_j_cm2:g}-{window.high_j_cm2:g} J/cm² "
                 f"({'at the target' if at_target else 'at the skin'})")
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label,  # legend entry for the band
                                 marker={"symbol": "square", "size": 14, "color": WINDOW_COLOUR, "opacity": 0.4}))
    if target_depth is not None:
        fig.add_vline(x=target_depth, line_dash="dash", line_color="#555",
                      annotation_text=f"target {target_depth:g} mm", annotation_position="top left")
    if target_depth is not None and plan.transport is not None and plan.transport.head is not None:
        fig.add_trace(go.Scatter(x=[target_depth], y=[plan.target.fluence_j_cm2], mode="markers",
                                 name="cortex, 3-D head (curves: flat stack)",
                                 marker={"symbol": "diamond", "size": 12, "color": "#b3261e"}))
    fig.update_layout(**_LAYOUT, xaxis_title="depth below the skin (mm)", yaxis_title="fluence (J/cm²)",
                      yaxis_type="log", yaxis_exponentformat="power")   # 10⁻⁴, not Plotly's SI "100μ" J/cm²
    return fig


def irradiance_distance_figure(distances_mm, irradiance_mw_cm2, device_name: str, readings=None, unit: str = "mm",
                               fitted=None):
    """On-axis irradiance (mW/cm2) against distance, shown in ``unit`` (a key of units.LENGTH_UNITS_MM), with meter
    readings as points and the curve fitted to them (both (distance mm, mW/cm2)) when given."""
    import plotly.graph_objects as go

    from ..units import LENGTH_UNITS_MM

    scale = LENGTH_UNITS_MM[unit]
    fig = go.Figure(go.Scatter(x=[d / scale for d in distances_mm], y=list(irradiance_mw_cm2), mode="lines",
                               name="model", line={"color": "#b3261e", "width": 3}))
    if readings:
        fig.add_trace(go.Scatter(x=[r[0] / scale for r in readings], y=[r[1] for r in readings], mode="markers",
                                 name="meter readings", marker={"size": 10, "color": "#1c2430"}))
    if fitted:
        fig.add_scatter(x=[d / scale for d in fitted[0]], y=list(fitted[1]), mode="lines", name="fitted to readings",
                        line={"dash": "dash", "color": "#1c2430"})
    values = [v for v in list(irradiance_mw_cm2) + [r[1] for r in readings or []] if v > 0]
    fig.update_layout(**_LAYOUT, title={"text": device_name, "font": {"size": 14}},
                      xaxis_title=f"distance ({unit})", yaxis_title="on-axis irradiance (mW/cm²)", yaxis_type="log")
    ticks = log_ticks_1_2_5(min(values), max(values)) if values else []
    if ticks:
        fig.update_yaxes(tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    return fig


def log_ticks_1_2_5(low: float, high: float) -> list[float]:
    """Tick values for a log axis over [low, high], labelled in full: 1-2-5 per decade, or every digit where that
    leaves fewer than three inside the data (Plotly's own ticks on a log axis of less than two decades label 20, 30,
    40 as "2", "3", "4", which reads as the wrong number); empty where even that leaves fewer than two."""
    import math

    def ticks(mantissas):
        out = []
        for decade in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
            out += [float(f"{m * 10.0 ** decade:.6g}") for m in mantissas]
        return [t for t in out if low <= t <= high]

    for mantissas in ((1, 2, 5), range(1, 10)):
        inside = ticks(mantissas)
        if len(inside) >= 3:
            return inside
    return inside if len(inside) >= 2 else []


def mc_depth_figure(result: dict):
    """Monte Carlo phi(z) (fluence per unit irradiance) with a band of +/- 2 batch standard errors."""
    import plotly.graph_objects as go

    z, phi, err = result["depth_mm"], result["phi"], result.get("stderr")
    params = result["params"]
    fig = go.Figure()
    if err:
        fig.add_trace(go.Scatter(x=z + z[::-1], y=[p + 2 * e for p, e in zip(phi, err)]
                                 + [max(p - 2 * e, 1e-9) for p, e in zip(phi[::-1], err[::-1])],
                                 fill="toself", fillcolor="rgba(179,38,30,0.2)", line={"width": 0},
                                 name="± 2 standard errors", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=z, y=phi, mode="lines", name=f"{params['wavelength_nm']:g} nm, {params['site']}",
                             line={"color": _colour(params["wavelength_nm"]), "width": 2}))
    fig.update_layout(**_LAYOUT, xaxis_title="depth below the skin (mm)", yaxis_title="fluence / irradiance",
                      yaxis_type="log", yaxis_exponentformat="power")
    return fig


def adherence_figure(adherence):
    """Sessions done against planned per ISO week of a plan's course (journal.adherence.Adherence)."""
    import plotly.graph_objects as go

    weeks = [w.iso_week for w in adherence.by_week if w.status != "upcoming"] or [adherence.by_week[0].iso_week]
    rows = adherence.by_week[:len(weeks)]
    fig = go.Figure([
        go.Bar(x=weeks, y=[w.planned for w in rows], name="planned", marker_color="#c9d1db"),
        go.Bar(x=weeks, y=[w.done for w in rows], name="done", marker_color="#b3261e"),
    ])
    fig.update_layout(**dict(_LAYOUT, height=300), barmode="group", yaxis_title="sessions", xaxis_title="ISO week")
    return fig
