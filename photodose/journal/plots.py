"""Progress figures: a PNG (matplotlib, Agg) and an interactive plotly Figure for the web, drawn from the same
:class:`~photodose.journal.progress.ProgressSeries`: surface dose per session (with the sessions that reported side
effects marked), cumulative surface dose per site, and outcome scores over time with the response (50 % of
baseline) and remission lines."""

from __future__ import annotations

from pathlib import Path

from .progress import ProgressSeries

TITLES = ("Surface dose per session (J/cm²)", "Cumulative surface dose per site (J/cm²)", "Outcome scores")


def _remission_label(series) -> str:
    """Short legend text; the full source stays in the JSON and the web page's hover text."""
    flag = " (unsourced)" if "unsourced" in series.remission_source or "UNVERIFIED" in series.remission_source else ""
    return f"{series.label} remission < {series.remission_line:g}{flag}"


def plot_progress_png(series: ProgressSeries, path: str | Path) -> Path:
    """Write the three-panel progress figure to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_dose, ax_cum, ax_score) = plt.subplots(3, 1, figsize=(9, 10), sharex=True)
    for site, (times, doses) in series.dose_by_site.items():
        ax_dose.plot(times, doses, "o", label=site)
    if series.side_effects:  # beside the dose: the sessions that reported side effects
        ax_dose.plot([e[0] for e in series.side_effects], [e[2] for e in series.side_effects], "x", color="red",
                     markersize=10, mew=2, label="side effects reported")
        for when, _, dose, text in series.side_effects:
            ax_dose.annotate(text, (when, dose), textcoords="offset points", xytext=(-6, -12), fontsize=7,
                             color="red", ha="right")
    for site, (times, totals) in series.cumulative_by_site.items():
        ax_cum.step(times, totals, where="post", marker="o", label=site)
    for s in series.scores:
        (line,) = ax_score.plot(s.times, s.totals, "o-", label=s.label)
        if s.response_line is not None:
            ax_score.axhline(s.response_line, color=line.get_color(), ls="--", lw=1,
                             label=f"{s.label} response (50 % of baseline)")
        if s.remission_line is not None:
            ax_score.axhline(s.remission_line, color=line.get_color(), ls=":", lw=1, label=_remission_label(s))
    for ax, title in zip((ax_dose, ax_cum, ax_score), TITLES):
        ax.set_title(title)
        ax.set_ylim(bottom=0)
        if ax.get_legend_handles_labels()[0]:  # beside the axes, never over the data
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    fig.autofmt_xdate()
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def progress_figure(series: ProgressSeries):
    """The same three panels as an interactive plotly Figure (not written anywhere; the web page embeds it)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    rows = 3 if series.scores else 2   # no empty outcome panel: its blank date axis would stretch the shared one
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, subplot_titles=TITLES[:rows], vertical_spacing=0.12)
    for site, (times, doses) in series.dose_by_site.items():
        fig.add_trace(go.Scatter(x=times, y=doses, mode="markers", name=f"dose {site}"), row=1, col=1)
    if series.side_effects:
        fig.add_trace(go.Scatter(x=[e[0] for e in series.side_effects], y=[e[2] for e in series.side_effects],
                                 mode="markers", marker={"symbol": "x", "size": 11, "color": "red"},
                                 name="side effects reported", text=[f"{e[1]}: {e[3]}" for e in series.side_effects]),
                      row=1, col=1)
    for site, (times, totals) in series.cumulative_by_site.items():
        fig.add_trace(go.Scatter(x=times, y=totals, mode="lines+markers", line_shape="hv", name=f"cumulative {site}"),
                      row=2, col=1)  # markers: a site with one session is a point, not nothing
    for s in series.scores:
        fig.add_trace(go.Scatter(x=s.times, y=s.totals, mode="lines+markers", name=s.label), row=3, col=1)
        # reference lines are legend entries, not text on the plot: with several scores their labels piled up on a
        # 390 px phone
        span = [min(s.times), max(s.times)] if s.times else []
        remission = _remission_label(s) if s.remission_line is not None else ""
        for line, dash, label in ((s.response_line, "dash", f"{s.label} response (50 % of baseline)"),
                                  (s.remission_line, "dot", remission)):
            if line is not None and span:
                fig.add_trace(go.Scatter(x=span, y=[line, line], mode="lines", name=label, hoverinfo="name",
                                         line={"dash": dash, "width": 1}, legendgroup=s.label), row=3, col=1)
    fig.update_xaxes(showticklabels=True)     # dates under every panel, not only the bottom one
    fig.update_yaxes(rangemode="tozero")      # from zero, as the PNG: small differences are not blown up
    fig.update_layout(height=340 * rows, title="Progress", legend={"orientation": "h", "yanchor": "top", "y": -0.06},
                      margin={"l": 40, "r": 10, "t": 60, "b": 40})
    return fig
