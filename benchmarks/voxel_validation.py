"""Validation figures of the voxel Monte Carlo (docs/head.md).

The cases and seeds of tests/test_transport_voxel.py (``photodose.transport.voxel_validation``) at larger photon
counts. Usage: ``python benchmarks/voxel_validation.py`` (1-2 minutes on 2 shared cores).
"""

from __future__ import annotations

import numpy as np

from photodose.transport.voxel_validation import (CUBE60_CASES, cube60, point_source_vs_diffusion, slab_phi_z_scores,
                                                  two_layer_slab)


def slab() -> None:
    m, v = two_layer_slab(100_000, seed=11)
    se = v.stderr["escaped_by_face"]
    print(f"Rd layered {m.diffuse_reflectance:.5f}+-{m.stderr['diffuse_reflectance']:.5f} "
          f"voxel {v.escaped_by_face['-z']:.5f}+-{se['-z']:.5f}")
    print(f"Tt layered {m.transmittance:.5f}+-{m.stderr['transmittance']:.5f} "
          f"voxel {v.escaped_by_face['+z']:.5f}+-{se['+z']:.5f}")
    lateral = sum(v.escaped_by_face[f] for f in ("-x", "+x", "-y", "+y"))
    print(f"A  layered {m.absorbed:.5f}+-{m.stderr['absorbed']:.5f} voxel {v.absorbed:.5f}+-{v.stderr['absorbed']:.5f};"
          f" lateral loss {lateral:.5f}")
    z, relative = slab_phi_z_scores(m, v)
    print(f"phi(z): max |z-score| {np.max(np.abs(z)):.2f}, max rel diff {np.max(np.abs(relative)) * 100:.2f} %")


def diffusion() -> None:
    for r_cm, mc, theory in point_source_vs_diffusion(20_000, seed=2):
        print(f"diffusion r={r_cm} cm: MC {mc:.4f} theory {theory:.4f} ({(mc / theory - 1) * 100:+.1f} %)")


def cube60_figures() -> None:
    for name, source, n_outside, _ in CUBE60_CASES:
        r = cube60(source, n_outside, 100_000, seed=1)
        print(f"{name}: absorbed {100 * r.absorbed:.2f} +- {100 * r.stderr['absorbed']:.2f} % "
              f"({r.photons_per_second:,.0f} photons/s)")


if __name__ == "__main__":
    slab()
    diffusion()
    cube60_figures()
