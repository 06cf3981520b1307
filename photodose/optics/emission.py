"""Emission spectra of light sources turned into wavelength samples with weights.

Model: a Gaussian line of centre ``centre_nm`` and full width at half maximum ``fwhm_nm``
(sigma = FWHM / (2 sqrt(2 ln 2))), integrated with Gauss-Hermite quadrature, which is exact for
polynomial responses up to degree 2n-1 across the line; or a measured table (wavelength, relative power)
binned into equal-width bins whose weights are the trapezoid integral over each bin and whose
wavelengths are the power-weighted bin centroids. Weights always sum to 1, so an integral over the
spectrum is ``sum(weights * f(wavelengths_nm))``.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from ..errors import PhotodoseInputError

WAVELENGTH_MIN_NM = 400.0
WAVELENGTH_MAX_NM = 1400.0
FWHM_TO_SIGMA = 1.0 / (2.0 * math.sqrt(2.0 * math.log(2.0)))


class EmissionSpectrum(BaseModel):
    """An emitter's spectrum: Gaussian (centre, FWHM) or a measured table of relative power."""

    model_config = ConfigDict(frozen=True)

    centre_nm: float
    fwhm_nm: float = 20.0
    shape: Literal["gaussian", "table"] = "gaussian"
    table_nm: tuple[float, ...] | None = None
    table_relative_power: tuple[float, ...] | None = None

    @field_validator("centre_nm")
    @classmethod
    def _centre_in_range(cls, v: float) -> float:
        if not WAVELENGTH_MIN_NM <= v <= WAVELENGTH_MAX_NM:
            raise ValueError(f"centre_nm={v} outside {WAVELENGTH_MIN_NM:g}-{WAVELENGTH_MAX_NM:g} nm")
        return v

    @field_validator("fwhm_nm")
    @classmethod
    def _fwhm_positive(cls, v: float) -> float:
        if not (0 < v <= 300):
            raise ValueError(f"fwhm_nm={v} must be > 0 and <= 300 nm")
        return v

    @model_validator(mode="after")
    def _table_consistent(self) -> "EmissionSpectrum":
        if self.shape == "table":
            nm, p = self.table_nm, self.table_relative_power
            if not nm or not p or len(nm) != len(p) or len(nm) < 2:
                raise ValueError("a table spectrum needs table_nm and table_relative_power of equal length >= 2")
            if any(b <= a for a, b in zip(nm, nm[1:])):
                raise ValueError("table_nm must increase strictly")
            if any(x < 0 for x in p) or sum(p) <= 0:
                raise ValueError("table_relative_power must be >= 0 and not all zero")
            if nm[0] < WAVELENGTH_MIN_NM or nm[-1] > WAVELENGTH_MAX_NM:
                raise ValueError(f"table_nm must lie within {WAVELENGTH_MIN_NM:g}-{WAVELENGTH_MAX_NM:g} nm")
        return self

    @classmethod
    def gaussian(cls, centre_nm: float, fwhm_nm: float = 20.0) -> "EmissionSpectrum":
        try:
            return cls(centre_nm=centre_nm, fwhm_nm=fwhm_nm)
        except ValueError:
            if not WAVELENGTH_MIN_NM <= centre_nm <= WAVELENGTH_MAX_NM:
                raise PhotodoseInputError("centre_nm", centre_nm, "allowed range is [400, 1400] nm") from None
            raise PhotodoseInputError("fwhm_nm", fwhm_nm, "allowed range is (0, 300] nm") from None

    @classmethod
    def from_table(cls, wavelengths_nm, relative_power) -> "EmissionSpectrum":
        nm = tuple(float(x) for x in wavelengths_nm)
        p = tuple(float(x) for x in relative_power)
        peak = nm[int(np.argmax(p))] if p else 0.0
        return cls(centre_nm=peak, shape="table", table_nm=nm, table_relative_power=p,
                   fwhm_nm=_table_fwhm(nm, p))

    def samples(self, n: int = 7) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(wavelengths_nm, weights)`` with weights summing to 1, clipped to 400-1400 nm."""
        if n < 1:
            raise PhotodoseInputError("n", n, "at least 1 sample")
        if self.shape == "gaussian":
            if n == 1:
                return np.array([self.centre_nm]), np.array([1.0])
            x, w = np.polynomial.hermite_e.hermegauss(n)  # weight exp(-x^2/2)
            nm = self.centre_nm + x * self.fwhm_nm * FWHM_TO_SIGMA
            w = w / w.sum()
            keep = (nm >= WAVELENGTH_MIN_NM) & (nm <= WAVELENGTH_MAX_NM)
            return nm[keep], w[keep] / w[keep].sum()
        return _bin_table(np.asarray(self.table_nm), np.asarray(self.table_relative_power), n)

    def mean_nm(self) -> float:
        nm, w = self.samples(15)
        return float(np.sum(nm * w))


def _table_fwhm(nm, p) -> float:
    nm_a, p_a = np.asarray(nm, float), np.asarray(p, float)
    if p_a.max() <= 0:
        return 1.0
    above = nm_a[p_a >= p_a.max() / 2]
    return float(max(above[-1] - above[0], 1.0))


def _bin_table(nm: np.ndarray, p: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    fine = np.linspace(nm[0], nm[-1], max(50 * n, 200))
    pf = np.interp(fine, nm, p)
    edges = np.linspace(nm[0], nm[-1], n + 1)
    centres, weights = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (fine >= lo) & (fine <= hi)
        wt = np.trapezoid(pf[m], fine[m]) if m.sum() > 1 else 0.0
        if wt > 0:
            centres.append(np.trapezoid(pf[m] * fine[m], fine[m]) / wt)
            weights.append(wt)
    w = np.asarray(weights)
    return np.asarray(centres), w / w.sum()
