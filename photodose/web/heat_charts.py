"""The core-temperature chart of a whole-body hyperthermia plan (plotly figure JSON for the web page)."""

from __future__ import annotations


def core_temperature_figure(plan):
    """Predicted core temperature (degC) against minutes from the start of heating (``plan``: a
    photodose.hyperthermia.HyperthermiaPlan), with the target, the ceiling and the end of heating marked."""
    import plotly.graph_objects as go

    from ..hyperthermia import heat_limits
    from ..reports.plots import PHASE_COLOURS

    series = plan.core_temperature_c
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=series.minutes, y=series.degrees_c, mode="lines", name="core (JOS-3, predicted)",
                             line={"color": "#c0392b", "width": 3}))
    fig.add_hline(y=plan.target_core_c, line_dash="dash", line_color="#555",
                  annotation_text=f"target {plan.target_core_c:g} °C", annotation_position="top left")
    ceiling = heat_limits().core_ceiling_c.value
    fig.add_hline(y=ceiling, line_color="#8e0000", annotation_text=f"ceiling {ceiling:g} °C (NIOSH 2016)",
                  annotation_position="top left")
    fig.add_vline(x=plan.heating_minutes, line_dash="dot", line_color="#1c2430",
                  annotation_text="heat off", annotation_position="top right")
    for phase in plan.phases:
        fig.add_vrect(x0=phase.starts_at_min, x1=phase.ends_at_min, fillcolor=PHASE_COLOURS[phase.name],
                      opacity=0.12, line_width=0)
    fig.update_layout(xaxis_title="minutes from the start of heating", yaxis_title="core temperature (°C)",
                      margin={"l": 60, "r": 20, "t": 30, "b": 50}, legend={"orientation": "h"})
    return fig
