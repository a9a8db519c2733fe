/*
 * MaxPool2D (src/QuantEdge.Runtime/Kernels/MaxPool2D.cs): out = clamp(max over the window clipped to the
 * input, min, max), NHWC; padding never wins the max (an empty window gives -128 before the clamp).
 */
#include "qe_kernels.h"
#include "qe_pool.h"

qe_status qe_max_pool2d(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length)
{
    if (args_length != QE_POOL_ARGS || !qe_pool_geometry(a)) {
        return QE_BAD_ARGUMENT;
    }
    if (!qe_pool_spans(a, arena_length)) {
        return QE_OUT_OF_RANGE;
    }

    const int32_t input_height = a[QE_POOL_INPUT_HEIGHT], input_width = a[QE_POOL_INPUT_WIDTH], channels = a[QE_POOL_CHANNELS];
    const int32_t min = a[QE_POOL_ACTIVATION_MIN], max = a[QE_POOL_ACTIVATION_MAX];
    const int32_t row_stride = input_width * channels;
    int8_t *y = arena + a[QE_POOL_OUTPUT];
    for (int32_t b = 0; b < a[QE_POOL_BATCHES]; b++) {
        const int8_t *image = arena + a[QE_POOL_INPUT] + b * input_height * row_stride;
        for (int32_t oy = 0; oy < a[QE_POOL_OUTPUT_HEIGHT]; oy++) {
            int32_t y0 = oy * a[QE_POOL_STRIDE_HEIGHT] - a[QE_POOL_PAD_TOP];
            int32_t y1 = y0 + a[QE_POOL_FILTER_HEIGHT];
            if (y0 < 0) y0 = 0;
            if (y1 > input_height) y1 = input_height;
            for (int32_t ox = 0; ox < a[QE_POOL_OUTPUT_WIDTH]; ox++) {
                int32_t x0 = ox * a[QE_POOL_STRIDE_WIDTH] - a[QE_POOL_PAD_LEFT];
                int32_t x1 = x0 + a[QE_POOL_FILTER_WIDTH];
                if (x0 < 0) x0 = 0;
                if (x1 > input_width) x1 = input_width;
                for (int32_t c = 0; c < channels; c++) {
                    int32_t best = -128;
                    for (int32_t iy = y0; iy < y1; iy++) {
                        const int8_t *x = image + iy * row_stride + c;
                        for (int32_t ix = x0; ix < x1; ix++) {
                            if (x[ix * channels] > best) best = x[ix * channels];
                        }
                    }
                    if (best < min) best = min;
                    else if (best > max) best = max;
                    *y++ = (int8_t)best;
                }
            }
        }
    }
    return QE_OK;
}
