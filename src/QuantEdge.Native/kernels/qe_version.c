/* The interface version (qe_kernels.h): what QuantEdge.Runtime.Interop's Version() returns. */
#include "qe_kernels.h"

int32_t qe_version(void)
{
    return QE_ABI_VERSION;
}
