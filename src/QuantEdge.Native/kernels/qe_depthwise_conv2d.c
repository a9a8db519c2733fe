/*
 * DepthwiseConv2D (src/QuantEdge.Runtime/Kernels/DepthwiseConv2D.cs), NHWC activations, 1HWC weights:
 * out[n][oy][ox][o] = clamp(MBQM(bias[o] + Σ (x[n][iy][ix][o / mult] − inZeroPoint) × w[ky][kx][o], M[o], S[o]) + outZeroPoint, min, max)
 * over the taps inside the input: TFLite's reference DepthwiseConv. The output channels of a pixel are
 * done in blocks of QE_DEPTHWISE_BLOCK with their sums on the stack: tap by tap the innermost loop walks
 * adjacent channels of the input and the weights.
 */
#include "qe_kernels.h"
#include "qe_check.h"
#include "qe_fixed_point.h"
#include "qe_window.h"

#define QE_DEPTHWISE_BLOCK 32

qe_status qe_depthwise_conv2d(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length,
    const int8_t *weights, int32_t weights_length, const int32_t *bias, int32_t bias_length,
    const int32_t *multiplier, int32_t multiplier_length, const int32_t *shift, int32_t shift_length)
{
    if (args_length != QE_CONV_ARGS || !qe_conv_geometry(a)) {
        return QE_BAD_ARGUMENT;
    }
    const int32_t channels = a[QE_CONV_INPUT_DEPTH], outputs = a[QE_CONV_OUTPUT_DEPTH], depth_multiplier = a[QE_CONV_EXTRA];
    if (depth_multiplier < 1 || (int64_t)channels * depth_multiplier != outputs
        || weights_length != (int64_t)a[QE_CONV_FILTER_HEIGHT] * a[QE_CONV_FILTER_WIDTH] * outputs
        || bias_length != outputs || multiplier_length != outputs || shift_length != outputs
        || !qe_channel_requantization(multiplier, shift, outputs)) {
        return QE_BAD_ARGUMENT;
    }
    if (!qe_conv_spans(a, arena_length)) {
        return QE_OUT_OF_RANGE;
    }

    const int32_t input_height = a[QE_CONV_INPUT_HEIGHT], input_width = a[QE_CONV_INPUT_WIDTH];
    const int32_t filter_width = a[QE_CONV_FILTER_WIDTH];
    const int32_t dilation_height = a[QE_CONV_DILATION_HEIGHT], dilation_width = a[QE_CONV_DILATION_WIDTH];
    const int32_t row_length = input_width * channels;
    const int32_t zero_point = a[QE_CONV_INPUT_ZERO_POINT];
    int8_t *y = arena + a[QE_CONV_OUTPUT];
    for (int32_t b = 0; b < a[QE_CONV_BATCHES]; b++) {
        const int8_t *image = arena + a[QE_CONV_INPUT] + b * input_height * row_length;
        for (int32_t oy = 0; oy < a[QE_CONV_OUTPUT_HEIGHT]; oy++) {
            const int32_t origin_y = oy * a[QE_CONV_STRIDE_HEIGHT] - a[QE_CONV_PAD_TOP];
            const int32_t ky0 = qe_first_tap(origin_y, dilation_height);
            const int32_t ky1 = qe_end_tap(origin_y, input_height, dilation_height, a[QE_CONV_FILTER_HEIGHT]);
            for (int32_t ox = 0; ox < a[QE_CONV_OUTPUT_WIDTH]; ox++, y += outputs) {
                const int32_t origin_x = ox * a[QE_CONV_STRIDE_WIDTH] - a[QE_CONV_PAD_LEFT];
                const int32_t kx0 = qe_first_tap(origin_x, dilation_width);
                const int32_t kx1 = qe_end_tap(origin_x, input_width, dilation_width, filter_width);
                for (int32_t o0 = 0; o0 < outputs; o0 += QE_DEPTHWISE_BLOCK) {
                    const int32_t count = outputs - o0 < QE_DEPTHWISE_BLOCK ? outputs - o0 : QE_DEPTHWISE_BLOCK;
                    uint32_t acc[QE_DEPTHWISE_BLOCK];
                    for (int32_t j = 0; j < count; j++) {
                        acc[j] = (uint32_t)bias[o0 + j];
                    }
                    for (int32_t ky = ky0; ky < ky1; ky++) {
                        const int8_t *row = image + (origin_y + ky * dilation_height) * row_length;
                        for (int32_t kx = kx0; kx < kx1; kx++) {
                            const int8_t *x = row + (origin_x + kx * dilation_width) * channels;
                            const int8_t *w = weights + (ky * filter_width + kx) * outputs + o0;
                            if (depth_multiplier == 1) {
                                x += o0;
                                for (int32_t j = 0; j < count; j++) {
                                    acc[j] += (uint32_t)((x[j] - zero_point) * w[j]);
                                }
                            } else {
                                /* Output channel o reads input channel o / mult: walk both without dividing. */
                                int32_t i = o0 / depth_multiplier, m = o0 % depth_multiplier;
                                for (int32_t j = 0; j < count; j++) {
                                    acc[j] += (uint32_t)((x[i] - zero_point) * w[j]);
                                    if (++m == depth_multiplier) {
                                        m = 0;
                                        i++;
                                    }
                                }
                            }
                        }
                    }
                    for (int32_t j = 0; j < count; j++) {
                        const int32_t o = o0 + j;
                        y[o] = qe_requantize((int32_t)acc[j], multiplier[o], shift[o], a[QE_CONV_OUTPUT_ZERO_POINT],
                            a[QE_CONV_ACTIVATION_MIN], a[QE_CONV_ACTIVATION_MAX]);
                    }
                }
            }
        }
    }
    return QE_OK;
}
