"""Build ``head_icbm152_2mm.npz``: a five-tissue adult head on the MNI ICBM152 2009a brain (run once, offline).

Source: the ICBM 2009a nonlinear symmetric grey- and white-matter probability maps (1 mm, MNI space) that the
nilearn wheel ships as ``nilearn/datasets/data/mni_icbm152_{gm,wm}_tal_nlin_sym_09a_converted.nii.gz``
(Fonov et al. 2009 and 2011, bibliography keys fonov2009, fonov2011). Their T1 image in that wheel is
skull-stripped, so scalp and skull cannot be segmented from it: they are built as shells.

Segmentation (photodose's; every thickness is an input, see head_icbm152.yaml):
1. brain = p_gm + p_wm > 0.5; white matter where p_wm >= p_gm, grey matter elsewhere in the brain.
2. intracranial envelope = the brain closed with a 5 mm ball and hole-filled (fills sulci and ventricles),
   then grown outward by the CSF thickness; cerebrospinal fluid = envelope minus brain (sulcal and
   ventricular CSF plus a CSF shell over the cortex).
3. skull = voxels within the local skull thickness outside the envelope (Euclidean distance); scalp = the
   next local scalp thickness. Both vary over the head: the yaml's ``regional_thickness`` (measured regional
   means at anchor 10-20 positions, blended by angle from the head centre, :func:`regional_thickness_mm`).
4. Down-sampled to 2 mm by the most frequent label of each 2x2x2 block, cropped to the head with one voxel of air.
Usage: python -m photodose.transport.data.build_head_icbm152 DIR_WITH_THE_NIFTI_FILES
"""

from __future__ import annotations

import gzip
import struct
import sys
from pathlib import Path

import numpy as np

CLOSING_MM = 5
LABELS = ("air", "scalp", "skull", "csf", "grey_matter", "white_matter")


def read_nifti_u8(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """A NIfTI-1 uint8 volume (x fastest) and its 3x4 sform (world mm of voxel centres)."""
    raw = gzip.open(path).read()
    dims = struct.unpack("<8h", raw[40:56])
    datatype = struct.unpack("<h", raw[70:72])[0]
    offset = int(struct.unpack("<f", raw[108:112])[0])
    if datatype != 2:
        raise ValueError(f"{path}: datatype {datatype}, expected 2 (uint8)")
    shape = dims[1:4]
    data = np.frombuffer(raw[offset:], dtype=np.uint8, count=int(np.prod(shape)))
    sform = np.array(struct.unpack("<12f", raw[280:328])).reshape(3, 4)
    return data.reshape(shape[::-1]).transpose(2, 1, 0), sform


def _ball(radius: int) -> np.ndarray:
    r = np.arange(-radius, radius + 1)
    x, y, z = np.meshgrid(r, r, r, indexing="ij")
    return x * x + y * y + z * z <= radius * radius


def regional_thickness_mm(directions: np.ndarray, tissue: dict, positions_mm: dict, centre_mm: np.ndarray,
                          kernel_deg: float) -> np.ndarray:
    """Thickness (mm) along unit ``directions`` (N, 3) from the head centre: the Gaussian-weighted mean (width
    ``kernel_deg`` in angle) of the regions' measured means placed at their anchor positions."""
    values, anchors = [], []
    for region in tissue["regions"].values():
        for name in region["anchors"]:
            a = np.asarray(positions_mm[name], float) - centre_mm
            anchors.append(a / np.linalg.norm(a))
            values.append(float(region["mm"]))
    cos = np.clip(directions @ np.asarray(anchors).T, -1.0, 1.0)
    exponent = -0.5 * (np.degrees(np.arccos(cos)) / kernel_deg) ** 2
    weights = np.exp(exponent - exponent.max(axis=1, keepdims=True))   # the nearest anchor never underflows
    return weights @ np.asarray(values) / weights.sum(axis=1)


def segment(p_gm: np.ndarray, p_wm: np.ndarray, sform: np.ndarray, meta: dict) -> np.ndarray:
    """Labels 0-5 (LABELS) at the maps' 1 mm grid, padded by 20 mm on every side; ``meta``: head_icbm152.yaml."""
    from scipy import ndimage

    pad = 20
    gm = np.pad(p_gm.astype(float) / 255.0, pad)
    wm = np.pad(p_wm.astype(float) / 255.0, pad)
    brain = gm + wm > 0.5
    envelope = ndimage.binary_fill_holes(ndimage.binary_closing(brain, structure=_ball(CLOSING_MM)))
    outside = ndimage.distance_transform_edt(~envelope)
    csf_mm = float(meta["thickness_mm"]["csf"])
    spec = meta["regional_thickness"]
    positions = meta["positions"]["mm"]
    centre = (np.asarray(positions["LPA"], float) + np.asarray(positions["RPA"], float)) / 2.0
    most = csf_mm + max(r["mm"] for r in spec["skull"]["regions"].values()) + max(
        r["mm"] for r in spec["scalp"]["regions"].values())
    shell = np.argwhere((outside > csf_mm) & (outside <= most))
    world = (shell - pad) @ sform[:, :3].T + sform[:, 3]
    directions = (world - centre) / np.linalg.norm(world - centre, axis=1, keepdims=True)
    skull_mm = np.empty(len(shell))
    scalp_mm = np.empty(len(shell))
    for lo in range(0, len(shell), 200_000):
        d = directions[lo:lo + 200_000]
        skull_mm[lo:lo + 200_000] = regional_thickness_mm(d, spec["skull"], positions, centre, spec["kernel_deg"])
        scalp_mm[lo:lo + 200_000] = regional_thickness_mm(d, spec["scalp"], positions, centre, spec["kernel_deg"])
    depth = outside[tuple(shell.T)] - csf_mm
    intracranial = outside <= csf_mm
    skull = np.zeros(brain.shape, bool)
    scalp = np.zeros(brain.shape, bool)
    skull[tuple(shell[depth <= skull_mm].T)] = True
    scalp[tuple(shell[(depth > skull_mm) & (depth <= skull_mm + scalp_mm)].T)] = True
    labels = np.zeros(brain.shape, np.uint8)
    labels[scalp] = 1
    labels[skull] = 2
    labels[intracranial] = 3
    labels[brain] = 4
    labels[brain & (wm >= gm)] = 5
    return labels


def downsample_mode(labels: np.ndarray, factor: int = 2) -> np.ndarray:
    """Most frequent label of each factor^3 block (ties to the higher label: brain before CSF before bone)."""
    nx, ny, nz = (s // factor * factor for s in labels.shape)
    blocks = labels[:nx, :ny, :nz].reshape(nx // factor, factor, ny // factor, factor, nz // factor, factor)
    counts = np.stack([(blocks == k).sum(axis=(1, 3, 5)) for k in range(len(LABELS))], axis=-1)
    return (len(LABELS) - 1 - np.argmax(counts[..., ::-1], axis=-1)).astype(np.uint8)


def build(directory: Path, out: Path) -> None:
    gm, sform = read_nifti_u8(directory / "mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz")
    wm, _ = read_nifti_u8(directory / "mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz")
    from photodose.package_data import load_yaml

    labels = segment(gm, wm, sform, load_yaml("photodose.transport", "data", "head_icbm152.yaml"))
    corner_mm = sform[:, 3] - 0.5 - 20.0           # world mm of the padded grid's first voxel corner
    coarse = downsample_mode(labels)
    nonzero = np.argwhere(coarse > 0)
    lo = np.maximum(nonzero.min(axis=0) - 1, 0)
    hi = nonzero.max(axis=0) + 2
    coarse = coarse[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]
    origin = corner_mm + 2.0 * lo
    np.savez_compressed(out, labels=coarse, voxel_mm=np.float64(2.0), origin_mm=origin.astype(float),
                        label_names=np.array(LABELS))
    print(out, coarse.shape, origin, [int((coarse == k).sum()) for k in range(len(LABELS))])


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(__file__).with_name("head_icbm152_2mm.npz"))
