/*
 * FullyConnected (src/QuantEdge.Runtime/Kernels/FullyConnected.cs):
 * out[b][o] = clamp(MBQM(bias[o] + Σ_k x[b][k] × (w[o][k] − wZeroPoint), M[o], S[o]) + outZeroPoint, min, max).
 * The input zero points are folded into the bias by the loader, so the inner loop multiplies raw inputs.
 * One kernel for both weight layouts: Int64Pairs only packs two channels into a long for the managed
 * interpreter, and the native path keeps every layer's weights as int8 rows.
 */
#include "qe_kernels.h"
#include "qe_check.h"
#include "qe_dot.h"
#include "qe_fixed_point.h"

enum { INPUT, OUTPUT, BATCHES, DEPTH, OUTPUTS, WEIGHT_ZERO_POINT, OUTPUT_ZERO_POINT, MIN, MAX, ARGS };

static void store(int8_t *y, int32_t *accumulators, int32_t o, uint32_t acc, const int32_t *multiplier,
    const int32_t *shift, const int32_t *args)
{
    if (accumulators) {
        accumulators[o] = (int32_t)acc;
    } else {
        y[o] = qe_requantize((int32_t)acc, multiplier[o], shift[o], args[OUTPUT_ZERO_POINT], args[MIN], args[MAX]);
    }
}

qe_status qe_fully_connected(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length,
    const int8_t *weights, int32_t weights_length, const int32_t *bias, int32_t bias_length,
    const int32_t *multiplier, int32_t multiplier_length, const int32_t *shift, int32_t shift_length,
    int32_t *accumulators, int32_t accumulators_length)
{
    if (args_length != ARGS) {
        return QE_BAD_ARGUMENT;
    }
    const int32_t batches = args[BATCHES], depth = args[DEPTH], outputs = args[OUTPUTS];
    if (!qe_between(batches, 1, QE_MAX_ELEMENTS) || !qe_dim(depth) || !qe_dim(outputs)
        || !qe_zero_point(args[WEIGHT_ZERO_POINT]) || !qe_zero_point(args[OUTPUT_ZERO_POINT]) || !qe_clamp(args[MIN], args[MAX])
        || weights_length != (int64_t)outputs * depth || bias_length != outputs
        || (!accumulators && (multiplier_length != outputs || shift_length != outputs))) {
        return QE_BAD_ARGUMENT;
    }
    if (!qe_span(args[INPUT], (int64_t)batches * depth, arena_length)
        || (accumulators ? accumulators_length != (int64_t)batches * outputs
                         : !qe_span(args[OUTPUT], (int64_t)batches * outputs, arena_length))) {
        return QE_OUT_OF_RANGE;
    }
    if (!accumulators && !qe_channel_requantization(multiplier, shift, outputs)) {
        return QE_BAD_ARGUMENT;
    }

    const int32_t weight_zero_point = args[WEIGHT_ZERO_POINT];
    for (int32_t b = 0; b < batches; b++) {
        const int8_t *x = arena + args[INPUT] + b * depth;
        int8_t *y = arena + args[OUTPUT] + b * outputs;
        int32_t *sums = accumulators ? accumulators + b * outputs : 0;
        /* Asymmetric weights: Σ x × (w − wzp) = Σ x × w − wzp × Σ x, the second term once per row. */
        uint32_t correction = 0;
        if (weight_zero_point != 0) {
            uint32_t row_sum = 0;
            for (int32_t k = 0; k < depth; k++) {
                row_sum += (uint32_t)x[k];
            }
            correction = (uint32_t)(-weight_zero_point) * row_sum;
        }
        int32_t o = 0;
        for (; o + 4 <= outputs; o += 4) {
            const int8_t *w = weights + o * depth;
            uint32_t acc[4] = {
                (uint32_t)bias[o] + correction, (uint32_t)bias[o + 1] + correction,
                (uint32_t)bias[o + 2] + correction, (uint32_t)bias[o + 3] + correction,
            };
            qe_dot4(x, w, w + depth, w + 2 * depth, w + 3 * depth, depth, 0, acc);
            for (int32_t j = 0; j < 4; j++) {
                store(y, sums, o + j, acc[j], multiplier, shift, args);
            }
        }
        for (; o < outputs; o++) {
            store(y, sums, o, qe_dot(x, weights + o * depth, depth, 0, (uint32_t)bias[o] + correction), multiplier, shift, args);
        }
    }
    return QE_OK;
}
