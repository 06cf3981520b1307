"""Skin and tissue heating during a session: the Pennes bioheat equation, layered tissue, checked against measurements.

    rho c dT/dt = div(k grad T) + w(T) rho_b c_b (T_a - T) + q_met + Q_light

Model: H. H. Pennes, J. Appl. Physiol. 1 (1948) 93-122 (:data:`PENNES_KEY` in the bibliography). Two solvers share
the equation:

- :func:`pennes_session` / :func:`pennes_steady_c`: the linear 1-D form (constant perfusion, surface loss
  ``h (T_air - T)`` with ``h`` = convection + linearised radiation). Finite volumes on a uniform grid,
  Crank-Nicolson, scipy sparse LU. Linearity gives the allowed irradiance scale and session length exactly
  (:func:`allowed_irradiance_scale`, :func:`time_to_threshold_s`); a test compares it with the closed-form steady
  state.
- :func:`skin_heating_session`: the model the safety gate uses and the measured heating tests check. Differences
  from the linear form, each sourced per value in the package's thermal tissue table:

  1. perfusion rises with local temperature (vasodilation): ``w = w_0 F``, ``F`` grows log-linearly from 1 at the
     tissue's unheated temperature to ``perfusion_max_factor`` at ``vasodilation_full_c`` and approaches that
     target with a first-order lag ``vasodilation_tau_s`` (skin blood flow up to 15-20 fold at 43 C, ``song1990``;
     local-heating vasodilation develops over minutes, ``johnson2010``);
  2. surface loss by natural convection plus thermal radiation, ``h_rad = eps sigma (T_s^2 + T_air^2)(T_s + T_air)``
     linearised at the unheated surface temperature (surroundings at air temperature);
  3. a laterally finite beam: with ``beam_radius_mm`` the equation is solved axisymmetrically in (r, z); the
     absorbed power Q(z) of the wide-beam optics is spread over a disc of radius ``sqrt(a^2 + s^2)`` (same total
     power), ``s`` = the light's own lateral spread by scattering: the source's per-depth Monte Carlo spread
     (``HeatSource.lateral_spread_mm``, :mod:`photodose.transport.lateral_spread`; the safety gate always gives
     it), else the stack's fixed ``lateral_spread_mm`` (unsourced, kept for callers without one). A millimetre-wide
     laser would otherwise put all its power into its own spot. Sub-millimetre hot spots at the entry point of very
     narrow beams are not resolved (the measured cases are thermal-camera readings of about a millimetre). Without a
     beam radius the beam is wider than the heated region and the 1-D solve is used;
  4. the thermal dose CEM43 (``sapareto1984``) of every cell is accumulated for the injury verdict.

  Cell-centred finite volumes on a grid fine near the surface (0.05 mm to 2 mm, then growing), BDF2 in time with
  the vasodilation term explicit (IMEX; stable for ``dt`` well below ``rho c / (w rho_b c_b)``, tens of seconds).
  The session starts from the unheated steady state with basal perfusion.

Assumptions stated: the bottom of the model (default 30 mm) stays at arterial temperature; metabolic heat is
neglected; the light's absorbed power density comes from the planner (``HeatSource``) and does not change with
temperature.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field, model_validator

from .sources import load_yaml

PENNES_KEY = "pennes1948"
SIGMA_W_M2_K4 = 5.670374419e-8  # Stefan-Boltzmann constant (exact in the 2019 SI)
KELVIN = 273.15


class ThermalLayer(BaseModel):
    """One tissue layer: thermal conductivity, density, heat capacity, basal perfusion, metabolic heat (SI units).

    ``perfusion_max_factor``: the largest factor by which local heating raises this layer's perfusion (1 = none).
    """

    name: str
    thickness_mm: float = Field(gt=0)
    k_w_m_k: float = Field(gt=0)
    rho_kg_m3: float = Field(gt=0)
    c_j_kg_k: float = Field(gt=0)
    perfusion_per_s: float = Field(default=0.0, ge=0)
    q_met_w_m3: float = Field(default=0.0, ge=0)
    perfusion_max_factor: float = Field(default=1.0, ge=1.0)


class ThermalStack(BaseModel):
    """Layers from the skin surface down; the model ends at the last layer's bottom where T = arterial_c.

    Surface: natural convection ``h_w_m2_k`` to air at ``air_c`` plus thermal radiation with ``emissivity`` to
    surroundings at ``air_c`` (0 = no radiation). Vasodilation: perfusion factors reach their maximum at
    ``vasodilation_full_c`` with time constant ``vasodilation_tau_s`` (used by :func:`skin_heating_session` only).
    """

    layers: list[ThermalLayer] = Field(min_length=1)
    blood_rho_kg_m3: float = Field(default=1060.0, gt=0)
    blood_c_j_kg_k: float = Field(default=3770.0, gt=0)
    arterial_c: float = 37.0
    h_w_m2_k: float = Field(default=10.0, ge=0)
    air_c: float = 25.0
    emissivity: float = Field(default=0.0, ge=0.0, le=1.0)
    vasodilation_full_c: float = Field(default=43.0, gt=30.0, lt=50.0)
    vasodilation_tau_s: float = Field(default=0.0, ge=0.0)
    lateral_spread_mm: float = Field(default=3.0, ge=0.0)

    @property
    def depth_mm(self) -> float:
        return sum(layer.thickness_mm for layer in self.layers)

    def surface_h_w_m2_k(self, surface_c: float) -> float:
        """Convection plus radiation linearised at ``surface_c``: h + eps sigma (T_s^2 + T_a^2)(T_s + T_a)."""
        ts, ta = surface_c + KELVIN, self.air_c + KELVIN
        return self.h_w_m2_k + self.emissivity * SIGMA_W_M2_K4 * (ts * ts + ta * ta) * (ts + ta)

    @classmethod
    def default(cls) -> ThermalStack:
        """Epidermis / dermis / fat / muscle to 30 mm from the package's thermal tissue table (sources per value)."""
        data = load_yaml("thermal_tissue.yaml")
        layers = [ThermalLayer(**{k: (v["value"] if isinstance(v, dict) else v) for k, v in layer.items()})
                  for layer in data["default_stack"]]
        surface, vaso = data["surface"], data["vasodilation"]
        return cls(layers=layers, blood_rho_kg_m3=data["blood"]["rho_kg_m3"]["value"],
                   blood_c_j_kg_k=data["blood"]["c_j_kg_k"]["value"], arterial_c=data["arterial_c"]["value"],
                   h_w_m2_k=surface["h_conv_w_m2_k"]["value"], air_c=surface["air_c"]["value"],
                   emissivity=surface["emissivity"]["value"], vasodilation_full_c=vaso["full_c"]["value"],
                   vasodilation_tau_s=vaso["tau_s"]["value"],
                   lateral_spread_mm=data["finite_beam"]["lateral_spread_mm"]["value"])

    def for_site_layers(self, layers: list[dict], depth_mm: float = 30.0) -> ThermalStack:
        """This stack's thermal properties on a body site's layer thicknesses (``optics.sites.layer_table``).

        Layers named ``epidermis``, ``dermis`` or ``scalp`` take this stack's epidermis / dermis (skin, with its
        vasodilation); layers of ``subcutaneous_fat`` tissue take its fat; every other layer (muscle, joint capsule,
        tendon, bone, brain) takes its muscle values (photodose assumption: no separate thermal data for them). The
        last layer is extended, or the stack cut, to ``depth_mm`` where T = arterial.
        """
        by_name = {layer.name: layer for layer in self.layers}
        skin_epi, skin_der = by_name["epidermis"], by_name["dermis"]
        fat, deep = by_name["subcutaneous fat"], by_name["muscle"]
        out: list[ThermalLayer] = []
        top = 0.0
        for layer in layers:
            if top >= depth_mm - 1e-9:
                break
            thickness = layer.get("thickness_mm") or (depth_mm - top)
            thickness = min(thickness, depth_mm - top)
            name, tissue = layer["name"], layer.get("tissue", "")
            proto = (skin_epi if name == "epidermis" else skin_der if name in ("dermis", "scalp")
                     else fat if tissue == "subcutaneous_fat" else deep)
            out.append(proto.model_copy(update={"name": name, "thickness_mm": thickness}))
            top += thickness
        if top < depth_mm - 1e-9:
            out.append(deep.model_copy(update={"name": "deep tissue", "thickness_mm": depth_mm - top}))
        return self.model_copy(update={"layers": out})

    def with_overrides(self, **layer_fields: dict[str, float]) -> ThermalStack:
        """Copy with fields replaced per layer name, e.g. ``with_overrides(dermis={"thickness_mm": 0.4})``."""
        names = {layer.name for layer in self.layers}
        unknown = set(layer_fields) - names
        if unknown:
            raise ValueError(f"unknown layer(s) {sorted(unknown)}; the stack has {sorted(names)}")
        layers = [layer.model_copy(update=layer_fields.get(layer.name, {})) for layer in self.layers]
        return self.model_copy(update={"layers": layers})


class HeatSource(BaseModel):
    """Absorbed light power density Q(z) in W/cm3 at depths in mm (the planner: sum over nm of E x mua x phi/E), and
    optionally the lateral spread s(z) in mm of a narrow beam's absorbed light at the same depths
    (:mod:`photodose.transport.lateral_spread`)."""

    depth_mm: list[float] = Field(min_length=2)
    w_per_cm3: list[float] = Field(min_length=2)
    lateral_spread_mm: list[float] | None = None

    @model_validator(mode="after")
    def _check(self) -> HeatSource:
        if len(self.depth_mm) != len(self.w_per_cm3):
            raise ValueError("depth_mm and w_per_cm3 must have the same length")
        if self.lateral_spread_mm is not None and (len(self.lateral_spread_mm) != len(self.depth_mm) or any(
                not (s >= 0 and math.isfinite(s)) for s in self.lateral_spread_mm)):
            raise ValueError("lateral_spread_mm must give a finite spread >= 0 at each depth")
        if any(b <= a for a, b in zip(self.depth_mm, self.depth_mm[1:])):
            raise ValueError("depth_mm must increase strictly")
        if any(q < 0 or not math.isfinite(q) for q in self.w_per_cm3):
            raise ValueError("w_per_cm3 must be finite and >= 0")
        return self

    def on_grid_w_m3(self, depth_mm: np.ndarray) -> np.ndarray:
        """Linear interpolation onto ``depth_mm`` (0 beyond the last depth), converted to W/m3."""
        q = np.interp(depth_mm, self.depth_mm, self.w_per_cm3, right=0.0)
        return q * 1e6

    def cell_average_w_m3(self, faces_mm: np.ndarray) -> np.ndarray:
        """Mean of the piecewise-linear Q(z) over each cell between consecutive ``faces_mm`` [W/m3].

        Exact cell integrals of the interpolant (0 beyond the last depth), so the absorbed power per unit area
        is conserved on any grid.
        """
        z = np.asarray(self.depth_mm, float)
        q = np.asarray(self.w_per_cm3, float)
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (q[1:] + q[:-1]) * np.diff(z))])

        def integral_to(x: np.ndarray) -> np.ndarray:
            x = np.clip(x, z[0], z[-1])
            i = np.clip(np.searchsorted(z, x, side="right") - 1, 0, len(z) - 2)
            dx = x - z[i]
            slope = (q[i + 1] - q[i]) / (z[i + 1] - z[i])
            return cum[i] + q[i] * dx + 0.5 * slope * dx * dx

        faces = np.asarray(faces_mm, float)
        return np.diff(integral_to(faces)) / np.diff(faces) * 1e6

    def absorbed_w_m2(self) -> float:
        """Absorbed power per unit skin area, the integral of Q over depth [W/m2]."""
        z = np.asarray(self.depth_mm, float) * 1e-3
        q = np.asarray(self.w_per_cm3, float) * 1e6
        return float(np.sum(0.5 * (q[1:] + q[:-1]) * np.diff(z)))

    def scaled(self, factor: float) -> HeatSource:
        return self.model_copy(update={"w_per_cm3": [v * factor for v in self.w_per_cm3]})


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


def _linear_surface_h(stack: ThermalStack) -> float:
    """Surface coefficient of the linear solver: convection, plus radiation linearised at the unheated surface.

    Without radiation (``emissivity`` 0) it is ``h_w_m2_k``. With radiation the unheated surface temperature comes
    from the 1-D basal steady state of the cell-centred solver (two fixed-point passes; the coefficient changes by
    well under 1 % between them).
    """
    if stack.emissivity <= 0:
        return stack.h_w_m2_k
    surface_c = stack.air_c + 8.0
    for _ in range(3):
        h = stack.surface_h_w_m2_k(surface_c)
        grid = _Grid.build(stack, None)
        surface_c = grid.surface_from(grid.steady(h, None), h)
    return stack.surface_h_w_m2_k(surface_c)


class _Operator:
    """Finite-volume form C dT/dt = -A T + b of the Pennes equation on nodes z_i = i dz (the last node fixed)."""

    def __init__(self, stack: ThermalStack, dz_mm: float):
        import scipy.sparse as sp

        n_cells = max(round(stack.depth_mm / dz_mm), 4)
        dz_m = stack.depth_mm / n_cells * 1e-3
        self.depth_mm = np.linspace(0.0, stack.depth_mm, n_cells + 1)
        node = self._layer_values(stack, self.depth_mm)
        mid = self._layer_values(stack, self.depth_mm[:-1] + 0.5 * dz_m * 1e3)
        n = n_cells  # unknowns: nodes 0..n-1; node n is held at the arterial temperature
        volume = np.full(n, dz_m)
        volume[0] = 0.5 * dz_m
        g = mid["k"] / dz_m  # conductance between node i and i+1, per m2
        perf = stack.blood_rho_kg_m3 * stack.blood_c_j_kg_k * node["w"][:n]
        h = _linear_surface_h(stack)
        diag = perf * volume
        diag[0] += h
        diag += g[:n]
        diag[1:] += g[: n - 1]
        self.A = sp.diags([diag, -g[: n - 1], -g[: n - 1]], [0, 1, -1], format="csc")
        self.C = node["rhoc"][:n] * volume
        self.volume = volume
        b = perf * volume * stack.arterial_c + node["qmet"][:n] * volume
        b[0] += h * stack.air_c
        b[n - 1] += g[n - 1] * stack.arterial_c
        self.b0 = b
        self.arterial_c = stack.arterial_c

    @staticmethod
    def _layer_values(stack: ThermalStack, z_mm: np.ndarray) -> dict[str, np.ndarray]:
        tops = np.cumsum([0.0] + [layer.thickness_mm for layer in stack.layers])
        idx = np.clip(np.searchsorted(tops, z_mm, side="right") - 1, 0, len(stack.layers) - 1)
        pick = lambda f: np.array([f(stack.layers[i]) for i in idx])
        return {"k": pick(lambda l: l.k_w_m_k), "rhoc": pick(lambda l: l.rho_kg_m3 * l.c_j_kg_k),
                "w": pick(lambda l: l.perfusion_per_s), "qmet": pick(lambda l: l.q_met_w_m3)}

    def with_node(self, t_unknowns: np.ndarray) -> np.ndarray:
        return np.append(t_unknowns, self.arterial_c)


def pennes_steady_c(stack: ThermalStack, source: HeatSource | None = None,
                    dz_mm: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
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


# ---------------------------------------------------------------------------------------------------------------
# The measured-model solver: temperature-dependent perfusion, radiation, finite beams, thermal dose.
# ---------------------------------------------------------------------------------------------------------------

CEM43_REFERENCE_C = 43.0
CEM43_R_ABOVE = 0.5   # Sapareto & Dewey 1984: R = 0.5 at and above 43 C
CEM43_R_BELOW = 0.25  # ... and 0.25 below 43 C


def cem43_rate_min_per_s(temperature_c: np.ndarray) -> np.ndarray:
    """Thermal dose rate in equivalent minutes at 43 C per second of exposure: R^(43 - T) / 60.

    Model: S. A. Sapareto and W. C. Dewey, Int. J. Radiat. Oncol. Biol. Phys. 10 (1984) 787-800
    (bibliography key ``sapareto1984``): CEM43 = sum_i t_i R^(43 - T_i), R = 0.5 for T >= 43 C, 0.25 below.
    """
    t = np.asarray(temperature_c, float)
    r = np.where(t >= CEM43_REFERENCE_C, CEM43_R_ABOVE, CEM43_R_BELOW)
    return r ** (CEM43_REFERENCE_C - t) / 60.0


def _z_faces_mm(stack: ThermalStack, fine_mm: float, fine_to_mm: float, growth: float, max_mm: float) -> np.ndarray:
    faces = [0.0]
    step = fine_mm
    while faces[-1] < stack.depth_mm - 1e-9:
        if faces[-1] >= fine_to_mm - 1e-9:
            step = min(step * growth, max_mm)
        faces.append(min(faces[-1] + step, stack.depth_mm))
    tops = np.cumsum([0.0] + [layer.thickness_mm for layer in stack.layers])
    faces = np.unique(np.concatenate([faces, tops]))
    keep = np.concatenate([[True], np.diff(faces) > 0.2 * fine_mm])  # drop slivers next to a layer boundary
    faces = faces[keep]
    faces[-1] = stack.depth_mm
    return faces


def _r_faces_mm(beam_radius_mm: float, fine_cells: int = 10, growth: float = 1.15,
                extent_mm: float = 40.0) -> np.ndarray:
    dr = beam_radius_mm / fine_cells
    faces = list(np.linspace(0.0, 1.5 * beam_radius_mm, round(1.5 * fine_cells) + 1))
    while faces[-1] < beam_radius_mm + extent_mm:
        dr *= growth
        faces.append(faces[-1] + dr)
    return np.asarray(faces)


@dataclass
class _Grid:
    """Cell-centred finite volumes in (r, z); one radial cell of 1 m2 area is the 1-D (wide beam) case."""

    z_faces_mm: np.ndarray
    r_faces_mm: np.ndarray | None
    stack: ThermalStack

    @classmethod
    def build(cls, stack: ThermalStack, beam_radius_mm: float | None, *, fine_mm: float = 0.05,
              fine_to_mm: float = 2.0, growth: float = 1.12, max_mm: float = 1.0) -> _Grid:
        grid = cls(_z_faces_mm(stack, fine_mm, fine_to_mm, growth, max_mm),
                   None if beam_radius_mm is None else _r_faces_mm(beam_radius_mm), stack)
        grid._assemble()
        return grid

    # geometry and properties ---------------------------------------------------------------------------------
    def _assemble(self) -> None:
        import scipy.sparse as sp

        stack = self.stack
        zf = self.z_faces_mm * 1e-3
        dz = np.diff(zf)
        zc_mm = 0.5 * (self.z_faces_mm[1:] + self.z_faces_mm[:-1])
        tops = np.cumsum([0.0] + [layer.thickness_mm for layer in stack.layers])
        layer_of = np.clip(np.searchsorted(tops, zc_mm, side="right") - 1, 0, len(stack.layers) - 1)
        lay = [stack.layers[i] for i in layer_of]
        k = np.array([layer.k_w_m_k for layer in lay])
        rhoc = np.array([layer.rho_kg_m3 * layer.c_j_kg_k for layer in lay])
        w0 = np.array([layer.perfusion_per_s for layer in lay])
        fmax = np.array([layer.perfusion_max_factor for layer in lay])
        qmet = np.array([layer.q_met_w_m3 for layer in lay])
        if self.r_faces_mm is None:
            ring_area = np.array([1.0])
            rf = None
        else:
            rf = self.r_faces_mm * 1e-3
            ring_area = np.pi * np.diff(rf ** 2)
        nr, nz = len(ring_area), len(dz)
        self.nr, self.nz, self.n = nr, nz, nr * nz
        self.depth_mm = zc_mm
        self.dz0, self.k0 = dz[0], k[0]
        volume = np.outer(ring_area, dz).ravel()
        self.volume = volume
        self.capacity = np.tile(rhoc, nr) * volume
        self.perf_w_k = np.tile(w0, nr) * stack.blood_rho_kg_m3 * stack.blood_c_j_kg_k * volume
        self.fmax = np.tile(fmax, nr)
        self.qmet_w = np.tile(qmet, nr) * volume
        self.ring_area = ring_area
        rows, cols, vals = [], [], []

        def couple(a: np.ndarray, b: np.ndarray, g: np.ndarray) -> None:
            rows.extend([a, b, a, b])
            cols.extend([a, b, b, a])
            vals.extend([g, g, -g, -g])

        idx = np.arange(self.n).reshape(nr, nz)
        # axial: series resistances of the two half cells (layer interfaces handled exactly)
        r_half = dz / (2.0 * k)
        g_axial = 1.0 / (r_half[:-1] + r_half[1:])
        for i in range(nr):
            couple(idx[i, :-1], idx[i, 1:], ring_area[i] * g_axial)
        if rf is not None and nr > 1:
            rc = 0.5 * (rf[1:] + rf[:-1])
            for i in range(nr - 1):
                g = k * 2.0 * np.pi * rf[i + 1] * dz / (rc[i + 1] - rc[i])
                couple(idx[i], idx[i + 1], g)
        self.conduction = sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                                        shape=(self.n, self.n))
        self.top = idx[:, 0]
        self.bottom = idx[:, -1]
        self.g_bottom = ring_area * 2.0 * k[-1] / dz[-1]
        self.idx = idx

    def g_surface(self, h: float) -> np.ndarray:
        return self.ring_area / (self.dz0 / (2.0 * self.k0) + (1.0 / h if h > 0 else np.inf))

    def operator(self, h: float):
        """Matrix A and vector b of ``C dT/dt = -A T + b`` with basal perfusion and no light."""
        import scipy.sparse as sp

        stack = self.stack
        diag = self.perf_w_k.copy()
        gs = self.g_surface(h)
        diag[self.top] += gs
        diag[self.bottom] += self.g_bottom
        a = (self.conduction + sp.diags(diag)).tocsc()
        b = self.perf_w_k * stack.arterial_c + self.qmet_w
        b[self.top] += gs * stack.air_c
        b[self.bottom] += self.g_bottom * stack.arterial_c
        return a, b

    def light_w(self, source: HeatSource | None, beam_radius_mm: float | None,
                spread_mm: float | np.ndarray = 0.0) -> np.ndarray:
        """Absorbed light power per cell [W]: Q(z) cell means times cell volume.

        1-D: per m2. Finite beam of radius a: Q(z) a^2 / R^2 on a disc of radius R = sqrt(a^2 + s^2), the same
        absorbed power spread laterally by scattering (see :func:`skin_heating_session`); ``spread_mm`` s is one
        value or one per depth cell.
        """
        if source is None:
            return np.zeros(self.n)
        q = source.cell_average_w_m3(self.z_faces_mm)
        if self.r_faces_mm is None:
            return q * self.volume
        r0, r1 = self.r_faces_mm[:-1, None], self.r_faces_mm[1:, None]
        radius = np.hypot(beam_radius_mm, np.broadcast_to(np.asarray(spread_mm, float), q.shape))[None, :]
        inside = np.clip(np.minimum(r1, radius) ** 2 - r0 ** 2, 0.0, None)
        weight = inside / (r1 ** 2 - r0 ** 2) * (beam_radius_mm / radius) ** 2
        return (weight * q[None, :]).ravel() * self.volume

    def steady(self, h: float, source: HeatSource | None, beam_radius_mm: float | None = None) -> np.ndarray:
        from scipy.sparse.linalg import spsolve

        a, b = self.operator(h)
        return spsolve(a, b + self.light_w(source, beam_radius_mm))

    def surface_from(self, t: np.ndarray, h: float) -> float:
        """On-axis skin surface temperature: the top cell's centre extrapolated through the surface resistance."""
        g_in = 2.0 * self.k0 / self.dz0
        return float((g_in * t[0] + h * self.stack.air_c) / (g_in + h))

    def axis(self, t: np.ndarray) -> np.ndarray:
        return t[self.idx[0]]


@dataclass(frozen=True)
class SessionHeating:
    """Temperatures and thermal dose of one session (:func:`skin_heating_session`).

    Depth profiles are on the beam axis at the cell centres ``depth_mm``; ``max_c_vs_time[j]`` is the hottest cell
    anywhere at ``time_s[j]``; ``surface_c_vs_time`` is the on-axis skin surface; ``cem43_min`` is the largest
    thermal dose of any cell over the session (equivalent minutes at 43 C) and ``cem43_vs_time`` its history.
    """

    depth_mm: np.ndarray
    baseline_c: np.ndarray
    final_c: np.ndarray
    time_s: np.ndarray
    max_c_vs_time: np.ndarray
    surface_c_vs_time: np.ndarray
    cem43_vs_time: np.ndarray
    baseline_max_c: float
    max_rise_c: float
    all_baseline_c: np.ndarray
    all_final_c: np.ndarray
    all_at_peak_c: np.ndarray
    beam_radius_mm: float | None
    h_surface_w_m2_k: float

    @property
    def peak_c(self) -> float:
        return float(self.max_c_vs_time.max())

    @property
    def peak_rise_c(self) -> float:
        """Largest rise of any cell above its own unheated temperature during the session."""
        return float(self.max_rise_c)

    @property
    def surface_rise_c(self) -> float:
        """On-axis skin surface temperature at the end minus at the start."""
        return float(self.surface_c_vs_time[-1] - self.surface_c_vs_time[0])

    @property
    def peak_depth_mm(self) -> float:
        return float(self.depth_mm[int(np.argmax(self.final_c))])

    @property
    def cem43_min(self) -> float:
        return float(self.cem43_vs_time[-1])

    def irradiance_scale_below(self, limit_c: float) -> float:
        """Irradiance factor that would keep every cell below ``limit_c`` if each cell's rise scaled linearly.

        min over heated cells of (limit - T_0) / (T - T_0), at the end and at the time of the peak. With
        vasodilation the rise grows less than linearly with irradiance, so a lower irradiance keeps relatively more of
        its rise: this factor is a first guess to iterate on (see ``safety.skin_checks``), not a bound.
        ``math.inf`` if nothing heats.
        """
        factors = []
        for state in (self.all_final_c, self.all_at_peak_c):
            rise = state - self.all_baseline_c
            heated = rise > 1e-9
            if heated.any():
                factors.append(np.min((limit_c - self.all_baseline_c[heated]) / rise[heated]))
        return float(max(min(factors), 0.0)) if factors else math.inf

    def time_to_c_s(self, threshold_c: float) -> float:
        """First time the hottest cell reaches ``threshold_c`` (linear between steps); ``math.inf`` if never."""
        return _first_crossing_s(self.time_s, self.max_c_vs_time, threshold_c)

    def time_to_cem43_s(self, dose_min: float) -> float:
        """First time any cell's thermal dose reaches ``dose_min``; ``math.inf`` if never."""
        return _first_crossing_s(self.time_s, self.cem43_vs_time, dose_min)


def _first_crossing_s(time_s: np.ndarray, series: np.ndarray, threshold: float) -> float:
    above = np.nonzero(series >= threshold)[0]
    if above.size == 0:
        return math.inf
    j = int(above[0])
    if j == 0:
        return 0.0
    t0, t1, m0, m1 = time_s[j - 1], time_s[j], series[j - 1], series[j]
    return float(t0 + (threshold - m0) / (m1 - m0) * (t1 - t0))


def skin_heating_session(stack: ThermalStack, source: HeatSource, duration_s: float, *,
                         beam_radius_mm: float | None = None, light_spread_mm: float | None = None,
                         vasodilation: bool = True, dt_s: float = 1.0, max_steps: int = 3000) -> SessionHeating:
    """Temperatures and thermal dose during ``duration_s`` of constant illumination (see the module docstring).

    Parameters
    ----------
    stack : layers, blood, surface and vasodilation parameters (``ThermalStack.default()`` is sourced per value).
    source : absorbed power density Q(z) [W/cm3 vs mm] on the beam axis.
    duration_s : session length [s], > 0.
    beam_radius_mm : radius of a top-hat beam [mm]; None = wider than the heated region (1-D).
    light_spread_mm : lateral spread of the scattered light [mm] for a finite beam: the absorbed power is spread
        over a disc of radius ``sqrt(a^2 + spread^2)`` at every depth. Default: the source's own ``lateral_spread_mm``
        per depth (the Monte Carlo spread the safety gate attaches), else the stack's ``lateral_spread_mm``
        (3 mm, unsourced). 0 = a top hat of the beam itself (no spread; overstates narrow beams many-fold).
    vasodilation : False keeps perfusion at its basal value (the linear Pennes model plus radiation).
    dt_s : target time step [s]; the number of steps is clipped to [100, ``max_steps``].

    Returns
    -------
    SessionHeating
    """
    from scipy.sparse import diags
    from scipy.sparse.linalg import splu

    if not duration_s > 0:
        raise ValueError("duration_s must be > 0")
    if beam_radius_mm is not None and not beam_radius_mm > 0:
        raise ValueError("beam_radius_mm must be > 0")
    h = _linear_surface_h(stack)
    grid = _Grid.build(stack, beam_radius_mm)
    a, b = grid.operator(h)
    from scipy.sparse.linalg import spsolve

    t0 = spsolve(a, b)
    if beam_radius_mm is not None and light_spread_mm is None:
        light_spread_mm = (np.interp(0.5 * (grid.z_faces_mm[1:] + grid.z_faces_mm[:-1]), source.depth_mm,
                                     source.lateral_spread_mm)
                           if source.lateral_spread_mm is not None else stack.lateral_spread_mm)
    b_light = b + grid.light_w(source, beam_radius_mm, 0.0 if light_spread_mm is None else light_spread_mm)
    steps = int(min(max(math.ceil(duration_s / dt_s), 100), max_steps))
    dt = duration_s / steps
    cap = grid.capacity
    base_c = t0.copy()
    span = np.maximum(stack.vasodilation_full_c - base_c, 0.1)
    log_fmax = np.log(grid.fmax)
    use_vaso = vasodilation and bool(np.any(grid.fmax > 1.0))
    relax = 1.0 if stack.vasodilation_tau_s <= 0 else 1.0 - math.exp(-dt / stack.vasodilation_tau_s)
    factor = np.ones(grid.n)

    def extra_w(temp: np.ndarray, f: np.ndarray) -> np.ndarray:
        return (f - 1.0) * grid.perf_w_k * (stack.arterial_c - temp)

    def target(temp: np.ndarray) -> np.ndarray:
        return np.exp(log_fmax * np.clip((temp - base_c) / span, 0.0, 1.0))

    lu_be = splu((diags(cap / dt) + a).tocsc())
    lu_bdf2 = splu((diags(1.5 * cap / dt) + a).tocsc())
    max_c = np.empty(steps + 1)
    surf = np.empty(steps + 1)
    dose_hist = np.empty(steps + 1)
    dose = np.zeros(grid.n)
    max_c[0], surf[0], dose_hist[0] = t0.max(), grid.surface_from(t0, h), 0.0
    max_rise = 0.0
    at_peak = t0
    prev, cur = t0, t0
    for j in range(1, steps + 1):
        if j == 1:
            rhs = cap / dt * cur + b_light + (extra_w(cur, factor) if use_vaso else 0.0)
            new = lu_be.solve(rhs)
        else:
            star = 2.0 * cur - prev
            rhs = cap / dt * (2.0 * cur - 0.5 * prev) + b_light + (extra_w(star, factor) if use_vaso else 0.0)
            new = lu_bdf2.solve(rhs)
        if use_vaso:
            factor = factor + (target(new) - factor) * relax
        dose += cem43_rate_min_per_s(0.5 * (cur + new)) * dt
        prev, cur = cur, new
        max_c[j], surf[j], dose_hist[j] = cur.max(), grid.surface_from(cur, h), dose.max()
        if max_c[j] >= max_c[:j].max():
            at_peak = cur
        max_rise = max(max_rise, float((cur - t0).max()))
    return SessionHeating(depth_mm=grid.depth_mm, baseline_c=grid.axis(t0), final_c=grid.axis(cur),
                          time_s=np.linspace(0.0, duration_s, steps + 1), max_c_vs_time=max_c,
                          surface_c_vs_time=surf, cem43_vs_time=dose_hist, baseline_max_c=float(t0.max()),
                          max_rise_c=max_rise, all_baseline_c=t0, all_final_c=cur, all_at_peak_c=at_peak,
                          beam_radius_mm=beam_radius_mm, h_surface_w_m2_k=h)
