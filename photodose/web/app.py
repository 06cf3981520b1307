"""The app factory: one FastAPI app per journal database, pages and /api on the same library."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from . import errors, security
from .jobs import JobRunner
from .plan_cache import PlanCache
from .static_files import static_paths, static_route, warm_up

STATIC_DIR = Path(__file__).parent / "static"
SESSION_MAX_AGE_S = 8 * 3600


def private_sqlite_file(db_url: str | None) -> None:
    """Create the journal's SQLite file with mode 0600 (or take group and other access away from an existing one):
    it holds health data. SQLite gives its -wal and -shm files the database file's permissions."""
    from ..journal.paths import resolve_db_url

    resolved = resolve_db_url(db_url)
    if not resolved.startswith("sqlite:///") or resolved.endswith(":memory:"):
        return
    path = Path(resolved.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if file.exists() and file.stat().st_mode & 0o077:
                os.chmod(file, 0o600)


def create_app(db_url: str | None = None, *, require_login: bool = False, secret_key: str | None = None,
               allowed_hosts: list[str] | None = None, tls: bool = False) -> FastAPI:
    """Build the web app over the journal at ``db_url`` (default: the journal's own default location).

    ``require_login``: every request needs a logged-in session (users from ``photodose serve --set-password``).
    ``secret_key`` signs the session cookies (default: ``auth.secret_key()``, kept across restarts).
    ``allowed_hosts``: Host-header names served (default: the loopback names; see ``auth.allowed_hosts``).
    ``tls``: served over HTTPS (Secure cookie, HSTS).
    """
    from ..journal import open_journal
    from ..journal.paths import data_home
    from . import auth
    from .routes import ROUTERS

    private_sqlite_file(db_url)
    journal = open_journal(db_url)
    jobs = JobRunner(store_dir=data_home() / "jobs")  # finished jobs survive a restart

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        jobs.shutdown()
        journal.close()

    app = FastAPI(lifespan=lifespan, title="photodose", summary="Photobiomodulation dosimetry, planning and journal",
                  description="photodose informs; it does not diagnose.", docs_url=None, redoc_url=None)
    app.state.journal = journal
    app.state.require_login = require_login
    app.state.session_max_age_s = SESSION_MAX_AGE_S
    app.state.tls = tls
    app.state.login_throttle = auth.LoginThrottle()
    app.state.plan_cache = PlanCache()
    app.state.jobs = jobs

    warm_up()
    for name in static_paths():  # gzipped, versioned, cached (static_files.py)
        app.add_api_route(f"/static/{name}", static_route(name), methods=["GET", "HEAD"], include_in_schema=False)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    errors.install(app)
    errors.document_error_responses(app)
    security.install(app, allowed_hosts=allowed_hosts or auth.allowed_hosts("127.0.0.1"),
                     secret_key=secret_key or auth.secret_key(), max_age_s=SESSION_MAX_AGE_S, tls=tls)
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # pages and API answers (static files come gzipped)
    return app
