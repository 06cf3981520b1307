"""Fast estimate of fluence per unit irradiance phi(z) in a layered stack: 1D multi-layer diffusion theory.

Model: infinitely wide, collimated, normally incident illumination of a plane-parallel stack (the last layer
may be semi-infinite). Light is split into the reduced collimated beam and a diffuse part that obeys the P1
(diffusion) equations with a collimated source (e.g. Star, in Welch & van Gemert (eds.), Optical-Thermal
Response of Laser-Irradiated Tissue, 1995, ch. 6)::

    dF/dz + mua phi_d = mus* E(z),   F = -D dphi_d/dz + g* mus* E(z) / mu_tr,   D = 1 / (3 mu_tr)

with the delta-Eddington scaling (Joseph, Wiscombe & Weinman 1976) mus* = mus (1 - g^2), g* = g / (1 + g),
mu_t* = mua + mus*, mu_tr = mua + mus (1 - g), and E(z) = (1 - Rsp) exp(-int mu_t* dz) the reduced collimated
irradiance (normal-incidence Fresnel transmission at every interface). Boundaries: the partial-current
condition F = -phi_d / (2 A) at the top (+ at the bottom of a finite stack), A = (1 + R_eff) / (1 - R_eff)
with R_eff from the Fresnel integrals of Haskell et al., J. Opt. Soc. Am. A 11 (1994) 2727. Interfaces: the
flux F and phi_d / n^2 are continuous. Solved by finite volumes (cells finer than 0.1 / mu_t*), exact
cell-averaged source. Returns phi = E + phi_d, dimensionless (J/cm^2 of fluence per J/cm^2 incident).

Validity: each layer's mus' much larger than mua (say > 10x) and depths beyond about one transport mean free
path 1 / (mua + mus') from the surface; close to the surface and in thin, strongly absorbing layers the
diffusion estimate is biased. Agreement with the Monte Carlo kernel is measured in
``tests/test_transport_fast_diffusion.py`` and stated in ``VALIDITY``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import PhotodoseInputError
from ..optics.layers import LayerStack, layer_index_at

VALIDITY = (
    "1D diffusion theory (delta-Eddington, partial-current boundaries): valid for mus' >> mua in every layer and "
    "at depths beyond about one transport mean free path 1/(mua+mus') from the surface and from the bottom of a "
    "finite stack. Against Monte Carlo (4e5 photons, wide beam) on layered skin at 600, 660 and 850 nm: within "
    "5.5 % from 0.5 to 10 mm, within 7 % from 0.1 to 0.5 mm, up to 15 % in the top 0.1 mm"
)

_CELLS_PER_MFP = 10.0        # cells per 1/mu_t* (the collimated source's decay length)
_CELLS_PER_DIFFUSION = 40.0  # cells per 1/mu_eff at least
_TAIL_DIFFUSION_LENGTHS = 30.0   # a semi-infinite layer is truncated 30/mu_eff below its top


def fresnel_reflectance_unpolarised(n_in: float, n_out: float, cos_in: np.ndarray) -> np.ndarray:
    """Fresnel reflectance for unpolarised light from medium ``n_in`` into ``n_out`` at cosines ``cos_in``.

    Mean of the s and p reflectances (Born & Wolf, Principles of Optics, 1.5.2); 1 beyond the critical angle.
    """
    cos_in = np.asarray(cos_in, dtype=float)
    sin_t_sq = (n_in / n_out) ** 2 * (1.0 - cos_in ** 2)
    cos_t = np.sqrt(np.clip(1.0 - sin_t_sq, 0.0, None))
    rs = (n_in * cos_in - n_out * cos_t) / (n_in * cos_in + n_out * cos_t)
    rp = (n_out * cos_in - n_in * cos_t) / (n_out * cos_in + n_in * cos_t)
    return np.where(sin_t_sq >= 1.0, 1.0, 0.5 * (rs ** 2 + rp ** 2))


def effective_reflection(n_inside: float, n_outside: float, points: int = 20000) -> float:
    """Effective reflection coefficient R_eff of a diffusing medium's boundary (Haskell et al. 1994, eq. 2.5).

    R_eff = (R_phi + R_j) / (2 - R_phi + R_j), R_phi = int_0^1 2 mu R(mu) dmu, R_j = int_0^1 3 mu^2 R(mu) dmu,
    R the Fresnel reflectance from inside. Zero for matched indices.
    """
    mu = (np.arange(points) + 0.5) / points
    r = fresnel_reflectance_unpolarised(n_inside, n_outside, mu)
    r_phi = float(np.mean(2.0 * mu * r))
    r_j = float(np.mean(3.0 * mu ** 2 * r))
    return (r_phi + r_j) / (2.0 - r_phi + r_j)


def boundary_a(n_inside: float, n_outside: float) -> float:
    """Internal-reflection parameter A = (1 + R_eff) / (1 - R_eff) of the partial-current boundary condition."""
    r_eff = effective_reflection(n_inside, n_outside)
    return (1.0 + r_eff) / (1.0 - r_eff)


@dataclass(frozen=True)
class _Optics:
    """Per-layer diffusion parameters (1/cm, cm)."""

    n: np.ndarray
    mua: np.ndarray
    mus_star: np.ndarray
    g_star: np.ndarray
    mut_star: np.ndarray
    mutr: np.ndarray
    mueff: np.ndarray


def _optics(stack: LayerStack, delta_eddington: bool) -> _Optics:
    a = stack.arrays()
    f = a["g"] ** 2 if delta_eddington else np.zeros_like(a["g"])
    mus_star = a["mus"] * (1.0 - f)
    g_star = a["g"] / (1.0 + a["g"]) if delta_eddington else a["g"]
    mutr = a["mua"] + a["mus"] * (1.0 - a["g"])
    for i, layer in enumerate(stack.layers):
        if mutr[i] <= 0:
            raise PhotodoseInputError(f"layers.{i}.mus_per_cm", layer.mus_per_cm,
                                      "the diffusion model needs mua + mus' > 0 in every layer")
    if stack.semi_infinite and a["mua"][-1] <= 0:
        raise PhotodoseInputError(f"layers.{len(stack.layers) - 1}.mua_per_cm", a["mua"][-1],
                                  "the diffusion model needs mua > 0 in a semi-infinite last layer")
    return _Optics(n=a["n"], mua=a["mua"], mus_star=mus_star, g_star=g_star, mut_star=a["mua"] + mus_star,
                   mutr=mutr, mueff=np.sqrt(3.0 * a["mua"] * mutr))


def _layer_cells(top_cm: float, bottom_cm: float, mut_star: float, mueff: float, semi_infinite: bool,
                 deepest_cm: float) -> np.ndarray:
    """Cell faces (cm) for one layer: fine where the collimated source lives, growing in a semi-infinite tail."""
    h = 1.0 / max(_CELLS_PER_MFP * mut_star, _CELLS_PER_DIFFUSION * mueff, 1e-9)
    if not semi_infinite:
        n = int(min(max(math.ceil((bottom_cm - top_cm) / h), 8), 20000))
        return np.linspace(top_cm, bottom_cm, n + 1)
    length = max(_TAIL_DIFFUSION_LENGTHS / mueff, 1.01 * deepest_cm - top_cm)
    h_max = 1.0 / (_CELLS_PER_DIFFUSION * mueff)
    widths = []
    total = 0.0
    while total < length:
        widths.append(h)
        total += h
        h = min(h * 1.03, h_max)
    return top_cm + np.concatenate([[0.0], np.cumsum(widths)])


def _collimated(opt: _Optics, stack: LayerStack, bounds_cm: np.ndarray) -> tuple[np.ndarray, float]:
    """Reduced collimated irradiance at the top of each layer (just inside), and Rsp."""
    n_all = np.concatenate([[stack.n_above], opt.n])
    normal_r = ((n_all[:-1] - n_all[1:]) / (n_all[:-1] + n_all[1:])) ** 2
    thickness = np.diff(bounds_cm)[:-1] if len(bounds_cm) > 2 else np.zeros(0)
    attenuation = np.concatenate([[1.0], np.exp(-opt.mut_star[:-1] * thickness)])
    e_top = np.cumprod((1.0 - normal_r) * attenuation)
    return e_top, float(normal_r[0])


def diffusion_fluence_per_irradiance(stack: LayerStack, depth_mm: np.ndarray, *,
                                     delta_eddington: bool = True) -> np.ndarray:
    """Fluence per unit irradiance phi(z) (dimensionless) at ``depth_mm`` for wide, collimated illumination.

    Model, source and validity in the module docstring. Depths below a finite stack give NaN.
    """
    depth_mm = np.atleast_1d(np.asarray(depth_mm, dtype=float))
    if np.any(~np.isfinite(depth_mm)) or np.any(depth_mm < 0):
        raise PhotodoseInputError("depth_mm", depth_mm.tolist(), "finite depths >= 0 mm")
    opt = _optics(stack, delta_eddington)
    bounds = stack.boundaries_cm()
    e_top, _ = _collimated(opt, stack, bounds)
    nlay = len(stack.layers)

    faces_per_layer = [_layer_cells(bounds[k], bounds[k + 1], opt.mut_star[k], opt.mueff[k],
                                    stack.semi_infinite and k == nlay - 1, float(depth_mm.max()) / 10.0)
                       for k in range(nlay)]
    faces = np.concatenate([faces_per_layer[0]] + [f[1:] for f in faces_per_layer[1:]])
    layer_of_cell = np.concatenate([np.full(len(f) - 1, k) for k, f in enumerate(faces_per_layer)])
    h = np.diff(faces)
    z0 = faces[:-1] - bounds[layer_of_cell]                     # depth of each cell's top within its layer
    mu_c = opt.mut_star[layer_of_cell]
    e_cell_top = e_top[layer_of_cell] * np.exp(-mu_c * z0)
    source = opt.mus_star[layer_of_cell] * e_cell_top * -np.expm1(-mu_c * h) / (mu_c * h)   # cell average
    alpha = 2.0 / (3.0 * opt.mutr[layer_of_cell] * h)           # 2 D / h
    q_top = opt.g_star[layer_of_cell] * opt.mus_star[layer_of_cell] * e_cell_top / opt.mutr[layer_of_cell]
    q_bot = q_top * np.exp(-mu_c * h)
    n_cell = opt.n[layer_of_cell]

    ncell = len(h)
    c_left = np.zeros(ncell + 1)
    c_right = np.zeros(ncell + 1)
    k_face = np.zeros(ncell + 1)
    # interior faces: flux continuity with phi/n^2 continuous
    a_l, a_r = alpha[:-1], alpha[1:]
    nl2, nr2 = n_cell[:-1] ** 2, n_cell[1:] ** 2
    q_l, q_r = q_bot[:-1], q_top[1:]
    sigma = a_l * nl2 + a_r * nr2
    c_left[1:-1] = a_l - a_l * nl2 * a_l / sigma
    c_right[1:-1] = -a_l * nl2 * a_r / sigma
    k_face[1:-1] = q_l - a_l * nl2 * (q_l - q_r) / sigma
    # top: F = -phi_f / (2 A)
    a_top = 2.0 * boundary_a(opt.n[0], stack.n_above)
    c_right[0] = -alpha[0] / (a_top * alpha[0] + 1.0)
    k_face[0] = q_top[0] / (a_top * alpha[0] + 1.0)
    # bottom: F = +phi_f / (2 A)
    a_bot = 2.0 * boundary_a(opt.n[-1], opt.n[-1] if stack.semi_infinite else stack.n_below)
    c_left[-1] = alpha[-1] / (a_bot * alpha[-1] + 1.0)
    k_face[-1] = q_bot[-1] / (a_bot * alpha[-1] + 1.0)

    diag = c_left[1:] - c_right[:-1] + opt.mua[layer_of_cell] * h
    upper = c_right[1:-1]
    lower = -c_left[1:-1]
    rhs = source * h - k_face[1:] + k_face[:-1]
    from scipy.linalg import solve_banded

    banded = np.zeros((3, ncell))
    banded[0, 1:] = upper
    banded[1] = diag
    banded[2, :-1] = lower
    phi_cell = solve_banded((1, 1), banded, rhs)

    # face values on each side, for interpolation up to the faces
    phi_face_top = (alpha[0] * phi_cell[0] - q_top[0]) / (alpha[0] + 1.0 / a_top)
    u = (a_l * phi_cell[:-1] + a_r * phi_cell[1:] + q_l - q_r) / sigma
    phi_face_bottom = (alpha[-1] * phi_cell[-1] + q_bot[-1]) / (alpha[-1] + 1.0 / a_bot)
    centres = 0.5 * (faces[:-1] + faces[1:])

    z_cm = depth_mm / 10.0
    below = np.zeros(z_cm.shape, bool) if stack.semi_infinite else z_cm > bounds[-1] * (1 + 1e-12)
    z_cm = np.minimum(z_cm, faces[-1])      # rounding at the bottom face; `below` is NaN anyway
    layer_of_depth = layer_index_at(bounds, z_cm)
    out = np.full(z_cm.shape, np.nan)
    first = 0
    for k in range(nlay):
        cells = np.flatnonzero(layer_of_cell == k)
        last = cells[-1]
        top_value = phi_face_top if k == 0 else u[first - 1] * n_cell[first] ** 2
        bottom_value = phi_face_bottom if k == nlay - 1 else u[last] * n_cell[last] ** 2
        zk = np.concatenate([[faces[first]], centres[cells], [faces[last + 1]]])
        phik = np.concatenate([[top_value], phi_cell[cells], [bottom_value]])
        sel = layer_of_depth == k
        collimated = e_top[k] * np.exp(-opt.mut_star[k] * (z_cm[sel] - bounds[k]))
        out[sel] = np.interp(z_cm[sel], zk, phik) + collimated
        first = last + 1
    out[below] = np.nan
    return out
