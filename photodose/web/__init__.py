"""The web edge: ``create_app`` builds a FastAPI app (server-rendered pages and a JSON API under /api) over the
same library and journal database as the command line."""

from .app import create_app

__all__ = ["create_app"]
