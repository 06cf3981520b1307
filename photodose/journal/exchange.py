"""Export and import all of a person's data.

JSON: one object ``{"format": "photodose-journal", "format_version": 1, "schema_revision": ..., "profile": {...},
"devices": [...], "plans": [...], "sessions": [...], "outcomes": [...]}``; times as ISO 8601 text.
CSV: a zip archive holding ``manifest.json`` plus one CSV per table (``profile.csv``, ``devices.csv``,
``plans.csv``, ``sessions.csv``, ``outcomes.csv``); JSON-valued columns hold JSON text, empty cells are null,
floats are written with ``repr`` so they read back bit for bit. Both forms read back to the same export object.
Import creates a new profile with new ids (plan references are remapped) in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, select

from ..errors import PhotodoseInputError
from .db import Journal, head_revision
from .models import Base, DeviceInUse, HeatSession, Outcome, Plan, Profile, TherapySession
from .repository import owned_by

FORMAT = "photodose-journal"
FORMAT_VERSION = 1
CHILD_TABLES: dict[str, type[Base]] = {"devices": DeviceInUse, "plans": Plan, "sessions": TherapySession,
                                       "outcomes": Outcome, "heat_sessions": HeatSession}  # heat: rev 0007
_ALL_TABLES: dict[str, type[Base]] = {"profile": Profile, **CHILD_TABLES}
_SKIP = {"profile_id", "owner"}  # owner: the web account holding the data, not the person's data


def _columns(model: type[Base]):
    return [c for c in model.__table__.columns if c.name not in _SKIP]


def record_dict(row: Base) -> dict[str, Any]:
    """A row as a JSON-ready dict (column names as keys, times as ISO 8601 text, no profile_id)."""
    out = {}
    for c in _columns(type(row)):
        value = getattr(row, c.key)
        out[c.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _row_kwargs(model: type[Base], record: dict[str, Any], source: str) -> dict[str, Any]:
    kwargs = {}
    for c in _columns(model):
        if c.name == "id":
            continue
        value = record.get(c.name)
        if value is not None and isinstance(c.type, DateTime):
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise PhotodoseInputError(c.name, value, "an ISO 8601 date-time", source) from None
        kwargs[c.key] = value
    return kwargs


def _check_session(kwargs: dict[str, Any]) -> None:
    from ..errors import require_in_range
    from .repository import require_past
    from .sites import require_site

    kwargs["site"] = require_site(kwargs.get("site") or "")
    require_past("start_at", kwargs.get("start_at") or datetime.max)
    require_in_range("duration_s", kwargs.get("duration_s"), 0, 24 * 3600, low_inclusive=False)
    require_in_range("distance_mm", kwargs.get("distance_mm"), 0, None)  # no ceiling: older journals round-trip
    for key in ("surface_irradiance_mw_cm2", "surface_fluence_j_cm2", "target_fluence_j_cm2", "planned_seconds"):
        if kwargs.get(key) is not None:
            require_in_range(key, kwargs[key], 0, None)
    if kwargs.get("side_effects") is not None:  # rev 0005: checked like `log session --side-effect`
        from .side_effects import parse_side_effects

        kwargs["side_effects"] = parse_side_effects(kwargs["side_effects"], "side_effects")


def _check_outcome(kwargs: dict[str, Any]) -> None:
    from ..errors import require_in_range
    from ..outcomes import score_items, score_total
    from .repository import require_past
    from .sites import require_site

    require_past("recorded_at", kwargs.get("recorded_at") or datetime.max)
    if kwargs.get("site") is not None:
        kwargs["site"] = require_site(kwargs["site"])
    if kwargs.get("instrument") == "custom":
        if kwargs.get("metric_value") is not None:
            require_in_range("metric_value", kwargs["metric_value"])
        return
    items = kwargs.get("item_scores")
    score = score_items(kwargs.get("instrument"), items) if items is not None else \
        score_total(kwargs.get("instrument"), kwargs.get("total"))
    if kwargs.get("total") != score.total:
        raise PhotodoseInputError("total", kwargs.get("total"), f"{score.total:g}, the score of its items")


_CHECKS = {TherapySession: _check_session, Outcome: _check_outcome}


def _checked(model: type[Base], kwargs: dict[str, Any], where: str, source: str) -> dict[str, Any]:
    """``kwargs`` validated by the same rules as logging (an export may have been edited by hand)."""
    check = _CHECKS.get(model)
    if check is not None:
        try:
            check(kwargs)
        except PhotodoseInputError as exc:
            raise PhotodoseInputError(f"{where}.{exc.field}", exc.value, exc.allowed, source) from None
    return kwargs


def export_profile(db: Journal, profile_id: int) -> dict[str, Any]:
    """Everything stored for one profile as a JSON-ready object (ids included, for references only)."""
    with db.read() as s:
        profile = s.get(Profile, profile_id)
        if profile is None:
            raise PhotodoseInputError("profile_id", profile_id, "an existing profile id")
        data: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION,
                                "schema_revision": head_revision(), "profile": record_dict(profile)}
        for key, model in CHILD_TABLES.items():
            rows = s.scalars(select(model).where(model.profile_id == profile_id).order_by(model.id))
            data[key] = [record_dict(r) for r in rows]
    return data


def import_profile(db: Journal, data: dict[str, Any], rename: str | None = None, source: str = "import",
                   owner: str | None = None) -> Profile:
    """Create a new profile owned by ``owner`` (None: the local user; never the export's own owner) from an export
    object (refused, writing nothing, if ``owner`` already has a profile of that name)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PhotodoseInputError("format", data.get("format") if isinstance(data, dict) else type(data).__name__,
                                  f"a {FORMAT} export", source)
    if data.get("format_version") != FORMAT_VERSION:
        raise PhotodoseInputError("format_version", data.get("format_version"), f"{FORMAT_VERSION}", source)
    fields = _row_kwargs(Profile, data["profile"], source)
    if rename:
        fields["name"] = rename
    fields["owner"] = owner
    with db.transaction() as s:
        if s.scalar(select(Profile.id).where(Profile.name == fields.get("name"), owned_by(owner))) is not None:
            raise PhotodoseInputError("name", fields["name"], "a profile with this name exists; import with --as NEW",
                                      source)
        profile = Profile(**fields)
        s.add(profile)
        s.flush()
        plan_ids: dict[int, int] = {}
        for key, model in CHILD_TABLES.items():
            for index, record in enumerate(data.get(key, [])):
                kwargs = _checked(model, _row_kwargs(model, record, source), f"{key}[{index}]", source)
                if model is TherapySession and kwargs.get("plan_id") is not None:
                    kwargs["plan_id"] = plan_ids[kwargs["plan_id"]]
                row = model(profile_id=profile.id, **kwargs)
                s.add(row)
                if model is Plan:
                    s.flush()
                    plan_ids[record["id"]] = row.id
    return profile


# --- CSV (zip) --------------------------------------------------------------------------------------------------

def _cell(value: Any, column) -> str:
    if value is None:
        return ""
    if isinstance(column.type, JSON):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(column.type, Float):
        return repr(float(value))
    return str(value)


def _uncell(text: str, column) -> Any:
    if text == "":
        return None
    if isinstance(column.type, JSON):
        return json.loads(text)
    if isinstance(column.type, Float):
        return float(text)
    if isinstance(column.type, Integer):
        return int(text)
    return text


def _table_csv(model: type[Base], records: list[dict[str, Any]]) -> str:
    columns = _columns(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for r in records:
        writer.writerow([_cell(r[c.name], c) for c in columns])
    return buffer.getvalue()


def _read_table_csv(model: type[Base], text: str) -> list[dict[str, Any]]:
    by_name = {c.name: c for c in _columns(model)}
    return [{k: _uncell(v, by_name[k]) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def write_csv_zip(data: dict[str, Any], path: Path) -> None:
    manifest = {k: data[k] for k in ("format", "format_version", "schema_revision")}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=2))
        for key, model in _ALL_TABLES.items():
            records = [data["profile"]] if key == "profile" else data[key]
            z.writestr(f"{key}.csv", _table_csv(model, records))


def read_csv_zip(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as z:
        data = json.loads(z.read("manifest.json"))
        for key, model in _ALL_TABLES.items():
            if key == "heat_sessions" and f"{key}.csv" not in z.namelist():  # an export from before rev 0007
                data[key] = []
                continue
            records = _read_table_csv(model, z.read(f"{key}.csv").decode("utf-8"))
            data[key] = records[0] if key == "profile" else records
    return data


def write_export(data: dict[str, Any], path: str | Path, fmt: str) -> None:
    """Write an export object as ``json`` or ``csv`` (zip of CSV files)."""
    path = Path(path)
    if fmt == "json":
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    elif fmt == "csv":
        write_csv_zip(data, path)
    else:
        raise PhotodoseInputError("format", fmt, "json or csv")


def read_export(path: str | Path) -> dict[str, Any]:
    """Read an export written by :func:`write_export` (JSON file or CSV zip, told apart by content)."""
    from ..inputs import MAX_EXPORT_BYTES, read_bytes

    path = Path(path)
    if not path.is_file():
        read_bytes(path, "file")  # refuses a missing file, a folder, a FIFO or a device, naming which
    if path.stat().st_size > MAX_EXPORT_BYTES:
        raise PhotodoseInputError("file", str(path), f"an export of at most {MAX_EXPORT_BYTES:,} bytes")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as z:  # a zip bomb is refused by its stated sizes before anything is read
                if sum(info.file_size for info in z.infolist()) > MAX_EXPORT_BYTES:
                    raise PhotodoseInputError("file", str(path), f"an export of at most {MAX_EXPORT_BYTES:,} bytes "
                                              "unpacked")
            return read_csv_zip(path)
        except PhotodoseInputError:
            raise
        except (KeyError, ValueError, RecursionError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise PhotodoseInputError("file", str(path), f"a photodose CSV export zip ({exc})") from None
    from ..inputs import parse_json, read_text

    data = parse_json(read_text(path, "file", max_bytes=MAX_EXPORT_BYTES), "file", str(path))
    if not isinstance(data, dict):
        raise PhotodoseInputError("file", str(path), "a photodose JSON export (an object with a profile)")
    return data
