/*
 * QuantEdge native kernels: the int8 ops of src/QuantEdge.Runtime/Kernels in C99, bit for bit, one op per
 * file. Each entry point runs a whole layer on the model's arena and is what one extern method of
 * QuantEdge.Runtime.Interop calls (the interop bodies in ../interop); the host tests call the same functions
 * through P/Invoke. No allocation (fixed-size stack buffers only), no floating point, no globals.
 *
 * Every array comes with its element count, and every entry point checks its arguments before it reads
 * or writes anything: spans inside their arrays, geometry within the blob format's limits
 * (docs/blob-format.md), zero points, clamps, multipliers >= 0 and shifts in [-31, 30]. A layer the
 * runtime's loader accepted always passes; anything else returns a nonzero qe_status and touches nothing.
 *
 * `args` carries a layer's scalars in the order listed at each entry point; NativeKernels.cs in the
 * runtime builds them once at load. Offsets are element indices into the arena.
 */
#ifndef QE_KERNELS_H
#define QE_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface: QuantEdge.Runtime.Interop's Version() returns it, and the runtime uses
 * the native kernels only when it is the one it was built for (NativeKernels.AbiVersion). */
#define QE_ABI_VERSION 1

/* QE_ABI_VERSION, from the compiled kernels. */
int32_t qe_version(void);

typedef enum {
    QE_OK = 0,
    QE_BAD_ARGUMENT = 1,  /* a count, geometry, zero point, clamp, multiplier or shift out of range */
    QE_OUT_OF_RANGE = 2,  /* a span outside its array */
} qe_status;

/* FullyConnected, rows of int8 weights (O x K, row per output). args: input, output, batches, depth K,
 * outputs O, weight zero point, output zero point, activation min, activation max. Bias has the input
 * zero points folded in (as FullyConnectedParams.Bias). With accumulators (batches x O) non-null, writes
 * the int32 sums there instead of the int8 outputs (Model.InvokeAccumulators). */
qe_status qe_fully_connected(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length,
    const int8_t *weights, int32_t weights_length, const int32_t *bias, int32_t bias_length,
    const int32_t *multiplier, int32_t multiplier_length, const int32_t *shift, int32_t shift_length,
    int32_t *accumulators, int32_t accumulators_length);

/* Convolution geometry, the args of qe_conv2d and qe_depthwise_conv2d (QE_CONV_ARGS of them). */
enum {
    QE_CONV_INPUT, QE_CONV_OUTPUT, QE_CONV_BATCHES,
    QE_CONV_INPUT_HEIGHT, QE_CONV_INPUT_WIDTH, QE_CONV_INPUT_DEPTH,
    QE_CONV_OUTPUT_HEIGHT, QE_CONV_OUTPUT_WIDTH, QE_CONV_OUTPUT_DEPTH,
    QE_CONV_FILTER_HEIGHT, QE_CONV_FILTER_WIDTH, QE_CONV_STRIDE_HEIGHT, QE_CONV_STRIDE_WIDTH,
    QE_CONV_DILATION_HEIGHT, QE_CONV_DILATION_WIDTH, QE_CONV_PAD_TOP, QE_CONV_PAD_LEFT,
    QE_CONV_INPUT_ZERO_POINT, QE_CONV_OUTPUT_ZERO_POINT, QE_CONV_ACTIVATION_MIN, QE_CONV_ACTIVATION_MAX,
    QE_CONV_EXTRA, /* Conv2D: the weight zero point; DepthwiseConv2D: the depth multiplier */
    QE_CONV_ARGS
};

/* Conv2D, NHWC activations, OHWI weights (O x fH x fW x I). args: QE_CONV_*. Accumulators as for
 * qe_fully_connected (batches x outH x outW x O, NHWC). */
qe_status qe_conv2d(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length,
    const int8_t *weights, int32_t weights_length, const int32_t *bias, int32_t bias_length,
    const int32_t *multiplier, int32_t multiplier_length, const int32_t *shift, int32_t shift_length,
    int32_t *accumulators, int32_t accumulators_length);

/* DepthwiseConv2D, NHWC activations, 1HWC weights (fH x fW x O). args: QE_CONV_*. */
qe_status qe_depthwise_conv2d(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length,
    const int8_t *weights, int32_t weights_length, const int32_t *bias, int32_t bias_length,
    const int32_t *multiplier, int32_t multiplier_length, const int32_t *shift, int32_t shift_length);

/* Pooling geometry, the args of qe_max_pool2d and qe_average_pool2d (QE_POOL_ARGS of them). */
enum {
    QE_POOL_INPUT, QE_POOL_OUTPUT, QE_POOL_BATCHES, QE_POOL_INPUT_HEIGHT, QE_POOL_INPUT_WIDTH, QE_POOL_CHANNELS,
    QE_POOL_OUTPUT_HEIGHT, QE_POOL_OUTPUT_WIDTH, QE_POOL_FILTER_HEIGHT, QE_POOL_FILTER_WIDTH,
    QE_POOL_STRIDE_HEIGHT, QE_POOL_STRIDE_WIDTH, QE_POOL_PAD_TOP, QE_POOL_PAD_LEFT,
    QE_POOL_ACTIVATION_MIN, QE_POOL_ACTIVATION_MAX,
    QE_POOL_ARGS
};

qe_status qe_max_pool2d(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length);

/* Every window must keep at least one element inside the input (Pool2DParams.EveryWindowOverlapsInput). */
qe_status qe_average_pool2d(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length);

/* GlobalAveragePool. args: input, output, batches, height, width, channels, input zero point,
 * output zero point, multiplier, shift, activation min, activation max. */
qe_status qe_global_average_pool(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length);

/* Add. args: input1, input2, output, size, input1 zero point, input2 zero point, output zero point,
 * activation min, activation max, left shift, input1 multiplier, input1 shift, input2 multiplier,
 * input2 shift, output multiplier, output shift. In place allowed (output at an input). */
qe_status qe_add(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length);

/* Mul. args: input1, input2, output, size, input1 zero point, input2 zero point, output zero point,
 * activation min, activation max, output multiplier, output shift. In place allowed. */
qe_status qe_mul(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length);

/* Lookup: out = table[x + 128]. args: input, output, size. The table has 256 entries. In place allowed. */
qe_status qe_lookup(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length,
    const int8_t *table, int32_t table_length);

/* Softmax over the last axis, output scale 1/256 and zero point -128. args: input, output, rows, row size
 * (at most 4095), input multiplier, input left shift (0..31), diff min (<= 0). In place allowed. */
qe_status qe_softmax(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length);

/* Concat. args: output, outer count, input count n (2..16), then n pairs (input offset, chunk). */
qe_status qe_concat(int8_t *arena, int32_t arena_length, const int32_t *args, int32_t args_length);

#ifdef __cplusplus
}
#endif

#endif
