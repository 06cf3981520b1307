"""The atlas store: a directory of Parquet files, one per completed grid point, named by the point's key.

Each file holds one row of :data:`SCHEMA`: the inputs (names, thickness overrides, the layer stack as JSON,
photons, seed, beam, code version) and the results (fluence per unit irradiance phi(z) at the depth-bin centres
with its batch standard error, absorbed fraction per layer, Rd, Tt, A with standard errors). Files are written
to a hidden temporary name then renamed, so a killed sweep never leaves a half-written chunk; the whole
directory reads as one table (``pyarrow.dataset``), and a rerun skips every key already present.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .points import AtlasPoint, layer_thicknesses_mm

CHUNK_PREFIX, CHUNK_SUFFIX = "point-", ".parquet"

_F64_LIST = pa.list_(pa.float64())
SCHEMA = pa.schema([
    ("key", pa.string()), ("site", pa.string()), ("skin_type", pa.string()), ("wavelength_nm", pa.float64()),
    ("thickness_overrides_json", pa.string()), ("layer_names", pa.list_(pa.string())),
    ("layer_thickness_mm", _F64_LIST), ("beam", pa.string()), ("incidence", pa.string()),
    ("photons", pa.int64()), ("seed", pa.int64()), ("batches", pa.int64()), ("code_version", pa.string()),
    ("stack_json", pa.string()), ("dz_mm", pa.float64()),
    ("depth_mm", _F64_LIST), ("fluence_per_irradiance", _F64_LIST), ("fluence_stderr", _F64_LIST),
    ("layer_absorbed", _F64_LIST), ("layer_absorbed_stderr", _F64_LIST),
    ("diffuse_reflectance", pa.float64()), ("diffuse_reflectance_stderr", pa.float64()),
    ("transmittance", pa.float64()), ("transmittance_stderr", pa.float64()),
    ("absorbed", pa.float64()), ("absorbed_stderr", pa.float64()), ("specular", pa.float64()),
    ("seconds", pa.float64()),
])


def result_row(point: AtlasPoint, result, code_version: str) -> dict:
    """One store row from an atlas point and its ``MCResult`` (the last depth bin, MCML's overflow, dropped)."""
    inside = slice(0, point.grid.nz - 1)
    names, thickness = layer_thicknesses_mm(point.site, dict(point.thickness_mm) or None)
    stderr = result.fluence_z_stderr if result.fluence_z_stderr is not None else np.full(point.grid.nz, np.nan)
    return {
        "key": point.key, "site": point.site, "skin_type": point.skin_type, "wavelength_nm": point.wavelength_nm,
        "thickness_overrides_json": json.dumps(dict(point.thickness_mm), sort_keys=True),
        "layer_names": names, "layer_thickness_mm": thickness.tolist(),
        "beam": point.beam.label(), "incidence": point.incidence.label(), "photons": result.photons,
        "seed": result.seed, "batches": result.batches, "code_version": code_version,
        "stack_json": json.dumps(point.stack.to_json_dict(), sort_keys=True), "dz_mm": point.grid.dz_mm,
        "depth_mm": result.depth_mm[inside].tolist(),
        "fluence_per_irradiance": np.asarray(result.fluence_per_irradiance)[inside].tolist(),
        "fluence_stderr": np.asarray(stderr)[inside].tolist(),
        "layer_absorbed": np.asarray(result.layer_absorbed).tolist(),
        "layer_absorbed_stderr": np.asarray(result.stderr["layer_absorbed"]).tolist(),
        "diffuse_reflectance": result.diffuse_reflectance,
        "diffuse_reflectance_stderr": float(result.stderr["diffuse_reflectance"]),
        "transmittance": result.transmittance, "transmittance_stderr": float(result.stderr["transmittance"]),
        "absorbed": result.absorbed, "absorbed_stderr": float(result.stderr["absorbed"]),
        "specular": result.specular, "seconds": result.seconds,
    }


def chunk_path(store_dir: str | Path, key: str) -> Path:
    return Path(store_dir) / f"{CHUNK_PREFIX}{key}{CHUNK_SUFFIX}"


def completed_keys(store_dir: str | Path) -> set[str]:
    """Keys of the grid points already in the store (an absent directory holds none)."""
    root = Path(store_dir)
    if not root.is_dir():
        return set()
    return {p.name[len(CHUNK_PREFIX):-len(CHUNK_SUFFIX)] for p in root.glob(f"{CHUNK_PREFIX}*{CHUNK_SUFFIX}")}


def write_row(store_dir: str | Path, row: dict) -> Path:
    """Write one point's row atomically (hidden temporary file, then rename) and return its path."""
    path = chunk_path(store_dir, row["key"])
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(pa.Table.from_pylist([row], schema=SCHEMA), temporary)
    os.replace(temporary, path)
    return path


def read_store(store_dir: str | Path) -> pa.Table:
    """Every completed point of the store as one table of :data:`SCHEMA` (rows sorted by key)."""
    files = sorted(chunk_path(store_dir, key) for key in completed_keys(store_dir))
    if not files:
        return SCHEMA.empty_table()
    import pyarrow.dataset as ds

    return ds.dataset([str(f) for f in files], schema=SCHEMA, format="parquet").to_table().sort_by("key")
