"""Pictures of a device's light: the 2-D irradiance map on the treatment plane with the area its mean is over,
and irradiance against distance (on axis per channel and in total, mean over the area, inverse-square guess).

Lengths are drawn in the unit the person typed (``unit``: a key of :data:`photodose.units.LENGTH_UNITS_MM`).
"""

from __future__ import annotations

from ..units import LENGTH_UNITS_MM, format_length

CHANNEL_STYLES = (dict(ls="-", marker="o"), dict(ls="--", marker="s"), dict(ls="-.", marker="^"),
                  dict(ls=":", marker="D"))


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_irradiance_map(irr_map, outline: dict, mean_mw_cm2: float, peak_mw_cm2: float, area_text: str,
                        path: str, unit: str = "cm") -> None:
    """The map ``irr_map`` (:class:`photodose.devices.irradiance.IrradianceMap`) as a colour image with a colour
    scale in mW/cm2, the area ``outline`` (:func:`photodose.devices.curves.area_outline_mm`) drawn on it, and a title
    naming the device, the distance and the mean and peak over that area."""
    from matplotlib.patches import Circle, Rectangle

    plt = _pyplot()
    k = LENGTH_UNITS_MM[unit]
    x, y = irr_map.x_mm / k, irr_map.y_mm / k
    fig, ax = plt.subplots(figsize=(6.4, 5.4))
    image = ax.pcolormesh(x, y, irr_map.irradiance_mw_cm2, shading="auto", cmap="inferno")
    bar = fig.colorbar(image, ax=ax)
    bar.set_label("irradiance (mW/cm²), time-averaged")
    if outline["shape"] == "disc":
        patch = Circle((0, 0), outline["diameter_mm"] / 2 / k, fill=False, ec="cyan", lw=1.8, ls="--")
    else:
        w, h = outline["width_mm"] / k, outline["height_mm"] / k
        patch = Rectangle((-w / 2, -h / 2), w, h, fill=False, ec="cyan", lw=1.8, ls="--")
    ax.add_patch(patch)
    ax.set_aspect("equal")
    size = (f"{format_length(outline['diameter_mm'], unit)} disc" if outline["shape"] == "disc" else
            f"{format_length(outline['width_mm'], unit)} x {format_length(outline['height_mm'], unit)}")
    why = area_text.rsplit("(", 1)[-1].rstrip(")") if "(" in area_text else area_text
    ax.set(xlabel=f"x ({unit})\ndashed: the area of the mean, {size} ({why})", ylabel=f"y ({unit})",
           title=f"{irr_map.device_id} at {format_length(irr_map.distance_mm, unit)} "
                 f"(channels {', '.join(irr_map.channels)})\n"
                 f"mean {mean_mw_cm2:.3g} mW/cm², peak {peak_mw_cm2:.3g} mW/cm² over the dashed area")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_irradiance_curve(data: dict, path: str, unit: str = "cm", mark_distance_mm: float | None = None) -> None:
    """Irradiance against distance from :func:`photodose.devices.curves.irradiance_curve`: total and each channel
    on axis (distinct line styles and markers, so channels of equal power stay visible), the mean over the area,
    the inverse-square guess and the reference point; ``mark_distance_mm`` (the person's --distance) marked."""
    plt = _pyplot()
    k = LENGTH_UNITS_MM[unit]
    rows = data["curve"]
    d = [p["distance_mm"] / k for p in rows]
    every = max(1, len(rows) // 12)
    fig, ax = plt.subplots(figsize=(7.0, 4.6))
    ax.plot(d, [p["irradiance_mw_cm2"] for p in rows], color="black", lw=2, label="on axis, all channels (model)")
    with_mean = [p for p in rows if p["mean_irradiance_mw_cm2"] is not None]
    ax.plot([p["distance_mm"] / k for p in with_mean], [p["mean_irradiance_mw_cm2"] for p in with_mean],
            color="tab:green", lw=2, label=f"mean over {data['area_text']}")
    if len(data["channels"]) > 1:
        for i, cid in enumerate(data["channels"]):
            style = CHANNEL_STYLES[i % len(CHANNEL_STYLES)]
            ax.plot(d, [p["by_channel_mw_cm2"][cid] for p in rows], markevery=(i * every // 2, every),
                    markersize=5, fillstyle="none", alpha=0.9, label=f"on axis, channel {cid}", **style)
    ax.plot(d, [p["inverse_square_guess_mw_cm2"] for p in rows], color="grey", ls="--", label="inverse-square guess")
    ref = data["reference"]
    ax.plot([ref["distance_mm"] / k], [ref["irradiance_mw_cm2"]], "o", color="tab:red",
            label=f"reference: {ref['kind']}")
    if mark_distance_mm is not None:
        at = min(with_mean, key=lambda p: abs(p["distance_mm"] - mark_distance_mm))
        ax.axvline(mark_distance_mm / k, color="tab:blue", lw=1, ls=":")
        ax.annotate(f"{format_length(mark_distance_mm, unit)}: {at['irradiance_mw_cm2']:.3g} on axis, "
                    f"{at['mean_irradiance_mw_cm2']:.3g} mean mW/cm²", (mark_distance_mm / k, at["irradiance_mw_cm2"]),
                    textcoords="offset points", xytext=(6, 8), fontsize=8, color="tab:blue")
    ax.set(xlabel=f"distance ({unit})", ylabel="irradiance (mW/cm²)", title=data["device"], yscale="log")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
