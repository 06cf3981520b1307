"""Bad input becomes a 4xx JSON answer naming the field, never a 500 with a traceback."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from ..errors import PhotodoseInputError


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


def install(app: FastAPI) -> None:
    app.add_exception_handler(PhotodoseInputError, _input_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(ValidationError, _model_validation)
