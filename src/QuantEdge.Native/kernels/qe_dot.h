/*
 * The inner loops of FullyConnected and Conv2D: int8 dot products, summed in wrapping 32-bit arithmetic
 * (uint32_t: C# int sums wrap, and modular sums are the same in any order, so a port may reorder,
 * split or vectorize freely and stay bit-exact).
 *
 *   qe_dot   Σ_k (x[k] + input_offset) × w[k] over n pairs
 *   qe_dot4  the same for four weight rows at once, each input loaded once (a 32-bit core without
 *            SIMD spends its time on loads: this is the classic ESP32 / Cortex-M0 blocking)
 *
 * This is the seam for a faster variant: build with -DQE_DOT_PORT='"my_dot.h"' and that header replaces
 * the portable loops below; it must define qe_dot and qe_dot4 with these exact signatures and results.
 * An ESP32-S3 port (its PIE 128-bit multiply-accumulate) or one over ESP-NN's dot products would go
 * there. None is written: the only port compiled and tested is qe_dot_reference.h (one multiply-
 * accumulate at a time), which the host tests build to prove the seam. An ESP32-S3 or ESP-NN variant is
 * untested until someone writes and runs one on a board.
 */
#ifndef QE_DOT_H
#define QE_DOT_H

#include <stdint.h>

#ifdef QE_DOT_PORT
#include QE_DOT_PORT
#else

static inline uint32_t qe_dot(const int8_t *x, const int8_t *w, int32_t n, int32_t input_offset, uint32_t acc)
{
    for (int32_t k = 0; k < n; k++) {
        acc += (uint32_t)((x[k] + input_offset) * w[k]);
    }
    return acc;
}

static inline void qe_dot4(const int8_t *x, const int8_t *w0, const int8_t *w1, const int8_t *w2, const int8_t *w3,
    int32_t n, int32_t input_offset, uint32_t acc[4])
{
    uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    for (int32_t k = 0; k < n; k++) {
        int32_t v = x[k] + input_offset;
        a0 += (uint32_t)(v * w0[k]);
        a1 += (uint32_t)(v * w1[k]);
        a2 += (uint32_t)(v * w2[k]);
        a3 += (uint32_t)(v * w3[k]);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

#endif
#endif
