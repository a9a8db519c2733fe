/*
 * Argument checks shared by the entry points (qe_kernels.h): what makes a layer memory-safe and its
 * arithmetic defined. The limits are the blob format's (docs/blob-format.md), so a layer the runtime's
 * loader accepted always passes. Products are formed in 64 bits, so no check can overflow.
 */
#ifndef QE_CHECK_H
#define QE_CHECK_H

#include <stdint.h>
#include "qe_kernels.h"

/* Largest tensor dimension and element count, largest window parameter: BlobFormat's. */
#define QE_MAX_DIM 65535
#define QE_MAX_ELEMENTS (1 << 24)
#define QE_MAX_WINDOW 255

static inline int qe_between(int32_t value, int32_t min, int32_t max) { return value >= min && value <= max; }

static inline int qe_dim(int32_t value) { return qe_between(value, 1, QE_MAX_DIM); }

static inline int qe_zero_point(int32_t value) { return qe_between(value, -128, 127); }

static inline int qe_clamp(int32_t min, int32_t max) { return qe_between(min, -128, 127) && qe_between(max, min, 127); }

static inline int qe_requantization(int32_t multiplier, int32_t shift) { return multiplier >= 0 && qe_between(shift, -31, 30); }

/* [offset, offset + count) lies in an array of `length` elements, and count is a tensor's size at most. */
static inline int qe_span(int32_t offset, int64_t count, int32_t length)
{
    return offset >= 0 && count >= 0 && count <= QE_MAX_ELEMENTS && (int64_t)offset + count <= length;
}

/* Per-channel requantization of `channels` channels. */
static inline int qe_channel_requantization(const int32_t *multiplier, const int32_t *shift, int32_t channels)
{
    for (int32_t c = 0; c < channels; c++) {
        if (!qe_requantization(multiplier[c], shift[c])) {
            return 0;
        }
    }
    return 1;
}

#endif
