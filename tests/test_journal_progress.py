"""Progress series, the change-from-baseline summary, and the two figure builders (PNG and plotly)."""

import pytest

from photodose.journal.plots import plot_progress_png, progress_figure
from photodose.journal.progress import progress_series, progress_summary
from conftest import both_backends
from test_journal_fixtures import populate


@both_backends
def test_series_and_summary(journal):
    p = populate(journal)
    series = progress_series(journal, p.id)
    times, cumulative = series.cumulative_by_site["knee"]
    _, doses = series.dose_by_site["knee"]
    assert len(times) == 7 and cumulative[-1] == pytest.approx(sum(doses)) == pytest.approx(7 * 30.0)
    assert all(b >= a for a, b in zip(cumulative, cumulative[1:]))
    phq9 = next(s for s in series.scores if s.instrument == "phq9")
    assert phq9.totals == [17, 7, 4]
    assert phq9.response_line == pytest.approx(8.5) and phq9.remission_line == 5
    assert next(s for s in series.scores if s.instrument == "custom:wrinkle score").totals == [pytest.approx(0.3)]
    summary = {(c.instrument, c.site): c for c in progress_summary(journal, p.id)}
    assert summary[("phq9", None)].response is True and summary[("phq9", None)].remission is True
    pain = summary[("pain", "knee")]
    assert (pain.baseline_total, pain.current_total, pain.clinically_important, pain.response) == (7, 4, True, False)
    assert summary[("hamd17", None)].n_scores == 1 and summary[("hamd17", None)].change == 0


def test_png_and_plotly_figures(journal, tmp_path):
    p = populate(journal)
    series = progress_series(journal, p.id)
    path = plot_progress_png(series, tmp_path / "progress.png")
    assert path.read_bytes()[:4] == b"\x89PNG"
    fig = progress_figure(series)
    names = [t.name for t in fig.data]
    assert {"dose knee", "dose forearm", "cumulative knee", "phq9", "pain (knee)"} <= set(names)
    lines = {t.name: t.y for t in fig.data if t.name.startswith("phq9 re")}
    # PHQ-9 response (50 % of 17) and remission (< 5), drawn as legend entries across the scores' time span
    assert tuple(lines["phq9 response (50 % of baseline)"]) == pytest.approx((8.5, 8.5))
    assert [tuple(y) for name, y in lines.items() if "remission" in name] == [(5, 5)]


def test_png_legends_sit_beside_the_axes_not_over_the_data(journal, tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    figures = []
    monkeypatch.setattr(plt, "close", figures.append)
    plot_progress_png(progress_series(journal, populate(journal).id), tmp_path / "progress.png")
    fig = figures[0]
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            assert legend.get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
    monkeypatch.undo()
    plt.close(fig)


def test_web_progress_figure_without_outcomes_has_two_panels_dated_from_zero():
    """No outcome scores yet: no empty third panel (its blank date axis stretched the shared one back to 1970 and
    hid the dates); every panel shows its dates, the doses start at zero, and a site's single session is drawn."""
    from datetime import datetime

    from photodose.journal.progress import ProgressSeries

    t = [datetime(2026, 11, 2, 8), datetime(2026, 11, 4, 8)]
    series = ProgressSeries(dose_by_site={"knee": (t, [46.7, 46.7]), "face": (t[:1], [20.0])},
                            cumulative_by_site={"knee": (t, [46.7, 93.4]), "face": (t[:1], [20.0])})
    fig = progress_figure(series)
    layout = fig.to_plotly_json()["layout"]
    assert "xaxis3" not in layout and [a["text"] for a in layout["annotations"]] == [
        "Surface dose per session (J/cm²)", "Cumulative surface dose per site (J/cm²)"]
    assert layout["xaxis"]["showticklabels"] and layout["xaxis2"]["showticklabels"]
    assert layout["yaxis"]["rangemode"] == "tozero"
    face = next(tr for tr in fig.data if tr.name == "cumulative face")
    assert "markers" in face.mode
