"""Pennes solvers against the closed-form steady state, each other, a wide finite beam, and the CEM43 formula.

The measured cases (published skin-temperature rises) are in the test module ``test_safety_heating_measured``.
"""

import math

import numpy as np
import pytest

from photodose.safety.bioheat import (HeatSource, ThermalLayer, ThermalStack, allowed_irradiance_scale,
                                      cem43_rate_min_per_s, pennes_session, pennes_steady_c, skin_heating_session,
                                      time_to_threshold_s)

K, RHO, C, W = 0.4, 1000.0, 3600.0, 0.001
RHO_B, C_B, T_A, H, T_AIR, L_MM = 1060.0, 3770.0, 37.0, 10.0, 25.0, 30.0
Q0_W_CM3, MU_PER_MM, Q_MET = 0.5, 0.5, 400.0


def _stack() -> ThermalStack:
    layer = ThermalLayer(name="uniform", thickness_mm=L_MM, k_w_m_k=K, rho_kg_m3=RHO, c_j_kg_k=C,
                         perfusion_per_s=W, q_met_w_m3=Q_MET)
    return ThermalStack(layers=[layer], blood_rho_kg_m3=RHO_B, blood_c_j_kg_k=C_B, arterial_c=T_A,
                        h_w_m2_k=H, air_c=T_AIR)


def _source() -> HeatSource:
    z = np.linspace(0.0, L_MM, 3001)
    return HeatSource(depth_mm=z.tolist(), w_per_cm3=(Q0_W_CM3 * np.exp(-MU_PER_MM * z)).tolist())


def _analytic_c(z_mm: np.ndarray) -> np.ndarray:
    """T'' - m^2 (T - Ta) = -(q0 e^(-mu z) + q_met)/k, k T'(0) = h (T(0) - T_air), T(L) = Ta.

    theta = T - Ta = q_met/(w rho_b c_b) + A e^(-mu z) + B e^(-m z) + D e^(m z), A = q0 / (k (mu^2 - m^2)) * -1.
    """
    m = math.sqrt(W * RHO_B * C_B / K)
    mu = MU_PER_MM * 1e3
    q0 = Q0_W_CM3 * 1e6
    a = q0 / (K * (m * m - mu * mu))
    th_met = Q_MET / (W * RHO_B * C_B)
    L = L_MM * 1e-3
    # unknowns B, D: surface k(-mu a - m B + m D) - h (th_met + a + B + D + Ta - Tair) = 0; bottom theta(L) = 0
    m11, m12 = -K * m - H, K * m - H
    r1 = K * mu * a + H * (th_met + a + T_A - T_AIR)
    m21, m22 = math.exp(-m * L), math.exp(m * L)
    r2 = -(th_met + a * math.exp(-mu * L))
    det = m11 * m22 - m12 * m21
    b = (r1 * m22 - m12 * r2) / det
    d = (m11 * r2 - m21 * r1) / det
    z = z_mm * 1e-3
    return T_A + th_met + a * np.exp(-mu * z) + b * np.exp(-m * z) + d * np.exp(m * z)


def test_steady_state_matches_closed_form_within_2_percent():
    depth_mm, t_num = pennes_steady_c(_stack(), _source(), dz_mm=0.02)
    t_ref = _analytic_c(depth_mm)
    rise_ref = t_ref - t_ref[-1]
    scale = np.max(np.abs(t_ref - T_A))
    assert scale > 1.0  # the source heats noticeably, otherwise the comparison is empty
    assert np.max(np.abs(t_num - t_ref)) / scale < 0.02
    assert abs(t_num[0] - t_ref[0]) / abs(rise_ref[0]) < 0.02


def test_transient_approaches_the_steady_state():
    stack, source = _stack(), _source()
    depth_mm, steady = pennes_steady_c(stack, source, dz_mm=0.05)
    early = pennes_session(stack, source, 60.0, dz_mm=0.05)
    late = pennes_session(stack, source, 4 * 3600.0, dz_mm=0.05, n_steps=800)
    gap_early = np.max(np.abs(early.final_c - steady))
    gap_late = np.max(np.abs(late.final_c - steady))
    assert gap_late < 0.02 * np.max(np.abs(steady - late.baseline_c))
    assert gap_late < gap_early / 10
    assert np.all(np.diff(late.max_c_vs_time) >= -1e-6)  # heating from steady state is monotone


def test_allowed_scale_and_time_are_consistent_with_a_rerun():
    stack, source = ThermalStack.default(), _source()
    result = pennes_session(stack, source, 600.0)
    threshold = result.baseline_c.max() + 0.5 * (result.peak_c - result.baseline_c.max())
    scale = allowed_irradiance_scale(result, threshold)
    assert 0 < scale < 1
    scaled = HeatSource(depth_mm=source.depth_mm, w_per_cm3=[q * scale for q in source.w_per_cm3])
    assert pennes_session(stack, scaled, 600.0).peak_c == pytest.approx(threshold, abs=1e-6)
    t_allowed = time_to_threshold_s(result, threshold)
    assert 0 < t_allowed < 600
    assert pennes_session(stack, source, t_allowed).peak_c == pytest.approx(threshold, abs=0.02)


def test_heat_source_rejects_mismatched_arrays():
    with pytest.raises(ValueError):
        HeatSource(depth_mm=[0, 1, 2], w_per_cm3=[1, 2])


def _layered(**kw) -> ThermalStack:
    """The default tissue data, optionally without radiation (the linear solver then sees h = convection only)."""
    return ThermalStack.default().model_copy(update=kw)


def test_measured_model_without_vasodilation_matches_the_linear_solver():
    """Two independent discretisations (node-based CN, uniform; cell-centred BDF2, graded) of the same linear model."""
    stack, source = _layered(), _source()
    linear = pennes_session(stack, source, 600.0)
    cells = skin_heating_session(stack, source, 600.0, vasodilation=False)
    rise_linear = linear.final_c[0] - linear.baseline_c[0]
    assert rise_linear > 2.0
    assert cells.surface_rise_c == pytest.approx(rise_linear, rel=0.02)
    assert cells.surface_c_vs_time[0] == pytest.approx(linear.baseline_c[0], abs=0.05)


def test_vasodilation_only_lowers_the_rise_and_needs_a_perfused_layer():
    stack, source = _layered(), _source()
    passive = skin_heating_session(stack, source, 1200.0, vasodilation=False)
    active = skin_heating_session(stack, source, 1200.0, vasodilation=True)
    assert 0 < active.peak_rise_c < passive.peak_rise_c
    flat = stack.model_copy(update={"layers": [layer.model_copy(update={"perfusion_max_factor": 1.0})
                                               for layer in stack.layers]})
    assert skin_heating_session(flat, source, 1200.0).peak_c == pytest.approx(passive.peak_c, abs=1e-9)


def test_a_wide_finite_beam_matches_the_wide_beam_solve():
    stack, source = _layered(), _source()
    wide = skin_heating_session(stack, source, 300.0)
    disc = skin_heating_session(stack, source, 300.0, beam_radius_mm=150.0, light_spread_mm=0.0)
    assert disc.surface_rise_c == pytest.approx(wide.surface_rise_c, rel=0.01)
    narrow = skin_heating_session(stack, source, 300.0, beam_radius_mm=3.0, light_spread_mm=0.0)
    assert narrow.surface_rise_c < 0.8 * wide.surface_rise_c  # lateral conduction cools a narrow spot


def test_cem43_rate_is_sapareto_dewey():
    """R = 0.5 at and above 43 C, 0.25 below: 1 h at 44 C is 120 min, at 43 C 60 min, at 42 C 15 min."""
    assert cem43_rate_min_per_s(np.array([44.0]))[0] * 3600 == pytest.approx(120.0)
    assert cem43_rate_min_per_s(np.array([43.0]))[0] * 3600 == pytest.approx(60.0)
    assert cem43_rate_min_per_s(np.array([42.0]))[0] * 3600 == pytest.approx(15.0)


def test_session_dose_and_times_are_consistent():
    stack, source = _layered(), HeatSource(depth_mm=_source().depth_mm,
                                           w_per_cm3=[q * 4 for q in _source().w_per_cm3])
    result = skin_heating_session(stack, source, 900.0)
    assert result.peak_c > 45.0 and result.cem43_min > 1.0
    assert np.all(np.diff(result.cem43_vs_time) >= 0)
    t = result.time_to_c_s(45.0)
    assert 0 < t < 900 and result.time_to_cem43_s(result.cem43_min) <= 900
    assert skin_heating_session(stack, source, t).peak_c == pytest.approx(45.0, abs=0.1)


def test_heating_check_verdicts_and_a_remedy_that_works():
    """Caution at heat pain with a remedy that, applied, gives ok; refusal only at the injury dose; ok below."""
    from photodose.safety.context import Channel, SafetyContext
    from photodose.safety.skin_checks import heating_check

    z = np.linspace(0, 10, 201)

    def ctx(q0: float) -> SafetyContext:
        return SafetyContext(channels=[Channel(wavelength_nm=850, irradiance_mw_cm2=100)], distance_mm=150,
                             session_seconds=1200, site="thigh",
                             heat_source=HeatSource(depth_mm=z.tolist(), w_per_cm3=(q0 * np.exp(-z / 1.5)).tolist()))

    hot = heating_check(ctx(0.6))
    assert hot.status == "caution" and hot.unit == "degC" and hot.value >= hot.limit == 42.0
    factor = float(hot.remedy.split("irradiance to ")[1].split("%")[0]) / 100
    assert heating_check(ctx(0.6 * factor)).status == "ok"
    burn = heating_check(ctx(2.0))
    assert burn.status == "fail" and burn.unit == "CEM43 min" and burn.value >= burn.limit == 720.0
    assert heating_check(ctx(0.05)).status == "ok"
