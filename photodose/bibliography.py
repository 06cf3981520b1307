"""One bibliography for every number photodose shows: tissue optics, devices, protocols, safety limits, questionnaires.

Entries live in ``photodose/data/bibliography.yaml``, keyed by citation key (``author`` + ``year`` + optional tag,
as colour-science does). Code and data files cite a key; :func:`cite` gives the one-line reference a person can
check (DOI, PMID, standard number). A value with no source says "photodose assumption (unsourced)" instead
(:data:`UNSOURCED`).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from .package_data import load_yaml

__all__ = ["Citation", "UNSOURCED", "bibliography", "cite", "citation"]

UNSOURCED = "photodose assumption (unsourced)"


class Citation(BaseModel):
    """A checkable reference (authors, year, title, journal or standard; DOI / PMID where verified)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    key: str
    authors: str
    year: int
    title: str
    journal: str
    volume_pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    verified_by: str

    def short(self) -> str:
        """One line: authors (year) journal volume; DOI/PMID."""
        ids = "; ".join(x for x in (f"doi:{self.doi}" if self.doi else "", f"PMID {self.pmid}" if self.pmid else "",
                                    self.pmcid or "") if x)
        vp = f" {self.volume_pages}" if self.volume_pages else ""
        return f"{self.authors} ({self.year}). {self.title}. {self.journal}{vp}." + (f" {ids}" if ids else "")


@lru_cache(maxsize=1)
def bibliography() -> dict[str, Citation]:
    """Every citation, keyed by citation key."""
    return {key: Citation(key=key, **entry)
            for key, entry in load_yaml("photodose.data", "bibliography.yaml").items()}


def citation(key: str) -> Citation:
    """The entry for ``key`` (KeyError names the key when it is missing)."""
    return bibliography()[key]


def cite(key: str) -> str:
    """The one-line reference for ``key``."""
    return citation(key).short()
