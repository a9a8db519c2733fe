/*
 * GlobalAveragePool (src/QuantEdge.Runtime/Kernels/GlobalAveragePool.cs):
 * out[b][c] = clamp(MBQM(Σ_{h,w} (x[b][h][w][c] − inZeroPoint), M, S) + outZeroPoint, min, max), the
 * division by H × W folded into M.
 */
#include "qe_kernels.h"
#include "qe_check.h"
#include "qe_fixed_point.h"

enum { INPUT, OUTPUT, BATCHES, HEIGHT, WIDTH, CHANNELS, INPUT_ZERO_POINT, OUTPUT_ZERO_POINT, MULTIPLIER, SHIFT, MIN, MAX, ARGS };

qe_status qe_global_average_pool(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length)
{
    if (args_length != ARGS || !qe_dim(a[BATCHES]) || !qe_dim(a[HEIGHT]) || !qe_dim(a[WIDTH]) || !qe_dim(a[CHANNELS])
        || !qe_zero_point(a[INPUT_ZERO_POINT]) || !qe_zero_point(a[OUTPUT_ZERO_POINT])
        || !qe_requantization(a[MULTIPLIER], a[SHIFT]) || !qe_clamp(a[MIN], a[MAX])) {
        return QE_BAD_ARGUMENT;
    }
    const int64_t image = (int64_t)a[HEIGHT] * a[WIDTH] * a[CHANNELS];
    if (!qe_span(a[INPUT], image * a[BATCHES], arena_length) || !qe_span(a[OUTPUT], (int64_t)a[BATCHES] * a[CHANNELS], arena_length)) {
        return QE_OUT_OF_RANGE;
    }

    const int32_t channels = a[CHANNELS], image_size = (int32_t)image;
    /* Σ (x − zp) = Σ x − count × zp: the zero point leaves the inner loop (wrapping, as in C#). */
    const uint32_t zero_point_sum = (uint32_t)(a[HEIGHT] * a[WIDTH]) * (uint32_t)a[INPUT_ZERO_POINT];
    int8_t *y = arena + a[OUTPUT];
    for (int32_t b = 0; b < a[BATCHES]; b++) {
        const int8_t *x = arena + a[INPUT] + b * image_size;
        for (int32_t c = 0; c < channels; c++) {
            int32_t sum = 0;
            for (int32_t i = c; i < image_size; i += channels) {
                sum += x[i];
            }
            *y++ = qe_requantize((int32_t)((uint32_t)sum - zero_point_sum), a[MULTIPLIER], a[SHIFT], a[OUTPUT_ZERO_POINT], a[MIN], a[MAX]);
        }
    }
    return QE_OK;
}
