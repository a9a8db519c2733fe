/* Lookup (src/QuantEdge.Runtime/Kernels/Lookup.cs): out = table[x + 128], a 256-entry table. */
#include "qe_kernels.h"
#include "qe_check.h"

enum { INPUT, OUTPUT, SIZE, ARGS };

qe_status qe_lookup(int8_t *arena, int32_t arena_length, const int32_t *a, int32_t args_length,
    const int8_t *table, int32_t table_length)
{
    if (args_length != ARGS || table_length != 256 || !qe_between(a[SIZE], 1, QE_MAX_ELEMENTS)) {
        return QE_BAD_ARGUMENT;
    }
    if (!qe_span(a[INPUT], a[SIZE], arena_length) || !qe_span(a[OUTPUT], a[SIZE], arena_length)) {
        return QE_OUT_OF_RANGE;
    }

    const int8_t *x = arena + a[INPUT];
    int8_t *y = arena + a[OUTPUT];
    for (int32_t i = 0; i < a[SIZE]; i++) {
        y[i] = table[x[i] + 128];
    }
    return QE_OK;
}
