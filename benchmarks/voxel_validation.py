"""Validation figures of the voxel Monte Carlo (docs/head.md).

The cases and seeds of tests/test_transport_voxel.py at larger photon counts.
Usage: ``python benchmarks/voxel_validation.py`` (1-2 minutes on 2 shared cores).
"""

from __future__ import annotations

import math

import numpy as np

from photodose.optics.layers import Layer, LayerStack
from photodose.transport.montecarlo import run_mc
from photodose.transport.result import Grid
from photodose.transport.voxel import LabelOptics, VoxelSource, VoxelVolume, layered_volume, run_voxel_mc

PENCIL = VoxelSource("pencil", ((0.0, 0.0, -1.0),), ((0.0, 0.0, 1.0),))


def slab() -> None:
    stack = LayerStack(layers=(Layer(n=1.4, mua_per_cm=1.0, mus_per_cm=100.0, g=0.9, thickness_mm=0.5),
                               Layer(n=1.37, mua_per_cm=0.5, mus_per_cm=50.0, g=0.8, thickness_mm=1.0)))
    m = run_mc(stack, 100_000, seed=11, grid=Grid(dz_mm=0.1, nz=15))
    volume = layered_volume([0.5, 1.0], lateral_mm=30.0, voxel_mm=0.1)
    optics = LabelOptics(mua_per_cm=(0.0, 1.0, 0.5), mus_per_cm=(0.0, 100.0, 50.0), g=(0.0, 0.9, 0.8),
                         n=(1.0, 1.4, 1.37))
    v = run_voxel_mc(volume, optics, PENCIL, 100_000, seed=11)
    se = v.stderr["escaped_by_face"]
    print(f"Rd layered {m.diffuse_reflectance:.5f}+-{m.stderr['diffuse_reflectance']:.5f} "
          f"voxel {v.escaped_by_face['-z']:.5f}+-{se['-z']:.5f}")
    print(f"Tt layered {m.transmittance:.5f}+-{m.stderr['transmittance']:.5f} "
          f"voxel {v.escaped_by_face['+z']:.5f}+-{se['+z']:.5f}")
    lateral = sum(v.escaped_by_face[f] for f in ("-x", "+x", "-y", "+y"))
    print(f"A  layered {m.absorbed:.5f}+-{m.stderr['absorbed']:.5f} voxel {v.absorbed:.5f}+-{v.stderr['absorbed']:.5f};"
          f" lateral loss {lateral:.5f}")
    az = v.absorbed_per_voxel.sum(axis=(0, 1)) / 0.01
    mua = np.where(np.arange(15) < 5, 1.0, 0.5)
    z = (az - m.absorbed_z_per_cm) / (mua * m.fluence_z_stderr * math.sqrt(2))
    print(f"phi(z): max |z-score| {np.max(np.abs(z)):.2f}, "
          f"max rel diff {np.max(np.abs(az / m.absorbed_z_per_cm - 1)) * 100:.2f} %")


def diffusion() -> None:
    mua, mus, g = 0.5, 100.0, 0.9
    volume = VoxelVolume(np.ones((40, 40, 40), np.uint8), 1.0, origin_mm=(-20.0, -20.0, -20.0))
    optics = LabelOptics(mua_per_cm=(0.0, mua), mus_per_cm=(0.0, mus), g=(0.0, g), n=(1.0, 1.4))
    r = run_voxel_mc(volume, optics, VoxelSource.isotropic_point((0.0, 0.0, 0.0)), 20_000, seed=2, n_outside=1.4)
    c = volume.centres_mm(0)
    x, y, zz = np.meshgrid(c, c, c, indexing="ij")
    rc = np.sqrt(x ** 2 + y ** 2 + zz ** 2) / 10
    d = 1 / (3 * (mua + mus * (1 - g)))
    mueff = math.sqrt(mua / d)
    for r0 in (0.4, 0.6, 0.8):
        shell = np.abs(rc - r0) < 0.05
        theory = np.mean(np.exp(-mueff * rc[shell]) / (4 * math.pi * d * rc[shell]))
        mc = r.fluence_per_cm2[shell].mean()
        print(f"diffusion r={r0} cm: MC {mc:.4f} theory {theory:.4f} ({(mc / theory - 1) * 100:+.1f} %)")


def cube60() -> None:
    optics = LabelOptics(mua_per_cm=(0.0, 0.05), mus_per_cm=(0.0, 10.0), g=(1.0, 0.01), n=(1.0, 1.37))
    volume = VoxelVolume(np.ones((60, 60, 60), np.uint8), 1.0)
    pencil = VoxelSource("pencil", ((29.0, 29.0, 1e-9),), ((0, 0, 1.0),))
    for name, src, n_out in [("cube60", pencil, 1.37), ("cube60 -b 1", pencil, 1.0),
                             ("cube60 isotropic", VoxelSource.isotropic_point((29.0, 29.0, 29.0)), 1.37)]:
        r = run_voxel_mc(volume, optics, src, 100_000, seed=1, n_outside=n_out)
        print(f"{name}: absorbed {100 * r.absorbed:.2f} +- {100 * r.stderr['absorbed']:.2f} % "
              f"({r.photons_per_second:,.0f} photons/s)")


if __name__ == "__main__":
    slab()
    diffusion()
    cube60()
