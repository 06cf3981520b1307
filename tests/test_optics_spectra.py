"""Packaged spectra: parsing, units, and agreement between independent compilations."""

import numpy as np
import pytest

from photodose.optics.chromophores import (
    blood_mua_per_cm,
    fat_mua_per_cm,
    melanosome_mua_per_cm,
    prahl_hemoglobin_mua_per_cm,
    water_mua_per_cm,
)
from photodose.optics.spectra import SPECTRA, load_spectrum, parse_table


@pytest.mark.parametrize("name", sorted(SPECTRA))
def test_every_packaged_spectrum_keeps_its_provenance_and_ascends(name):
    table = load_spectrum(name)
    assert "Source" in table.provenance
    assert np.all(np.diff(table.wavelength_nm) >= 0)
    assert len(table.wavelength_nm) > 100


def test_parser_reads_comments_header_and_sorts_descending_tables():
    table = parse_table("# units: 1/cm\n# Source: test\nnm\tmua\n900\t3\n800\t2\n700\t1\n")
    assert table.provenance == "units: 1/cm\nSource: test"
    assert table.wavelength_nm.tolist() == [700, 800, 900]
    assert table.interp("mua", 750) == pytest.approx(1.5)


def test_jacques_library_columns():
    assert set(load_spectrum("jacques_library").columns) == {
        "nm", "mua_oxy_blood", "mua_deoxy_blood", "mua_water", "mua_melanosome"}


def test_prahl_hemoglobin_at_810_nm():
    # Prahl's table at 810 nm: HbO2 864, Hb 717.08 cm-1/M; whole blood 150 g/L, 64500 g/mol.
    assert prahl_hemoglobin_mua_per_cm(810, 1.0) == pytest.approx(2.303 * 864 * 150 / 64500, rel=1e-9)
    assert prahl_hemoglobin_mua_per_cm(810, 0.0) == pytest.approx(2.303 * 717.08 * 150 / 64500, rel=1e-9)


@pytest.mark.parametrize("nm", [450, 560, 660, 760, 810, 850, 940, 1000])
def test_jacques_blood_agrees_with_prahl_compilation(nm):
    """Jacques' library was compiled from Prahl's table: the two agree to 1 % across the range."""
    for saturation in (0.0, 1.0):
        assert blood_mua_per_cm(nm, saturation) == pytest.approx(prahl_hemoglobin_mua_per_cm(nm, saturation), rel=0.01)


def test_melanosome_power_law_matches_library_column():
    nm = np.arange(400, 1001, 25)
    library = load_spectrum("jacques_library").interp("mua_melanosome", nm)
    np.testing.assert_allclose(melanosome_mua_per_cm(nm, "jacques2013"), library, rtol=2e-3)
    assert melanosome_mua_per_cm(500, "jacques2013") == pytest.approx(679, rel=0.01)  # Jacques: 679 /cm at 500 nm
    assert melanosome_mua_per_cm(500, "omlc") == pytest.approx(1.70e12 * 500**-3.48)


def test_water_switches_to_kou_beyond_1000_nm_and_rises_to_1400():
    assert water_mua_per_cm(810) == pytest.approx(0.019858)  # Hale & Querry via Jacques' library
    assert water_mua_per_cm(1400) == pytest.approx(16.964599)  # Kou 1993 tabulated value
    assert water_mua_per_cm(1400) > 10 * water_mua_per_cm(1100)  # the 1450 nm band rises
    assert np.all(water_mua_per_cm(np.arange(1001, 1401, 50)) > 0.1)


def test_fat_file_in_per_metre_is_converted_to_per_cm():
    # van Veen lard at 800 nm is 0.403 1/m in the file, i.e. 0.00403 1/cm
    assert fat_mua_per_cm(800) == pytest.approx(0.00403)
