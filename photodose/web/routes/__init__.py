"""Routers of the web app: pages (HTML) and the JSON API under /api."""

from . import (api_home, api_journal, api_library, auth_pages, device_pages, journal_edit_pages, journal_pages,
               mc_pages,
               plan_pages, profile_pages, screening_pages)

ROUTERS = (auth_pages.router, plan_pages.router, device_pages.router, screening_pages.router, journal_pages.router,
           journal_edit_pages.router, profile_pages.router, mc_pages.router, api_library.router, api_journal.router,
           api_home.router)
