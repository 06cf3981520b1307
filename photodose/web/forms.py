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


def number(form, name: str, errors: dict[str, str], *, low: float | None = None, high: float | None = None,
           required: bool = True) -> float | None:
    """Field ``name`` as a float within [low, high]; on failure records the message in ``errors``."""
    text = str(form.get(name) or "").strip()
    if not text:
        if required:
            errors[name] = f"{name}: required"
        return None
    try:
        return require_in_range(name, text, low, high)
    except PhotodoseInputError as exc:
        errors[name] = str(exc)
        return None
