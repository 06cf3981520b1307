"""The shared edges: unit parsing, range errors, CLI error contract."""

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.errors import PhotodoseInputError, require_in_range
from photodose.optics.emission import EmissionSpectrum
from photodose.units import parse_area_mm, parse_irradiance_mw_cm2, parse_length_mm


@pytest.mark.parametrize("text,mm", [("6 in", 152.4), ("15 cm", 150.0), ("150 mm", 150.0), ('6"', 152.4), ("0.3 m", 300.0)])
def test_lengths_with_units(text, mm):
    assert parse_length_mm(text) == pytest.approx(mm)


@pytest.mark.parametrize("bad", ["abc", "-3 cm", "15 kg", "15"])
def test_bad_lengths_name_field_and_value(bad):
    with pytest.raises(PhotodoseInputError) as info:
        parse_length_mm(bad, "distance")
    assert "distance" in str(info.value) and bad in str(info.value)


def test_irradiance_and_area():
    assert parse_irradiance_mw_cm2("62 mW/cm2") == pytest.approx(62.0)
    assert parse_irradiance_mw_cm2("620 W/m2") == pytest.approx(62.0)
    assert parse_area_mm("20 cm x 30 cm") == pytest.approx((200.0, 300.0))


def test_range_error_names_range():
    with pytest.raises(PhotodoseInputError, match=r"\[400, 1400\]"):
        require_in_range("wavelength_nm", 1500, 400, 1400)


def test_gaussian_samples_conserve_weight_and_mean():
    nm, w = EmissionSpectrum.gaussian(850, 30).samples(7)
    assert w.sum() == pytest.approx(1.0)
    assert (nm * w).sum() == pytest.approx(850.0)
    # variance of the quadrature equals sigma^2 of the Gaussian (exact for degree-2 polynomials)
    sigma = 30 / 2.3548200450309493
    assert ((nm - 850) ** 2 * w).sum() == pytest.approx(sigma**2, rel=1e-9)


def test_cli_lists_commands():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
