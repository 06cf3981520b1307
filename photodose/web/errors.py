"""Bad input becomes a 4xx JSON answer naming the field, never a 500 with a traceback. Pages (not /api) get a small
HTML page with a way back for 403, 404, 405 and 413, and a fault gets a short 500 page; all carry the security
headers (a fault's answer bypasses the middleware, so the handler adds them itself)."""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import PhotodoseInputError
from .static_files import static_url


def describe_validation_errors(errors) -> list[dict]:
    """[{"field": "body.distance_mm", "message": "..."}] from pydantic/FastAPI error dicts (JSON-safe)."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        if err.get("type") == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "")
            out.append({"field": "body", "message": f"invalid JSON at character {loc[-1]}: {reason}".rstrip(": ")})
            continue
        field = ".".join(p for p in loc if p not in ("body", "query", "path", "form")) or "body"
        out.append({"field": field, "message": str(err.get("msg", "invalid"))})
    return out


def _validation_response(errors) -> JSONResponse:
    described = describe_validation_errors(errors)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in described)
    return JSONResponse({"detail": detail, "errors": described}, status_code=422)


async def _input_error(_request: Request, exc: PhotodoseInputError) -> JSONResponse:
    return JSONResponse({"detail": str(exc), "field": exc.field}, status_code=422)


async def _request_validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    return _validation_response(exc.errors())


async def _model_validation(_request: Request, exc: ValidationError) -> JSONResponse:
    return _validation_response(exc.errors())


_log = logging.getLogger("photodose.web")
_PAGE_TITLES = {403: "This form has expired", 404: "Page not found", 405: "Not allowed here",
                413: "Too large", 500: "Something went wrong"}
_PAGE_HINTS = {
    403: "The form was made for an earlier session (the server restarted, or you logged out). Go back, reload "
         "the page and send it again: what you typed may need typing again.",
    404: "There is no such page, or it belongs to another user.",
    405: "This address does not take that kind of request.",
    413: "The file or form is larger than this server accepts.",
    500: "The server hit a fault; nothing you typed caused it. The journal keeps only completed saves.",
}


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith("/api") and path != "/openapi.json" and "text/html" in request.headers.get("accept", "")


def error_page(status_code: int, detail: str | None = None) -> HTMLResponse:
    title = _PAGE_TITLES.get(status_code, "Error")
    body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{title} · photodose</title>'
            f'<link rel="stylesheet" href="{static_url("style.css")}"></head><body><main id="main" class="card narrow">'
            f"<h1>{title}</h1><p>{html.escape(_PAGE_HINTS.get(status_code, detail or ''))}</p>"
            + (f"<p><small>{html.escape(str(detail)[:200])}</small></p>" if detail and status_code != 500 else "")
            + "<p>Use your browser's Back button, or go to the <a href=\"/\">start page</a>.</p>"
            + "</main></body></html>")
    return HTMLResponse(body, status_code=status_code)


def allowed_methods(request: Request) -> str:
    """Every method some route takes at this path (Starlette's 405 names only the first route's)."""
    from starlette.routing import Match

    def flat(routes):  # FastAPI keeps an included router's routes inside it
        for route in routes:
            inner = getattr(route, "original_router", None)
            yield from flat(inner.routes) if inner is not None else (route,)

    methods: set[str] = set()
    for route in flat(request.app.router.routes):
        if getattr(route, "methods", None) and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: StarletteHTTPException):
    if exc.status_code == 405:
        exc.headers = {**(exc.headers or {}), "Allow": allowed_methods(request) or (exc.headers or {}).get("Allow", "")}
    if exc.status_code in _PAGE_TITLES and _wants_html(request):
        response = error_page(exc.status_code, exc.detail)
        response.headers.update(exc.headers or {})
        return response
    return await http_exception_handler(request, exc)


async def _server_error(request: Request, exc: Exception):
    """The last resort (Starlette's ServerErrorMiddleware, outside every other middleware): log, answer briefly."""
    from .security import apply_headers

    _log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    response = error_page(500) if _wants_html(request) else JSONResponse(
        {"detail": "server error: the request failed on the server; see its log"}, status_code=500)
    apply_headers(response.headers, request.url.path, hsts=getattr(request.app.state, "tls", False))
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_exception_handler(PhotodoseInputError, _input_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(ValidationError, _model_validation)


# --- the error answers in the OpenAPI schema -------------------------------------------------------------------

ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "one line: the field, the value and what is allowed"},
        "field": {"type": "string", "description": "the input field at fault (422 from a photodose check)"},
        "errors": {"type": "array", "description": "each invalid field (422 from request validation)",
                   "items": {"type": "object", "required": ["field", "message"],
                             "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}
ERROR_RESPONSES = {
    "401": "Login required: the server runs with --require-login and the request has no live session.",
    "403": "A DELETE with a login session needs the X-CSRF-Token header.",
    "404": "No such profile or job for this user (another user's rows are not revealed).",
    "413": "The request body is larger than the server accepts (checked before it is read).",
    "415": "API writes take application/json.",
    "422": "Invalid input: the field, the value and what is allowed.",
}


def error_codes(method: str, path: str, takes_input: bool) -> list[str]:
    """The error answers an API operation can give: 401 on every one (login mode); 403 on DELETE; 404 where the
    path names a profile or a job; 413 and 415 on writes with a body; 422 where it takes input (``takes_input``:
    parameters or a body). (429 is the login form's, which is not part of the API.)"""
    method = method.lower()
    codes = ["401"]
    if method == "delete":
        codes.append("403")
    if "{profile_id}" in path or "{job_id}" in path:
        codes.append("404")
    if method in ("post", "put", "patch"):
        codes += ["413", "415"]
    if takes_input:
        codes.append("422")
    return codes


def document_error_responses(app: FastAPI) -> None:
    """Make ``app.openapi()`` list each operation's error answers (:func:`error_codes`) with their real body,
    :data:`ERROR_SCHEMA` (FastAPI's default 422 schema, a list of pydantic errors, is not what this app sends)."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                             description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ERROR_SCHEMA
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
                for code in error_codes(method, path, takes_input):
                    responses[code] = {"description": ERROR_RESPONSES[code], "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
