"""The 3-D head's dose as a picture: three orthogonal slices of the segmented head through the cortex under the
target, with the session's fluence (J/cm^2, log colour) over the tissue labels.

:func:`head_slices_png` draws one head run (``photodose head --plot``); :func:`plan_head_slices` draws the run
behind a ``plan --transport head3d`` plan, scaled to the plan's session, with a caption and alt text for the report
and the web page. Matplotlib with the Agg backend; PNG bytes are returned (I/O stays with the caller).
"""

from __future__ import annotations

import base64
import math

from pydantic import BaseModel, ConfigDict

from .plots import _png, _pyplot

SLICES_DPI = 100
LOG_DECADES = 4          # the colour scale spans max / 10^4 to max (photodose choice, unsourced)


class HeadSlices(BaseModel):
    """A head3d plan's slices picture (``png``, None when the run could not be matched to the plan, ``note`` says
    why), its caption and its alt text."""

    model_config = ConfigDict(frozen=True)
    png: bytes | None
    caption: str
    alt: str
    note: str | None = None

    @property
    def png_base64(self) -> str | None:
        """The PNG as base64, for a ``data:image/png;base64,`` URI (the report and the web page embed it)."""
        return None if self.png is None else base64.b64encode(self.png).decode("ascii")


def _slice_centre(model, target: str):
    """Voxel index of the cortex point under the target's first 10-20 position, and that position."""
    import numpy as np

    from ..transport import head as H

    _, positions, _ = H.resolve_target(target, model)
    centre = H.cortex_point(model, positions[0])
    vol = model.volume
    return np.floor((centre - np.asarray(vol.origin_mm)) / vol.voxel_mm).astype(int), positions[0]


def head_slices_png(dose, fluence_j_cm2, minutes: float | None = None, dpi: int = SLICES_DPI) -> bytes:
    """Sagittal, coronal and axial slices through the cortex under the first position of ``dose.target``
    (``dose``: a :class:`photodose.dosimetry.head_dose.HeadDose`; ``fluence_j_cm2``: its fluence per voxel):
    the tissue labels in grey, the fluence in log colour (max / 10^4 to max), grey matter outlined in cyan, the
    target's grey matter in green dashes and the scalp surface in black; the fourth cell holds the colour scale and
    the run. ``minutes``: draw a session of this length instead of ``dose.minutes`` (fluence is linear in time, so
    the run is scaled)."""
    import numpy as np
    from matplotlib.colors import LogNorm

    from ..transport import head as H

    plt = _pyplot()
    scale = 1.0 if minutes is None else float(minutes) / dose.minutes
    model = H.load_head()
    vol = model.volume
    idx, _ = _slice_centre(model, dose.target)
    labels = vol.labels
    target = H.target_mask(model, dose.target).astype(float)
    f = np.asarray(fluence_j_cm2, dtype=float) * scale
    f = np.where(f > 0, f, np.nan)
    vmax = float(np.nanmax(f)) if np.isfinite(f).any() else 1.0
    norm = LogNorm(vmin=vmax * 10.0 ** -LOG_DECADES, vmax=vmax)
    h, o, shape = vol.voxel_mm, vol.origin_mm, labels.shape
    views = [("sagittal x = %.0f mm" % (o[0] + (idx[0] + .5) * h), (idx[0], slice(None), slice(None)),
              (o[1], o[1] + shape[1] * h, o[2], o[2] + shape[2] * h), ("y (mm, anterior)", "z (mm)")),
             ("coronal y = %.0f mm" % (o[1] + (idx[1] + .5) * h), (slice(None), idx[1], slice(None)),
              (o[0], o[0] + shape[0] * h, o[2], o[2] + shape[2] * h), ("x (mm, right)", "z (mm)")),
             ("axial z = %.0f mm" % (o[2] + (idx[2] + .5) * h), (slice(None), slice(None), idx[2]),
              (o[0], o[0] + shape[0] * h, o[1], o[1] + shape[1] * h), ("x (mm, right)", "y (mm, anterior)"))]
    with plt.rc_context({"font.size": 11}):
        fig, grid = plt.subplots(2, 2, figsize=(8, 8.4), constrained_layout=True)
        image = None
        for ax, (title, cut, extent, (xl, yl)) in zip(grid.flat, views):
            lab = labels[cut].T
            ax.imshow(lab, origin="lower", extent=extent, cmap="Greys", vmin=0, vmax=8, interpolation="nearest")
            image = ax.imshow(f[cut].T, origin="lower", extent=extent, cmap="inferno", norm=norm, alpha=0.85,
                              interpolation="nearest")
            for mask, colour, style, width in (((lab == H.GREY), "cyan", "solid", 0.8),
                                               ((lab > 0), "black", "solid", 0.8),
                                               (target[cut].T, "lime", "dashed", 2.0)):
                if np.any(mask):
                    ax.contour(np.asarray(mask, float), levels=[0.5], colors=colour, linewidths=width,
                               linestyles=style, extent=extent, origin="lower")
            ax.set(title=title, xlabel=xl, ylabel=yl)
        key = grid[1, 1]   # the fourth cell: the colour scale and what is drawn
        key.axis("off")
        fig.colorbar(image, cax=key.inset_axes([0.0, 0.06, 0.09, 0.88]),
                     label="fluence in the session (J/cm$^2$)")
        key.text(0.36, 0.94, "\n".join([
            dose.device, f"at {', '.join(dose.positions)}", f"{dose.minutes * scale:.3g} min, "
            f"{', '.join(f'{nm:g}' for nm in dose.wavelengths_nm)} nm", "",
            f"cortex ({dose.target}):", f"{dose.cortex_fluence_j_cm2 * scale:.3g} "
            f"$\\pm$ {dose.cortex_fluence_stderr_j_cm2 * scale:.2g} J/cm$^2$", "",
            "cyan: grey matter", f"green dashes: {dose.target}", "black: scalp surface", "grey: tissues"]),
                 va="top", transform=key.transAxes)
    return _png(fig, dpi=dpi)


def plan_head_slices(plan, device) -> HeadSlices | None:
    """The slices picture of a ``head3d`` plan (None for other plans): the plan's own head run (see
    :func:`photodose.planning.head3d.plan_head_run`), scaled to its session (one minute when the plan sets none),
    with a caption naming what is drawn. If the run found again does not give the plan's cortex fluence, no picture
    is drawn and ``note`` says so."""
    from ..planning.head3d import plan_head_run
    from ..transport.head import load_head, resolve_target

    run = plan_head_run(plan, device)
    if run is None:
        return None
    dose, fluence = run
    head = plan.transport.head
    minutes = plan.session_seconds / 60.0 if plan.session_seconds else 1.0
    session = f"{minutes:.3g} min session" if plan.session_seconds else "one minute (this plan sets no session)"
    cortex = head.cortex_fluence_j_cm2_per_min * minutes
    cortex_se = head.cortex_fluence_stderr_j_cm2_per_min * minutes
    model = load_head()
    _, first = _slice_centre(model, head.target)
    _, target_positions, radius_mm = resolve_target(head.target, model)
    caption = (f"Fluence in the {session} (J/cm2, log colour over {LOG_DECADES} decades below the maximum) in "
               f"sagittal, coronal and axial slices of the {head.head_model} head through the cortex under {first}; "
               f"the device at {', '.join(head.positions)}, {head.distance_mm:g} mm from the scalp, each placement "
               f"for the whole session. Cyan: grey matter; black: the scalp surface; green dashes: the target "
               f"'{head.target}' (the cortical surface, grey matter touching CSF, within {radius_mm:g} mm of the "
               f"cortex under "
               f"{' and '.join(target_positions)}), where this run gives {cortex:.3g} +- {cortex_se:.2g} J/cm2 "
               f"(Monte Carlo standard error {100 * head.relative_stderr:.1f} %, {head.photons:,} photons, seed "
               f"{head.seed}). This is the run the plan's numbers come from{_median_note(plan, cortex)}.")
    alt = (f"Three slices of the head (sagittal, coronal, axial) through the cortex under {first}, coloured by the "
           f"light fluence of the {session} from the device at {', '.join(head.positions)}: brightest in the scalp "
           f"under the device, fading with depth; cortex ({head.target}) {cortex:.3g} J/cm2")
    if not math.isclose(dose.cortex_fluence_j_cm2, head.cortex_fluence_j_cm2_per_min, rel_tol=1e-6):
        return HeadSlices(png=None, caption=caption, alt=alt, note=(
            f"The slices picture is left out: the head run with this plan's recorded inputs gives "
            f"{dose.cortex_fluence_j_cm2:.3g} J/cm2 per minute at the cortex, not the plan's "
            f"{head.cortex_fluence_j_cm2_per_min:.3g} (the device or the head model changed since the plan was made)."))
    return HeadSlices(png=head_slices_png(dose, fluence, minutes=minutes), caption=caption, alt=alt)


def _median_note(plan, cortex_j_cm2: float) -> str:
    """Why the plan's target figure differs from the run's: it is the median over the input uncertainty."""
    t = plan.target
    if t is None or t.fluence_j_cm2_interval is None or math.isclose(t.fluence_j_cm2, cortex_j_cm2, rel_tol=1e-3):
        return ""
    return (f"; the plan's target figure, {t.fluence_j_cm2:.3g} J/cm2, is the median over the input uncertainty "
            f"(5th-95th percentile {t.fluence_j_cm2_interval[0]:.3g}-{t.fluence_j_cm2_interval[1]:.3g})")
