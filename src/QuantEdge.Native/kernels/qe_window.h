/*
 * Which taps of a sliding filter fall inside the input along one axis: the C twin of
 * src/QuantEdge.Runtime/Kernels/FilterWindow.cs. Taps outside the input are skipped, which is TFLite's
 * padding with the input zero point. Shared by the convolutions; the checks of a convolution's geometry
 * live here too.
 */
#ifndef QE_WINDOW_H
#define QE_WINDOW_H

#include <stdint.h>
#include "qe_check.h"

/* First tap k with origin + k × dilation >= 0. */
static inline int32_t qe_first_tap(int32_t origin, int32_t dilation)
{
    return origin >= 0 ? 0 : (dilation - 1 - origin) / dilation;
}

/* One past the last tap k with origin + k × dilation < size, at most filter. */
static inline int32_t qe_end_tap(int32_t origin, int32_t size, int32_t dilation, int32_t filter)
{
    int32_t room = size - origin;
    if (room <= 0) {
        return 0;
    }
    int32_t end = (room + dilation - 1) / dilation;
    return end < filter ? end : filter;
}

/* The QE_CONV_* geometry and output stage both convolutions share (not QE_CONV_EXTRA, not the spans). */
static inline int qe_conv_geometry(const int32_t *a)
{
    return qe_dim(a[QE_CONV_BATCHES]) && qe_dim(a[QE_CONV_INPUT_HEIGHT]) && qe_dim(a[QE_CONV_INPUT_WIDTH])
        && qe_dim(a[QE_CONV_INPUT_DEPTH]) && qe_dim(a[QE_CONV_OUTPUT_HEIGHT]) && qe_dim(a[QE_CONV_OUTPUT_WIDTH])
        && qe_dim(a[QE_CONV_OUTPUT_DEPTH])
        && qe_between(a[QE_CONV_FILTER_HEIGHT], 1, QE_MAX_WINDOW) && qe_between(a[QE_CONV_FILTER_WIDTH], 1, QE_MAX_WINDOW)
        && qe_between(a[QE_CONV_STRIDE_HEIGHT], 1, QE_MAX_WINDOW) && qe_between(a[QE_CONV_STRIDE_WIDTH], 1, QE_MAX_WINDOW)
        && qe_between(a[QE_CONV_DILATION_HEIGHT], 1, QE_MAX_WINDOW) && qe_between(a[QE_CONV_DILATION_WIDTH], 1, QE_MAX_WINDOW)
        && qe_between(a[QE_CONV_PAD_TOP], 0, QE_MAX_WINDOW) && qe_between(a[QE_CONV_PAD_LEFT], 0, QE_MAX_WINDOW)
        && qe_zero_point(a[QE_CONV_INPUT_ZERO_POINT]) && qe_zero_point(a[QE_CONV_OUTPUT_ZERO_POINT])
        && qe_clamp(a[QE_CONV_ACTIVATION_MIN], a[QE_CONV_ACTIVATION_MAX]);
}

/* The input and output tensors of a convolution lie in the arena. */
static inline int qe_conv_spans(const int32_t *a, int32_t arena_length)
{
    return qe_span(a[QE_CONV_INPUT], (int64_t)a[QE_CONV_BATCHES] * a[QE_CONV_INPUT_HEIGHT] * a[QE_CONV_INPUT_WIDTH] * a[QE_CONV_INPUT_DEPTH], arena_length)
        && qe_span(a[QE_CONV_OUTPUT], (int64_t)a[QE_CONV_BATCHES] * a[QE_CONV_OUTPUT_HEIGHT] * a[QE_CONV_OUTPUT_WIDTH] * a[QE_CONV_OUTPUT_DEPTH], arena_length);
}

#endif
