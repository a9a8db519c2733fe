/*
 * The plainest port of qe_dot.h's seam: one multiply-accumulate at a time, qe_dot4 as four qe_dot.
 * Not for speed: the host tests build the kernels with -DQE_DOT_PORT='"qe_dot_reference.h"' to show that
 * a port plugs in there and that any order of the sums gives the same bits.
 */
#ifndef QE_DOT_REFERENCE_H
#define QE_DOT_REFERENCE_H

#include <stdint.h>

static inline uint32_t qe_dot(const int8_t *x, const int8_t *w, int32_t n, int32_t input_offset, uint32_t acc)
{
    /* Backwards, to be sure the order does not matter. */
    for (int32_t k = n - 1; k >= 0; k--) {
        int32_t product = (x[k] + input_offset) * w[k];
        acc += (uint32_t)product;
    }
    return acc;
}

static inline void qe_dot4(const int8_t *x, const int8_t *w0, const int8_t *w1, const int8_t *w2, const int8_t *w3,
    int32_t n, int32_t input_offset, uint32_t acc[4])
{
    acc[0] = qe_dot(x, w0, n, input_offset, acc[0]);
    acc[1] = qe_dot(x, w1, n, input_offset, acc[1]);
    acc[2] = qe_dot(x, w2, n, input_offset, acc[2]);
    acc[3] = qe_dot(x, w3, n, input_offset, acc[3]);
}

#endif
