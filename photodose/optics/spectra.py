"""Tabulated spectra shipped as package data, parsed once and cached.

Each file in ``photodose/optics/data`` starts with ``#`` provenance lines (source, units), then a header row
of column names, then numbers separated by tabs (``.tsv``) or commas (``.csv``). Tables are returned in
ascending wavelength order whatever the file's order (Kou 1993 water is published descending) and keep
their provenance text, so anything shown to a person can carry its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..package_data import read_text

DATA_PACKAGE = "photodose.optics.data"

SPECTRA = {
    "jacques_library": "jacques_spectral_library.csv",
    "prahl_hemoglobin": "prahl_hemoglobin_extinction.tsv",
    "water_kou1993": "water_kou1993.tsv",
    "water_segelstein1981": "water_segelstein1981.tsv",
    "fat_vanveen2004": "fat_vanveen2004.tsv",
    "cytochrome_c_oxidase": "cytochrome_c_oxidase_difference.tsv",
}


@dataclass(frozen=True)
class SpectralTable:
    """Columns of one tabulated spectrum (ascending ``nm``) with the file's provenance header."""

    name: str
    filename: str
    provenance: str
    columns: dict[str, np.ndarray] = field(repr=False)

    @property
    def wavelength_nm(self) -> np.ndarray:
        return self.columns["nm"]

    @property
    def range_nm(self) -> tuple[float, float]:
        return float(self.wavelength_nm[0]), float(self.wavelength_nm[-1])

    def interp(self, column: str, wavelength_nm) -> np.ndarray:
        """Linear interpolation of ``column`` at ``wavelength_nm``; outside the table the end value is held.

        Callers decide what holding the end value means and must say so (see ``covers``).
        """
        return np.interp(np.asarray(wavelength_nm, dtype=float), self.wavelength_nm, self.columns[column])

    def covers(self, wavelength_nm) -> np.ndarray:
        """Boolean mask: which wavelengths lie inside the tabulated range."""
        lo, hi = self.range_nm
        nm = np.asarray(wavelength_nm, dtype=float)
        return (nm >= lo) & (nm <= hi)


def read_data_text(filename: str) -> str:
    """Text of a packaged data file in ``photodose/optics/data``."""
    return read_text(DATA_PACKAGE, filename)


def parse_table(text: str, name: str = "table", filename: str = "") -> SpectralTable:
    """Parse '#' provenance lines, one header row, then numeric rows (tab or comma separated)."""
    comments, rows, header = [], [], None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip())
            continue
        cells = [c.strip() for c in stripped.replace(",", "\t").split("\t")]
        if header is None:
            header = cells
        else:
            rows.append([float(c) for c in cells])
    if header is None or not rows:
        raise ValueError(f"{filename or name}: no header row or no data rows")
    data = np.asarray(rows, dtype=float)
    order = np.argsort(data[:, 0], kind="stable")
    columns = {col: data[order, i] for i, col in enumerate(header)}
    if header[0] != "nm":
        columns["nm"] = columns[header[0]]
    return SpectralTable(name=name, filename=filename, provenance="\n".join(comments), columns=columns)


@lru_cache(maxsize=None)
def load_spectrum(name: str) -> SpectralTable:
    """Load one of :data:`SPECTRA` by short name (cached)."""
    filename = SPECTRA[name]
    return parse_table(read_data_text(filename), name=name, filename=filename)
