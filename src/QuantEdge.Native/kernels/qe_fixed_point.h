/*
 * QuantEdge native kernels: integer fixed point, the C twin of src/QuantEdge.Runtime/FixedPoint.cs and
 * Kernels/OutputStage.cs. Every function gives the same bits as its C# original for every input,
 * including the ones where C would otherwise be undefined: C# int arithmetic wraps, so sums, differences
 * and left shifts here go through uint32_t (qe_wadd, qe_wsub, qe_wshl), and a uint shift by 32 is a shift
 * by 0 in C# (its count is masked), as in qe_reciprocal. Right shifts of negative values are arithmetic,
 * as in C#: C99 leaves that to the compiler, and every compiler QuantEdge targets (GCC for x86, ARM and
 * Xtensa) shifts arithmetically; the check below stops a build where it does not.
 */
#ifndef QE_FIXED_POINT_H
#define QE_FIXED_POINT_H

#include <stdint.h>

typedef char qe_arithmetic_right_shift_required[(-8 >> 1) == -4 ? 1 : -1];

static inline int32_t qe_wadd(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t qe_wsub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
/* x << s with C#'s wrapping, for s in [0, 31]. */
static inline int32_t qe_wshl(int32_t x, int s) { return (int32_t)((uint32_t)x << s); }

/* FixedPoint.SaturatingRoundingDoublingHighMul: (a * b * 2) / 2^32 rounded, ties toward +infinity;
 * INT32_MIN * INT32_MIN saturates. */
static inline int32_t qe_srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    int64_t product = (int64_t)a * b;
    int64_t nudged = product >= 0 ? product + ((int64_t)1 << 30) : product + (1 - ((int64_t)1 << 30));
    return (int32_t)(nudged >= 0 ? nudged >> 31 : -((-nudged) >> 31));
}

/* FixedPoint.RoundingDivideByPowerOfTwo: x / 2^exponent, ties away from zero; exponent in [0, 31]. */
static inline int32_t qe_rdbpot(int32_t x, int exponent)
{
    int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* FixedPoint.MultiplyByQuantizedMultiplier (TFLite, double rounding); shift in [-31, 30]. */
static inline int32_t qe_mbqm(int32_t x, int32_t multiplier, int shift)
{
    int left = shift > 0 ? shift : 0;
    int right = shift > 0 ? 0 : -shift;
    return qe_rdbpot(qe_srdhm(qe_wshl(x, left), multiplier), right);
}

/* OutputStage.Requantize: clamp(MBQM(acc, multiplier, shift) + zeroPoint, min, max), for a multiplier in
 * [0, 2^31) (the entry points refuse negative ones, as the loader does). */
static inline int8_t qe_requantize(int32_t acc, int32_t multiplier, int shift, int32_t zero_point, int32_t min, int32_t max)
{
    int64_t product = (int64_t)(shift > 0 ? qe_wshl(acc, shift) : acc) * multiplier;
    int64_t nudged = product >= 0 ? product + ((int64_t)1 << 30) : product + (1 - ((int64_t)1 << 30));
    int32_t value = (int32_t)(nudged >= 0 ? nudged >> 31 : -((-nudged) >> 31));
    if (shift < 0) {
        value = qe_rdbpot(value, -shift);
    }
    value = qe_wadd(value, zero_point);
    if (value < min) {
        return (int8_t)min;
    }
    return (int8_t)(value > max ? max : value);
}

/* FixedPoint.SaturatingShiftLeft: x * 2^exponent saturated; exponent in [1, 30]. */
static inline int32_t qe_saturating_shl(int32_t x, int exponent)
{
    int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return qe_wshl(x, exponent);
}

/* FixedPoint.RoundingHalfSum: (a + b) / 2 in 64 bits, half away from zero. */
static inline int32_t qe_rounding_half_sum(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + b;
    int64_t twice = sum + (sum >= 0 ? 1 : -1);
    return (int32_t)(twice >= 0 ? twice >> 1 : -((-twice) >> 1));
}

/* FixedPoint.CountLeadingZeros: 32 for zero. */
static inline int qe_clz(uint32_t x)
{
    int n = 0;
    if (x == 0) {
        return 32;
    }
    if ((x & 0xFFFF0000u) == 0) { n += 16; x <<= 16; }
    if ((x & 0xFF000000u) == 0) { n += 8; x <<= 8; }
    if ((x & 0xF0000000u) == 0) { n += 4; x <<= 4; }
    if ((x & 0xC0000000u) == 0) { n += 2; x <<= 2; }
    if ((x & 0x80000000u) == 0) { n += 1; }
    return n;
}

/* FixedPoint.ExpOnIntervalNegativeQuarterToZero: exp(a) for a in [-1/4, 0), Q0.31. */
static inline int32_t qe_exp_on_interval(int32_t a)
{
    const int32_t exp_minus_one_eighth = 1895147668;
    const int32_t one_third = 715827883;
    int32_t x = qe_wadd(a, 1 << 28);
    int32_t x2 = qe_srdhm(x, x);
    int32_t x3 = qe_srdhm(x2, x);
    int32_t x4 = qe_srdhm(x2, x2);
    int32_t x4_over_4 = qe_rdbpot(x4, 2);
    int32_t higher = qe_rdbpot(qe_wadd(qe_srdhm(qe_wadd(x4_over_4, x3), one_third), x2), 1);
    return qe_wadd(exp_minus_one_eighth, qe_srdhm(exp_minus_one_eighth, qe_wadd(x, higher)));
}

/* FixedPoint.ExpOnNegativeValues: exp(a) for a <= 0 in Q5.26, result Q0.31. */
static inline int32_t qe_exp_on_negative_values(int32_t a)
{
    const int32_t one_quarter = 1 << 24;
    int32_t mod_quarter_minus_quarter = qe_wsub(a & (one_quarter - 1), one_quarter);
    int32_t result = qe_exp_on_interval(qe_saturating_shl(mod_quarter_minus_quarter, 5));
    int32_t remainder = qe_wsub(mod_quarter_minus_quarter, a);
    if (remainder & (1 << 24)) result = qe_srdhm(result, 1672461947);
    if (remainder & (1 << 25)) result = qe_srdhm(result, 1302514674);
    if (remainder & (1 << 26)) result = qe_srdhm(result, 790015084);
    if (remainder & (1 << 27)) result = qe_srdhm(result, 290630308);
    if (remainder & (1 << 28)) result = qe_srdhm(result, 39332535);
    if (remainder & (1 << 29)) result = qe_srdhm(result, 720401);
    if (remainder & (1 << 30)) result = qe_srdhm(result, 242);
    return a == 0 ? INT32_MAX : result;
}

/* FixedPoint.OneOverOnePlusX: 1 / (1 + a) for a in [0, 1), Q0.31. */
static inline int32_t qe_one_over_one_plus_x(int32_t a)
{
    const int32_t forty_eight_over_seventeen = 1515870810;
    const int32_t minus_thirty_two_over_seventeen = -1010580540;
    const int32_t one_q2 = 1 << 29;
    int32_t half_denominator = qe_rounding_half_sum(a, INT32_MAX);
    int32_t x = qe_wadd(forty_eight_over_seventeen, qe_srdhm(half_denominator, minus_thirty_two_over_seventeen));
    for (int i = 0; i < 3; i++) {
        int32_t one_minus = qe_wsub(one_q2, qe_srdhm(half_denominator, x));
        x = qe_wadd(x, qe_saturating_shl(qe_srdhm(x, one_minus), 2));
    }
    return qe_saturating_shl(x, 1);
}

/* FixedPoint.Reciprocal: 1 / x with integer_bits integer bits; *bits_over_unit as there. A uint shift by
 * 32 (x = 0) is a shift by 0 in C#, so the count is masked here too. */
static inline int32_t qe_reciprocal(int32_t x, int integer_bits, int *bits_over_unit)
{
    int headroom_plus_one = qe_clz((uint32_t)x);
    *bits_over_unit = integer_bits - headroom_plus_one;
    int32_t shifted_minus_one = (int32_t)(((uint32_t)x << (headroom_plus_one & 31)) - 0x80000000u);
    return qe_one_over_one_plus_x(shifted_minus_one);
}

#endif
