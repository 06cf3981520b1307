"""Natural logarithm that LLVM can inline and vectorise (no libm call).

Why: the kernel draws its exponential step lengths -ln(xi) in blocks; with this log the block loop
compiles to SIMD code (numba has no vector libm here), where a libm call per draw would not.
Algorithm: fdlibm's ``__ieee754_log`` (Sun Microsystems 1993, as in FreeBSD msun/e_log.c): x = 2^k (1 + f)
with sqrt(2)/2 <= 1 + f < sqrt(2), log(1 + f) = f - (f^2/2 - s (f^2/2 + R)) with s = f/(2 + f) and the
degree-14 minimax polynomial R(s); error below 1 ulp. Domain: finite, normal x > 0 (the kernel's draws lie in
[2^-54, 1)); no handling of 0, negatives, subnormals, inf or nan.
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
LG1 = 6.666666666666735130e-01
LG2 = 3.999999999940941908e-01
LG3 = 2.857142874366239149e-01
LG4 = 2.222219843214978396e-01
LG5 = 1.818357216161805012e-01
LG6 = 1.531383769920937332e-01
LG7 = 1.479819860511658591e-01
_MANTISSA = 0x000FFFFFFFFFFFFF
_SQRT2_MANTISSA = 0x6A09E667F3BCD   # mantissa bits of sqrt(2)
_EXP_HALF = 0x3FE0000000000000     # exponent bits of [0.5, 1)
_EXP_ONE = 0x3FF0000000000000      # exponent bits of [1, 2)


@intrinsic
def float_bits(typingctx, x):
    """The IEEE-754 bits of a float64 as an int64 (a bit cast, no conversion)."""
    if x != types.float64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def bits_float(typingctx, i):
    """The float64 whose IEEE-754 bits are the int64 ``i``."""
    if i != types.int64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@njit(cache=True, inline="always")
def log_positive(x):
    """ln(x) for a normal, finite x > 0 (fdlibm algorithm, < 1 ulp)."""
    bits = float_bits(x)
    k = (bits >> 52) - 1023
    mantissa = bits & _MANTISSA
    upper = mantissa >= _SQRT2_MANTISSA   # 1.m >= sqrt(2): use (1.m)/2 and k + 1
    k += 1 if upper else 0
    m = bits_float(mantissa | (_EXP_HALF if upper else _EXP_ONE))
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * (LG4 + w * LG6))
    t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
    r = t2 + t1
    hfsq = 0.5 * f * f
    dk = float(k)
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)
