"""Routers of the web app: pages (HTML) and the JSON API under /api."""

from . import api_journal, auth_pages, journal_pages, plan_pages

ROUTERS = (auth_pages.router, plan_pages.router, journal_pages.router, api_journal.router)
