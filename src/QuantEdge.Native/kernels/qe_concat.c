/*
 * Concat (src/QuantEdge.Runtime/Kernels/Concat.cs): for every outer index o, out gets input0's chunk o,
 * then input1's, ...: a copy, since all inputs share the output's scale and zero point.
 */
#include <string.h>
#include "qe_kernels.h"
#include "qe_check.h"

enum { OUTPUT, OUTER_COUNT, INPUT_COUNT, FIXED_ARGS };

#define QE_CONCAT_MAX_INPUTS 16

qe_status qe_concat(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length)
{
    if (args_length < FIXED_ARGS || !qe_between(a[INPUT_COUNT], 2, QE_CONCAT_MAX_INPUTS)
        || args_length != FIXED_ARGS + 2 * a[INPUT_COUNT] || !qe_between(a[OUTER_COUNT], 1, QE_MAX_ELEMENTS)) {
        return QE_BAD_ARGUMENT;
    }
    const int32_t inputs = a[INPUT_COUNT], outer = a[OUTER_COUNT];
    const int32_t *input = a + FIXED_ARGS; /* pairs: offset, chunk */
    int64_t total = 0;
    for (int32_t k = 0; k < inputs; k++) {
        const int32_t chunk = input[2 * k + 1];
        if (!qe_between(chunk, 1, QE_MAX_ELEMENTS)) {
            return QE_BAD_ARGUMENT;
        }
        if (!qe_span(input[2 * k], (int64_t)outer * chunk, arena_length)) {
            return QE_OUT_OF_RANGE;
        }
        total += (int64_t)outer * chunk;
    }
    if (!qe_span(a[OUTPUT], total, arena_length)) {
        return QE_OUT_OF_RANGE;
    }

    int8_t *y = arena + a[OUTPUT];
    for (int32_t o = 0; o < outer; o++) {
        for (int32_t k = 0; k < inputs; k++) {
            const int32_t chunk = input[2 * k + 1];
            memmove(y, arena + input[2 * k] + o * chunk, (size_t)chunk);
            y += chunk;
        }
    }
    return QE_OK;
}
