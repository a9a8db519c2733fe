/*
 * What Add and Mul share: two same-size inputs and one output in the arena (any of them may coincide: an
 * element is read before it is written), their zero points and the fused clamp (ElementwiseParams).
 * Args 0..8: input1, input2, output, size, input1 zero point, input2 zero point, output zero point,
 * activation min, activation max.
 */
#ifndef QE_ELEMENTWISE_H
#define QE_ELEMENTWISE_H

#include <stdint.h>
#include "qe_check.h"

enum { QE_EW_INPUT1, QE_EW_INPUT2, QE_EW_OUTPUT, QE_EW_SIZE, QE_EW_INPUT1_ZERO_POINT, QE_EW_INPUT2_ZERO_POINT,
    QE_EW_OUTPUT_ZERO_POINT, QE_EW_MIN, QE_EW_MAX, QE_EW_COMMON_ARGS };

static inline qe_status qe_elementwise_check(const int32_t *a, int32_t arena_length)
{
    if (!qe_between(a[QE_EW_SIZE], 1, QE_MAX_ELEMENTS) || !qe_zero_point(a[QE_EW_INPUT1_ZERO_POINT])
        || !qe_zero_point(a[QE_EW_INPUT2_ZERO_POINT]) || !qe_zero_point(a[QE_EW_OUTPUT_ZERO_POINT]) || !qe_clamp(a[QE_EW_MIN], a[QE_EW_MAX])) {
        return QE_BAD_ARGUMENT;
    }
    if (!qe_span(a[QE_EW_INPUT1], a[QE_EW_SIZE], arena_length) || !qe_span(a[QE_EW_INPUT2], a[QE_EW_SIZE], arena_length)
        || !qe_span(a[QE_EW_OUTPUT], a[QE_EW_SIZE], arena_length)) {
        return QE_OUT_OF_RANGE;
    }
    return QE_OK;
}

#endif
