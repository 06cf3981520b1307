"""The numba voxel Monte Carlo kernel: MCML's photon walk in a labelled voxel volume (mcxyz/MCX geometry).

Physics as the layered kernel (``_kernel``; Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47 (1995)
131-146, "MCML"): step s = -ln(xi)/mut; absorption w*mua/mut deposited at each interaction site; Henyey-
Greenstein scattering with MCML's direction update (``_walk.hg_cosine`` and ``_walk.spin``, exact at g = 0);
Russian roulette below w = 1e-4 with survival chance 0.1. Geometry as mcxyz (Jacques, omlc.org/software/mc/mcxyz)
and MCX (Fang & Boas, Opt. Express 17 (2009) 20178-20190): a voxel grid of tissue labels with (mua, mus, g, n)
per label; a step that leaves the current voxel is cut at the voxel face and its remaining dimensionless length
carried into the next voxel (MCML's layer rule applied per voxel, as MCX does).
Where n changes across a face (the outer surface, or between labels of different n) the photon is reflected or
transmitted all-or-none with MCML's Fresnel probability for the face normal (an axis: the staircase surface of
a voxel model) and refracted by Snell's law; label 0 and everything outside the grid is the outside medium
(refractive index ``n_outside``): a photon transmitted into it has escaped (it is not followed back in).
Units: cm inside the kernel; the grid spans [0, n*h) on each axis, voxel (i, j, k) = [i h, (i+1) h) ...

Launch: each photon picks an emitter by its power share (cumulative table), starts at the emitter's position
(plus a disc or Gaussian offset perpendicular to its axis for those beams), with the emitter's axis (collimated)
or a direction drawn from I(theta) ~ cos^m(theta) about it (cos theta = xi^(1/(m+1)): the generalised Lambertian
emitter of ``photodose.devices.emitters``), travels in a straight line through the outside medium to the first
tissue voxel, and there loses the Fresnel-reflected share of its weight deterministically (MCML's specular
reflection, ``specular``) and is refracted. A photon that reaches no tissue is counted as ``missed``.

Bookkeeping per photon: specular + escaped + absorbed + missed = 1 + roulette_net (exactly, to rounding).
Tallies (raw weights, per batch): scalars (below), escaped weight by the face it left through (-x, +x, -y, +y,
-z, +z), absorbed weight per label and per voxel.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._fresnel import fresnel_reflectance
from ._rng import next_uniform, seed_state
from ._walk import ROULETTE_WEIGHT, hg_cosine, roulette, spin


# columns of the per-label table built by label_table()
MUA, MUS, G, N, MUT, INV_MUT, ABS_FRAC, G2, HALF_G3 = range(9)
N_COLUMNS = 9

# indices of the per-batch scalar sums
SPECULAR, MISSED, ROULETTE_NET, ESCAPED = 0, 1, 2, 3    # ESCAPED .. ESCAPED + 5: faces -x, +x, -y, +y, -z, +z
N_SCALARS = 9

BEAM_POINT, BEAM_DISC, BEAM_GAUSSIAN = 0, 1, 2


def label_table(mua_per_cm, mus_per_cm, g, n) -> np.ndarray:
    """Per-label constants for the kernel (one row per label, columns named above); 1/cm."""
    mua = np.asarray(mua_per_cm, float)
    mus = np.asarray(mus_per_cm, float)
    g = np.asarray(g, float)
    table = np.zeros((len(mua), N_COLUMNS))
    mut = mua + mus
    table[:, MUA], table[:, MUS], table[:, G], table[:, N], table[:, MUT] = mua, mus, g, np.asarray(n, float), mut
    with np.errstate(divide="ignore", invalid="ignore"):
        table[:, INV_MUT] = np.where(mut > 0, 1.0 / np.where(mut > 0, mut, 1.0), 0.0)
        table[:, ABS_FRAC] = np.where(mut > 0, mua / np.where(mut > 0, mut, 1.0), 0.0)
    table[:, G2] = g * g
    table[:, HALF_G3] = 0.5 * g * g * g
    return table


@njit(cache=True, inline="always")
def _face_distance(p, u, i, h):
    """Distance along the unit direction component ``u`` from coordinate ``p`` in cell ``i`` to the cell's face."""
    if u > 0.0:
        return max(0.0, ((i + 1) * h - p) / u)
    if u < 0.0:
        return max(0.0, (i * h - p) / u)
    return np.inf


@njit(cache=True, inline="always")
def _nearest_face(x, y, z, ux, uy, uz, ix, iy, iz, h):
    """Distance to the first face of cell (ix, iy, iz) the direction meets, and its axis (0 x, 1 y, 2 z)."""
    dx = _face_distance(x, ux, ix, h)
    dy = _face_distance(y, uy, iy, h)
    dz = _face_distance(z, uz, iz, h)
    if dx <= dy and dx <= dz:
        return dx, 0
    if dy <= dz:
        return dy, 1
    return dz, 2


@njit(cache=True, inline="always")
def _label_at(labels, ix, iy, iz):
    """Label of voxel (ix, iy, iz); 0 (outside) beyond the grid."""
    if ix < 0 or iy < 0 or iz < 0 or ix >= labels.shape[0] or iy >= labels.shape[1] or iz >= labels.shape[2]:
        return 0
    return labels[ix, iy, iz]


@njit(cache=True, inline="always")
def _cell(p, h, n):
    """Cell index of coordinate ``p`` clamped into [0, n - 1]."""
    i = int(math.floor(p / h))
    if i < 0:
        return 0
    if i > n - 1:
        return n - 1
    return i


@njit(cache=True, inline="always")
def _refract(ux, uy, uz, ratio, axis_hit, ca_t):
    """Snell refraction through a face normal to axis ``axis_hit`` (0 x, 1 y, 2 z): the tangential components
    scale by n_i / n_t (``ratio``), the normal one becomes +-cos(theta_t) (``ca_t``), then renormalised."""
    ux *= ratio
    uy *= ratio
    uz *= ratio
    if axis_hit == 0:
        ux = ca_t if ux > 0 else -ca_t
    elif axis_hit == 1:
        uy = ca_t if uy > 0 else -ca_t
    else:
        uz = ca_t if uz > 0 else -ca_t
    norm = 1.0 / math.sqrt(ux * ux + uy * uy + uz * uz)
    return ux * norm, uy * norm, uz * norm


@njit(cache=True)
def _photons(nphot, s0, s1, s2, s3, labels, h, table, n_outside,
             src_pos, src_dir, src_e1, src_e2, src_cdf, src_order, collimated, beam_code, beam_radius,
             sums, label_sums, voxels):
    """Trace ``nphot`` photons, adding raw weights into the batch tallies; returns nothing."""
    nx, ny, nz = labels.shape
    lx, ly, lz = nx * h, ny * h, nz * h
    nsrc = src_cdf.shape[0]
    for _ in range(nphot):
        # ---- pick an emitter by its power share
        k = 0
        if nsrc > 1:
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            while k < nsrc - 1 and src_cdf[k] < u:
                k += 1
        x, y, z = src_pos[k, 0], src_pos[k, 1], src_pos[k, 2]
        ax, ay, az = src_dir[k, 0], src_dir[k, 1], src_dir[k, 2]
        e1x, e1y, e1z = src_e1[k, 0], src_e1[k, 1], src_e1[k, 2]
        e2x, e2y, e2z = src_e2[k, 0], src_e2[k, 1], src_e2[k, 2]
        if beam_code != BEAM_POINT:
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            v, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            if beam_code == BEAM_DISC:
                r = beam_radius * math.sqrt(u)
            else:   # Gaussian, 1/e^2 radius R: r = R sqrt(-ln(xi)/2)
                r = beam_radius * math.sqrt(-0.5 * math.log(u))
            c = r * math.cos(2.0 * math.pi * v)
            d = r * math.sin(2.0 * math.pi * v)
            x += c * e1x + d * e2x
            y += c * e1y + d * e2y
            z += c * e1z + d * e2z
        if collimated:
            ux, uy, uz = ax, ay, az
        else:   # I(theta) ~ cos^m(theta): cos theta = xi^(1/(m+1)) over the forward hemisphere
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            v, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            ct = u ** (1.0 / (src_order[k] + 1.0))
            st = math.sqrt(max(0.0, 1.0 - ct * ct))
            cp = st * math.cos(2.0 * math.pi * v)
            sp = st * math.sin(2.0 * math.pi * v)
            ux = ct * ax + cp * e1x + sp * e2x
            uy = ct * ay + cp * e1y + sp * e2y
            uz = ct * az + cp * e1z + sp * e2z
        # ---- into the grid's box (slab method)
        t0 = 0.0
        t1 = np.inf
        inside = True
        axis_t0 = -1
        for axis in range(3):
            p = x if axis == 0 else (y if axis == 1 else z)
            q = ux if axis == 0 else (uy if axis == 1 else uz)
            hi = lx if axis == 0 else (ly if axis == 1 else lz)
            if q == 0.0:
                if p < 0.0 or p > hi:
                    inside = False
            else:
                ta = (0.0 - p) / q
                tb = (hi - p) / q
                if ta > tb:
                    ta, tb = tb, ta
                if ta > t0:
                    t0 = ta
                    axis_t0 = axis
                t1 = min(t1, tb)
        if not inside or t0 >= t1:
            sums[MISSED] += 1.0
            continue
        x += t0 * ux
        y += t0 * uy
        z += t0 * uz
        ix = _cell(x, h, nx)
        iy = _cell(y, h, ny)
        iz = _cell(z, h, nz)
        # the face it came in through (if it entered from outside the box): the axis whose slab set t0
        axis_hit = axis_t0
        if axis_hit == 0:
            x = 0.0 if ux > 0 else lx
        elif axis_hit == 1:
            y = 0.0 if uy > 0 else ly
        elif axis_hit == 2:
            z = 0.0 if uz > 0 else lz
        # ---- march through outside-medium voxels to the first tissue voxel
        lab = labels[ix, iy, iz]
        missed = False
        while lab == 0:
            db, axis_hit = _nearest_face(x, y, z, ux, uy, uz, ix, iy, iz, h)
            x += db * ux
            y += db * uy
            z += db * uz
            if axis_hit == 0:
                ix += 1 if ux > 0 else -1
                x = (ix if ux > 0 else ix + 1) * h
            elif axis_hit == 1:
                iy += 1 if uy > 0 else -1
                y = (iy if uy > 0 else iy + 1) * h
            else:
                iz += 1 if uz > 0 else -1
                z = (iz if uz > 0 else iz + 1) * h
            if ix < 0 or iy < 0 or iz < 0 or ix >= nx or iy >= ny or iz >= nz:
                missed = True
                break
            lab = labels[ix, iy, iz]
        if missed:
            sums[MISSED] += 1.0
            continue
        # ---- specular reflection and refraction at the entry face
        nt = table[lab, N]
        if axis_hit < 0:    # started inside tissue: no entry surface
            rsp = 0.0
        else:
            ca = abs(ux) if axis_hit == 0 else (abs(uy) if axis_hit == 1 else abs(uz))
            rsp, ca_t = fresnel_reflectance(n_outside, nt, ca)
            if nt != n_outside:
                ux, uy, uz = _refract(ux, uy, uz, n_outside / nt, axis_hit, ca_t)
        sums[SPECULAR] += rsp
        w = 1.0 - rsp
        if w <= 0.0:
            continue
        sleft = 0.0
        mut = table[lab, MUT]
        inv_mut = table[lab, INV_MUT]
        while True:
            # ---- hop: step length, cut at the voxel face
            if sleft == 0.0:
                u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                sleft = -math.log(u)
            s = sleft * inv_mut if mut > 0.0 else np.inf
            db, axis_hit = _nearest_face(x, y, z, ux, uy, uz, ix, iy, iz, h)
            if s > db:
                # ---- to the face; the rest of the dimensionless step is carried over
                if mut > 0.0:
                    sleft -= db * mut
                    if sleft < 0.0:
                        sleft = 0.0
                x += db * ux
                y += db * uy
                z += db * uz
                jx, jy, jz = ix, iy, iz
                if axis_hit == 0:
                    jx += 1 if ux > 0 else -1
                    ca = abs(ux)
                elif axis_hit == 1:
                    jy += 1 if uy > 0 else -1
                    ca = abs(uy)
                else:
                    jz += 1 if uz > 0 else -1
                    ca = abs(uz)
                lab_next = _label_at(labels, jx, jy, jz)
                ni = table[lab, N]
                nt = n_outside if lab_next == 0 else table[lab_next, N]
                transmit = True
                ca_t = ca
                if ni != nt:
                    r, ca_t = fresnel_reflectance(ni, nt, ca)
                    if r >= 1.0:
                        transmit = False
                    elif r > 0.0:
                        u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                        transmit = u > r
                # snap onto the face
                if axis_hit == 0:
                    x = (ix + 1) * h if ux > 0 else ix * h
                elif axis_hit == 1:
                    y = (iy + 1) * h if uy > 0 else iy * h
                else:
                    z = (iz + 1) * h if uz > 0 else iz * h
                if not transmit:
                    if axis_hit == 0:
                        ux = -ux
                    elif axis_hit == 1:
                        uy = -uy
                    else:
                        uz = -uz
                    continue
                if lab_next == 0:
                    if axis_hit == 0:
                        face = 1 if ux > 0 else 0
                    elif axis_hit == 1:
                        face = 3 if uy > 0 else 2
                    else:
                        face = 5 if uz > 0 else 4
                    sums[ESCAPED + face] += w
                    break
                if ni != nt:
                    ux, uy, uz = _refract(ux, uy, uz, ni / nt, axis_hit, ca_t)
                ix, iy, iz = jx, jy, jz
                lab = lab_next
                mut = table[lab, MUT]
                inv_mut = table[lab, INV_MUT]
                continue
            # ---- move to the interaction site, drop
            x += s * ux
            y += s * uy
            z += s * uz
            sleft = 0.0
            dwa = w * table[lab, ABS_FRAC]
            w -= dwa
            label_sums[lab] += dwa
            voxels[ix, iy, iz] += dwa
            # ---- spin: Henyey-Greenstein polar angle, uniform azimuth (MCML's update)
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            cost = hg_cosine(u, table[lab, G], table[lab, G2], table[lab, HALF_G3])
            u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
            psi = 2.0 * math.pi * u
            ux, uy, uz = spin(ux, uy, uz, cost, math.cos(psi), math.sin(psi))
            # ---- roulette
            if w < ROULETTE_WEIGHT:
                w, added, s0, s1, s2, s3 = roulette(w, s0, s1, s2, s3)
                sums[ROULETTE_NET] += added
                if w == 0.0:
                    break


@njit(cache=True, parallel=True)
def run_batches(seed, first_batch, batch_photons, labels, h, table, n_outside,
                src_pos, src_dir, src_e1, src_e2, src_cdf, src_order, collimated, beam_code, beam_radius,
                sums, label_sums, voxels):
    """Run batches ``first_batch + i`` (i over ``batch_photons``) in parallel, each into its own tally slice."""
    for i in prange(batch_photons.shape[0]):
        s0, s1, s2, s3 = seed_state(seed, np.uint64(first_batch + i))
        _photons(batch_photons[i], s0, s1, s2, s3, labels, h, table, n_outside,
                 src_pos, src_dir, src_e1, src_e2, src_cdf, src_order, collimated, beam_code, beam_radius,
                 sums[i], label_sums[i], voxels[i])
