"""Form handling for pages: read numbers and choices, and put each error next to the field it names."""

from __future__ import annotations

from ..errors import PhotodoseInputError, require_in_range

FORM_LEVEL = "_form"


def error_field(exc: PhotodoseInputError, fields, aliases: dict[str, str] | None = None) -> str:
    """The form field that ``exc`` is about (by name or alias), else the form-level slot."""
    name = (aliases or {}).get(exc.field, exc.field)
    return name if name in fields else FORM_LEVEL


def errors_from(exc: PhotodoseInputError, fields, aliases: dict[str, str] | None = None) -> dict[str, str]:
    return {error_field(exc, fields, aliases): str(exc)}


def values_of(form) -> dict[str, str]:
    """What the person typed, to put back in the form (CSRF token left out)."""
    return {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def _filled(form, name: str, errors: dict[str, str], required: bool) -> str | None:
    """Field ``name`` stripped, or None when empty (recording "required" in ``errors`` when it is)."""
    text = str(form.get(name) or "").strip()
    if not text and required:
        errors[name] = f"{name}: required"
    return text or None


def number(form, name: str, errors: dict[str, str], *, low: float | None = None, high: float | None = None,
           required: bool = True) -> float | None:
    """Field ``name`` as a float within [low, high]; on failure records the message in ``errors``."""
    text = _filled(form, name, errors, required)
    if text is None:
        return None
    try:
        return require_in_range(name, text, low, high)
    except PhotodoseInputError as exc:
        errors[name] = str(exc)
        return None


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends (seconds optional)


def local_datetime(form, name: str, errors: dict[str, str], *, required: bool = False):
    """Field ``name`` as a naive local datetime ("2026-11-30T08:15", seconds optional, or a space for the T);
    on failure records the message in ``errors``; empty and not required: None."""
    from datetime import datetime

    text = _filled(form, name, errors, required)
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace(" ", "T")).replace(microsecond=0, tzinfo=None)
    except ValueError:
        errors[name] = str(PhotodoseInputError(name, text, "a date and time, e.g. 2026-11-30T08:15"))
        return None


def whole(value: float | None):
    """``value`` as an int when it is a whole number (4.0 -> 4), else unchanged (2.5 stays 2.5, for the journal to
    refuse by name instead of truncating it), None as None."""
    return int(value) if value is not None and float(value).is_integer() else value


def positive_minutes(form, errors: dict[str, str], name: str = "minutes") -> float | None:
    """Field ``name``: minutes done, in (0, 1440] (a session lasts some time and at most a day)."""
    text = str(form.get(name) or "").strip()
    if not text:
        errors[name] = f"{name}: required"
        return None
    try:
        return require_in_range(name, text, 0, 24 * 60, low_inclusive=False)
    except PhotodoseInputError as exc:
        errors[name] = str(exc)
        return None
