"""A Monte Carlo depth-dose run for the web: wide-beam fluence per unit irradiance phi(z) in a body-site stack,
with its batch standard error (photodose.transport.montecarlo, MCML physics)."""

from __future__ import annotations

from ..errors import require_choice, require_in_range
from ..optics.phototypes import normalise_skin_type
from .planning import site_choices

PHOTONS_RANGE = (1_000, 2_000_000)
MAX_DEPTH_MM = 20.0


def check_request(site: str, wavelength_nm, skin_type: str, photons, seed) -> dict:
    """Validated run parameters (each refusal names its field and range)."""
    return {"site": require_choice("site", site, site_choices()),
            "wavelength_nm": require_in_range("wavelength_nm", wavelength_nm, 400, 1400),
            "skin_type": normalise_skin_type(skin_type),
            "photons": int(require_in_range("photons", photons, *PHOTONS_RANGE)),
            "seed": int(require_in_range("seed", seed, 1, 2**31 - 1))}


def run_depth_dose(params: dict, report) -> dict:
    """Run it; ``report(fraction, text)`` after each group of batches. phi is dimensionless (fluence per unit
    irradiance), stderr its batch standard error."""
    from ..optics.sites import body_stack
    from ..transport.beams import Beam
    from ..transport.depth_dose import depth_grid
    from ..transport.montecarlo import run_mc

    stack = body_stack(params["site"], params["wavelength_nm"], params["skin_type"])
    grid = depth_grid(MAX_DEPTH_MM)
    result = run_mc(stack, params["photons"], seed=params["seed"], beam=Beam(kind="wide"), grid=grid,
                    progress=lambda done, total: report(done / total, f"{done:,} of {total:,} photons"))
    inside = slice(0, grid.nz - 1)  # the last bin holds the overflow beyond the grid
    stderr = result.fluence_z_stderr
    return {"params": params, "depth_mm": result.depth_mm[inside].tolist(),
            "phi": result.fluence_per_irradiance[inside].tolist(),
            "stderr": None if stderr is None else stderr[inside].tolist(), "seconds": result.seconds,
            "summary": result.summary()}
