/*
 * Add (src/QuantEdge.Runtime/Kernels/Add.cs), TFLite's int8 ADD:
 * out = clamp(MBQM(MBQM((x1 − zp1) << L, M1, S1) + MBQM((x2 − zp2) << L, M2, S2), Mo, So) + zpOut, min, max).
 */
#include "qe_kernels.h"
#include "qe_elementwise.h"
#include "qe_fixed_point.h"

enum { LEFT_SHIFT = QE_EW_COMMON_ARGS, MULTIPLIER1, SHIFT1, MULTIPLIER2, SHIFT2, OUTPUT_MULTIPLIER, OUTPUT_SHIFT, ARGS };

qe_status qe_add(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length)
{
    if (args_length != ARGS || !qe_between(a[LEFT_SHIFT], 0, 20) || !qe_requantization(a[MULTIPLIER1], a[SHIFT1])
        || !qe_requantization(a[MULTIPLIER2], a[SHIFT2]) || !qe_requantization(a[OUTPUT_MULTIPLIER], a[OUTPUT_SHIFT])) {
        return QE_BAD_ARGUMENT;
    }
    qe_status status = qe_elementwise_check(a, arena_length);
    if (status != QE_OK) {
        return status;
    }

    const int32_t size = a[QE_EW_SIZE], left_shift = a[LEFT_SHIFT];
    const int8_t *x1 = arena + a[QE_EW_INPUT1], *x2 = arena + a[QE_EW_INPUT2];
    int8_t *y = arena + a[QE_EW_OUTPUT];
    for (int32_t i = 0; i < size; i++) {
        int32_t scaled1 = qe_mbqm(qe_wshl(x1[i] - a[QE_EW_INPUT1_ZERO_POINT], left_shift), a[MULTIPLIER1], a[SHIFT1]);
        int32_t scaled2 = qe_mbqm(qe_wshl(x2[i] - a[QE_EW_INPUT2_ZERO_POINT], left_shift), a[MULTIPLIER2], a[SHIFT2]);
        y[i] = qe_requantize(qe_wadd(scaled1, scaled2), a[OUTPUT_MULTIPLIER], a[OUTPUT_SHIFT], a[QE_EW_OUTPUT_ZERO_POINT], a[QE_EW_MIN], a[QE_EW_MAX]);
    }
    return QE_OK;
}
