"""Numerical building blocks of the Monte Carlo kernel against independent references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit

from photodose.transport._fresnel import critical_cosine, fresnel_reflectance
from photodose.transport._kernel_log import log_positive

from test_transport_mc_beams import fresnel_unpolarised


@njit(cache=True)
def _logs(xs):
    out = np.empty_like(xs)
    for i in range(xs.size):
        out[i] = log_positive(xs[i])
    return out


def test_inline_log_within_one_ulp_of_numpy():
    rng = np.random.default_rng(3)
    xs = np.concatenate([rng.random(200_000), np.exp(-40 * rng.random(20_000)),
                         [2.0**-54, 1 - 2**-53, 0.5, 1.0, math.sqrt(0.5), np.nextafter(math.sqrt(0.5), 1)]])
    xs = xs[xs > 0]
    ulps = np.abs(_logs(xs) - np.log(xs)) / np.spacing(np.abs(np.log(xs)) + 1e-300)
    assert ulps.max() <= 1.0
    assert _logs(np.array([1.0]))[0] == 0.0


def test_fresnel_matches_the_s_p_average_and_total_reflection():
    for n1, n2 in ((1.0, 1.4), (1.4, 1.0), (1.53, 1.34), (1.33, 1.5)):
        for cos_i in np.linspace(0.01, 1.0, 23):
            r, cos_t = fresnel_reflectance(n1, n2, cos_i)
            assert r == pytest.approx(fresnel_unpolarised(n1, n2, cos_i), rel=1e-9, abs=1e-12)
            if r < 1.0:   # Snell's law
                assert n1 * math.sqrt(1 - cos_i**2) == pytest.approx(n2 * math.sqrt(1 - cos_t**2), abs=1e-12)
        cos_crit = critical_cosine(n1, n2)
        if n1 > n2:
            assert fresnel_reflectance(n1, n2, cos_crit * 0.999)[0] == 1.0
            assert fresnel_reflectance(n1, n2, cos_crit * 1.001)[0] < 1.0
        else:
            assert cos_crit == 0.0
