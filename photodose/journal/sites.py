"""The body sites a session or a pain score may name: the site stacks of :mod:`photodose.optics.sites`
(one place to change, so the journal, the planner and the safety gate agree on names)."""

from __future__ import annotations


def known_sites() -> tuple[str, ...]:
    """Canonical site names (``photodose.optics.sites.SITES``, from its package data ``sites.yaml``)."""
    from ..optics.sites import SITES

    return SITES


def require_site(site: str) -> str:
    """Canonical name of ``site`` (case, spaces, hyphens and aliases such as head -> forehead handled by
    :func:`photodose.optics.sites.resolve_site_name`); an unknown site raises PhotodoseInputError listing sites."""
    from ..optics.sites import resolve_site_name

    return resolve_site_name(site)
