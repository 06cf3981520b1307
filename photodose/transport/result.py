"""The result of a light-transport run: MCML's tallies plus standard errors and provenance.

Conventions (MCML, Wang, Jacques & Zheng 1995): per unit incident power (a wide beam: per unit irradiance);
``specular`` Rsp at the first surface; ``diffuse_reflectance`` Rd (specular excluded); ``transmittance`` Tt
(unscattered included); ``absorbed`` A. Grid tallies in MCML's units: A(z) 1/cm, A(r,z) 1/cm^3,
Rd(r), Tt(r) 1/cm^2, Rd(a), Tt(a) 1/sr. Fluence per unit incident power/irradiance: phi(z) = A(z)/mua
(dimensionless for a wide beam), phi(r,z) = A(r,z)/mua (1/cm^2).
Energy bookkeeping: Rsp + Rd + A + Tt = 1 + roulette_net_weight exactly (to rounding), where
roulette_net_weight is the weight Russian roulette created (survivor boosts) minus the weight it removed
(kills), per incident photon; its expectation is zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .beams import Beam, Incidence
from ..optics.layers import LayerStack, layer_index_at


@dataclass(frozen=True)
class Grid:
    """Tally grid: depth step and count (mm), radial step and count (mm), exit-angle bins over 0-90 degrees."""

    dz_mm: float = 0.05
    nz: int = 200
    dr_mm: float = 0.1
    nr: int = 100
    na: int = 30


@dataclass
class MCResult:
    stack: LayerStack
    beam: Beam
    incidence: Incidence
    grid: Grid
    photons: int
    seed: int
    batches: int
    seconds: float
    specular: float
    diffuse_reflectance: float
    absorbed: float
    transmittance: float
    layer_absorbed: np.ndarray                    # fraction absorbed per layer
    roulette_net_weight: float
    stderr: dict[str, float | np.ndarray]         # keys: diffuse_reflectance, absorbed, transmittance, layer_absorbed
    absorbed_z_per_cm: np.ndarray                 # A(z), len nz
    absorbed_rz_per_cm3: np.ndarray | None = None   # A(r, z), shape (nr, nz); None for a wide beam
    rd_r_per_cm2: np.ndarray | None = None
    tt_r_per_cm2: np.ndarray | None = None
    rd_a_per_sr: np.ndarray | None = None
    tt_a_per_sr: np.ndarray | None = None
    rd_ra: np.ndarray | None = None               # shape (nr, na), MCML units 1/(cm^2 sr)
    tt_ra: np.ndarray | None = None
    fluence_z_stderr: np.ndarray | None = None    # standard error of phi(z)
    extra: dict = field(default_factory=dict)

    @property
    def photons_per_second(self) -> float:
        return self.photons / self.seconds if self.seconds > 0 else float("inf")

    @property
    def depth_mm(self) -> np.ndarray:
        """Centres of the depth bins in mm."""
        return (np.arange(self.grid.nz) + 0.5) * self.grid.dz_mm

    @property
    def radius_mm(self) -> np.ndarray:
        return (np.arange(self.grid.nr) + 0.5) * self.grid.dr_mm

    def mua_at_depth_per_cm(self) -> np.ndarray:
        """mua of the layer containing each depth-bin centre (0 below the last finite layer)."""
        z_cm = self.depth_mm / 10.0
        bounds = self.stack.boundaries_cm()
        idx = layer_index_at(bounds, z_cm)
        mua = self.stack.arrays()["mua"][idx]
        return np.where(z_cm < bounds[-1], mua, 0.0)

    @property
    def fluence_per_irradiance(self) -> np.ndarray:
        """phi(z) = A(z) / mua: fluence per unit irradiance for a wide beam (dimensionless; J/cm^2 per J/cm^2)."""
        mua = self.mua_at_depth_per_cm()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(mua > 0, self.absorbed_z_per_cm / mua, np.nan)

    def energy_balance_error(self) -> float:
        """|Rsp + Rd + A + Tt - 1 - roulette_net_weight|: zero to rounding for a conserving kernel."""
        total = self.specular + self.diffuse_reflectance + self.absorbed + self.transmittance
        return abs(total - 1.0 - self.roulette_net_weight)

    def summary(self) -> dict:
        """The stable JSON keys of ``photodose mc --json``."""
        return {
            "specular": self.specular,
            "diffuse_reflectance": self.diffuse_reflectance,
            "absorbed": self.absorbed,
            "transmittance": self.transmittance,
            "layer_absorbed": [float(x) for x in self.layer_absorbed],
            "stderr": {k: (v.tolist() if isinstance(v, np.ndarray) else float(v)) for k, v in self.stderr.items()},
            "photons": self.photons,
            "seed": self.seed,
            "seconds": self.seconds,
            "photons_per_second": self.photons_per_second,
            "beam": self.beam.label(),
            "incidence": self.incidence.label(),
            "roulette_net_weight": self.roulette_net_weight,
            "kernel": self.extra.get("kernel"),
        }
