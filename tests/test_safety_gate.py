"""The gate: worked examples and a property test over random contexts.

The property test re-checks every limit independently from the standards (IEC 62471:2006 4.3.5-4.3.8, ANSI Z136.1),
written out again here (not through the gate's code):
no report with status ok or caution violates a limit, and every refusal names a failed check with a remedy.
"""

import math
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

import photodose.safety
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photodose.safety.bioheat import HeatSource
from photodose.safety.gate import Channel, DistancePoint, SafetyContext, evaluate
from photodose.safety.overdose import ProtocolBounds, Session
from photodose.safety.screening import ScreeningAnswers, load_questionnaire
from test_safety_blue_light import _b_reference

NOW = datetime(2026, 5, 1, 9, 0)
IDS = load_questionnaire().ids()


def _panel(**kw) -> SafetyContext:
    base = dict(channels=[Channel(wavelength_nm=660, irradiance_mw_cm2=50),
                          Channel(wavelength_nm=850, irradiance_mw_cm2=50)],
                distance_mm=150, session_seconds=1200, source_diameter_mm=300, site="knee",
                screening=ScreeningAnswers(answered_at=NOW, answers={i: False for i in IDS}), now=NOW,
                irradiance_vs_distance=[DistancePoint(distance_mm=d, relative_irradiance=(150 / d) ** 2)
                                        for d in range(150, 2001, 50)])
    base.update(kw)
    return SafetyContext(**base)


def _check(report, name):
    return next(c for c in report.checks if c.name == name)


def test_nir_panel_without_goggles_is_refused_with_goggles_time_and_distance():
    report = evaluate(_panel())
    assert report.status == "refused"
    eye = _check(report, "eye:infrared")
    assert eye.status == "fail"
    assert eye.value == pytest.approx(50.0) and eye.limit == pytest.approx(10.0)
    assert report.unprotected_viewing_allowed_s == pytest.approx((18000 / 500) ** (4 / 3))
    assert "goggles" in eye.remedy and "118 s" in eye.remedy and "34 cm" in eye.remedy  # 150 mm x sqrt(5)
    assert report.goggles_required
    assert report.risk_group == "RG1"  # 500 W/m2 of IR: above 100 (exempt), within 570 W/m2 (RG1)


def test_same_panel_with_goggles_passes():
    report = evaluate(_panel(goggles=True))
    assert report.status == "ok", [c for c in report.checks if c.status != "ok"]
    assert report.goggles_required  # still required, and worn


def test_10_mw_cm2_of_nir_is_exempt_and_unlimited():
    report = evaluate(_panel(channels=[Channel(wavelength_nm=850, irradiance_mw_cm2=10)], session_seconds=3600))
    assert report.status == "ok"
    assert report.risk_group.startswith("exempt")
    assert math.isinf(report.unprotected_viewing_allowed_s)


def test_laser_requires_goggles_and_skin_mpe():
    ctx = _panel(is_laser=True, channels=[Channel(wavelength_nm=810, irradiance_mw_cm2=400)], goggles=True,
                 source_diameter_mm=None, session_seconds=60)
    report = evaluate(ctx)
    mpe = _check(report, "skin:laser_mpe")
    assert mpe.status == "fail" and mpe.value == pytest.approx(400 / 332, rel=0.01)
    assert "83%" in mpe.remedy  # 332 / 400
    strong = [Channel(wavelength_nm=810, irradiance_mw_cm2=300)]
    assert evaluate(ctx.model_copy(update={"goggles": False, "channels": strong})).status == "refused"
    assert evaluate(ctx.model_copy(update={"channels": strong})).status == "ok"


def test_blue_channel_of_a_panel_is_assessed():
    report = evaluate(_panel(channels=[Channel(wavelength_nm=480, irradiance_mw_cm2=5)]))
    blue = _check(report, "eye:blue_light")
    assert blue.status == "ok" and blue.unit == "J m-2 sr-1"
    assert report.status == "ok" and report.risk_group == "exempt"


def test_heating_failure_says_by_how_much():
    z = np.linspace(0, 10, 201)
    hot = HeatSource(depth_mm=z.tolist(), w_per_cm3=(0.6 * np.exp(-z / 1.5)).tolist())
    report = evaluate(_panel(goggles=True, heat_source=hot))
    heat = _check(report, "skin:heating")  # heat pain is a caution with a remedy, not a refusal
    assert heat.status == "caution" and heat.value >= 42.0 and heat.unit == "degC"
    assert "reduce the irradiance to" in heat.remedy and "shorten the session to" in heat.remedy
    burning = HeatSource(depth_mm=hot.depth_mm, w_per_cm3=[q * 3 for q in hot.w_per_cm3])
    burn = _check(evaluate(_panel(goggles=True, heat_source=burning)), "skin:heating")  # refused at the injury dose
    assert burn.status == "fail" and burn.unit == "CEM43 min" and burn.value >= burn.limit
    assert "shorten the session to" in burn.remedy
    mild = HeatSource(depth_mm=hot.depth_mm, w_per_cm3=[q * 0.05 for q in hot.w_per_cm3])
    assert _check(evaluate(_panel(goggles=True, heat_source=mild)), "skin:heating").status == "ok"


def test_missing_and_stale_screening_caution_and_do_not_use_refuses():
    assert evaluate(_panel(goggles=True, screening=None)).status == "caution"
    stale = ScreeningAnswers(answered_at=NOW - timedelta(days=200), answers={i: False for i in IDS})
    assert _check(evaluate(_panel(goggles=True, screening=stale)), "screening:stale").status == "caution"
    bipolar = ScreeningAnswers(answered_at=NOW, answers={i: i == "bipolar" for i in IDS})
    assert evaluate(_panel(goggles=True, screening=bipolar, site="forehead", transcranial=True)).status == "refused"


# ---------------------------------------------------------------- property test

def _limit_ir_w_m2(t):  # pbm_facts.md section 5, written out again
    return 18000 * t ** -0.75 if t <= 1000 else 100.0


R_380_500 = {380: 0.1, 385: 0.13, 390: 0.25, 395: 0.5, 400: 1.0, 405: 2.0, 410: 4.0, 415: 8.0, 420: 9.0, 425: 9.5,
             430: 9.8, 435: 10.0, 440: 10.0, 445: 9.7, 450: 9.4, 455: 9.0, 460: 8.0, 465: 7.0, 470: 6.2, 475: 5.5,
             480: 4.5, 485: 4.0, 490: 2.2, 495: 1.6, 500: 1.0}  # IEC 62471 Table 4.2 (ISETCam's transcription)


def _R(nm):
    if 380 <= nm < 500:
        return float(np.interp(nm, list(R_380_500), list(R_380_500.values())))
    if 500 <= nm <= 700:
        return 1.0
    if 700 < nm <= 1050:
        return 10 ** ((700 - nm) / 500)
    if 1050 < nm <= 1150:
        return 0.2
    if 1150 < nm <= 1200:
        return 0.2 * 10 ** (0.02 * (1150 - nm))
    return 0.02 if 1200 < nm <= 1400 else 0.0


def _ca(nm):
    return 1.0 if nm <= 700 else (10 ** (0.002 * (nm - 700)) if nm <= 1050 else 5.0)


@lru_cache(maxsize=None)
def _blue_weight(nm):  # Gaussian line of 20 nm FWHM (the gate's default line), integrated densely
    sigma = 20 / (2 * math.sqrt(2 * math.log(2)))
    x = np.linspace(max(nm - 6 * sigma, 400), nm + 6 * sigma, 4001)
    line = np.exp(-0.5 * ((x - nm) / sigma) ** 2)
    return np.trapezoid(line * _b_reference(x), x) / np.trapezoid(line, x)


@lru_cache(maxsize=None)
def _line_weight(nm, weight_name):  # a 20 nm FWHM Gaussian line (the gate's default) integrated densely
    sigma = 20 / (2 * math.sqrt(2 * math.log(2)))
    x = np.linspace(max(nm - 6 * sigma, 400), nm + 6 * sigma, 4001)
    line = np.exp(-0.5 * ((x - nm) / sigma) ** 2)
    if weight_name == "R":
        w = np.array([_R(v) for v in x])
    else:
        v_nm, v = np.loadtxt(Path(photodose.safety.__file__).parent / "data" / "photopic_v.csv", delimiter=",",
                             comments="#", skiprows=6, unpack=True)
        w = np.interp(x, v_nm, v, left=0, right=0)
    return np.trapezoid(line * w, x) / np.trapezoid(line, x)


def _retinal_thermal_violated(ctx) -> bool:
    """IEC 62471 4.3.5 / 4.3.6 written out again: a visible source (>= 10 cd/m2) on L_R (380-1400 nm) against
    50000 / (alpha min(t, 10)^0.25), alpha in 0.0017-0.1; else L_IR (780-1400 nm) against 6000 / alpha (t > 10 s)
    or 50000 / (alpha t^0.25), alpha in 0.011-0.1. Near 10 cd/m2 (quadrature spread) both must be violated."""
    t = ctx.session_seconds
    r, d = ctx.source_diameter_mm / 2, ctx.distance_mm
    alpha = 2 * math.atan2(r, d)
    radiance = [(c.wavelength_nm, 10 * c.irradiance_mw_cm2 * (r * r + d * d) / (math.pi * r * r)) for c in ctx.channels]
    tol = 1 + BLUE_QUADRATURE_TOLERANCE
    lum = 683 * sum(_line_weight(nm, "V") * rad for nm, rad in radiance if nm <= 830)
    l_r = sum(_line_weight(nm, "R") * rad for nm, rad in radiance if 380 <= nm <= 1400)
    l_ir = sum(_line_weight(nm, "R") * rad for nm, rad in radiance if 780 <= nm <= 1400)
    strong = l_r > 50000 / (min(max(alpha, 0.0017), 0.1) * min(t, 10) ** 0.25) * tol
    a_weak = min(max(alpha, 0.011), 0.1)
    weak = l_ir > (6000 / a_weak if t > 10 else 50000 / (a_weak * t ** 0.25)) * tol
    if lum >= 10 * tol:
        return strong
    if lum < 10 / tol:
        return weak
    return strong and weak


BLUE_QUADRATURE_TOLERANCE = 0.02  # the gate's 15-point quadrature vs this dense integral (see test_safety_blue_light)


def _violations(ctx: SafetyContext) -> list[str]:
    out = []
    t = ctx.session_seconds
    if ctx.is_laser:
        if not ctx.goggles:
            out.append("laser without goggles")
        inside = [c for c in ctx.channels if 400 <= c.wavelength_nm <= 1400]
        mpe = lambda c: (200 * _ca(c.wavelength_nm) if t >= 10 else 1100 * _ca(c.wavelength_nm) * t ** 0.25 / t)  # noqa: E731
        if sum(c.irradiance_mw_cm2 / mpe(c) for c in inside) > 1 + 1e-9:
            out.append("laser skin MPE")
    else:
        e_ir = 10 * sum(c.irradiance_mw_cm2 for c in ctx.channels if 780 <= c.wavelength_nm <= 3000)
        if not ctx.goggles and e_ir > _limit_ir_w_m2(t) * (1 + 1e-9):
            out.append("IR eye")
        if not ctx.goggles and ctx.source_diameter_mm and _retinal_thermal_violated(ctx):
            out.append("retinal thermal")
        if not ctx.goggles and ctx.source_diameter_mm:
            r, d = ctx.source_diameter_mm / 2, ctx.distance_mm
            e_b = sum(10 * c.irradiance_mw_cm2 * _blue_weight(c.wavelength_nm) for c in ctx.channels)
            l_b = e_b * (r * r + d * d) / (math.pi * r * r)
            if l_b * t > (1e6 if t <= 1e4 else 100 * t) * (1 + BLUE_QUADRATURE_TOLERANCE):
                out.append("blue light")
        tt = min(t, 10)
        h = 10 * sum(c.peak_mw_cm2 for c in ctx.channels if 380 <= c.wavelength_nm <= 3000) * tt
        if h > 20000 * tt ** 0.25 * (1 + 1e-9):
            out.append("skin thermal")
    if ctx.screening is not None and ctx.screening.answers.get("photosensitive_disorder"):
        out.append("do-not-use screening answer")
    return out


def _unsourced_bounds_exceeded(ctx: SafetyContext) -> list[str]:
    """photodose's default overdose bounds the session exceeds: cautions, never refusals (no injury threshold)."""
    out = []
    if ctx.bounds is not None:
        fluence = sum(c.irradiance_mw_cm2 for c in ctx.channels) * ctx.session_seconds / 1000
        today = sum(s.fluence_j_cm2 for s in ctx.prior_sessions
                    if s.site == ctx.site and s.start.date() == ctx.planned_start.date())
        if today + fluence > ctx.bounds.max_fluence_per_day_j_cm2 * (1 + 1e-9):
            out.append("overdose:day")
        gaps = [abs((ctx.planned_start - s.start).total_seconds()) / 3600
                for s in ctx.prior_sessions if s.site == ctx.site]
        if gaps and min(gaps) < ctx.bounds.min_hours_between_sessions:
            out.append("overdose:interval")
    return out


channels = st.lists(st.builds(
    Channel,
    wavelength_nm=st.sampled_from([470, 590, 630, 660, 810, 830, 850, 940, 1064, 1300]),
    irradiance_mw_cm2=st.floats(0, 500)), min_size=1, max_size=4)


@st.composite
def contexts(draw):
    site = draw(st.sampled_from(["knee", "forehead", "abdomen"]))
    start = NOW
    prior = [Session(start=start - timedelta(hours=h), site=draw(st.sampled_from(["knee", "forehead"])),
                     fluence_j_cm2=f)
             for h, f in draw(st.lists(st.tuples(st.floats(1, 300), st.floats(0, 80)), max_size=4))]
    yes = draw(st.one_of(st.none(), st.sampled_from(IDS)))  # at most one "yes" answer
    answers = ScreeningAnswers(answered_at=NOW, answers={i: i == yes for i in IDS})
    return SafetyContext(
        is_laser=draw(st.booleans()), channels=draw(channels),
        source_diameter_mm=draw(st.one_of(st.none(), st.floats(1, 500))),
        distance_mm=draw(st.floats(0, 1000)), session_seconds=draw(st.floats(1, 3600)), site=site,
        transcranial=draw(st.booleans()), pulsed_visible=draw(st.booleans()), goggles=draw(st.booleans()),
        screening=draw(st.one_of(st.none(), st.just(answers))), now=NOW, planned_start=start,
        prior_sessions=prior,
        bounds=draw(st.one_of(st.none(), st.builds(ProtocolBounds, max_fluence_per_day_j_cm2=st.floats(5, 120),
                                                    min_hours_between_sessions=st.floats(0, 48)))))


@pytest.mark.slow   # 2000 random sessions, about 13 s: CI runs it
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts())
def test_no_passing_report_violates_a_limit_and_refusals_say_why(ctx):
    report = evaluate(ctx)
    if report.status in ("ok", "caution"):
        assert _violations(ctx) == []
    else:
        failed = [c for c in report.checks if c.status == "fail"]
        assert failed
        assert all(c.remedy for c in failed)
    exceeded = _unsourced_bounds_exceeded(ctx)
    statuses = {c.name: c.status for c in report.checks}
    assert all(statuses.get(name) == "caution" for name in exceeded), (exceeded, statuses)
    if exceeded:
        assert report.status != "ok"
    assert report.status == "refused" or not [c for c in report.checks if c.status == "fail"]
    if not ctx.is_laser:  # the IR-eye risk group, re-derived: exempt <= 100, RG1 <= 570, RG2 <= 3200 W/m2, else RG3
        e_ir = 10 * sum(c.irradiance_mw_cm2 for c in ctx.channels if 780 <= c.wavelength_nm <= 3000)
        expected = "exempt" if e_ir <= 100 else "RG1" if e_ir <= 570 else "RG2" if e_ir <= 3200 else "RG3"
        assert report.risk_groups["infrared_eye"] == expected
        assert report.risk_group.startswith("exempt") == all(g == "exempt" or g == "not assessed"
                                                             for g in report.risk_groups.values())


def test_ultraviolet_channel_is_not_passed_silently():
    report = evaluate(_panel(goggles=True, channels=[Channel(wavelength_nm=365, irradiance_mw_cm2=1)]))
    assert _check(report, "skin_eye:ultraviolet").status == "caution"
    assert report.status == "caution"


@pytest.mark.parametrize("args", [
    ["--device", "joovv-solo-3", "--condition", "skin-rejuvenation"],
    ["--device", "generic-laser-probe-808", "--condition", "knee-osteoarthritis"],
    ["--device", "generic-mask-633-830", "--condition", "acne"],
    ["--device", "generic-infrared-sauna-dome", "--condition", "depression-whole-body-hyperthermia"],
])
def test_every_check_a_plan_shows_has_a_label_for_people(args):
    """What a person reads beside a verdict is a label ("eyes: retinal heating"), never the check's key
    ("eye:retinal_thermal"); every key a plan produces has its label in CHECK_LABELS or is a screening question."""
    import json

    from typer.testing import CliRunner

    from photodose.cli import app
    from photodose.safety.checks import CHECK_LABELS

    plan = json.loads(CliRunner().invoke(app, ["plan", *args, "--json"]).stdout)
    checks = plan["safety"]["checks"]
    assert checks
    for c in checks:
        assert c["name"] in CHECK_LABELS or c["name"].startswith("screening:"), c["name"]
        assert c["label"] and "_" not in c["label"] and (c["label"] != c["name"] or c["name"].isalpha())
