"""``photodose irradiance``, ``photodose calibrate`` and ``photodose device add|list|show|claims|template``."""

from __future__ import annotations

import re
from typing import Annotated, Optional

import typer

from ..errors import PhotodoseInputError
from ._output import JsonFlag, console, emit, require_output_path



def _parse_curve(text: str) -> tuple[float, float]:
    from ..units import parse_length_mm

    parts = [p.strip() for p in str(text).split("..")]
    if len(parts) != 2:
        raise PhotodoseInputError("curve", text, "expected START..END with units, e.g. '1 cm..60 cm'")
    start, end = (parse_length_mm(p, "curve", allow_zero=False) for p in parts)
    if end <= start:
        raise PhotodoseInputError("curve", text, "END must be farther than START")
    return start, end


# DISTANCE[@X,Y]=IRRADIANCE: groups distance, x, y, irradiance
_READING = re.compile(r"\s*([^=@]+?)\s*(?:@\s*([^=,]+?)\s*,\s*([^=]+?)\s*)?=\s*(.+?)\s*")


def _parse_reading(text: str):
    """'15 cm=62 mW/cm2' or '15 cm@5 cm,0 cm=62 mW/cm2' -> Reading."""
    from ..devices.calibration import Reading
    from ..units import parse_irradiance_mw_cm2, parse_length_mm, parse_quantity

    m = _READING.fullmatch(str(text))
    if not m:
        raise PhotodoseInputError("reading", text, "expected DISTANCE[@X,Y]=IRRADIANCE, e.g. '15 cm=62 mW/cm2'")
    distance, x, y, irradiance = m.groups()
    position = [parse_quantity(v, "mm", "reading position") if v else 0.0 for v in (x, y)]
    return Reading(parse_length_mm(distance, "reading distance"), parse_irradiance_mw_cm2(irradiance, "reading"),
                   *position)


def _render_summary(console, data) -> None:
    from rich.table import Table

    from ..units import format_length

    at = format_length(data["distance_mm"], data.get("unit", "cm")) if data["distance_mm"] else "0 (in contact)"
    table = Table(title=f"{data['device']} at {at}")
    for col in ("channel", "nm", "mean mW/cm²", "peak mW/cm²", "uniformity (min/max)"):
        table.add_column(col, justify="right")
    for row in data["channels"]:
        table.add_row(row["channel"], f"{row['wavelength_nm']:g}", f"{row['mean_irradiance_mw_cm2']:.2f}",
                      f"{row['peak_irradiance_mw_cm2']:.2f}", f"{row['uniformity']:.2f}")
    console.print(table)
    console.print(f"total mean irradiance: {data['total_mean_irradiance_mw_cm2']:.2f} mW/cm²")
    if data.get("area_text"):
        console.print(f"mean, peak and uniformity over {data['area_text']}", highlight=False)


def _render_curve(console, data) -> None:
    from rich.table import Table

    from ..units import format_length

    unit = data.get("unit", "cm")
    dose = data.get("dose_j_cm2")
    table = Table(title=f"{data['device']}: irradiance against distance")
    cols = [f"distance ({unit})", "on axis mW/cm²", "mean mW/cm²", "inverse-square guess mW/cm²"]
    cols += [f"minutes to {dose:g} J/cm²"] if dose is not None else []
    for col in cols:
        table.add_column(col, justify="right")
    for p in data["table"]:
        cells = [format_length(p["distance_mm"], unit).split()[0], f"{p['irradiance_mw_cm2']:.3g}",
                 f"{p['mean_irradiance_mw_cm2']:.3g}", f"{p['inverse_square_guess_mw_cm2']:.3g}"]
        if dose is not None:
            cells.append("-" if p["minutes_to_dose"] is None else f"{p['minutes_to_dose']:.1f}")
        table.add_row(*cells)
    console.print(table)
    console.print(f"mean over {data['area_text']}" + ("; minutes at the mean (H = E t, jenkins2011)" if dose else ""),
                  highlight=False)
    if data.get("plot"):
        console.print(f"plot written to {data['plot']}")


def _render_map(console, data) -> None:
    from ..units import format_length

    console.print(f"{data['device']} at {format_length(data['distance_mm'], data['unit'])}: mean "
                  f"{data['mean_irradiance_mw_cm2']:.3g} mW/cm², peak {data['peak_irradiance_mw_cm2']:.3g} mW/cm² "
                  f"over {data['area_text']}; map written to {data['map']}", highlight=False)


def _unit_mm(unit: str) -> float:
    from ..units import LENGTH_UNITS_MM

    return LENGTH_UNITS_MM[unit]


def _map(dev, distance_mm: float, area_mm, channels, path: str, unit: str) -> dict:
    """Write the 2-D map at ``distance_mm`` with the area its mean is over; return the summary numbers."""
    import numpy as np

    from ..devices.curves import area_outline_mm
    from ..devices.irradiance import area_description, irradiance_map, irradiance_summary
    from ..reports.irradiance_plots import plot_irradiance_map

    chosen = [c.id for c in dev.channels if c.enabled] if channels is None else list(channels)
    outline = area_outline_mm(dev, distance_mm, area_mm)
    extent = _map_extent(dev, distance_mm, outline)
    maps = [irradiance_map(dev, distance_mm, cid, extent_mm=extent) for cid in chosen]
    total = maps[0]
    if len(maps) > 1:
        from dataclasses import replace

        total = replace(maps[0], channels=tuple(chosen), irradiance_mw_cm2=sum(m.irradiance_mw_cm2 for m in maps))
    summary = irradiance_summary(dev, distance_mm, area_mm, chosen)
    mean = summary["total_mean_irradiance_mw_cm2"]
    gx, gy = np.meshgrid(total.x_mm, total.y_mm)
    inside = ((gx ** 2 + gy ** 2 <= (outline["diameter_mm"] / 2) ** 2) if outline["shape"] == "disc" else
              (np.abs(gx) <= outline["width_mm"] / 2) & (np.abs(gy) <= outline["height_mm"] / 2))
    peak = float(total.irradiance_mw_cm2[inside].max()) if inside.any() else float(total.irradiance_mw_cm2.max())
    text = area_description(dev, area_mm)
    plot_irradiance_map(total, outline, mean, peak, text, path, unit)
    return {"device": dev.id, "distance_mm": distance_mm, "unit": unit, "map": path, "area_text": text,
            "area_outline": outline, "mean_irradiance_mw_cm2": mean, "peak_irradiance_mw_cm2": peak,
            "channels": summary["channels"], "extent_mm": list(extent)}


def _map_extent(dev, distance_mm: float, outline: dict) -> tuple[float, float]:
    """The default map window, widened to hold the area of the mean with a margin."""
    from ..devices.irradiance import default_extent_mm

    w, h = default_extent_mm(dev, distance_mm)
    ow, oh = ((outline["diameter_mm"],) * 2 if outline["shape"] == "disc"
              else (outline["width_mm"], outline["height_mm"]))
    return max(w, 1.2 * ow), max(h, 1.2 * oh)


def _render_calibration(console, data) -> None:
    from rich.table import Table

    from ..units import format_length

    unit = data["_unit"]   # the unit the readings were typed in
    table = Table(title=f"calibration of {data['device']}")
    for col in ("distance", "measured mW/cm²", "fitted mW/cm²", "residual %"):
        table.add_column(col, justify="right")
    for r in data["residuals"]:
        table.add_row(format_length(r["distance_mm"], unit), f"{r['measured_mw_cm2']:.2f}",
                      f"{r['fitted_mw_cm2']:.2f}", f"{r['residual_percent']:+.1f}")
    console.print(table)
    std = data["power_scale_std"]
    console.print(f"power scale {data['power_scale']:.3f}" + (f" ± {std:.3f}" if std is not None else "")
                  + f"  (fitted optical power {data['fitted_power_mw'] / 1000:.3g} W)")
    if data["order_fitted"]:
        console.print(f"Lambertian order m = {data['lambertian_order']:.2f} "
                      f"(half-power half-angle {data['half_angle_deg']:.1f}°)")
    if data.get("meter_factor", 1.0) != 1.0:
        console.print(f"meter: {data['meter_note']}", highlight=False)
    claim = data["claim"]
    if data.get("saved_device"):
        console.print(f"saved as [bold]{data['saved_device']['id']}[/] ({data['saved_device']['file']}): "
                      f"use it with any command, e.g. photodose plan --device {data['saved_device']['id']}",
                      highlight=False)
    if claim:
        console.print(f"claim {claim['claimed_irradiance_mw_cm2']:g} mW/cm² at "
                      f"{format_length(claim['distance_mm'], unit)}; "
                      f"fitted {claim['fitted_irradiance_mw_cm2']:.1f}: claim differs by "
                      f"{claim['claim_vs_measurement_percent']:+.0f} %")


def _device_row(device, origin: str) -> dict:
    return {"id": device.id, "name": device.name, "kind": device.kind, "origin": origin,
            "channels": [c.id for c in device.channels], "wavelengths_nm": [c.wavelength_nm for c in device.channels],
            "default_distance_mm": device.default_distance_mm, "default_distance_unit": device.default_distance_unit,
            "file": device.file}


CALIBRATE_HELP = """Fit the device's power (and beam spread with >= 3 distances) to meter readings; check the claim.

\b
Readings (--reading, repeatable): DISTANCE=IRRADIANCE or DISTANCE@X,Y=IRRADIANCE
  '15 cm=62 mW/cm2'             on the axis (facing the device's centre)
  '6 in=100 mW/cm2'             any units: in, cm, mm; mW/cm2, W/m2
  '15 cm@10 cm,0 cm=48 mW/cm2'  off the axis: X,Y across the face
Meters (--meter):
  irradiance  an optical power meter set to the wavelength (as read)
  solar       a solar power meter, calibrated for sunlight: warned;
              --meter-factor F multiplies readings by a factor you trust
  other       a meter of unknown calibration: warned, as solar
--save keeps the calibrated device as ID-calibrated (--save-as NEW_ID
names it) for every command; plans say "calibrated from meter readings
on DATE".
"""


def _render_device_list(console, rows) -> None:
    from rich.table import Table

    from ..units import format_length

    table = Table(title="devices")
    table.add_column("id", no_wrap=True)  # ids are typed back in: never split them
    for col in ("kind", "wavelengths nm", "usual distance", "origin"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["kind"], ", ".join(f"{w:g}" for w in r["wavelengths_nm"]),
                      format_length(r["default_distance_mm"], r["default_distance_unit"]), r["origin"])
    console.print(table)


def _render_device(console, data) -> None:
    from rich.table import Table

    from ..units import format_length

    console.print(f"[bold]{data['name']}[/] ({data['id']}, {data['kind']}); file {data['file']}")
    table = Table(title="channels")
    for col in ("id", "centre nm", "FWHM nm", "power mW", "per emitter mW", "half angle °", "m", "dimming", "on"):
        table.add_column(col, justify="right", overflow="fold")
    for c in data["channels"]:
        table.add_row(c["id"], f"{c['spectrum']['centre_nm']:g}", f"{c['spectrum']['fwhm_nm']:g}",
                      _fmt(c["total_power_mw"]), _fmt(c["power_per_emitter_mw"]), _fmt(c["half_angle_deg"]),
                      _fmt(c["lambertian_order"]), f"{c['dimming']:g}", "yes" if c["enabled"] else "no")
    console.print(table)
    for claim in data["claims"]:
        console.print(f"{claim['tag']}: {claim['irradiance_mw_cm2']:g} mW/cm² at "
                      f"{format_length(claim['distance_mm'], data['default_distance_unit'])} — {claim['source']}")
    from ..devices.provenance import field_label

    ids = [c["id"] for c in data["channels"]]
    for field, prov in data["provenance"].items():
        console.print(f"  {field_label(field, ids)}: [italic]{prov['tag'].replace('_', ' ')}[/] — {prov['source']}",
                      highlight=False)
    cal = data.get("calibration")
    if cal:
        console.print(f"calibrated {cal['date']} from {cal['from_device']}: power x {cal['power_scale']:.3g}, rms "
                      f"residual {cal['rms_residual_percent']:.1f} %; meter: {cal['meter_note']}", highlight=False)
        for r in cal["readings"]:
            where = "" if r["x_mm"] == r["y_mm"] == 0 else f" at ({r['x_mm'] / 10:g} cm, {r['y_mm'] / 10:g} cm)"
            console.print(f"  reading {r['read_mw_cm2']:g} mW/cm² at "
                          f"{format_length(r['distance_mm'], data['default_distance_unit'])}{where}"
                          + (f" (used as {r['irradiance_mw_cm2']:.3g})" if r["irradiance_mw_cm2"] != r["read_mw_cm2"]
                             else ""), highlight=False)


def _fmt(value) -> str:
    return "-" if value is None else f"{value:g}"


def _render_claims(console, rows) -> None:
    from rich.table import Table

    from ..units import format_length

    table = Table(title="claims vs the device model (on axis)")
    at_cm = f"{rows[0]['distance_mm'] / 10:g} cm" if rows else ""
    table.add_column("device", no_wrap=True)  # ids are typed back in: never split them
    for col in ("claim mW/cm²", "at", "model at claim", f"model at {at_cm}", f"inverse square at {at_cm}"):
        table.add_column(col, justify="right", overflow="fold")
    for r in rows:
        table.add_row(r["device"], f"{r['claimed_irradiance_mw_cm2']:g}",
                      format_length(r["claim_distance_mm"], r["claim_distance_unit"]),
                      f"{r['model_at_claim_mw_cm2']:.1f}", f"{r['model_mw_cm2']:.1f}",
                      f"{r['inverse_square_guess_mw_cm2']:.1f}")
    console.print(table)
    console.print("Layouts and powers of catalog panels are model assumptions/fits, not manufacturer figures.")


def register(app: typer.Typer) -> None:
    @app.command("irradiance")
    def irradiance(
        device: Annotated[str, typer.Argument(help="catalog id, user device id, or a .yaml/.toml device file")],
        distance: Annotated[Optional[str], typer.Option(help="distance to the skin, e.g. '15 cm'")] = None,
        area: Annotated[Optional[str], typer.Option(help="treatment area, e.g. '20 cm x 20 cm'")] = None,
        channel: Annotated[Optional[list[str]], typer.Option(help="channel id (repeatable), e.g. 850")] = None,
        curve: Annotated[Optional[str], typer.Option(
            help="irradiance against distance as a table in your units, e.g. '2 in..24 in' or '1 cm..60 cm'")] = None,
        dose: Annotated[Optional[str], typer.Option(
            help="with --curve: minutes to this dose at each distance, e.g. '30 J/cm2'")] = None,
        plot: Annotated[Optional[str], typer.Option(help="write the curve as a PNG picture")] = None,
        map_: Annotated[Optional[str], typer.Option(
            "--map", help="write a 2-D map of the treatment plane at --distance as a PNG picture")] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Irradiance a device puts on the skin: mean/peak/uniformity at a distance, a map, or against distance."""
        from ..devices.catalog import load_device
        from ..devices.irradiance import IrradianceSummary, area_description, irradiance_summary
        from ..units import length_unit_typed, parse_area_mm, parse_length_mm

        for field, path in (("--plot", plot), ("--map", map_)):
            if path is not None:
                require_output_path(field, path, (".png",))
        dev = load_device(device).require_light("DEVICE")
        channels = list(channel) if channel else None
        distance_mm = parse_length_mm(distance, "--distance") if distance is not None else None
        area_mm = parse_area_mm(area, "--area") if area is not None else None
        dose_j_cm2 = None
        if dose is not None:
            from .cmd_dose import parse_fluence_j_cm2

            dose_j_cm2 = parse_fluence_j_cm2(dose, "--dose")
            if dose_j_cm2 <= 0:
                raise PhotodoseInputError("--dose", dose, "a dose above 0 J/cm2")
        typed = curve or distance or ""
        # answers in the unit typed, else in the device's usual distance's ("6 in"); "mm" only when typed, else cm
        unit = length_unit_typed(typed) if typed else dev.default_distance_unit
        unit = "cm" if unit == "mm" and "mm" not in typed else unit
        if map_ is not None:
            data = _map(dev, distance_mm if distance_mm is not None else dev.default_distance_mm, area_mm, channels,
                        map_, unit)
            if curve is None and plot is None:
                emit(data, as_json, _render_map)
                return
        if curve is not None or plot is not None or dose is not None:
            from ..devices.curves import distance_table, irradiance_curve, table_distances_mm

            start, end = _parse_curve(curve or ("1 in..24 in" if unit == "in" else "1 cm..60 cm"))
            if curve is None and distance_mm is not None and distance_mm > end:
                end = 1.25 * distance_mm
            rows = table_distances_mm(start, end, _unit_mm(unit))
            extra = (*rows, distance_mm) if distance_mm is not None else tuple(rows)
            data = irradiance_curve(dev, start, end, channels, area_mm, dose_j_cm2, extra_mm=extra)
            data.update(unit=unit, plot=plot, distance_mm=distance_mm, map=map_, table=distance_table(data, rows))
            if plot:
                from ..reports.irradiance_plots import plot_irradiance_curve

                plot_irradiance_curve(data, plot, unit, distance_mm)
            emit(data, as_json, _render_curve)
            return
        distance_mm = distance_mm if distance_mm is not None else dev.default_distance_mm
        summary = IrradianceSummary.model_validate(irradiance_summary(dev, distance_mm, area_mm, channels)).json_doc()
        emit(summary, as_json, lambda c, d: _render_summary(c, {**d, "area_text": area_description(dev, area_mm),
                                                                 "unit": unit}))

    @app.command("calibrate", help=CALIBRATE_HELP)
    def calibrate_cmd(
        device: Annotated[str, typer.Argument(help="catalog id, user device id, or a device file")],
        reading: Annotated[list[str], typer.Option(
            help="meter reading 'DISTANCE=IRRADIANCE' on the axis, or 'DISTANCE@X,Y=IRRADIANCE' off it "
                 "(repeatable), e.g. '15 cm=62 mW/cm2', '15 cm@10 cm,0 cm=48 mW/cm2'")],
        save: Annotated[bool, typer.Option(
            "--save", help="save the calibrated device (as ID-calibrated) for every command")] = False,
        save_as: Annotated[Optional[str], typer.Option(
            "--save-as", metavar="NEW_ID", help="save the calibrated device under this id")] = None,
        meter: Annotated[str, typer.Option(help="irradiance (default), solar or other")] = "irradiance",
        meter_factor: Annotated[Optional[float], typer.Option(
            help="multiply each reading by this factor you trust (e.g. from a calibrated meter side by side)")] = None,
        as_json: JsonFlag = False,
    ) -> None:
        from datetime import date

        from ..devices.calibration import Reading, calibrate
        from ..devices.calibration_store import meter_correction, save_calibrated_device
        from ..devices.catalog import load_device
        from ._output import err_console

        factor, note, warnings = meter_correction(meter, meter_factor)
        read = [_parse_reading(r) for r in reading]
        used = [Reading(r.distance_mm, r.irradiance_mw_cm2 * factor, r.x_mm, r.y_mm) for r in read]
        dev = load_device(device)
        result = calibrate(dev, used)
        data = result.to_dict() | {"meter": meter, "meter_factor": factor, "meter_note": note, "warnings": warnings}
        if save or save_as:
            saved = save_calibrated_device(dev, result, used, [r.irradiance_mw_cm2 for r in read], meter=meter,
                                           meter_factor=factor, meter_note=note, new_id=save_as,
                                           day=date.today())
            data["saved_device"] = {"id": saved.id, "file": saved.file}
        for w in warnings:
            err_console.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)
        from ..units import length_unit_typed

        unit = length_unit_typed(_READING.fullmatch(reading[0]).group(1))   # the first reading's distance
        emit(data, as_json, lambda c, d: _render_calibration(c, {**d, "_unit": unit}))

    devices_app = typer.Typer(help="Device catalog: list, show and add devices; a starter file for your own.",
                              no_args_is_help=True)
    app.add_typer(devices_app, name="device")

    @devices_app.command("list")
    def device_list(as_json: JsonFlag = False) -> None:
        """List built-in and user devices."""
        from ..devices.catalog import CATALOG_DIR, list_devices

        rows = [_device_row(d, "catalog" if d.file.startswith(str(CATALOG_DIR)) else "user") for d in list_devices()]
        emit(rows, as_json, _render_device_list)

    @devices_app.command("show")
    def device_show(device_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonFlag = False) -> None:
        """Show a device: channels, layout, claims and the provenance of every value."""
        from ..devices.catalog import load_device

        emit(load_device(device_id).model_dump(), as_json, _render_device)

    @devices_app.command("add")
    def device_add(file: Annotated[str, typer.Argument(metavar="FILE")], as_json: JsonFlag = False) -> None:
        """Validate a YAML/TOML device file and add it to your devices."""
        from ..devices.catalog import add_user_device

        device = add_user_device(file)
        emit(_device_row(device, "user"), as_json, lambda c, d: c.print(f"added {d['id']} ({d['file']})"))

    @devices_app.command("template")
    def device_template_cmd(
            kind: Annotated[Optional[str], typer.Option("--kind", help="panel, wand, mask, pad, headset, laser_probe "
                                                        "or sauna_dome: start from the generic device of that kind "
                                                        "(default panel)")] = None,
            from_id: Annotated[Optional[str], typer.Option("--from", help="start from this catalog device, the one "
                                                           "most like yours")] = None,
            output: Annotated[Optional[str], typer.Option("--output", "-o", help="write the file here (.yaml); "
                                                          "default: print it")] = None) -> None:
        """A starter device file to edit for your own device, then `photodose device add FILE`."""
        from ..devices.template import device_template

        if kind is not None and from_id is not None:
            raise PhotodoseInputError("kind", kind, "either --kind or --from, not both")
        path = None if output is None else require_output_path("output", output, (".yaml", ".yml"))
        text = device_template(kind, from_id)
        if path is None:
            typer.echo(text, nl=False)
            return
        path.write_text(text, encoding="utf-8")
        console.print(f"starter device file written to {path}; edit it, then: photodose device add {path}",
                      highlight=False)

    @devices_app.command("claims")
    def device_claims(
        distance: Annotated[str, typer.Option(help="comparison distance")] = "30 cm",
        as_json: JsonFlag = False,
    ) -> None:
        """Catalog claims reproduced by the device model, and the model vs the inverse-square guess."""
        from ..devices.catalog import list_devices
        from ..devices.claims import claim_table
        from ..units import parse_length_mm

        emit(claim_table(list_devices(), parse_length_mm(distance, allow_zero=False)), as_json, _render_claims)
