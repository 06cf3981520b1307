"""The planner's depth model: fast diffusion (default), Monte Carlo, or an atlas with a Monte Carlo fallback."""

import numpy as np
import pytest

from photodose.devices.catalog import load_device
from photodose.errors import PhotodoseInputError
from photodose.dosimetry.depth_model import DepthModel, parse_depth_model
from plan_json import plan
from photodose.planning.request import PlanRequest
from photodose.dosimetry.tissue import fluence_per_irradiance, model_notes

DEPTHS_MM = (1.0, 3.0, 6.0)


pytestmark = pytest.mark.usefixtures("private_planning_cache")


def test_parse_depth_model():
    assert parse_depth_model(None) == parse_depth_model("fast") == DepthModel()
    assert parse_depth_model("mc:5e4") == DepthModel("mc", photons=50_000)
    for bad in ("mc:12", "mc:x", "diffusion", "atlas:"):
        with pytest.raises(PhotodoseInputError, match="transport"):
            parse_depth_model(bad)


def test_missing_atlas_is_refused_naming_it(tmp_path):
    with pytest.raises(PhotodoseInputError, match="nowhere"):
        parse_depth_model(f"atlas:{tmp_path / 'nowhere'}")


def test_monte_carlo_depth_model_agrees_with_fast_model_in_its_validity_range():
    # transport.diffusion states <= 5.5 % at 0.5-10 mm against Monte Carlo; allow that plus MC noise (3e4 photons)
    fast = fluence_per_irradiance("forearm", 850, "III", DEPTHS_MM)
    mc = fluence_per_irradiance("forearm", 850, "III", DEPTHS_MM, model=DepthModel("mc", photons=30_000))
    np.testing.assert_allclose(mc, fast, rtol=0.10)
    assert not np.array_equal(mc, fast)


def test_plan_with_atlas_outside_its_range_falls_back_to_monte_carlo_and_says_so(tmp_path):
    from photodose.scale.points import sweep_points
    from photodose.scale.store import write_row
    from photodose.scale.sweep import compute_point

    store = tmp_path / "atlas"
    store.mkdir()
    # an atlas of one other site (built in this process): every question of the plan lies outside it
    for point in sweep_points(["calf"], ["III"], [850.0], photons=2_000, seed=1, max_depth_mm=5.0):
        write_row(store, compute_point(point))
    model = DepthModel("atlas", atlas_dir=str(store), photons=5_000)
    req = PlanRequest(device=load_device("generic-laser-probe-808"), site="forearm", skin_type="III",
                      target_depth_mm=3.0, window_j_cm2=(1.0, 10.0), transport=model, safety={"goggles": True})
    doc = plan(req)
    notes = model_notes("forearm", "III", model)
    assert notes and all("outside the atlas" in n and "Monte Carlo" in n for n in notes)
    assert any("outside the atlas" in w for w in doc["warnings"])
    assert any("atlas" in r for r in doc["reasons"])
