"""Devices page: the catalog, add your own (upload a device file), irradiance against distance, calibration."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...errors import PhotodoseInputError
from .. import devices
from ..charts import irradiance_distance_figure
from ..forms import errors_from, values_of
from ..pages import render
from ..planning import DEFAULTS, load_catalog_device
from ..security import checked_form

router = APIRouter(include_in_schema=False)
DEFAULT_DISTANCE = "15 cm"   # for a device id the catalog does not know


def _page(request: Request, device_id: str, *, status_code: int = 200, values=None, errors=None, **context):
    from ...units import format_length, length_unit_typed

    values = dict(values or {})
    values.setdefault("device", device_id)
    errors = dict(errors or {})
    summary = None
    try:
        device = load_catalog_device(values["device"])
    except PhotodoseInputError as exc:   # an unknown id: the field says so, the default device's chart is shown
        errors.update(errors_from(exc, ("device", "distance")))
        device = load_catalog_device(DEFAULTS["device"])
        values["distance"] = values.get("distance") or DEFAULT_DISTANCE
    else:   # without a distance: the device's usual one, in its file's unit ("6 in")
        values["distance"] = values.get("distance") or format_length(device.default_distance_mm,
                                                                     device.default_distance_unit)
        try:
            summary = devices.summary_of(device, values["distance"])
        except PhotodoseInputError as exc:
            errors.update(errors_from(exc, ("device", "distance")))
    readings = context.pop("readings", None)
    fitted = context.pop("fitted_curve", None)
    distances, irradiance = devices.irradiance_curve(device)
    unit = length_unit_typed(values["distance"])   # the chart and the summary speak the unit of the distance field
    figure = irradiance_distance_figure(distances, irradiance, device.name, readings, unit, fitted)
    distance_text = None if not summary else (
        format_length(summary["distance_mm"], unit)
        + (" (in contact)" if summary["distance_mm"] == 0 else ""))
    from ...devices.template import GENERIC_BY_KIND

    catalog = devices.catalog_rows()   # reads the user's device files: once per page
    starters = ([(kind, f"generic {kind.replace('_', ' ')}") for kind in GENERIC_BY_KIND]
                + [(d["id"], d["name"]) for d in catalog if d["id"] not in GENERIC_BY_KIND.values()])
    return render(request, "devices.html", status_code=status_code, active="devices", catalog=catalog,
                  starter_options=starters,
                  distance_text=distance_text,
                  device_options=[(d["id"], d["name"]) for d in catalog],
                  device=device, summary=summary, values=values, errors=errors,
                  figure_json=figure.to_json(), **context)


@router.get("/devices")
def devices_page(request: Request, device: str = DEFAULTS["device"], distance: str = ""):
    return _page(request, device, values={"device": device, "distance": distance})


@router.get("/devices/template")
def device_template(request: Request, start: str = "panel"):
    """A starter device file to download: the generic device of a kind ("panel", ...) or a catalog device's own
    file (its id), renamed for the person to edit and upload (``photodose device template``)."""
    from ...devices.template import GENERIC_BY_KIND, device_template as starter, starter_id

    kind, from_id = (start, None) if start in GENERIC_BY_KIND else (None, start)
    try:
        if from_id is not None:
            load_catalog_device(from_id)   # the web's allow-list: a catalog id, never a path on the server
        text = starter(kind, from_id)
    except PhotodoseInputError as exc:
        return _page(request, DEFAULTS["device"], status_code=422, errors={"start": str(exc)[:500]})
    return Response(text, media_type="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{starter_id(kind, from_id)}.yaml"'})


@router.post("/devices/upload")
async def upload_device(request: Request):
    form = await checked_form(request)
    upload = form.get("file")
    try:
        if upload is None or not hasattr(upload, "read"):
            raise PhotodoseInputError("file", None, "choose a device file (.yaml, .yml or .toml)")
        device = devices.add_uploaded_device(upload.filename, await upload.read(devices.MAX_UPLOAD_BYTES + 1))
    except PhotodoseInputError as exc:
        return _page(request, DEFAULTS["device"], status_code=422, errors={"file": str(exc)[:500]})
    return _page(request, device.id, message=f"Added {device.name} ({device.id}) to your devices.")


@router.post("/devices/calibrate")
async def calibrate(request: Request):
    form = await checked_form(request)
    values = values_of(form)
    device_id = values.get("device", DEFAULTS["device"])
    try:
        readings = devices.parse_readings(values.get("readings", ""))
        device, result = devices.calibrate_device(device_id, readings)
    except PhotodoseInputError as exc:
        return _page(request, device_id, status_code=422, values=values,
                     errors=errors_from(exc, ("readings", "device")) | ({"readings": str(exc)}
                                                                      if exc.field.startswith("reading") else {}))
    from ...devices.irradiance import on_axis_irradiance_mw_cm2

    distances, _ = devices.irradiance_curve(device)
    order = result["lambertian_order"] if result["order_fitted"] else None
    fitted = on_axis_irradiance_mw_cm2(device, distances, order_m=order) * result["power_scale"]
    return _page(request, device_id, values=values, calibration=result, readings=readings,
                 fitted_curve=(distances, fitted.tolist()))
