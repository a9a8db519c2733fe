/*
 * Mul (src/QuantEdge.Runtime/Kernels/Mul.cs), TFLite's int8 MUL:
 * out = clamp(MBQM((x1 − zp1) × (x2 − zp2), M, S) + zpOut, min, max).
 */
#include "qe_kernels.h"
#include "qe_elementwise.h"
#include "qe_fixed_point.h"

enum { MULTIPLIER = QE_EW_COMMON_ARGS, SHIFT, ARGS };

qe_status qe_mul(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length)
{
    if (args_length != ARGS || !qe_requantization(a[MULTIPLIER], a[SHIFT])) {
        return QE_BAD_ARGUMENT;
    }
    qe_status status = qe_elementwise_check(a, arena_length);
    if (status != QE_OK) {
        return status;
    }

    const int32_t size = a[QE_EW_SIZE];
    const int8_t *x1 = arena + a[QE_EW_INPUT1], *x2 = arena + a[QE_EW_INPUT2];
    int8_t *y = arena + a[QE_EW_OUTPUT];
    for (int32_t i = 0; i < size; i++) {
        int32_t product = (x1[i] - a[QE_EW_INPUT1_ZERO_POINT]) * (x2[i] - a[QE_EW_INPUT2_ZERO_POINT]);
        y[i] = qe_requantize(product, a[MULTIPLIER], a[SHIFT], a[QE_EW_OUTPUT_ZERO_POINT], a[QE_EW_MIN], a[QE_EW_MAX]);
    }
    return QE_OK;
}
