"""The app factory: one FastAPI app per journal database, pages and /api on the same library."""

from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from . import errors, security
from .jobs import JobRunner
from .plan_cache import PlanCache

STATIC_DIR = Path(__file__).parent / "static"
SESSION_MAX_AGE_S = 8 * 3600


def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the installed plotly package (served locally: the app works offline)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app(db_url: str | None = None, *, require_login: bool = False, secret_key: str | None = None) -> FastAPI:
    """Build the web app over the journal at ``db_url`` (default: the journal's own default location).

    ``require_login``: every request needs a logged-in session (users from ``photodose serve --set-password``).
    ``secret_key`` signs the session cookies (random per process when not given).
    """
    from ..journal import open_journal
    from .routes import ROUTERS

    journal = open_journal(db_url)
    jobs = JobRunner()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        jobs.shutdown()
        journal.close()

    app = FastAPI(lifespan=lifespan, title="photodose", summary="Photobiomodulation dosimetry, planning and journal",
                  description="photodose informs; it does not diagnose.", docs_url=None, redoc_url=None)
    app.state.journal = journal
    app.state.require_login = require_login
    app.state.plan_cache = PlanCache()
    app.state.jobs = jobs

    plotly_js = plotly_js_path()

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def _plotly_js() -> FileResponse:
        return FileResponse(plotly_js, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    errors.install(app)
    app.middleware("http")(security.gate)
    app.add_middleware(SessionMiddleware, secret_key=secret_key or secrets.token_urlsafe(32),
                       session_cookie="photodose_session", max_age=SESSION_MAX_AGE_S, same_site="lax")
    return app
