/*
 * Softmax over the last axis (src/QuantEdge.Runtime/Kernels/Softmax.cs), TFLite's reference int8 softmax:
 * per row, d = x − max(row); e = exp(d × beta × inScale) in Q0.31 for d >= diffMin; sum = Σ e in Q12.19;
 * out = clamp(round(e / sum × 256) − 128, −128, 127) through a reciprocal and a rounding shift. The
 * exponentials are computed again in the last pass rather than kept: no scratch, the same bits.
 */
#include "qe_kernels.h"
#include "qe_check.h"
#include "qe_fixed_point.h"

enum { INPUT, OUTPUT, ROWS, ROW_SIZE, MULTIPLIER, LEFT_SHIFT, DIFF_MIN, ARGS };

#define QE_SOFTMAX_MAX_ROW 4095 /* a longer row could overflow the Q12.19 sum of exponentials */
#define QE_ACCUMULATION_INTEGER_BITS 12

qe_status qe_softmax(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length)
{
    if (args_length != ARGS || !qe_between(a[ROWS], 1, QE_MAX_ELEMENTS) || !qe_between(a[ROW_SIZE], 1, QE_SOFTMAX_MAX_ROW)
        || !qe_requantization(a[MULTIPLIER], 0) || !qe_between(a[LEFT_SHIFT], 0, 31) || a[DIFF_MIN] > 0) {
        return QE_BAD_ARGUMENT;
    }
    const int64_t size = (int64_t)a[ROWS] * a[ROW_SIZE];
    if (!qe_span(a[INPUT], size, arena_length) || !qe_span(a[OUTPUT], size, arena_length)) {
        return QE_OUT_OF_RANGE;
    }

    const int32_t row_size = a[ROW_SIZE], multiplier = a[MULTIPLIER], left_shift = a[LEFT_SHIFT], diff_min = a[DIFF_MIN];
    for (int32_t r = 0; r < a[ROWS]; r++) {
        const int8_t *x = arena + a[INPUT] + r * row_size;
        int8_t *y = arena + a[OUTPUT] + r * row_size;
        int32_t max = -128;
        for (int32_t i = 0; i < row_size; i++) {
            if (x[i] > max) max = x[i];
        }

        int32_t sum_of_exps = 0; /* Q12.19 */
        for (int32_t i = 0; i < row_size; i++) {
            int32_t diff = x[i] - max;
            if (diff >= diff_min) {
                int32_t e = qe_exp_on_negative_values(qe_mbqm(diff, multiplier, left_shift));
                sum_of_exps = qe_wadd(sum_of_exps, qe_rdbpot(e, QE_ACCUMULATION_INTEGER_BITS));
            }
        }

        int bits_over_unit;
        int32_t reciprocal = qe_reciprocal(sum_of_exps, QE_ACCUMULATION_INTEGER_BITS, &bits_over_unit);
        int exponent = bits_over_unit + 31 - 8;
        for (int32_t i = 0; i < row_size; i++) {
            int32_t diff = x[i] - max;
            int32_t value = -128;
            /* exponent > 31: a sum of exps of 512 or more, the shift gives 0 (see Softmax.cs). */
            if (diff >= diff_min && exponent <= 31) {
                int32_t e = qe_exp_on_negative_values(qe_mbqm(diff, multiplier, left_shift));
                value = qe_rdbpot(qe_srdhm(reciprocal, e), exponent) - 128;
                if (value > 127) value = 127;
            }
            y[i] = (int8_t)value;
        }
    }
    return QE_OK;
}
