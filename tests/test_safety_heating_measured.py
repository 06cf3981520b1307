"""The heating model against published skin-temperature rises under red and near-infrared light.

Each case copies one study's conditions (wavelength, power, spot, time, site) and the rise it reports, as read in the
abstract named in the bibliography entry (``photodose.bibliography.cite(key)``; ``verified_by`` says what was read).
The heat source is photodose's own optics (the fast model the planner uses) sampled finely near the surface, and the
temperatures come from :func:`photodose.safety.bioheat.skin_heating_session` with the default tissue data on the
site's layer thicknesses, as the safety gate runs it.

Tolerances are the study's own spread: ``mean +/- spread`` where the abstract gives one (Stadler 2004; it does not
say whether SD or SEM). The laser-needle studies give group means and the single largest rise, no SD: the
prediction must lie between the lowest reported mean and the largest individual rise (it must not under-predict the
group and must not exceed the hottest person). Cases the model does not reproduce are strict xfails that state the
numbers and why, so they fail loudly once the model changes.

Joensen 2011 (independent of the laser-needle group; healthy adults, 810 and 904 nm class 3B probes, thermographic
camera) gives one absolute rise with its SD (904 nm, dark skin) and a ratio (810 nm heated dark skin three to six
times more than the other colour groups). The ratio does not depend on the probe area, which the abstract omits.

Alayat 2019 (independent of both; 30 healthy men, a 1064 nm pulsed Nd:YAG scanned over 150 cm2 of the thigh for
15 min, thermographic camera) gives a range (1.23-4.03 C) and an average (2.6 C), no SD: the prediction must lie in
the range for every phototype, since the abstract gives none. Its beam is wide, so the lateral light spread below
plays no part (the rise moves < 0.3 % between the 1-D and the 69 mm disc solution).

Assumptions per case are in ``Case.assumption``. The lateral spread of a narrow beam's absorbed light is the Monte
Carlo kernel's own, per depth (:mod:`photodose.transport.lateral_spread`: the second moment of a pencil beam's
absorbed power on the site's stack), as the safety gate computes it for a laser in contact; it replaced a fixed 3 mm
that had been chosen against these cases (unsourced), so the narrow-beam cases now test it too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pytest

from photodose.bibliography import citation
from photodose.optics.emission import EmissionSpectrum
from photodose.optics.sites import layer_table
from photodose.dosimetry.tissue import absorbed_per_irradiance_per_cm, lateral_spread_mm
from photodose.safety.bioheat import HeatSource, ThermalStack, skin_heating_session

# depths resolving the 0.1 mm epidermis (the planner's 0.25 mm curve grid does not)
FINE_DEPTHS_MM = tuple(float(z) for z in np.unique(np.round(np.concatenate(
    [np.arange(0.0, 2.0, 0.01), [0.0999, 0.1001], np.arange(2.0, 40.0 + 1e-9, 0.25)]), 4)))


@dataclass(frozen=True)
class Case:
    key: str                 # bibliography key
    label: str
    wavelength_nm: float
    power_mw: float
    spot_area_cm2: float
    time_s: float
    site: str
    skin_type: str
    quantity: str            # "surface" (thermal camera) or "depth_1mm" (thermocouple 1 mm below)
    measured_c: float        # reported rise
    low_c: float             # acceptance band (see module docstring)
    high_c: float
    assumption: str

    @property
    def beam_radius_mm(self) -> float:
        return 10.0 * math.sqrt(self.spot_area_cm2 / math.pi)

    @property
    def irradiance_mw_cm2(self) -> float:
        return self.power_mw / self.spot_area_cm2


NEEDLE_AREA_CM2 = math.pi * 0.025 ** 2  # 500 um beam diameter
STADLER_AREA_CM2 = 1.0 * 0.5
STADLER_TIME_S = 5.0 / (36.0 / STADLER_AREA_CM2 / 1000.0)  # 5 J/cm2 at 72 mW/cm2

# Stadler 2004: rise per mW at 5 J/cm2 times 36 mW
WHITE_SURFACE = (1.2e-2 * 36, 3.0e-3 * 36)
BLACK_SURFACE = (6.25e-2 * 36, 2.0e-3 * 36)
WHITE_1MM = (0.83e-2 * 36, 1.0e-3 * 36)
BLACK_1MM = (4.51e-2 * 36, 3.0e-3 * 36)

NEONATE = ("term neonates' dorsal hand at LI4 modelled with the adult 'hand' site and phototype II; laser needle "
           "in contact, 500 um beam; the study's 'warmest point' compared with the on-axis surface")
CASES = [
    Case("kurathkoller2015", "685 nm laser needle, 15 mW, 5 min", 685, 15, NEEDLE_AREA_CM2, 300, "hand", "II",
         "surface", 1.25, 1.1, 38.7 - 34.5, NEONATE + "; 5 min means: right 34.2->35.3, left 34.5->35.9 C; largest "
         "reading 38.7 C at 10 min"),
    Case("kurathkoller2015", "685 nm laser needle, 15 mW, 10 min", 685, 15, NEEDLE_AREA_CM2, 600, "hand", "II",
         "surface", 1.65, 1.4, 38.7 - 34.5, NEONATE + "; 10 min means: right 34.2->36.1, left 34.5->35.9 C; largest "
         "reading 38.7 C"),
    Case("raith2012", "685 nm laser needle, 10 mW, 5 min", 685, 10, NEEDLE_AREA_CM2, 300, "hand", "II",
         "surface", 1.0, 1.0, 37.9 - 32.9, NEONATE.replace("term", "preterm") + "; beam diameter not stated in the "
         "abstract, taken as the same 500 um laser needle; mean 32.9->33.9 C, largest reading 37.9 C"),
    Case("raith2012", "685 nm laser needle, 10 mW, 10 min", 685, 10, NEEDLE_AREA_CM2, 600, "hand", "II",
         "surface", 1.1, 1.1, 37.9 - 32.9, NEONATE.replace("term", "preterm") + "; mean 32.9->34.0 C"),
]
MOUSE = ("mouse dorsal skin modelled with the human 'forearm' site (phototype I for albino BALB/c, VI for black "
         "C57BL/6): the species' thinner skin over muscle is not modelled")
STADLER = [
    Case("stadler2004", "830 nm, 36 mW on 1.0 x 0.5 cm, 5 J/cm2, white mice, surface", 830, 36, STADLER_AREA_CM2,
         STADLER_TIME_S, "forearm", "I", "surface", WHITE_SURFACE[0], WHITE_SURFACE[0] - WHITE_SURFACE[1],
         WHITE_SURFACE[0] + WHITE_SURFACE[1], MOUSE),
    Case("stadler2004", "830 nm, white mice, 1 mm deep", 830, 36, STADLER_AREA_CM2, STADLER_TIME_S, "forearm", "I",
         "depth_1mm", WHITE_1MM[0], WHITE_1MM[0] - WHITE_1MM[1], WHITE_1MM[0] + WHITE_1MM[1], MOUSE),
    Case("stadler2004", "830 nm, black mice, surface", 830, 36, STADLER_AREA_CM2, STADLER_TIME_S, "forearm", "VI",
         "surface", BLACK_SURFACE[0], BLACK_SURFACE[0] - BLACK_SURFACE[1], BLACK_SURFACE[0] + BLACK_SURFACE[1], MOUSE),
    Case("stadler2004", "830 nm, black mice, 1 mm deep", 830, 36, STADLER_AREA_CM2, STADLER_TIME_S, "forearm", "VI",
         "depth_1mm", BLACK_1MM[0], BLACK_1MM[0] - BLACK_1MM[1], BLACK_1MM[0] + BLACK_1MM[1], MOUSE),
]

# Joensen 2011: healthy adults, class 3B probes in contact, thermographic camera. The abstract gives neither the
# probe area nor the site nor the Fitzpatrick types of its light/medium/dark groups.
JOENSEN_PROBE_AREA_CM2 = 1.2 / 9.55  # walsh2000's 820 nm class 3B probe (1.2 J at 9.55 J/cm2), a stand-in
JOENSEN_GROUP_TYPES = {"light": "II", "medium": "IV", "dark": "VI"}
JOENSEN = ("photodose assumption (unsourced): probe area 0.126 cm2 (2.0 mm radius) taken from another class 3B "
           "probe (walsh2000), site 'forearm', light/medium/dark skin as phototypes II/IV/VI; the 904 nm laser is "
           "super-pulsed and modelled by its 60 mW mean power (pulse period far below thermal times)")
JOENSEN_904_DARK = Case("joensen2011", "904 nm, 60 mW, 12 J (200 s), dark skin", 904, 60, JOENSEN_PROBE_AREA_CM2,
                        12.0 / 0.060, "forearm", JOENSEN_GROUP_TYPES["dark"], "surface", 5.7, 5.7 - 1.8, 5.7 + 1.8,
                        JOENSEN + "; 5.7 (SD 1.8) C at 12 J")


def _joensen_810(group: str) -> Case:
    """810 nm, 200 mW, 12 J (60 s) on the skin-colour group ``group`` (no absolute rise in the abstract)."""
    return Case("joensen2011", f"810 nm, 200 mW, 12 J (60 s), {group} skin", 810, 200, JOENSEN_PROBE_AREA_CM2,
                12.0 / 0.200, "forearm", JOENSEN_GROUP_TYPES[group], "surface", math.nan, math.nan, math.nan,
                JOENSEN)


# Alayat 2019: 30 healthy men, pulsed Nd:YAG (1064 nm) scanned over a 15 x 10 cm area of the front of the dominant
# thigh, 3000 J at 20 J/cm2 in 15 min; thermographic camera immediately after. Mean power 3000 J / 900 s = 3.33 W,
# time-averaged irradiance 3.33 W / 150 cm2 = 22.2 mW/cm2. Reported: increase 1.23-4.03 C, average 2.6 C.
ALAYAT_AREA_CM2 = 15.0 * 10.0
ALAYAT_TIME_S = 15 * 60.0
ALAYAT = ("photodose assumption (unsourced): the scanned, pulsed beam is modelled by its time- and area-averaged "
          "irradiance (22.2 mW/cm2 on a 150 cm2 disc; the scan and the microsecond pulses repeat far faster than the "
          "skin's thermal times); the abstract gives no phototype, so every phototype I-VI is checked; the abstract's "
          "'increase 1.23-4.03 C' (minimum to maximum of the area's skin-temperature increases, or across subjects: "
          "the abstract does not say which) is the band, its average 2.6 C the reported mean")


def _alayat_2019(skin_type: str) -> Case:
    """The thigh under the scanned 1064 nm laser, for phototype ``skin_type`` (not given in the abstract)."""
    return Case("alayat2019", f"1064 nm pulsed Nd:YAG scanned over 150 cm2, 3000 J in 15 min, phototype {skin_type}",
                1064, 3000.0 / ALAYAT_TIME_S * 1000.0, ALAYAT_AREA_CM2, ALAYAT_TIME_S, "thigh", skin_type,
                "surface", 2.6, 1.23, 4.03, ALAYAT)


@lru_cache(maxsize=None)
def predicted_rise_c(case: Case) -> float:
    """The model's rise for ``case``: on-axis surface, or 1 mm below it, at the end of the exposure."""
    spectrum = EmissionSpectrum.gaussian(case.wavelength_nm, 4.0)
    per_irradiance = absorbed_per_irradiance_per_cm(spectrum, case.site, case.skin_type, FINE_DEPTHS_MM)
    source = HeatSource(depth_mm=list(FINE_DEPTHS_MM),
                        w_per_cm3=(case.irradiance_mw_cm2 * per_irradiance / 1000.0).tolist(),
                        lateral_spread_mm=lateral_spread_mm(spectrum, case.site, case.skin_type,
                                                            FINE_DEPTHS_MM).tolist())
    stack = ThermalStack.default().for_site_layers(layer_table(case.site))
    result = skin_heating_session(stack, source, case.time_s, beam_radius_mm=case.beam_radius_mm)
    if case.quantity == "surface":
        return result.surface_rise_c
    i = int(np.argmin(np.abs(result.depth_mm - 1.0)))
    return float(result.final_c[i] - result.baseline_c[i])


def _id(case: Case) -> str:
    return f"{case.key}: {case.label}"


def test_every_case_cites_a_bibliography_entry():
    for case in CASES + STADLER + [JOENSEN_904_DARK, _joensen_810("dark"), _alayat_2019("III")]:
        assert citation(case.key).year > 1900


RAITH_UNDER = pytest.mark.xfail(strict=True, reason=(
    "Raith 2012 (preterm, 10 mW): predicted 0.96 C (5 min) and 1.00 C (10 min) against group means of 1.0 and 1.1 C, "
    "4-9 % under the mean (by 0.04-0.10 C) with the Monte Carlo lateral spread; the beam diameter is not in the "
    "abstract (taken as the term study's 500 um needle); bounded by the next test"))


def _needle_params():
    return [pytest.param(c, marks=RAITH_UNDER, id=_id(c)) if c.key == "raith2012" else pytest.param(c, id=_id(c))
            for c in CASES]


@pytest.mark.slow
@pytest.mark.parametrize("case", _needle_params())
def test_laser_needle_neonates_rise_between_group_mean_and_largest_reading(case):
    """Kurath-Koller 2015 (term) and Raith 2012 (preterm): 685 nm laser needles on the hand, thermal camera."""
    predicted = predicted_rise_c(case)
    assert case.low_c <= predicted <= case.high_c, (
        f"{case.key} {case.label}: predicted {predicted:.2f} C, reported {case.measured_c:.2f} C "
        f"(band {case.low_c:.2f}-{case.high_c:.2f} C); assumptions: {case.assumption}")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=_id)
def test_laser_needle_neonates_are_never_under_predicted_by_more_than_ten_percent(case):
    """The safety-relevant direction: at most 10 % below the lowest reported group mean."""
    assert predicted_rise_c(case) >= 0.9 * case.low_c, (case.label, predicted_rise_c(case))


@pytest.mark.slow
@pytest.mark.parametrize("case", STADLER, ids=_id)
def test_stadler2004_mice_830nm_rise_within_stated_spread(case):
    """White mice (phototype I) and black mice (phototype VI, Saager 2015's in-vivo 20 % melanin) inside the stated
    spread at the surface and 1 mm deep. With the former VI of 40 % the black mice were 40 % high (3.2 and 2.3 C)."""
    predicted = predicted_rise_c(case)
    assert case.low_c <= predicted <= case.high_c


@pytest.mark.slow
@pytest.mark.parametrize("case", STADLER, ids=_id)
def test_stadler2004_mice_830nm_is_not_under_predicted_and_within_a_factor_two(case):
    """The safety-relevant direction: the model may over-predict the mouse rise, never under-predict it."""
    predicted = predicted_rise_c(case)
    assert case.low_c <= predicted <= 2.0 * case.high_c


@pytest.mark.slow
def test_stadler2004_black_to_white_surface_ratio_from_melanin():
    """Pigment's effect alone: the black/white surface-rise ratio, 5.2 with the propagated relative spread
    (predicted 5.4 with phototype VI at 20 %; 7.7 with the former 40 %)."""
    measured = BLACK_SURFACE[0] / WHITE_SURFACE[0]
    spread = measured * math.hypot(BLACK_SURFACE[1] / BLACK_SURFACE[0], WHITE_SURFACE[1] / WHITE_SURFACE[0])
    predicted = predicted_rise_c(STADLER[2]) / predicted_rise_c(STADLER[0])
    assert abs(predicted - measured) <= spread, (predicted, measured, spread)


@pytest.mark.slow
def test_joensen2011_904nm_dark_skin_rise_within_sd():
    """904 nm, 60 mW, 12 J on dark skin: 5.7 +/- 1.8 C measured, 6.4 C predicted with phototype VI at Saager 2015's
    in-vivo 20 % melanin (9.3 C, 2 SD high, with the former 40 %)."""
    predicted = predicted_rise_c(JOENSEN_904_DARK)
    assert JOENSEN_904_DARK.low_c <= predicted <= JOENSEN_904_DARK.high_c, predicted


@pytest.mark.slow
def test_joensen2011_904nm_dark_skin_is_not_under_predicted_and_within_a_factor_two():
    """The safety-relevant direction for an independent human study: never below mean - SD, at most twice mean + SD."""
    predicted = predicted_rise_c(JOENSEN_904_DARK)
    assert JOENSEN_904_DARK.low_c <= predicted <= 2.0 * JOENSEN_904_DARK.high_c, (predicted, JOENSEN_904_DARK)


@pytest.mark.slow
@pytest.mark.parametrize("group", [
    "light",
    pytest.param("medium", marks=pytest.mark.xfail(strict=True, reason=(
        "Joensen 2011: 810 nm heated dark skin three to six times more than the other colour groups; the model's "
        "dark/medium ratio is 1.3 (VI 20 % / IV 13 % melanin; 2.0 with the former VI of 40 %): no in-vivo melanin "
        "for type IV was read (its 13 % is photodose's choice), or the study's 'medium' group was lighter"))),
])
def test_joensen2011_810nm_dark_skin_heats_three_to_six_times_more(group):
    """Pigment's effect alone (independent of the unknown probe area: the ratio moves < 1 % from 1 to 4 mm radius)."""
    ratio = predicted_rise_c(_joensen_810("dark")) / predicted_rise_c(_joensen_810(group))
    assert 3.0 <= ratio <= 6.0, (group, ratio)


@pytest.mark.parametrize("skin_type", ["I", "II", "III", "IV", "V", "VI"])
def test_alayat2019_wide_1064nm_scan_on_the_thigh_rise_within_reported_range(skin_type):
    """Alayat 2019 (independent of the other groups; adults, a wide area, 1064 nm, 15 min): the surface rise lies in
    the reported 1.23-4.03 C for every phototype (predicted 1.47 (I) to 3.0 C (VI); 2.6 C reported on average)."""
    case = _alayat_2019(skin_type)
    assert case.irradiance_mw_cm2 == pytest.approx(22.2, abs=0.05)
    predicted = predicted_rise_c(case)
    assert case.low_c <= predicted <= case.high_c, (
        f"{case.label}: predicted {predicted:.2f} C, reported {case.measured_c} C (band {case.low_c}-{case.high_c} C); "
        f"assumptions: {case.assumption}")


def test_alayat2019_rise_grows_with_pigment_and_brackets_the_reported_average():
    """Pigment's direction, and the reported 2.6 C average lies inside the span the phototypes give (I to VI)."""
    rises = [predicted_rise_c(_alayat_2019(t)) for t in ("I", "II", "III", "IV", "V", "VI")]
    assert rises == sorted(rises), rises
    assert rises[0] <= 2.6 <= rises[-1], rises
