"""The body sites a session or a pain score may name (one function, so its source can change in one place)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..errors import require_choice


@lru_cache(maxsize=1)
def known_sites() -> tuple[str, ...]:
    """Site names from ``data/body_sites.txt`` (the issue-2 list; to be pointed at photodose.optics' site stacks)."""
    text = resources.files("photodose.journal.data").joinpath("body_sites.txt").read_text(encoding="utf-8")
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def require_site(site: str) -> str:
    """``site`` normalised (case; spaces and hyphens to underscores) if known, else PhotodoseInputError."""
    key = str(site).strip().lower().replace(" ", "_").replace("-", "_")
    if key in known_sites():
        return key
    return require_choice("site", site, known_sites())
