"""The 1D multi-layer diffusion model of :mod:`.diffusion`, solved for many stacks of the same layering at once.

Same model, equations, boundaries and references as :func:`.diffusion.diffusion_fluence_per_irradiance`
(delta-Eddington P1 diffusion with a collimated source, partial-current boundaries after Haskell et al. 1994,
flux and phi/n^2 continuous at interfaces, finite volumes with the exact cell-averaged source). What differs is
only the bookkeeping, so that S stacks cost one assembly and one banded solve instead of S Python-level solves:

- every stack has the same layers in the same order and the same refractive indices (the optics and the
  thicknesses vary from stack to stack);
- each layer gets the same number of cells in every stack: the largest number any stack needs under the scalar
  solver's rule (cells finer than 0.1 / mu_t* and 1 / (40 mu_eff); a semi-infinite last layer grows its cells by
  3 % up to 1 / (40 mu_eff) and reaches 30 / mu_eff below its top), so each stack is resolved at least as finely
  as the scalar solver would resolve it. For one stack the grid, and so the answer, is the scalar solver's;
- the S tridiagonal systems are laid end to end in one banded system with zero coupling between blocks.

Agreement with the scalar solver is measured in ``tests/test_planning_uncertainty.py``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import solve_banded

from ..errors import PhotodoseInputError
from ..optics.layers import layer_index_at
from .diffusion import (
    _CELLS_PER_DIFFUSION,
    _CELLS_PER_MFP,
    _TAIL_DIFFUSION_LENGTHS,
    boundary_a,
)

_TAIL_GROWTH = 1.03  # cell-width growth in a semi-infinite tail (as the scalar solver)
_MAX_CELLS_PER_LAYER = 20000


def _finite_faces(top_cm: np.ndarray, thickness_cm: np.ndarray, h_cm: np.ndarray) -> np.ndarray:
    """(S, N + 1) faces of a finite layer, N the most cells any stack needs (scalar rule: >= 8, <= 20000)."""
    need = np.clip(np.ceil(thickness_cm / h_cm), 8, _MAX_CELLS_PER_LAYER)
    n = int(need.max())
    return top_cm[:, None] + np.linspace(0.0, 1.0, n + 1)[None, :] * thickness_cm[:, None]


def _tail_faces(top_cm: np.ndarray, h_cm: np.ndarray, mueff: np.ndarray, deepest_cm: float) -> np.ndarray:
    """(S, N + 1) faces of a semi-infinite last layer: widths h, 1.03 h, ... capped at 1/(40 mu_eff)."""
    length = np.maximum(_TAIL_DIFFUSION_LENGTHS / mueff, 1.01 * deepest_cm - top_cm)
    h_max = 1.0 / (_CELLS_PER_DIFFUSION * mueff)
    growth_steps = np.ceil(np.log(np.maximum(h_max / h_cm, 1.0)) / math.log(_TAIL_GROWTH))
    m = int(np.max(growth_steps + np.ceil(length / h_max))) + 2
    widths = np.minimum(h_cm[:, None] * _TAIL_GROWTH ** np.arange(m)[None, :], h_max[:, None])
    total = np.cumsum(widths, axis=1)
    count = int(np.max(np.argmax(total >= length[:, None], axis=1))) + 1
    return top_cm[:, None] + np.concatenate([np.zeros((len(top_cm), 1)), total[:, :count]], axis=1)


def diffusion_fluence_per_irradiance_batch(mua_per_cm, mus_per_cm, g, n, thickness_mm, depth_mm, *,
                                           n_above: float = 1.0, n_below: float | None = None,
                                           delta_eddington: bool = True) -> np.ndarray:
    """Fluence per unit irradiance phi (dimensionless), shape (S, D), for S stacks at D depths (mm).

    ``mua_per_cm``, ``mus_per_cm``, ``g``: (S, L) per stack and layer [1/cm, 1/cm, -]; ``n``: (L,) refractive
    indices shared by all stacks; ``thickness_mm``: (S, L) [mm], the last column NaN for a semi-infinite last
    layer (all stacks alike) or finite; ``n_below``: index below a finite stack (default: the last layer's).
    Wide, collimated, normally incident illumination; model, source and validity: :mod:`.diffusion`.
    Depths below a finite stack give NaN.
    """
    mua = np.atleast_2d(np.asarray(mua_per_cm, float))
    mus = np.atleast_2d(np.asarray(mus_per_cm, float))
    g = np.broadcast_to(np.asarray(g, float), mua.shape)
    thk_mm = np.atleast_2d(np.asarray(thickness_mm, float))
    n = np.asarray(n, float)
    depth_mm = np.atleast_1d(np.asarray(depth_mm, float))
    s_count, nlay = mua.shape
    if mus.shape != mua.shape or thk_mm.shape != mua.shape or n.shape != (nlay,):
        raise PhotodoseInputError("layers", f"{mua.shape}, {mus.shape}, {thk_mm.shape}, {n.shape}",
                                  "mua, mus, thickness (S, L) and n (L,) of one layering")
    if np.any(~np.isfinite(depth_mm)) or np.any(depth_mm < 0):
        raise PhotodoseInputError("depth_mm", depth_mm.tolist(), "finite depths >= 0 mm")
    semi_infinite = bool(np.all(np.isnan(thk_mm[:, -1])))
    finite_thk = thk_mm if not semi_infinite else thk_mm[:, :-1]
    if np.any(~(finite_thk > 0)) or np.any(~np.isfinite(finite_thk)):
        raise PhotodoseInputError("thickness_mm", "non-positive or missing", "finite thicknesses > 0 mm "
                                  "(NaN only in the last column, for every stack)")
    f = g ** 2 if delta_eddington else np.zeros_like(g)
    mus_star = mus * (1.0 - f)
    g_star = g / (1.0 + g) if delta_eddington else g
    mutr = mua + mus * (1.0 - g)
    if np.any(mutr <= 0) or (semi_infinite and np.any(mua[:, -1] <= 0)):
        raise PhotodoseInputError("mua_per_cm", "zero", "mua + mus' > 0 in every layer, mua > 0 in a "
                                  "semi-infinite last layer")
    mut_star = mua + mus_star
    mueff = np.sqrt(3.0 * mua * mutr)

    thk_cm = np.nan_to_num(thk_mm, nan=0.0) / 10.0
    bounds = np.concatenate([np.zeros((s_count, 1)), np.cumsum(thk_cm, axis=1)], axis=1)  # (S, L + 1)
    if semi_infinite:
        bounds[:, -1] = np.inf
    # reduced collimated irradiance just inside the top of each layer (normal-incidence Fresnel at interfaces)
    n_all = np.concatenate([[n_above], n])
    normal_r = ((n_all[:-1] - n_all[1:]) / (n_all[:-1] + n_all[1:])) ** 2
    attenuation = np.concatenate([np.ones((s_count, 1)), np.exp(-mut_star[:, :-1] * thk_cm[:, :-1])], axis=1)
    e_top = np.cumprod((1.0 - normal_r)[None, :] * attenuation, axis=1)

    h0 = 1.0 / np.maximum(np.maximum(_CELLS_PER_MFP * mut_star, _CELLS_PER_DIFFUSION * mueff), 1e-9)
    deepest_cm = float(depth_mm.max()) / 10.0
    per_layer = [(_tail_faces(bounds[:, k], h0[:, k], mueff[:, k], deepest_cm)
                  if (semi_infinite and k == nlay - 1)
                  else _finite_faces(bounds[:, k], thk_cm[:, k], h0[:, k])) for k in range(nlay)]
    faces = np.concatenate([per_layer[0]] + [p[:, 1:] for p in per_layer[1:]], axis=1)   # (S, C + 1)
    layer_of_cell = np.concatenate([np.full(p.shape[1] - 1, k) for k, p in enumerate(per_layer)])
    h = np.diff(faces, axis=1)
    z0 = faces[:, :-1] - bounds[:, layer_of_cell]
    mu_c = mut_star[:, layer_of_cell]
    e_cell_top = e_top[:, layer_of_cell] * np.exp(-mu_c * z0)
    source = mus_star[:, layer_of_cell] * e_cell_top * -np.expm1(-mu_c * h) / (mu_c * h)
    mutr_c = mutr[:, layer_of_cell]
    alpha = 2.0 / (3.0 * mutr_c * h)
    q_top = g_star[:, layer_of_cell] * mus_star[:, layer_of_cell] * e_cell_top / mutr_c
    q_bot = q_top * np.exp(-mu_c * h)
    n_cell = n[layer_of_cell][None, :]

    ncell = h.shape[1]
    c_left = np.zeros((s_count, ncell + 1))
    c_right = np.zeros((s_count, ncell + 1))
    k_face = np.zeros((s_count, ncell + 1))
    a_l, a_r = alpha[:, :-1], alpha[:, 1:]
    nl2, nr2 = n_cell[:, :-1] ** 2, n_cell[:, 1:] ** 2
    q_l, q_r = q_bot[:, :-1], q_top[:, 1:]
    sigma = a_l * nl2 + a_r * nr2
    c_left[:, 1:-1] = a_l - a_l * nl2 * a_l / sigma
    c_right[:, 1:-1] = -a_l * nl2 * a_r / sigma
    k_face[:, 1:-1] = q_l - a_l * nl2 * (q_l - q_r) / sigma
    a_top = 2.0 * boundary_a(n[0], n_above)
    c_right[:, 0] = -alpha[:, 0] / (a_top * alpha[:, 0] + 1.0)
    k_face[:, 0] = q_top[:, 0] / (a_top * alpha[:, 0] + 1.0)
    a_bot = 2.0 * boundary_a(n[-1], n[-1] if (semi_infinite or n_below is None) else n_below)
    c_left[:, -1] = alpha[:, -1] / (a_bot * alpha[:, -1] + 1.0)
    k_face[:, -1] = q_bot[:, -1] / (a_bot * alpha[:, -1] + 1.0)

    banded = np.zeros((3, s_count, ncell))
    banded[0, :, 1:] = c_right[:, 1:-1]
    banded[1] = c_left[:, 1:] - c_right[:, :-1] + mua[:, layer_of_cell] * h
    banded[2, :, :-1] = -c_left[:, 1:-1]
    rhs = source * h - k_face[:, 1:] + k_face[:, :-1]
    phi_cell = solve_banded((1, 1), banded.reshape(3, -1), rhs.reshape(-1)).reshape(s_count, ncell)

    phi_face_top = (alpha[:, 0] * phi_cell[:, 0] - q_top[:, 0]) / (alpha[:, 0] + 1.0 / a_top)
    u = (a_l * phi_cell[:, :-1] + a_r * phi_cell[:, 1:] + q_l - q_r) / sigma
    phi_face_bottom = (alpha[:, -1] * phi_cell[:, -1] + q_bot[:, -1]) / (alpha[:, -1] + 1.0 / a_bot)
    centres = 0.5 * (faces[:, :-1] + faces[:, 1:])

    z_cm = depth_mm / 10.0
    out = np.full((s_count, len(z_cm)), np.nan)
    starts = np.concatenate([[0], np.cumsum([p.shape[1] - 1 for p in per_layer])])
    for s in range(s_count):
        below = np.zeros(z_cm.shape, bool) if semi_infinite else z_cm > bounds[s, -1] * (1 + 1e-12)
        zs = np.minimum(z_cm, faces[s, -1])
        layer_of_depth = layer_index_at(bounds[s], zs)
        for k in range(nlay):
            sel = layer_of_depth == k
            if not sel.any():
                continue
            first, last = starts[k], starts[k + 1] - 1
            top_value = phi_face_top[s] if k == 0 else u[s, first - 1] * n[k] ** 2
            bottom_value = phi_face_bottom[s] if k == nlay - 1 else u[s, last] * n[k] ** 2
            zk = np.concatenate([[faces[s, first]], centres[s, first:last + 1], [faces[s, last + 1]]])
            phik = np.concatenate([[top_value], phi_cell[s, first:last + 1], [bottom_value]])
            collimated = e_top[s, k] * np.exp(-mut_star[s, k] * (zs[sel] - bounds[s, k]))
            out[s, sel] = np.interp(zs[sel], zk, phik) + collimated
        out[s, below] = np.nan
    return out
