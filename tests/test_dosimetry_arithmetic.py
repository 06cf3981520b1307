"""Dose arithmetic of the seeds (fluence = irradiance x time / 1000 and inverses) and spectral weighting."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from photodose.dosimetry import (depth_fluence_j_cm2, energy_j, fluence_j_cm2, irradiance_for_fluence_mw_cm2,
                                 power_mw, spectral_fluence_per_irradiance, time_for_fluence_s)
from photodose.optics.emission import EmissionSpectrum


def test_seed_examples():
    # 100 mW/cm2 for 10 min = 60 J/cm2; 20 mW/cm2 for 200 s = 4 J/cm2 (the seed window's two ends)
    assert fluence_j_cm2(100, 600) == pytest.approx(60.0)
    assert fluence_j_cm2(20, 200) == pytest.approx(4.0)
    # ELATED-2: 36.2 mW/cm2 for 30 min -> 65.16 J/cm2 ("up to 65.2 J/cm2", pbm_facts.md s.4)
    assert fluence_j_cm2(36.2, 1800) == pytest.approx(65.16)
    # ELATED-3: 54.8 mW/cm2 for 20 min -> 65.76 J/cm2 (reported 65.8)
    assert round(float(fluence_j_cm2(54.8, 1200)), 1) == 65.8


@given(st.floats(0.1, 1000), st.floats(1, 10000))
def test_inverses_round_trip(irradiance_mw_cm2, time_s):
    h = fluence_j_cm2(irradiance_mw_cm2, time_s)
    assert time_for_fluence_s(h, irradiance_mw_cm2) == pytest.approx(time_s, rel=1e-12)
    assert irradiance_for_fluence_mw_cm2(h, time_s) == pytest.approx(irradiance_mw_cm2, rel=1e-12)


def test_energy_and_power():
    # ELATED-3: ~2 W over 35.8 cm2 at 54.8 mW/cm2; 2.3 kJ per 20 min session (PubMed 35950904 abstract)
    assert power_mw(54.8, 35.8) == pytest.approx(1961.8, rel=1e-4)
    assert energy_j(fluence_j_cm2(54.8, 1200), 35.8) == pytest.approx(2354, rel=1e-3)
    assert np.allclose(fluence_j_cm2(np.array([10, 20]), 100), [1.0, 2.0])


def test_spectral_weighting_is_a_weighted_sum():
    nm, w = EmissionSpectrum.gaussian(850, 30).samples(5)
    depths = np.array([0.0, 1.0, 2.0])
    # phi linear in wavelength: the weighted sum equals phi at the mean wavelength (850 nm)
    phi = spectral_fluence_per_irradiance(lambda lam: (lam / 850.0) * np.exp(-depths), nm, w)
    assert np.allclose(phi, np.exp(-depths))
    with pytest.raises(ValueError):
        spectral_fluence_per_irradiance(lambda lam: depths, [], [])


def test_depth_fluence_is_surface_dose_times_phi():
    phi = np.array([1.5, 0.4, 0.01])
    assert np.allclose(depth_fluence_j_cm2(50.0, 300.0, phi), 15.0 * phi)
