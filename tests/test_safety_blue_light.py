"""Blue-light hazard: B(lambda) at tabulated points, spectral weighting, the limit, and the gate's check.

Reference values: IEC 62471:2006 Table 4.2 as reproduced in luxpy (blue_light_hazard_IEC62471_IECTR62778.py) and
ICNIRP 2013 Table 2 (B column); written out again here, independently of data/blue_light_hazard.csv.
"""

import math

import numpy as np
import pytest

from photodose.optics.emission import EmissionSpectrum
from photodose.safety.blue_light import blue_light_allowed_time_s, blue_light_weight, spectral_blue_weight
from photodose.safety.gate import Channel, SafetyContext, evaluate_exposure

TABLE_380_500 = [0.01, 0.013, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 0.9, 0.95, 0.98, 1.0, 1.0, 0.97, 0.94, 0.9, 0.8, 0.7,
                 0.62, 0.55, 0.45, 0.4, 0.22, 0.16, 0.1]


def _b_reference(nm):
    """B(lambda) from the standard's rules: table 380-500 nm, 10^((450-nm)/50) 500-600, 0.001 600-700, 0.01 300-380."""
    nm = np.asarray(nm, float)
    table = np.interp(nm, np.arange(380, 501, 5), TABLE_380_500)
    return np.select([nm < 300, nm < 380, nm <= 500, nm <= 600, nm <= 700],
                     [0.0, 0.01, table, 10 ** ((450 - nm) / 50), 0.001], 0.0)


@pytest.mark.parametrize("nm, b", [(300, 0.01), (380, 0.01), (400, 0.1), (435, 1.0), (440, 1.0), (450, 0.94),
                                   (480, 0.45), (500, 0.1), (550, 0.01), (600, 0.001), (650, 0.001), (700, 0.001),
                                   (299, 0.0), (701, 0.0), (850, 0.0)])
def test_b_lambda_at_tabulated_points(nm, b):
    assert blue_light_weight(nm) == pytest.approx(b, rel=1e-3)


def test_b_lambda_follows_the_exponential_rule_between_500_and_600_nm():
    nm = np.arange(500, 601, 5)
    assert blue_light_weight(nm) == pytest.approx(10 ** ((450 - nm) / 50), rel=1e-3)
    between = np.arange(502.5, 600, 5.0)  # linear interpolation of an exponential: above it, by < 1 %
    ratio = blue_light_weight(between) / 10 ** ((450 - between) / 50)
    assert np.all(ratio >= 1.0) and np.all(ratio < 1.01)


@pytest.mark.parametrize("centre_nm, fwhm_nm", [(480, 20), (450, 20), (415, 15), (630, 20)])
def test_spectral_weight_matches_a_dense_integral_of_the_line(centre_nm, fwhm_nm):
    sigma = fwhm_nm / (2 * math.sqrt(2 * math.log(2)))
    nm = np.linspace(max(centre_nm - 6 * sigma, 400), centre_nm + 6 * sigma, 20001)
    line = np.exp(-0.5 * ((nm - centre_nm) / sigma) ** 2)
    expected = np.trapezoid(line * _b_reference(nm), nm) / np.trapezoid(line, nm)
    got = spectral_blue_weight(centre_nm, EmissionSpectrum.gaussian(centre_nm, fwhm_nm))
    assert got == pytest.approx(expected, rel=0.02)


def test_default_line_of_a_480_nm_channel_is_wider_than_a_single_wavelength():
    assert spectral_blue_weight(480.0) == pytest.approx(spectral_blue_weight(480.0, EmissionSpectrum.gaussian(480, 20)))
    assert spectral_blue_weight(480.0, EmissionSpectrum.gaussian(480, 0.5)) == pytest.approx(0.45, rel=0.01)
    assert spectral_blue_weight(380.0) == pytest.approx(0.01)  # outside the emission model's range: monochromatic


def test_allowed_time_is_the_inverse_of_the_dose_limit():
    assert math.isinf(blue_light_allowed_time_s(100.0))
    assert blue_light_allowed_time_s(1e4) == pytest.approx(100.0)
    assert blue_light_allowed_time_s(100.01) == pytest.approx(1e6 / 100.01)


def _wand(**kw):
    """A 10 mm blue wand at 50 mm: 100 mW/cm2 of a narrow 480 nm line."""
    base = dict(channels=[Channel(wavelength_nm=480, irradiance_mw_cm2=100,
                                  spectrum=EmissionSpectrum.gaussian(480, 0.5))],
                source_diameter_mm=10, distance_mm=50, session_seconds=1200)
    base.update(kw)
    return SafetyContext(**base)


def test_small_bright_480_nm_source_fails_and_says_for_how_long():
    report = evaluate_exposure(_wand())
    blue = next(c for c in report.checks if c.name == "eye:blue_light")
    alpha = 2 * math.atan(5 / 50)
    l_b = 1000 * 0.45 / (math.pi * math.sin(alpha / 2) ** 2)  # E_B / (pi sin^2(alpha/2)), ~14500 W m-2 sr-1
    assert blue.status == "fail"
    assert blue.value == pytest.approx(l_b * 1200, rel=0.01) and blue.limit == 1e6
    assert report.unprotected_viewing_allowed_s == pytest.approx(1e6 / l_b, rel=0.01)  # ~69 s
    assert "goggles" in blue.remedy and f"{math.floor(report.unprotected_viewing_allowed_s)} s" in blue.remedy
    assert report.risk_groups["blue_light"] == "not exempt" and report.risk_group.startswith("at least RG1")
    assert next(c for c in evaluate_exposure(_wand(goggles=True)).checks if c.name == "eye:blue_light").status == "ok"


def test_dim_480_nm_channel_on_a_large_panel_passes_and_is_exempt():
    report = evaluate_exposure(_wand(source_diameter_mm=300, distance_mm=150,
                                     channels=[Channel(wavelength_nm=480, irradiance_mw_cm2=5)]))
    blue = next(c for c in report.checks if c.name == "eye:blue_light")
    assert blue.status == "ok" and report.risk_groups["blue_light"] == "exempt"


def test_unknown_source_size_cautions():
    blue = next(c for c in evaluate_exposure(_wand(source_diameter_mm=None)).checks if c.name == "eye:blue_light")
    assert blue.status == "caution" and "not assessed" in blue.message
