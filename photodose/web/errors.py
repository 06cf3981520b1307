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


async def _http_error(request: Request, exc: StarletteHTTPException):
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
