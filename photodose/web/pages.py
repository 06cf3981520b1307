"""Server-rendered pages: the Jinja2 environment and one ``render`` that adds what every page shows."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from ..hyperthermia.plan import DEFAULT_PERSON_TEXT
from ..units import unit_signs, format_length
from .profiles import active_profile, visible_profiles
from .security import CSRF_FIELD, csrf_token, current_user
from .static_files import static_url

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals["static_url"] = static_url
templates.env.filters["length_in"] = format_length   # {{ mm|length_in("cm") }}: "0.5 cm", "15 cm", "6 in"
templates.env.globals["default_heat_person"] = DEFAULT_PERSON_TEXT   # who a heat plan assumes without a body

# "38.5 degC", "30 J/cm2" show as "38.5 °C", "30 J/cm²" (set before any template loads)
templates.env.finalize = unit_signs

NAV = (("plan", "/", "Plan"), ("devices", "/devices", "Devices"), ("screening", "/screening", "Screening"),
       ("journal", "/journal", "Journal"), ("progress", "/progress", "Progress"), ("profile", "/profile", "Profile"))


def render(request: Request, template: str, *, status_code: int = 200, **context):
    """Render ``template`` with the navigation, the user, the active profile and the CSRF field."""
    user = current_user(request)
    base = {
        "nav": NAV, "user": user, "require_login": request.app.state.require_login,
        "csrf_field": CSRF_FIELD, "csrf_token": csrf_token(request),
        "profile": active_profile(request) if user else None,
        "profiles": visible_profiles(request) if user else [],
        "errors": {}, "values": {}, "message": None,
    }
    base.update(context)
    return templates.TemplateResponse(request, template, base, status_code=status_code)
