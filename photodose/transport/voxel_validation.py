"""The voxel Monte Carlo's validation cases, shared by ``tests/test_transport_voxel.py`` and
``benchmarks/voxel_validation.py`` (the figures in docs/head.md).

- :func:`two_layer_slab`: a voxelised two-layer slab against the layered (MCML-matching) kernel.
- :func:`point_source_vs_diffusion`: an isotropic point source in a homogeneous, index-matched cube against the
  infinite-medium diffusion Green's function phi(r) = exp(-mu_eff r) / (4 pi D r), D = 1 / (3 (mua + mus'))
  (Farrell, Patterson & Wilson 1992).
- :data:`CUBE60_CASES`: MCX's built-in cube60 benchmark (fangq/mcx ``test/testmcx.sh``: 60 mm cube, 1 mm voxels,
  mua 0.005/mm, mus 1/mm, g 0.01, n 1.37) and the absorbed fractions its regression test greps.
"""

from __future__ import annotations

import math

import numpy as np

from ..optics.layers import Layer, LayerStack
from .montecarlo import run_mc
from .result import Grid, MCResult
from .voxel import LabelOptics, VoxelResult, VoxelSource, VoxelVolume, layered_volume, run_voxel_mc

PENCIL_DOWN = VoxelSource("pencil", ((0.0, 0.0, -1.0),), ((0.0, 0.0, 1.0),))
TWO_LAYER_MUA_PER_CM = (1.0, 0.5)
SLICE_MM = 0.1


def two_layer_slab(photons: int = 100_000, seed: int = 11) -> tuple[MCResult, VoxelResult]:
    """A two-layer slab (0.5 mm + 1.0 mm, n 1.4 / 1.37, in air) traced by the layered kernel (0.1 mm depth bins)
    and by the voxel kernel (0.1 mm voxels, 30 mm wide), a pencil beam, the same photons and seed."""
    stack = LayerStack(layers=(Layer(n=1.4, mua_per_cm=1.0, mus_per_cm=100.0, g=0.9, thickness_mm=0.5),
                               Layer(n=1.37, mua_per_cm=0.5, mus_per_cm=50.0, g=0.8, thickness_mm=1.0)))
    layered = run_mc(stack, photons, seed=seed, grid=Grid(dz_mm=SLICE_MM, nz=15))
    volume = layered_volume([0.5, 1.0], lateral_mm=30.0, voxel_mm=SLICE_MM)
    optics = LabelOptics(mua_per_cm=(0.0, *TWO_LAYER_MUA_PER_CM), mus_per_cm=(0.0, 100.0, 50.0), g=(0.0, 0.9, 0.8),
                         n=(1.0, 1.4, 1.37))
    return layered, run_voxel_mc(volume, optics, PENCIL_DOWN, photons, seed=seed)


def slab_phi_z_scores(layered: MCResult, voxel: VoxelResult) -> tuple[np.ndarray, np.ndarray]:
    """(z-scores, relative differences) of the voxel slab's phi(z) per 0.1 mm slice against the layered kernel's;
    the spread is the layered kernel's fluence standard error, doubled in variance for two runs."""
    az_voxel = voxel.absorbed_per_voxel.sum(axis=(0, 1)) / (SLICE_MM / 10.0)   # A(z) in 1/cm per slice
    mua = np.where(np.arange(15) < 5, *TWO_LAYER_MUA_PER_CM)
    phi_layered = layered.absorbed_z_per_cm / mua
    phi_voxel = az_voxel / mua
    z = (phi_voxel - phi_layered) / (layered.fluence_z_stderr * math.sqrt(2.0))
    return z, phi_voxel / phi_layered - 1.0


def point_source_vs_diffusion(photons: int = 20_000, seed: int = 2,
                              radii_cm=(0.4, 0.6, 0.8)) -> list[tuple[float, float, float]]:
    """(r in cm, voxel fluence shell mean, diffusion theory) for an isotropic point source at the centre of a
    40 mm index-matched cube (1 mm voxels; mua 0.5, mus 100 /cm, g 0.9), over 1 mm thick shells."""
    mua, mus, g = 0.5, 100.0, 0.9
    volume = VoxelVolume(np.ones((40, 40, 40), np.uint8), 1.0, origin_mm=(-20.0, -20.0, -20.0))
    optics = LabelOptics(mua_per_cm=(0.0, mua), mus_per_cm=(0.0, mus), g=(0.0, g), n=(1.0, 1.4))
    result = run_voxel_mc(volume, optics, VoxelSource.isotropic_point((0.0, 0.0, 0.0)), photons, seed=seed,
                          n_outside=1.4)
    c = volume.centres_mm(0)
    x, y, z = np.meshgrid(c, c, c, indexing="ij")
    r_cm = np.sqrt(x ** 2 + y ** 2 + z ** 2) / 10.0
    d = 1.0 / (3.0 * (mua + mus * (1 - g)))
    mueff = math.sqrt(mua / d)
    rows = []
    for r0 in radii_cm:
        shell = np.abs(r_cm - r0) < 0.05
        theory = float(np.mean(np.exp(-mueff * r_cm[shell]) / (4 * math.pi * d * r_cm[shell])))
        rows.append((r0, float(result.fluence_per_cm2[shell].mean()), theory))
    return rows


CUBE60_OPTICS = LabelOptics(mua_per_cm=(0.0, 0.05), mus_per_cm=(0.0, 10.0), g=(1.0, 0.01), n=(1.0, 1.37))
_CUBE60_PENCIL = VoxelSource("pencil", ((29.0, 29.0, 1e-9),), ((0.0, 0.0, 1.0),))
# (case, source, refractive index outside, the absorbed-fraction window MCX's regression test greps)
CUBE60_CASES = (
    ("cube60", _CUBE60_PENCIL, 1.37, (0.17, 0.18)),
    ("cube60 -b 1", _CUBE60_PENCIL, 1.0, (0.27, 0.28)),
    ("cube60 isotropic at (29, 29, 29)", VoxelSource.isotropic_point((29.0, 29.0, 29.0)), 1.37, (0.88, 0.89)),
)


def cube60(source: VoxelSource, n_outside: float, photons: int, seed: int = 1) -> VoxelResult:
    """One cube60 run (MCX's 5 ns time gate leaves < 0.1 % of the weight in flight at these coefficients)."""
    return run_voxel_mc(VoxelVolume(np.ones((60, 60, 60), np.uint8), 1.0), CUBE60_OPTICS, source, photons,
                        seed=seed, n_outside=n_outside)
