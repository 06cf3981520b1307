"""Validation against measured tissue data (issue 12, item 7): presets, stacks and the Monte Carlo vs measurements.

Each case copies the study's numbers (abstract-level: the full texts were not available here, so beam size, detector
aperture and per-sample spread are not known unless stated) and simulates the study's geometry as far as it is given.
Where photodose agrees, the band is the study's own spread. Where it does not, the test holds the present disagreement
(its sign and size) so that a change to a preset or to the kernel that moves it shows up; docs/validation.md lists
every case, measured vs predicted, and why photodose falls outside. A disagreement that should disappear once the
model is right is an ``xfail(strict=True)``: it fails loudly the day it starts to pass.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from photodose.bibliography import bibliography
from photodose.optics.sites import body_stack
from photodose.optics.tissues import tissue_presets, tissue_properties
from photodose.transport.beams import Beam
from photodose.transport.depth_dose import fluence_per_irradiance
from photodose.optics.layers import LayerStack
from photodose.transport.montecarlo import run_mc
from photodose.transport.result import Grid

N_AIR = 1.0
SCALARS_ONLY = Grid(nz=10, na=1)   # only Rd, A and Tt are read: the smallest tally grid

# Lapchak et al. 2015 (lapchak2015), abstract: 800 nm, 700 mW/cm2 on dry human calvaria; mean thickness 7.19 mm at
# bregma and 5.91 mm at the parietal skull; 4.18 % and 4.24 % of the applied light transmitted; hydration changed
# it by an insignificant 9.2-13.4 %. Beam size, detector and the spread between skulls were not read.
LAPCHAK2015_NM = 800.0
LAPCHAK2015_CALVARIA = {"bregma": (7.19, 0.0418), "parietal": (5.91, 0.0424)}   # thickness mm, transmitted fraction

# Hudson et al. 2013 (hudson2013), abstract: 1 W/cm2 at 808 and 980 nm through bovine tissue 18-95 mm thick;
# 1 mW/cm2 (a transmitted fraction of 1e-3) was reached at 3.4 cm (808 nm) and 2.2 cm (980 nm). One sample per
# thickness, no spread given; tissue type, beam size and detector not read.
HUDSON2013_FRACTION = 1e-3
HUDSON2013_DEPTH_MM = {808.0: 34.0, 980.0: 22.0}

# Henderson & Morries 2015 (henderson2015), abstract: at 10-15 W, 0.45-2.90 % of 810 nm light penetrated 3 cm of
# tissue (after "3 cm of skull and brain"; the tissue, beam and detector are not given in the abstract).
HENDERSON2015_NM = 810.0
HENDERSON2015_DEPTH_MM = 30.0
HENDERSON2015_FRACTION = (0.0045, 0.0290)

# Esnouf et al. 2007 (esnouf2007), abstract: human abdominal skin, dermatome samples up to 0.784 mm thick (ex vivo,
# after abdominoplasty), 850 nm laser through a 0.28 mm probe, transmitted light on an Ophir Nova meter: intensity
# reduced by 66 % through 0.784 mm. Phototype, probe-sample contact and spread not read.
ESNOUF2007_NM = 850.0
ESNOUF2007_THICKNESS_MM = 0.784
ESNOUF2007_TRANSMITTED = 1.0 - 0.66
EPIDERMIS_MM = 0.1   # the stacks' epidermis (typical value, unsourced); the rest of the sample is dermis

# Jagdeo et al. 2012 (jagdeo2012), abstract: in a formalin-fixed cadaver head 830 nm light "measurably penetrates
# soft tissue, bone and brain", red 633 nm transmission is "negligible" under the same conditions.
JAGDEO2012_NM = {"nir": 830.0, "red": 633.0}


def slab_transmittance(tissue: str, nm: float, thickness_mm: float, photons: int, seed: int) -> tuple[float, float]:
    """Total transmittance (and its standard error) of a slab of ``tissue`` in air, collimated normal beam.

    The total transmittance is what a detector that collects all the light leaving the far side reads per unit
    incident power, for any beam; a smaller detector reads less (so the model is an upper bound where the study's
    aperture is unknown).
    """
    layer = tissue_properties(tissue, nm).to_layer(tissue, thickness_mm)
    stack = LayerStack(n_above=N_AIR, n_below=N_AIR, layers=[layer])
    result = run_mc(stack, photons, seed=seed, grid=SCALARS_ONLY)
    return result.transmittance, result.stderr["transmittance"]


def depth_of_fraction_mm(tissue: str, nm: float, fraction: float, thicknesses_mm, photons: int, seed: int) -> float:
    """Slab thickness at which the Monte Carlo total transmittance equals ``fraction`` (log-linear interpolation)."""
    t = np.array([slab_transmittance(tissue, nm, d, photons, seed + i)[0] for i, d in enumerate(thicknesses_mm)])
    assert t[0] > fraction > t[-1], f"{fraction} not bracketed by {t} over {thicknesses_mm} mm at {nm} nm"
    return float(np.interp(-math.log(fraction), -np.log(t), np.asarray(thicknesses_mm, dtype=float)))


# --- the presets' sources ---------------------------------------------------------------------------------------


def test_every_preset_citation_is_a_bibliography_key():
    keys = bibliography()
    for name, preset in tissue_presets().items():
        for key in preset.citations:
            assert key in keys, f"{name} cites {key!r}, which is not in the bibliography"
    # the stacks carry them to the person (photodose stack SITE --json: layers[].optics_citations)
    from photodose.optics.sites import describe_stack
    knee = {layer["name"]: layer["optics_citations"] for layer in describe_stack("knee", 850)["layers"]}
    assert knee["bone"] == ["cassano2019", "lapchak2015"]


def test_bone_layers_use_the_preset_checked_against_lapchak2015():
    # every site's bone or skull layer is Cassano's skull (the preset closest to the dry-calvaria measurement)
    from photodose.optics.sites import SITES, site_layers
    bone_layers = [(site, layer["tissue"]) for site in SITES for layer in site_layers(site)
                   if layer["name"] in ("bone", "skull")]
    assert bone_layers and {tissue for _, tissue in bone_layers} == {"skull_cassano2019"}
    assert tissue_properties("bone", 800).tissue == "skull_cassano2019"


def test_knee_stand_ins_say_so_where_the_person_reads_the_stack():
    """The knee's joint capsule (dermis preset) and bone (Cassano's skull) are stand-ins, not in-vivo values.

    A second search for in-vivo synovium, joint-capsule and limb-bone optics (docs/validation.md) found the studies
    but no number that could be read, so the stand-ins stay; `photodose stack knee --json` must say so in each
    layer's sources. Swapping a preset without changing its label (or the reverse) fails here.
    """
    from photodose.optics.sites import describe_stack
    layers = {layer["name"]: layer for layer in describe_stack("knee", 850)["layers"]}
    capsule, bone = layers["joint_capsule"], layers["bone"]
    assert capsule["tissue"] == "dermis" and "stands in for capsule and synovium" in capsule["thickness_source"]
    assert bone["tissue"] == "skull_cassano2019" and "stand-in" in bone["optics_source"]
    assert "086002" in bone["optics_source"]   # the in-vivo knee-bone study a reader should take in next


# --- Lapchak et al. 2015: 800 nm through dry human calvaria -----------------------------------------------------


@pytest.mark.parametrize("site", sorted(LAPCHAK2015_CALVARIA))
def test_lapchak2015_dry_human_calvaria_transmittance_800nm(site):
    """Cassano's skull over-predicts the measured 4.2 % by 1.9x (bregma) and 2.6x (parietal); Jacques' by 3.8-4.3x.

    The band [1.5, 3.0] x measured holds photodose's present over-prediction: the study's per-skull spread was not
    read, so no agreement band can be justified. Likely causes, none measured here: dry calvaria scatter more than
    living bone (air in the diploe), and a detector smaller than the transmitted light's spread reads less than the
    total transmittance simulated here. Statistical error of the Monte Carlo: < 2 % of the value (50,000 photons).
    """
    thickness_mm, measured = LAPCHAK2015_CALVARIA[site]
    predicted, stderr = slab_transmittance("skull_cassano2019", LAPCHAK2015_NM, thickness_mm, 50_000, seed=201)
    assert stderr < 0.02 * predicted
    assert 1.5 * measured < predicted < 3.0 * measured, f"{site}: {predicted:.4f} vs measured {measured}"
    jacques, _ = slab_transmittance("skull", LAPCHAK2015_NM, thickness_mm, 50_000, seed=202)
    assert jacques > 3.0 * measured and jacques > predicted   # the replaced preset is further from the measurement


# --- Hudson et al. 2013: 808 vs 980 nm through thick (bovine) tissue --------------------------------------------


def test_hudson2013_808nm_reaches_deeper_than_980nm_through_thick_tissue():
    """Depth at which 0.1 % of the light is left: measured 34 and 22 mm (808, 980 nm); predicted 26.8 and 22.1 mm.

    Simulated as slabs of the muscle preset (Cassano 2019 Table 1, human, at 810 and 980 nm) in air, total
    transmittance: the study's bovine tissue is ex vivo (less blood than living muscle) and its tissue type, beam
    and detector were not read. The order (808 nm deeper) is the study's finding and is held exactly. No spread was
    reported, so the depths are held in [0.7, 1.1] x measured: the present under-prediction at 808 nm (21 %) and
    the agreement at 980 nm (+0.6 %; it was 20.1 mm, 8 % short, while 980 nm was extrapolated from 810 nm), with
    10 % for the Monte Carlo noise of a depth read from a log-interpolated 0.1 % level (photodose assumption).
    """
    depth = {nm: depth_of_fraction_mm("muscle", nm, HUDSON2013_FRACTION, (14, 18, 22, 26, 30, 34), 40_000, seed=300)
             for nm in HUDSON2013_DEPTH_MM}
    assert depth[808.0] > depth[980.0]
    for nm, measured in HUDSON2013_DEPTH_MM.items():
        assert 0.7 * measured <= depth[nm] <= 1.1 * measured, f"{nm} nm: {depth[nm]:.1f} mm vs measured {measured}"


# --- Esnouf et al. 2007: 850 nm through 0.784 mm of human skin ---------------------------------------------------


def skin_sample_transmittance(skin_type: str) -> float:
    epidermis = tissue_properties("epidermis", ESNOUF2007_NM, skin_type=skin_type).to_layer("epidermis", EPIDERMIS_MM)
    dermis = tissue_properties("dermis", ESNOUF2007_NM).to_layer("dermis", ESNOUF2007_THICKNESS_MM - EPIDERMIS_MM)
    stack = LayerStack(n_above=N_AIR, n_below=N_AIR, layers=[epidermis, dermis])
    return run_mc(stack, 50_000, seed=250, grid=SCALARS_ONLY).transmittance


def test_esnouf2007_850nm_through_0p784mm_of_human_skin():
    """Measured 34 % transmitted; predicted 55 % (type I) to 36 % (type VI), 49 % for type III.

    The phototype of the samples is not in the abstract. The model transmits more than was measured for every
    phototype: by 1.07x for type VI (melanin 20 %, Saager 2015's in-vivo value) up to 1.6x for type I. (With the
    former type VI of 40 % melanin the span reached down to 27 %, around the measurement.) For a mid phototype (III)
    photodose over-predicts by 1.4x; the band [1.2, 1.7] x measured holds that disagreement (no spread reported).
    Likely causes, not measured here: a meter that does not collect all of the widely scattered transmitted light,
    and the dermis preset's scattering (Jacques' generic dermis, mus' 12.6 /cm at 850 nm).
    """
    t = {st: skin_sample_transmittance(st) for st in ("I", "III", "VI")}
    assert ESNOUF2007_TRANSMITTED < t["VI"] < t["III"] < t["I"]
    assert t["VI"] < 1.15 * ESNOUF2007_TRANSMITTED, t     # the darkest phototype lies closest, within 15 %
    assert 1.2 * ESNOUF2007_TRANSMITTED < t["III"] < 1.7 * ESNOUF2007_TRANSMITTED, t


# --- Jagdeo et al. 2012: near infrared penetrates the head, red does not ----------------------------------------


def test_jagdeo2012_830nm_reaches_below_the_skull_far_more_than_633nm():
    """Fluence below the forehead stack's skull (10.6 mm): 830 nm at least 5x 633 nm (predicted about 10x).

    Jagdeo's head was formalin-fixed and its thicknesses were not read: only the study's qualitative finding (NIR
    measurable, red negligible) is tested, as a ratio well above 1.
    """
    layers = body_stack("forehead", 830).layers
    below_skull_mm = sum(layer.thickness_mm for layer in layers[:3]) + 0.05
    phi = {band: float(fluence_per_irradiance(body_stack("forehead", nm), [below_skull_mm]).fluence_per_irradiance[0])
           for band, nm in JAGDEO2012_NM.items()}
    assert phi["nir"] > 5.0 * phi["red"] > 0


# --- Salehpour et al. 2019 (review): 0.2-10 % of red/NIR light through human scalp plus skull --------------------

SALEHPOUR2019_HUMAN_SCALP_SKULL = (0.002, 0.10)   # "0.2-10% in humans (scalp plus skull)", 630-810 nm


def scalp_and_skull_transmittance(nm: float, skin_type: str = "III") -> tuple[float, float]:
    """Total transmittance of the forehead stack's epidermis + scalp + skull (10.6 mm) as a slab in air."""
    layers = [layer for layer in body_stack("forehead", nm, skin_type).layers
              if layer.name in ("epidermis", "scalp", "skull")]
    result = run_mc(LayerStack(n_above=N_AIR, n_below=N_AIR, layers=layers), 40_000, seed=260, grid=SCALARS_ONLY)
    return result.transmittance, result.stderr["transmittance"]


RED_BELOW_SALEHPOUR = pytest.mark.xfail(strict=True, reason=(
    "red light through the forehead's measured-mean scalp (5.2 mm) and frontal bone (8.3 mm): 0.02 % at 633 nm and "
    "0.16 % at 670 nm (phototype III), below the review's 0.2 % low end (0.11 % and 0.50 % with the former unsourced "
    "4.1 mm and 6.5 mm); Cassano's scalp and skull absorb strongly in the red (scalp 0.56 /cm at 670 nm, 1.06 at "
    "630), the review pools studies of different thickness and does not say which wavelength gave 0.2 %, and Jagdeo "
    "2012 found red light negligible through a cadaver head"))


@pytest.mark.parametrize("nm", [pytest.param(633.0, marks=RED_BELOW_SALEHPOUR),
                                pytest.param(670.0, marks=RED_BELOW_SALEHPOUR), 810.0])
def test_salehpour2019_scalp_and_skull_pass_the_reviewed_share_of_red_and_nir(nm):
    """Salehpour et al. 2019 reviewed measured transmission of 630-810 nm through human scalp plus skull: 0.2-10 %.

    The forehead stack's top three layers (epidermis, scalp 5.1 mm, frontal bone 8.3 mm: measured means; phototype
    III) as a slab in air give 0.30 % at 810 nm. The band is the review's pooled range (the studies' geometries
    differ); the Monte Carlo error is < 5 % of the value.
    """
    transmitted, stderr = scalp_and_skull_transmittance(nm)
    assert stderr < 0.05 * transmitted
    low, high = SALEHPOUR2019_HUMAN_SCALP_SKULL
    assert low <= transmitted <= high, f"{nm} nm: {100 * transmitted:.2f} %"


# --- Henderson & Morries 2015: 0.45-2.90 % of 810 nm at 3 cm ----------------------------------------------------


@pytest.mark.xfail(strict=True, reason="the forehead stack's white matter (Cassano 2019: mus 380 /cm, mua 0.92 /cm "
                   "at 810 nm) leaves < 1e-6 of the light at 30 mm, far below Henderson & Morries' 0.45 %; see "
                   "docs/validation.md")
def test_henderson2015_810nm_fraction_at_3cm_in_the_forehead_stack():
    phi = fluence_per_irradiance(body_stack("forehead", HENDERSON2015_NM), [HENDERSON2015_DEPTH_MM])
    low, high = HENDERSON2015_FRACTION
    assert low <= float(phi.fluence_per_irradiance[0]) <= high


# --- the knee: 850 nm out-penetrates 660 nm below the skin ------------------------------------------------------

KNEE_DEPTHS_MM = np.arange(10.0, 30.5, 1.0)


def test_knee_850nm_outpenetrates_660nm_from_10_to_30mm_fast_model():
    """In the knee stack the fluence at 850 nm exceeds that at 660 nm at every depth from 10 to 30 mm.

    Source of the expectation: near infrared penetrates head tissue and bone where red does not (Jagdeo et al.
    2012, cadaver); with the bone modelled as Jacques' skull (0.05 % blood) photodose had 660 nm ahead below ~12 mm.
    The margin grows with depth (850/660 about 1.4 at 10 mm, 3 at 30 mm).
    """
    phi = {nm: fluence_per_irradiance(body_stack("knee", nm), KNEE_DEPTHS_MM).fluence_per_irradiance
           for nm in (660, 850)}
    assert np.all(phi[850] > phi[660])
    ratio = phi[850] / phi[660]
    assert ratio[0] > 1.2 and np.all(np.diff(ratio) > 0)


@pytest.mark.slow
def test_knee_850nm_outpenetrates_660nm_from_10_to_30mm_monte_carlo():
    """The same with the Monte Carlo kernel (wide beam, 100,000 photons): the difference exceeds 3 standard errors."""
    grid = Grid(dz_mm=0.5, nz=62, na=1)
    results = {nm: run_mc(body_stack("knee", nm), 100_000, seed=410, beam=Beam(kind="wide"), grid=grid)
               for nm in (660, 850)}
    depth = results[660].depth_mm
    rows = [i for i, z in enumerate(depth) if 10.0 <= z <= 30.0]
    for i in rows:
        a, b = results[660], results[850]
        margin = 3.0 * math.hypot(a.fluence_z_stderr[i], b.fluence_z_stderr[i])
        assert b.fluence_per_irradiance[i] - a.fluence_per_irradiance[i] > margin, f"{depth[i]} mm"
