/*
 * Conv2D (src/QuantEdge.Runtime/Kernels/Conv2D.cs), NHWC activations and OHWI weights:
 * out[n][oy][ox][o] = clamp(MBQM(bias[o] + Σ (x − inZeroPoint) × (w − wZeroPoint), M[o], S[o]) + outZeroPoint, min, max)
 * over the taps inside the input, iy = oy × strideH − padTop + ky × dilationH (ix likewise): TFLite's
 * reference Conv. Four output channels per pass over each pixel's window, so each input is loaded once for
 * them (qe_dot4); without horizontal dilation a filter row's valid taps are one run in both the input and
 * the weights, one dot product per filter row.
 */
#include "qe_kernels.h"
#include "qe_check.h"
#include "qe_dot.h"
#include "qe_fixed_point.h"
#include "qe_window.h"

/* The window of one output pixel: filter rows [ky0, ky1) and columns [kx0, kx1), and where tap (ky0, kx0)
 * of the image reads. */
typedef struct {
    const int8_t *image;
    int32_t origin_y, origin_x, ky0, ky1, kx0, kx1;
} window;

/* Σ over the window of four (or `count` <= 4) output channels' rows of weights, starting at w. */
static void window_dot(const int32_t *a, const window *win, const int8_t *w, int32_t count, uint32_t acc[4])
{
    const int32_t depth = a[QE_CONV_INPUT_DEPTH], filter_width = a[QE_CONV_FILTER_WIDTH];
    const int32_t dilation_height = a[QE_CONV_DILATION_HEIGHT], dilation_width = a[QE_CONV_DILATION_WIDTH];
    const int32_t row_length = a[QE_CONV_INPUT_WIDTH] * depth, channel = a[QE_CONV_FILTER_HEIGHT] * filter_width * depth;
    const int32_t offset = -a[QE_CONV_INPUT_ZERO_POINT];
    const int32_t run = dilation_width == 1 ? (win->kx1 - win->kx0) * depth : depth;
    const int32_t runs = dilation_width == 1 ? 1 : win->kx1 - win->kx0;
    if (win->kx1 <= win->kx0) {
        return; /* every column of the window in the padding */
    }
    for (int32_t ky = win->ky0; ky < win->ky1; ky++) {
        const int8_t *row = win->image + (win->origin_y + ky * dilation_height) * row_length;
        for (int32_t r = 0, kx = win->kx0; r < runs; r++, kx++) {
            const int8_t *x = row + (win->origin_x + kx * dilation_width) * depth;
            const int8_t *wk = w + (ky * filter_width + kx) * depth;
            if (count == 4) {
                qe_dot4(x, wk, wk + channel, wk + 2 * channel, wk + 3 * channel, run, offset, acc);
            } else {
                for (int32_t j = 0; j < count; j++) {
                    acc[j] = qe_dot(x, wk + j * channel, run, offset, acc[j]);
                }
            }
        }
    }
}

/* Σ (x − inZeroPoint) over the window: what a weight zero point multiplies, the same for every channel. */
static uint32_t window_sum(const int32_t *a, const window *win)
{
    const int32_t depth = a[QE_CONV_INPUT_DEPTH], row_length = a[QE_CONV_INPUT_WIDTH] * depth;
    uint32_t sum = 0;
    for (int32_t ky = win->ky0; ky < win->ky1; ky++) {
        const int8_t *row = win->image + (win->origin_y + ky * a[QE_CONV_DILATION_HEIGHT]) * row_length;
        for (int32_t kx = win->kx0; kx < win->kx1; kx++) {
            const int8_t *x = row + (win->origin_x + kx * a[QE_CONV_DILATION_WIDTH]) * depth;
            for (int32_t i = 0; i < depth; i++) {
                sum += (uint32_t)(x[i] - a[QE_CONV_INPUT_ZERO_POINT]);
            }
        }
    }
    return sum;
}

qe_status qe_conv2d(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length,
    const int8_t *weights, int32_t weights_length, const int32_t *bias, int32_t bias_length,
    const int32_t *multiplier, int32_t multiplier_length, const int32_t *shift, int32_t shift_length,
    int32_t *accumulators, int32_t accumulators_length)
{
    if (args_length != QE_CONV_ARGS || !qe_conv_geometry(a) || !qe_zero_point(a[QE_CONV_EXTRA])) {
        return QE_BAD_ARGUMENT;
    }
    const int32_t outputs = a[QE_CONV_OUTPUT_DEPTH];
    const int64_t channel = (int64_t)a[QE_CONV_FILTER_HEIGHT] * a[QE_CONV_FILTER_WIDTH] * a[QE_CONV_INPUT_DEPTH];
    const int64_t pixels = (int64_t)a[QE_CONV_BATCHES] * a[QE_CONV_OUTPUT_HEIGHT] * a[QE_CONV_OUTPUT_WIDTH];
    if (weights_length != channel * outputs || bias_length != outputs
        || (!accumulators && (multiplier_length != outputs || shift_length != outputs))) {
        return QE_BAD_ARGUMENT;
    }
    if (!qe_conv_spans(a, arena_length) || (accumulators && accumulators_length != pixels * outputs)) {
        return QE_OUT_OF_RANGE;
    }
    if (!accumulators && !qe_channel_requantization(multiplier, shift, outputs)) {
        return QE_BAD_ARGUMENT;
    }

    const int32_t input_height = a[QE_CONV_INPUT_HEIGHT], input_width = a[QE_CONV_INPUT_WIDTH];
    const int32_t image_length = input_height * input_width * a[QE_CONV_INPUT_DEPTH];
    const int32_t weight_zero_point = a[QE_CONV_EXTRA];
    int32_t pixel = 0;
    for (int32_t b = 0; b < a[QE_CONV_BATCHES]; b++) {
        window win;
        win.image = arena + a[QE_CONV_INPUT] + b * image_length;
        for (int32_t oy = 0; oy < a[QE_CONV_OUTPUT_HEIGHT]; oy++) {
            win.origin_y = oy * a[QE_CONV_STRIDE_HEIGHT] - a[QE_CONV_PAD_TOP];
            win.ky0 = qe_first_tap(win.origin_y, a[QE_CONV_DILATION_HEIGHT]);
            win.ky1 = qe_end_tap(win.origin_y, input_height, a[QE_CONV_DILATION_HEIGHT], a[QE_CONV_FILTER_HEIGHT]);
            for (int32_t ox = 0; ox < a[QE_CONV_OUTPUT_WIDTH]; ox++, pixel++) {
                win.origin_x = ox * a[QE_CONV_STRIDE_WIDTH] - a[QE_CONV_PAD_LEFT];
                win.kx0 = qe_first_tap(win.origin_x, a[QE_CONV_DILATION_WIDTH]);
                win.kx1 = qe_end_tap(win.origin_x, input_width, a[QE_CONV_DILATION_WIDTH], a[QE_CONV_FILTER_WIDTH]);
                const uint32_t correction = weight_zero_point == 0 ? 0 : (uint32_t)(-weight_zero_point) * window_sum(a, &win);
                int8_t *y = arena + a[QE_CONV_OUTPUT] + pixel * outputs;
                for (int32_t o = 0; o < outputs; o += 4) {
                    const int32_t count = outputs - o < 4 ? outputs - o : 4;
                    uint32_t acc[4] = { 0, 0, 0, 0 };
                    for (int32_t j = 0; j < count; j++) {
                        acc[j] = (uint32_t)bias[o + j] + correction;
                    }
                    window_dot(a, &win, weights + o * channel, count, acc);
                    for (int32_t j = 0; j < count; j++) {
                        if (accumulators) {
                            accumulators[pixel * outputs + o + j] = (int32_t)acc[j];
                        } else {
                            y[o + j] = qe_requantize((int32_t)acc[j], multiplier[o + j], shift[o + j],
                                a[QE_CONV_OUTPUT_ZERO_POINT], a[QE_CONV_ACTIVATION_MIN], a[QE_CONV_ACTIVATION_MAX]);
                        }
                    }
                }
            }
        }
    }
    return QE_OK;
}
