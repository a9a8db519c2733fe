/*
 * What the two 2-D pools share: the checks of their QE_POOL_* geometry (Pool2DParams in the runtime).
 * Input and output share one scale and zero point, so pooling needs no requantization, only the clamp.
 */
#ifndef QE_POOL_H
#define QE_POOL_H

#include <stdint.h>
#include "qe_check.h"

static inline int qe_pool_geometry(const int32_t *a)
{
    return qe_dim(a[QE_POOL_BATCHES]) && qe_dim(a[QE_POOL_INPUT_HEIGHT]) && qe_dim(a[QE_POOL_INPUT_WIDTH])
        && qe_dim(a[QE_POOL_CHANNELS]) && qe_dim(a[QE_POOL_OUTPUT_HEIGHT]) && qe_dim(a[QE_POOL_OUTPUT_WIDTH])
        && qe_between(a[QE_POOL_FILTER_HEIGHT], 1, QE_MAX_WINDOW) && qe_between(a[QE_POOL_FILTER_WIDTH], 1, QE_MAX_WINDOW)
        && qe_between(a[QE_POOL_STRIDE_HEIGHT], 1, QE_MAX_WINDOW) && qe_between(a[QE_POOL_STRIDE_WIDTH], 1, QE_MAX_WINDOW)
        && qe_between(a[QE_POOL_PAD_TOP], 0, QE_MAX_WINDOW) && qe_between(a[QE_POOL_PAD_LEFT], 0, QE_MAX_WINDOW)
        && qe_clamp(a[QE_POOL_ACTIVATION_MIN], a[QE_POOL_ACTIVATION_MAX]);
}

static inline int qe_pool_spans(const int32_t *a, int32_t arena_length)
{
    const int64_t images = (int64_t)a[QE_POOL_BATCHES] * a[QE_POOL_CHANNELS];
    return qe_span(a[QE_POOL_INPUT], images * a[QE_POOL_INPUT_HEIGHT] * a[QE_POOL_INPUT_WIDTH], arena_length)
        && qe_span(a[QE_POOL_OUTPUT], images * a[QE_POOL_OUTPUT_HEIGHT] * a[QE_POOL_OUTPUT_WIDTH], arena_length);
}

/* Pool2DParams.EveryWindowOverlapsInput along one axis: the first window reaches past the padding, the
 * last starts inside the input. */
static inline int qe_windows_overlap(int32_t outputs, int32_t stride, int32_t pad, int32_t filter, int32_t inputs)
{
    return outputs > 0 && filter > pad && (int64_t)(outputs - 1) * stride - pad < inputs;
}

#endif
