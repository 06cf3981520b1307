"""A plane-parallel stack of tissue layers: the optics stage's output and the input to every transport model.

Units: optical coefficients in 1/cm, thicknesses in mm (MCML files keep their cm; converted at I/O).
JSON layers format (also what ``photodose stack ... --json`` prints, extra keys ignored):
``{"n_above": 1.0, "n_below": 1.0, "layers": [{"name": "dermis", "n": 1.4, "mua_per_cm": 0.4,
"mus_per_cm": 200, "g": 0.9, "thickness_mm": 2.0}, ...]}``; a thickness of null means semi-infinite
(allowed for the last layer only).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..errors import PhotodoseInputError


def layer_index_at(boundaries, depths) -> np.ndarray:
    """Index of the layer that contains each depth, for layer boundaries ``[top_0, bottom_0 = top_1, ...,
    bottom_last]`` (any one length unit; the last may be inf). A depth on a boundary belongs to the layer below it;
    depths above the first top fall in the first layer and below the last bottom in the last one (callers that need
    "below the stack" test that themselves)."""
    boundaries = np.asarray(boundaries, float)
    return np.clip(np.searchsorted(boundaries, np.asarray(depths, float), side="right") - 1, 0, len(boundaries) - 2)


# Input ceilings (photodose's choices, unsourced): tissue scattering is ~10-1000 /cm, absorption far less; a stack
# deeper than 10 m or with more than 100 layers is not a body.
MAX_COEFFICIENT_PER_CM = 1.0e5
MAX_THICKNESS_MM = 10_000.0
MAX_LAYERS = 100


class Layer(BaseModel):
    """One homogeneous layer: refractive index, absorption and scattering (1/cm), anisotropy, thickness (mm)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = "layer"
    n: float
    mua_per_cm: float
    mus_per_cm: float
    g: float
    thickness_mm: float | None  # None = semi-infinite

    @field_validator("n")
    @classmethod
    def _n(cls, v: float) -> float:
        if not (1.0 <= v <= 3.0):
            raise ValueError(f"refractive index n={v} must lie in [1, 3]")
        return v

    @field_validator("mua_per_cm", "mus_per_cm")
    @classmethod
    def _nonneg(cls, v: float) -> float:
        if not (0 <= v <= MAX_COEFFICIENT_PER_CM):
            raise ValueError(f"coefficient {v} must be finite, >= 0 and <= {MAX_COEFFICIENT_PER_CM:g} (1/cm)")
        return v

    @field_validator("g")
    @classmethod
    def _g(cls, v: float) -> float:
        if not (-1.0 < v < 1.0):
            raise ValueError(f"anisotropy g={v} must lie in the open interval (-1, 1)")
        return v

    @field_validator("thickness_mm")
    @classmethod
    def _thickness(cls, v: float | None) -> float | None:
        if v is not None and not (0 < v <= MAX_THICKNESS_MM):
            raise ValueError(f"thickness_mm={v} must be > 0 and <= {MAX_THICKNESS_MM:g} (or null for semi-infinite)")
        return v

    @property
    def musp_per_cm(self) -> float:
        return self.mus_per_cm * (1.0 - self.g)


class LayerStack(BaseModel):
    """Ordered layers from the surface down, with the refractive index of the media above and below."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    n_above: float = 1.0
    n_below: float = 1.0
    layers: tuple[Layer, ...]

    @field_validator("n_above", "n_below")
    @classmethod
    def _n_ambient(cls, v: float) -> float:
        if not (1.0 <= v <= 3.0):
            raise ValueError(f"ambient refractive index {v} must lie in [1, 3]")
        return v

    @model_validator(mode="after")
    def _check(self) -> "LayerStack":
        if not 1 <= len(self.layers) <= MAX_LAYERS:
            raise ValueError(f"a stack has 1 to {MAX_LAYERS} layers (got {len(self.layers)})")
        for layer in self.layers[:-1]:
            if layer.thickness_mm is None:
                raise ValueError(f"layer {layer.name!r}: only the last layer may be semi-infinite")
        return self

    # --- views used by the kernels (cm, arrays) ---
    @property
    def semi_infinite(self) -> bool:
        return self.layers[-1].thickness_mm is None

    def boundaries_cm(self) -> np.ndarray:
        """z of each layer's top and bottom in cm (len = layers + 1); last is inf when semi-infinite."""
        z = [0.0]
        for layer in self.layers:
            z.append(math.inf if layer.thickness_mm is None else z[-1] + layer.thickness_mm / 10.0)
        return np.asarray(z)

    def arrays(self) -> dict[str, np.ndarray]:
        """Per-layer arrays n, mua, mus, g (1/cm) for numba kernels."""
        return {
            "n": np.array([l.n for l in self.layers], dtype=np.float64),
            "mua": np.array([l.mua_per_cm for l in self.layers], dtype=np.float64),
            "mus": np.array([l.mus_per_cm for l in self.layers], dtype=np.float64),
            "g": np.array([l.g for l in self.layers], dtype=np.float64),
        }

    def total_thickness_mm(self) -> float:
        return math.inf if self.semi_infinite else float(sum(l.thickness_mm for l in self.layers))

    def to_json_dict(self) -> dict:
        return {
            "n_above": self.n_above,
            "n_below": self.n_below,
            "layers": [
                {"name": l.name, "n": l.n, "mua_per_cm": l.mua_per_cm, "mus_per_cm": l.mus_per_cm,
                 "g": l.g, "thickness_mm": l.thickness_mm}
                for l in self.layers
            ],
        }

    @classmethod
    def from_json_dict(cls, data: dict, source: str | None = None) -> "LayerStack":
        """Build from the JSON layers format; errors name the source, the field and the value."""
        if not isinstance(data, dict) or "layers" not in data:
            raise PhotodoseInputError("layers", None, "a JSON object with a 'layers' list", source)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise PhotodoseInputError(loc or "layers", err.get("input"), err["msg"], source) from None

    @classmethod
    def from_json_file(cls, path: str | Path) -> "LayerStack":
        from ..inputs import parse_json, read_text

        p = Path(path)
        data = parse_json(read_text(p, "input"), "input", str(p))
        return cls.from_json_dict(data, source=str(p))
