"""Counter-seeded random streams for the Monte Carlo kernel (numba, uint64 arithmetic).

Generator: xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
ACM TOMS 47 (2021); reference C code at https://prng.di.unimi.it/). Its 256-bit state for batch ``b`` of a
run with seed ``s`` is filled by SplitMix64 (Steele, Lea & Flood, OOPSLA 2014) from a key that mixes
``s`` and ``b``, so every batch has its own stream, derived only from (seed, batch index): batches can run
in any process or thread and still give the same numbers.

The state travels as four uint64 scalars (not an array) so that LLVM keeps it in registers.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_U64_MASK = (1 << 64) - 1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_BATCH_SALT = np.uint64(0xD1B54A32D192ED03)
_INV_2_53 = 1.0 / 9007199254740992.0
_INV_2_31 = 1.0 / 2147483648.0


@njit(cache=True)
def _mix64(z):
    """SplitMix64's output function (a bijection of uint64)."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def seed_state(seed, batch_index):
    """xoshiro256** state (s0, s1, s2, s3) for one batch; ``seed`` and ``batch_index`` are uint64."""
    x = _mix64(seed + _GOLDEN) ^ _mix64(batch_index * _BATCH_SALT + _GOLDEN + _GOLDEN)
    x = x + _GOLDEN
    s0 = _mix64(x)
    x = x + _GOLDEN
    s1 = _mix64(x)
    x = x + _GOLDEN
    s2 = _mix64(x)
    x = x + _GOLDEN
    s3 = _mix64(x)
    return s0, s1, s2, s3


@njit(cache=True, inline="always")
def _next64(s0, s1, s2, s3):
    """xoshiro256** 1.0: one 64-bit output and the new state."""
    r = s1 * np.uint64(5)
    r = ((r << np.uint64(7)) | (r >> np.uint64(57))) * np.uint64(9)
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << np.uint64(45)) | (s3 >> np.uint64(19))
    return r, s0, s1, s2, s3


@njit(cache=True, inline="always")
def next_uniform(s0, s1, s2, s3):
    """One draw uniform on the open interval (0, 1) (53-bit grid, offset by half a step) and the new state."""
    r, s0, s1, s2, s3 = _next64(s0, s1, s2, s3)
    u = (np.float64(np.int64(r >> np.uint64(11))) + 0.5) * _INV_2_53   # 53 bits: a signed convert is exact
    return u, s0, s1, s2, s3


@njit(cache=True, inline="always")
def next_pair(s0, s1, s2, s3):
    """Two draws uniform on (-1, 1) from one 64-bit output (32 bits each, offset by half a step) and the new
    state; for directions, where 2^-31 resolution is ample."""
    r, s0, s1, s2, s3 = _next64(s0, s1, s2, s3)
    hi = np.float64(np.int64(r >> np.uint64(32)))
    lo = np.float64(np.int64(r & np.uint64(0xFFFFFFFF)))
    return (hi + 0.5) * _INV_2_31 - 1.0, (lo + 0.5) * _INV_2_31 - 1.0, s0, s1, s2, s3


def as_uint64(value: int) -> np.uint64:
    """A Python int (any sign or size) reduced to uint64 for the kernel."""
    return np.uint64(int(value) & _U64_MASK)
