"""Beams, incidence and grid tallies of the Monte Carlo kernel against analytic results computed independently."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from photodose.transport.beams import Beam, Incidence
from photodose.transport.montecarlo import run_mc
from photodose.transport.result import Grid

from test_transport_mc_references import assert_close, slab

GRID = Grid(dz_mm=0.05, nz=40, dr_mm=0.1, nr=30, na=15)


def fresnel_unpolarised(n1: float, n2: float, cos_i: float) -> float:
    """Mean of the s and p Fresnel reflectances (Born & Wolf), written independently of the kernel."""
    sin_t = n1 / n2 * math.sqrt(max(0.0, 1 - cos_i**2))
    if sin_t >= 1:
        return 1.0
    cos_t = math.sqrt(1 - sin_t**2)
    rs = (n1 * cos_i - n2 * cos_t) / (n1 * cos_i + n2 * cos_t)
    rp = (n1 * cos_t - n2 * cos_i) / (n1 * cos_t + n2 * cos_i)
    return 0.5 * (rs * rs + rp * rp)


def cos_transmitted(n1: float, n2: float, cos_i: float) -> float:
    return math.sqrt(1 - (n1 / n2) ** 2 * (1 - cos_i**2))


# direction densities over mu = cos(theta) in the upper medium
def lambertian_density(mu: float) -> float:
    return 2.0 * mu


def cone_density(half_angle_deg: float):
    cos_half = math.cos(math.radians(half_angle_deg))
    return lambda mu: 1.0 / (1.0 - cos_half), cos_half


@pytest.mark.parametrize("incidence", [Incidence(kind="lambertian"), Incidence(kind="cone", half_angle_deg=40)])
def test_oblique_incidence_specular_and_absorbing_slab_transmission(incidence):
    """A purely absorbing slab (n 1.4, index-matched below): Rsp = <R(mu)> over the incident directions and
    Tt = <(1 - R(mu)) exp(-mua d / mu_t)>, mu_t from Snell's law (Beer-Lambert along the refracted ray)."""
    n_slab, mua, d_cm = 1.4, 10.0, 0.1
    stack = slab(n_slab, mua, 0.0, 0.0, d_cm * 10, n_above=1.0, n_below=n_slab)
    if incidence.kind == "lambertian":
        density, mu_low = lambertian_density, 0.0
    else:
        density, mu_low = cone_density(incidence.half_angle_deg)
    rsp = quad(lambda mu: fresnel_unpolarised(1.0, n_slab, mu) * density(mu), mu_low, 1)[0]
    tt = quad(lambda mu: (1 - fresnel_unpolarised(1.0, n_slab, mu))
              * math.exp(-mua * d_cm / cos_transmitted(1.0, n_slab, mu)) * density(mu), mu_low, 1)[0]
    result = run_mc(stack, 40_000, seed=31, incidence=incidence, grid=GRID)
    assert result.energy_balance_error() < 1e-9
    assert result.diffuse_reflectance == 0.0   # nothing scatters back
    assert_close(result.specular, result.extra["specular_stderr"], rsp, "Rsp")
    assert_close(result.transmittance, result.stderr["transmittance"], tt, "Tt")


def test_wide_beam_fluence_decays_with_diffusion_mu_eff():
    """Deep in a semi-infinite medium, phi(z) ~ exp(-mu_eff z), mu_eff = sqrt(3 mua (mua + mus'))
    (diffusion theory; accurate to about 1 % here since mua/mus' = 0.025)."""
    mua, mus, g = 0.5, 100.0, 0.8
    stack = slab(1.0, mua, mus, g, None)
    mu_eff = math.sqrt(3 * mua * (mua + mus * (1 - g)))
    grid = Grid(dz_mm=0.2, nz=100, dr_mm=0.1, nr=1, na=5)
    result = run_mc(stack, 40_000, seed=32, beam=Beam(kind="wide"), grid=grid)
    assert result.energy_balance_error() < 1e-9
    assert result.absorbed_rz_per_cm3 is None and result.rd_r_per_cm2 is None
    z_cm = result.depth_mm / 10
    phi = result.fluence_per_irradiance
    deep = (z_cm > 1.0 / mu_eff) & (z_cm < 3.5 / mu_eff)
    slope = np.polyfit(z_cm[deep], np.log(phi[deep]), 1, w=phi[deep] / result.fluence_z_stderr[deep])[0]
    assert -slope == pytest.approx(mu_eff, rel=0.03)
    # the integral of A(z) is the absorbed fraction (semi-infinite: A = 1 - Rd, nothing beyond the grid is lost
    # because the last bin collects it)
    assert result.absorbed_z_per_cm.sum() * grid.dz_mm / 10 == pytest.approx(result.absorbed, rel=1e-12)


@pytest.mark.parametrize("beam", [Beam(kind="flat", radius_mm=1.0), Beam(kind="gaussian", radius_mm=1.0)])
def test_beam_profile_in_a_pure_absorber(beam):
    """With mus = 0 every photon is absorbed where it enters, at depth ~ Exp(mua): A(r, z) = E(r) mua exp(-mua z)
    per unit power, E(r) = 1/(pi R^2) inside a flat beam and 2/(pi R^2) exp(-2 r^2/R^2) for a Gaussian one."""
    mua = 5.0
    stack = slab(1.0, mua, 0.0, 0.0, None)
    grid = Grid(dz_mm=5.0, nz=2, dr_mm=0.1, nr=20, na=5)
    result = run_mc(stack, 300_000, seed=33, beam=beam, grid=grid)
    assert result.energy_balance_error() < 1e-9
    r_cm = result.radius_mm / 10
    big_r = beam.radius_mm / 10
    if beam.kind == "flat":
        irradiance = np.where(result.radius_mm < beam.radius_mm, 1 / (math.pi * big_r**2), 0.0)
        assert np.all(result.absorbed_rz_per_cm3[10:19, :] == 0.0)   # rings beyond R
    else:
        irradiance = 2 / (math.pi * big_r**2) * np.exp(-2 * r_cm**2 / big_r**2)
    dz = grid.dz_mm / 10
    expected = irradiance * (1 - math.exp(-mua * dz)) / dz   # absorbed in the first depth bin, per cm
    rings = slice(3, 10)   # rings with enough photons, inside R
    np.testing.assert_allclose(result.absorbed_rz_per_cm3[rings, 0], expected[rings], rtol=0.1)


def test_grid_tallies_integrate_to_the_totals():
    """MCML normalisation: sum Rd(r) 2 pi r dr = Rd, sum Rd(a) 2 pi sin(a) da = Rd, sum A(r,z) dV = A."""
    result = run_mc(slab(1.4, 2.0, 100.0, 0.8, 1.0), 20_000, seed=34, beam=Beam(kind="gaussian", radius_mm=0.5),
                    grid=GRID)
    g = result.grid
    dr, dz, da = g.dr_mm / 10, g.dz_mm / 10, math.pi / (2 * g.na)
    ring_area = 2 * math.pi * (np.arange(g.nr) + 0.5) * dr * dr
    a = (np.arange(g.na) + 0.5) * da
    assert np.sum(result.rd_r_per_cm2 * ring_area) == pytest.approx(result.diffuse_reflectance, rel=1e-12)
    assert np.sum(result.tt_r_per_cm2 * ring_area) == pytest.approx(result.transmittance, rel=1e-12)
    assert np.sum(result.rd_a_per_sr * 2 * math.pi * np.sin(a) * da) == pytest.approx(result.diffuse_reflectance,
                                                                                      rel=1e-12)
    assert np.sum(result.absorbed_rz_per_cm3 * ring_area[:, None] * dz) == pytest.approx(result.absorbed, rel=1e-12)
    assert np.sum(result.absorbed_z_per_cm * dz) == pytest.approx(result.absorbed, rel=1e-12)
    projected = 2 * math.pi * math.sin(da / 2) * np.sin(2 * a)   # solid angle x cos(a), MCML ScaleRdTt
    assert np.sum(result.rd_ra * ring_area[:, None] * projected[None, :]) == pytest.approx(
        result.diffuse_reflectance, rel=1e-12)


def test_total_reflectance_does_not_depend_on_the_beam_profile():
    """Laterally infinite layers: Rd, A, Tt per unit power are the same for a pencil and a wide beam."""
    stack = slab(1.4, 2.0, 100.0, 0.8, 1.0)
    pencil = run_mc(stack, 20_000, seed=35, grid=GRID)
    wide = run_mc(stack, 20_000, seed=36, beam=Beam(kind="wide"), grid=GRID)
    for key in ("diffuse_reflectance", "transmittance", "absorbed"):
        se = math.hypot(pencil.stderr[key], wide.stderr[key])
        assert abs(getattr(pencil, key) - getattr(wide, key)) < 4 * se
