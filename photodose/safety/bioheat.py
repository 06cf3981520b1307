"""Skin and tissue heating during a session: the Pennes bioheat equation in 1D (depth), layered tissue.

    rho c dT/dt = d/dz(k dT/dz) + w_b rho_b c_b (T_a - T) + q_met + Q_light(z)

with surface convection -k dT/dz = h (T_air - T) at z = 0 and T = T_a at the bottom of the model.
Model: H. H. Pennes, J. Appl. Physiol. 1 (1948) 93-122 (the bioheat equation). Discretised by finite volumes on a
uniform grid, Crank-Nicolson in time, scipy sparse LU. The session starts from the steady state without light.
Because the equation is linear and the light source is non-negative, the rise above that steady state scales
with irradiance and grows monotonically in time: both facts give the allowed irradiance scale and session length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field, model_validator

from .sources import load_yaml


class ThermalLayer(BaseModel):
    """One tissue layer: thermal conductivity, density, heat capacity, perfusion and metabolic heat (SI units)."""

    name: str
    thickness_mm: float = Field(gt=0)
    k_w_m_k: float = Field(gt=0)
    rho_kg_m3: float = Field(gt=0)
    c_j_kg_k: float = Field(gt=0)
    perfusion_per_s: float = Field(default=0.0, ge=0)
    q_met_w_m3: float = Field(default=0.0, ge=0)


class ThermalStack(BaseModel):
    """Layers from the skin surface down; the model ends at the last layer's bottom where T = arterial_c."""

    layers: list[ThermalLayer] = Field(min_length=1)
    blood_rho_kg_m3: float = Field(default=1060.0, gt=0)
    blood_c_j_kg_k: float = Field(default=3770.0, gt=0)
    arterial_c: float = 37.0
    h_w_m2_k: float = Field(default=10.0, ge=0)
    air_c: float = 25.0

    @property
    def depth_mm(self) -> float:
        return sum(layer.thickness_mm for layer in self.layers)

    @classmethod
    def default(cls) -> "ThermalStack":
        """Epidermis / dermis / fat / muscle to 30 mm from ``data/thermal_tissue.yaml`` (sources per value there)."""
        data = load_yaml("thermal_tissue.yaml")
        layers = [ThermalLayer(**{k: (v["value"] if isinstance(v, dict) else v) for k, v in layer.items()})
                  for layer in data["default_stack"]]
        return cls(layers=layers, blood_rho_kg_m3=data["blood"]["rho_kg_m3"]["value"],
                   blood_c_j_kg_k=data["blood"]["c_j_kg_k"]["value"], arterial_c=data["arterial_c"]["value"],
                   h_w_m2_k=data["surface"]["h_w_m2_k"]["value"], air_c=data["surface"]["air_c"]["value"])


class HeatSource(BaseModel):
    """Absorbed light power density Q(z) in W/cm3 at depths in mm (the planner: sum over nm of E x mua x phi/E)."""

    depth_mm: list[float] = Field(min_length=2)
    w_per_cm3: list[float] = Field(min_length=2)

    @model_validator(mode="after")
    def _check(self) -> "HeatSource":
        if len(self.depth_mm) != len(self.w_per_cm3):
            raise ValueError("depth_mm and w_per_cm3 must have the same length")
        if any(b <= a for a, b in zip(self.depth_mm, self.depth_mm[1:])):
            raise ValueError("depth_mm must increase strictly")
        if any(q < 0 or not math.isfinite(q) for q in self.w_per_cm3):
            raise ValueError("w_per_cm3 must be finite and >= 0")
        return self

    def on_grid_w_m3(self, depth_mm: np.ndarray) -> np.ndarray:
        """Linear interpolation onto ``depth_mm`` (0 beyond the last depth), converted to W/m3."""
        q = np.interp(depth_mm, self.depth_mm, self.w_per_cm3, right=0.0)
        return q * 1e6


@dataclass(frozen=True)
class HeatingResult:
    """Temperatures of one session. ``max_c_vs_time[j]`` is the hottest point at ``time_s[j]``."""

    depth_mm: np.ndarray
    baseline_c: np.ndarray
    final_c: np.ndarray
    time_s: np.ndarray
    max_c_vs_time: np.ndarray

    @property
    def peak_c(self) -> float:
        return float(self.max_c_vs_time.max())

    @property
    def peak_depth_mm(self) -> float:
        return float(self.depth_mm[int(np.argmax(self.final_c))])

    @property
    def rise_c(self) -> np.ndarray:
        return self.final_c - self.baseline_c


class _Operator:
    """Finite-volume form C dT/dt = -A T + b of the Pennes equation on nodes z_i = i dz (the last node fixed)."""

    def __init__(self, stack: ThermalStack, dz_mm: float):
        import scipy.sparse as sp

        n_cells = max(int(round(stack.depth_mm / dz_mm)), 4)
        dz_m = stack.depth_mm / n_cells * 1e-3
        self.depth_mm = np.linspace(0.0, stack.depth_mm, n_cells + 1)
        node = self._layer_values(stack, self.depth_mm)
        mid = self._layer_values(stack, self.depth_mm[:-1] + 0.5 * dz_m * 1e3)
        n = n_cells  # unknowns: nodes 0..n-1; node n is held at the arterial temperature
        volume = np.full(n, dz_m)
        volume[0] = 0.5 * dz_m
        g = mid["k"] / dz_m  # conductance between node i and i+1, per m2
        perf = stack.blood_rho_kg_m3 * stack.blood_c_j_kg_k * node["w"][:n]
        diag = perf * volume
        diag[0] += stack.h_w_m2_k
        diag += g[:n]
        diag[1:] += g[: n - 1]
        self.A = sp.diags([diag, -g[: n - 1], -g[: n - 1]], [0, 1, -1], format="csc")
        self.C = node["rhoc"][:n] * volume
        self.volume = volume
        b = perf * volume * stack.arterial_c + node["qmet"][:n] * volume
        b[0] += stack.h_w_m2_k * stack.air_c
        b[n - 1] += g[n - 1] * stack.arterial_c
        self.b0 = b
        self.arterial_c = stack.arterial_c

    @staticmethod
    def _layer_values(stack: ThermalStack, z_mm: np.ndarray) -> dict[str, np.ndarray]:
        tops = np.cumsum([0.0] + [layer.thickness_mm for layer in stack.layers])
        idx = np.clip(np.searchsorted(tops, z_mm, side="right") - 1, 0, len(stack.layers) - 1)
        pick = lambda f: np.array([f(stack.layers[i]) for i in idx])  # noqa: E731
        return {"k": pick(lambda l: l.k_w_m_k), "rhoc": pick(lambda l: l.rho_kg_m3 * l.c_j_kg_k),
                "w": pick(lambda l: l.perfusion_per_s), "qmet": pick(lambda l: l.q_met_w_m3)}

    def with_node(self, t_unknowns: np.ndarray) -> np.ndarray:
        return np.append(t_unknowns, self.arterial_c)


def pennes_steady_c(stack: ThermalStack, source: HeatSource | None = None, dz_mm: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Steady-state temperature (deg C) of the Pennes model; returns (depth_mm, temperature_c)."""
    from scipy.sparse.linalg import spsolve

    op = _Operator(stack, dz_mm)
    b = op.b0.copy()
    if source is not None:
        b += source.on_grid_w_m3(op.depth_mm[:-1]) * op.volume
    return op.depth_mm, op.with_node(spsolve(op.A, b))


def pennes_session(stack: ThermalStack, source: HeatSource, duration_s: float, *, dz_mm: float = 0.05,
                   n_steps: int | None = None) -> HeatingResult:
    """Temperatures during ``duration_s`` of constant illumination, starting from the steady state without light.

    Crank-Nicolson with ``n_steps`` equal steps (default: one per second, between 50 and 2000).
    """
    import scipy.sparse as sp
    from scipy.sparse.linalg import splu

    if not duration_s > 0:
        raise ValueError("duration_s must be > 0")
    op = _Operator(stack, dz_mm)
    baseline = sp.linalg.spsolve(op.A, op.b0)
    q = source.on_grid_w_m3(op.depth_mm[:-1]) * op.volume
    steps = n_steps or int(min(max(math.ceil(duration_s), 50), 2000))
    dt = duration_s / steps
    c_dt = sp.diags(op.C / dt, format="csc")
    lhs = splu((c_dt + 0.5 * op.A).tocsc())
    rhs_matrix = (c_dt - 0.5 * op.A).tocsr()
    b = op.b0 + q
    t = baseline.copy()
    max_c = np.empty(steps + 1)
    max_c[0] = max(t.max(), op.arterial_c)
    for j in range(1, steps + 1):
        t = lhs.solve(rhs_matrix @ t + b)
        max_c[j] = max(t.max(), op.arterial_c)
    return HeatingResult(depth_mm=op.depth_mm, baseline_c=op.with_node(baseline), final_c=op.with_node(t),
                         time_s=np.linspace(0.0, duration_s, steps + 1), max_c_vs_time=max_c)


def allowed_irradiance_scale(result: HeatingResult, threshold_c: float) -> float:
    """Largest factor s on the irradiance keeping the hottest point below ``threshold_c`` for the whole session.

    Linearity: T(z, t) = T_0(z) + s * dT(z, t), and dT grows with t, so s = min_z (threshold - T_0) / dT(z, end)
    over the points that heat up. ``math.inf`` if nothing heats; 0 if the baseline is already at the threshold.
    """
    rise = result.rise_c
    heated = rise > 1e-12
    if np.any(result.baseline_c >= threshold_c):
        return 0.0
    if not heated.any():
        return math.inf
    return float(np.min((threshold_c - result.baseline_c[heated]) / rise[heated]))


def time_to_threshold_s(result: HeatingResult, threshold_c: float) -> float:
    """First time the hottest point reaches ``threshold_c`` (linear between steps); ``math.inf`` if never."""
    above = np.nonzero(result.max_c_vs_time >= threshold_c)[0]
    if above.size == 0:
        return math.inf
    j = int(above[0])
    if j == 0:
        return 0.0
    t0, t1 = result.time_s[j - 1], result.time_s[j]
    m0, m1 = result.max_c_vs_time[j - 1], result.max_c_vs_time[j]
    return float(t0 + (threshold_c - m0) / (m1 - m0) * (t1 - t0))
