"""The segmented head, 10-20 placement and transcranial dose in 3-D."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from photodose.errors import PhotodoseInputError
from photodose.transport import head as H

FOREHEAD = ("Fp1", "Fp2", "F3", "F4", "F7", "F8")


@pytest.fixture(scope="module")
def model():
    return H.load_head()


def test_head_ships_small_with_its_provenance_and_licence(model):
    path = resources.files("photodose.transport").joinpath("data", "head_icbm152_2mm.npz")
    assert path.stat().st_size < 1_000_000
    meta = model.meta
    assert "Permission to use, copy, modify, and distribute" in meta["licence"]
    assert {"fonov2009", "fonov2011"} <= set(meta["citations"])
    assert model.volume.voxel_mm == 2.0
    counts = np.bincount(model.volume.labels.ravel(), minlength=6)
    assert np.all(counts[1:] > 10_000)   # every tissue present


def test_forehead_scalp_and_skull_thickness_within_strangman2014_ranges(model):
    """Thickness under six forehead positions (each the mean over a 5-degree patch), against the five-tissue
    Colin27 head of Strangman et al. 2014: scalp 3.6-11.2 mm, skull 2.5-10.5 mm; the CSF shell 2 mm."""
    layers = [H.layers_under(model, pos) for pos in FOREHEAD]
    lo, hi = model.meta["thickness_check"]["scalp_range_mm"]
    assert all(lo <= row["scalp_mm"] <= hi for row in layers)
    lo, hi = model.meta["thickness_check"]["skull_range_mm"]
    assert all(lo <= row["skull_mm"] <= hi for row in layers)
    assert np.mean([row["csf_mm"] for row in layers]) == pytest.approx(model.meta["thickness_mm"]["csf"], abs=0.5)


REGION_POSITIONS = {"frontal": ("Fp1", "Fp2", "F3", "F4"), "parietal": ("C3", "C4", "P3", "P4"),
                    "temporal": ("T7", "T8"), "occipital": ("O1", "O2")}


def test_skull_varies_over_the_head_as_the_two_ct_studies_measured_it(model):
    """Skull under each bone's positions within 1 mm of the region's value (the mean of J Craniofac Surg 2021 and
    Thulung 2019), and inside Thulung's mean +- 2 SD; the temporal squama thinnest, as both studies find."""
    spec = model.meta["regional_thickness"]["skull"]
    skull = {region: np.mean([H.layers_under(model, pos)["skull_mm"] for pos in positions])
             for region, positions in REGION_POSITIONS.items()}
    for region, mm in skull.items():
        assert mm == pytest.approx(spec["regions"][region]["mm"], abs=1.0), region
        _, mean, sd = spec["studies_mm"][region]
        assert mean - 2 * sd <= mm <= mean + 2 * sd, region
    assert skull["temporal"] < min(skull["frontal"], skull["parietal"], skull["occipital"]) - 2.0


def test_scalp_is_thicker_at_the_temples_and_lateral_forehead_than_at_the_midline(model):
    """Soft tissue: temples 10.4 mm (Wysong 2013 and its companion study, subcutaneous tissue by MRI), lower
    lateral forehead 9.0 mm and midline 5.2 mm (Cakmakoglu 2025), each within 1.5 mm under its positions (the
    blend between anchors thins the narrow lateral-forehead band)."""
    spec = model.meta["regional_thickness"]["scalp"]["regions"]
    temples = np.mean([H.layers_under(model, pos)["scalp_mm"] for pos in ("T7", "T8")])
    lateral = np.mean([H.layers_under(model, pos)["scalp_mm"] for pos in ("AF7", "AF8")])
    midline = np.mean([H.layers_under(model, pos)["scalp_mm"] for pos in ("Fp1", "Fp2", "AF3", "AF4")])
    assert temples == pytest.approx(spec["temporal"]["mm"], abs=1.5)
    assert lateral == pytest.approx(spec["forehead_lateral_lower"]["mm"], abs=1.5)
    assert midline == pytest.approx(spec["forehead_midline"]["mm"], abs=1.5)
    assert temples > lateral > midline + 1.5


def test_10_20_positions_land_on_this_heads_scalp_near_the_template_positions(model):
    centre = H.centre_mm(model)
    for pos in ("Fp1", "Fp2", "Fz", "F3", "F4", "F7", "F8", "C3", "Cz", "C4", "P3", "Pz", "P4", "O1", "O2"):
        p, n = H.scalp_point(model, pos)
        template = np.asarray(model.positions_mm[pos])
        assert np.linalg.norm(p - template) < 15.0, pos        # shell head vs the template's scalp
        assert np.dot(n, p - centre) > 0, pos                  # the normal points outward
    assert H.scalp_point(model, "F3")[0][0] < 0 < H.scalp_point(model, "F4")[0][0]   # left is -x
    assert H.cortex_point(model, "F3")[1] > 20      # DLPFC under F3 is frontal (MNI y > 20 mm)


def test_unknown_position_and_target_name_the_option():
    with pytest.raises(PhotodoseInputError) as err:
        H.resolve_position("F33")
    assert err.value.field == "position" and "F3" in str(err.value)
    with pytest.raises(PhotodoseInputError) as err:
        H.resolve_target("dlfpc")
    assert err.value.field == "target"


def _f3_f4_run(model, nm, photons, threads=None):
    """Two small contact sources (4 Lambertian points on a 10 mm square) at F3 and F4, as a tPBM headset."""
    uv = np.array([[-5.0, -5.0], [-5.0, 5.0], [5.0, -5.0], [5.0, 5.0]])
    pos, dirs, w, m = [], [], [], []
    for name in ("F3", "F4"):
        p, d, pw, mm = H.place_emitters(model, name, uv, 0.25, 1.0, 0.0, conformal=False)
        pos.append(p), dirs.append(d), w.append(pw), m.append(mm)
    scalp = [H.scalp_point(model, n)[0] for n in ("F3", "F4")]
    return H.run_head(np.vstack(pos), np.vstack(dirs), np.concatenate(w), np.concatenate(m), nm,
                      scalp_points_mm=scalp, photons=photons, seed=4, threads=threads, head=model)


@pytest.mark.slow  # two head runs (8 s): CI runs it, `pytest -m "not slow"` skips it
def test_head_run_identical_across_thread_counts(model):
    import numba

    runs = [_f3_f4_run(model, 810, 3000, threads=t) for t in sorted({1, numba.config.NUMBA_NUM_THREADS})]
    for other in runs[1:]:
        assert np.array_equal(other.result.absorbed_per_voxel, runs[0].result.absorbed_per_voxel)
        assert other.per_watt("target") == runs[0].per_watt("target")
    assert runs[0].result.energy_balance_error() < 1e-10


@pytest.fixture(scope="module")
def wavelength_runs(model):
    return {nm: _f3_f4_run(model, nm, 100_000) for nm in (670, 810, 980, 1064)}


@pytest.mark.slow  # four 1e5-photon head runs (10 s): CI runs it, `pytest -m "not slow"` skips it
def test_cassano2019_810_nm_delivers_more_to_the_dlpfc_than_670_and_980(wavelength_runs):
    """Cassano et al. 2019: of 670, 810, 850, 980 and 1064 nm, 810 nm gave the highest energy to the targets. With
    Cassano's own Table 1 at each wavelength, the DLPFC fluence (photodose's cortex dose) at 810 nm beats 670 nm
    (blood) and 980 nm (water) by > 3 standard errors. (The energy absorbed in the target does not: at 980 nm grey
    matter absorbs 1.9x as much per unit fluence, mua 0.52 vs 0.28 /cm, and the absorbed energy is 1.2x 810 nm's.)"""
    f810, s810 = wavelength_runs[810].per_watt("target")
    for nm in (670, 980):
        f, s = wavelength_runs[nm].per_watt("target")
        assert f810 - f > 3 * np.hypot(s810, s), nm


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "with Cassano 2019's own Table 1 at every wavelength, 1064 nm gives 1.27x the 810 nm DLPFC surface fluence in "
    "the head (5e5 photons, +4.1 SE) and 1.51x in the flat forehead stack (Monte Carlo beside it): their skin "
    "absorbs 0.17 /cm at 1064 nm vs 0.45 at 810; the paper's ranking is not reproduced from its own optical "
    "properties here, and its Results (head geometry, metric) were not read; see docs/head.md"))
def test_cassano2019_810_nm_delivers_more_to_the_dlpfc_than_1064(wavelength_runs):
    f810, s810 = wavelength_runs[810].per_watt("target")
    f, s = wavelength_runs[1064].per_watt("target")
    assert f810 - f > 3 * np.hypot(s810, s)


def test_head_cortex_fluence_agrees_with_the_flat_forehead_stack_within_a_factor_2():
    """Same tissues and depth (the head's layers under F3/F4 are within a few tenths of a millimetre of the flat
    forehead stack's 5.2 + 8.3 + 2 mm), independent geometry and kernel: the head's target (the cortical surface,
    grey matter touching CSF, within 15 mm of the cortex under F3 and F4) and the flat stack's top 2 mm of grey
    matter agree within a factor 2 (photodose's consistency bound). The head gives less (0.7x here, 0.97x for the
    ELATED-2 pad of docs/head.md): a curved head loses light sideways above the cortex, and its surface includes
    sulcal walls."""
    from photodose.dosimetry.head_dose import head_dose

    dose = head_dose("generic-headset-810", ["F3", "F4"], 20, photons=60_000)
    assert dose.cortex_fluence_stderr_j_cm2 < 0.2 * dose.cortex_fluence_j_cm2
    ratio = dose.cortex_fluence_j_cm2 / dose.flat_stack.cortex_fluence_j_cm2
    assert 0.5 < ratio < 2.0, ratio
    assert 0 < dose.fraction_at_cortex < 1 and 0 < dose.energy_fraction_at_cortex < dose.grey_matter.absorbed_fraction
    assert dose.scalp_fluence_j_cm2 > 5 * dose.cortex_fluence_j_cm2


def test_photodose_head_cli_json_and_plot(tmp_path):
    from typer.testing import CliRunner

    from photodose.cli import app

    png = tmp_path / "slices.png"
    result = CliRunner().invoke(app, ["head", "--device", "generic-headset-810", "--position", "F3", "--minutes",
                                      "10", "--photons", "5000", "--plot", str(png), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("cortex_fluence_j_cm2", "cortex_fluence_stderr_j_cm2", "scalp_fluence_j_cm2", "fraction_at_cortex",
                "fraction_at_cortex_stderr", "grey_matter", "flat_stack"):
        assert key in data
    assert png.stat().st_size > 10_000 and png.read_bytes().startswith(b"\x89PNG")   # reports.head_slices_png
    bad = CliRunner().invoke(app, ["head", "--device", "generic-headset-810", "--position", "F33", "--minutes", "10"])
    assert bad.exit_code == 2 and "--position" in bad.output
    # the human output prints every source whole: a reference whose author field is "[authors not read: ...]" was
    # swallowed as Rich markup and printed as " (2021). Frontal Bone is ..."
    human = CliRunner().invoke(app, ["head", "--device", "generic-headset-810", "--position", "F3", "--minutes", "10",
                                     "--photons", "5000"])
    assert human.exit_code == 0 and "[authors not read" in human.output and "  -  (" not in human.output


@pytest.mark.slow
def test_head_dose_on_dask_equals_the_threaded_run(dask_cluster_client):
    from photodose.dosimetry.head_dose import head_dose

    kwargs = dict(photons=4000, seed=3)
    threaded = head_dose("generic-laser-probe-808", ["F3"], 5, **kwargs)
    split = head_dose("generic-laser-probe-808", ["F3"], 5, scheduler=dask_cluster_client.scheduler.address,
                      **kwargs)
    assert split.cortex_fluence_j_cm2 == threaded.cortex_fluence_j_cm2
    assert split.cortex_fluence_stderr_j_cm2 == threaded.cortex_fluence_stderr_j_cm2
