//-----------------------------------------------------------------------------
//
//    The bodies of QuantEdge.Runtime.Interop's native methods (the MetadataProcessor generates this
//    file empty; tools/native-stubs never overwrites it). Each hands its arrays, with their lengths,
//    to the C kernel of its op (../kernels/qe_kernels.h), which checks every argument before it reads
//    or writes; a refusal becomes a managed exception: IndexOutOfRangeException for a span outside its
//    array, ArgumentException for any other bad value. The marshalling stubs have already turned a null
//    array into a NullReferenceException.
//
//-----------------------------------------------------------------------------

#include "QuantEdge_Runtime_Interop.h"
#include "QuantEdge_Runtime_Interop_QuantEdge_Runtime_Interop_NativeMethods.h"
#include "qe_kernels.h"

using namespace QuantEdge_Runtime_Interop::QuantEdge_Runtime_Interop;

namespace
{
// int32_t is int on some targets and long on others (ESP-IDF 5 on Xtensa): both are 32 bits, and the C
// kernels are compiled apart, so the cast only names the same bytes by their C type.
const int32_t *Ints(CLR_RT_TypedArray_INT32 &array)
{
    return reinterpret_cast<const int32_t *>(array.GetBuffer());
}

int32_t *MutableInts(CLR_RT_TypedArray_INT32 &array)
{
    return reinterpret_cast<int32_t *>(array.GetBuffer());
}

int8_t *Bytes(CLR_RT_TypedArray_INT8 &array)
{
    return reinterpret_cast<int8_t *>(array.GetBuffer());
}

// nanoCLR arrays hold fewer than 2^31 elements.
int32_t Length(CLR_RT_TypedArray_INT8 &array)
{
    return static_cast<int32_t>(array.GetSize());
}

int32_t Length(CLR_RT_TypedArray_INT32 &array)
{
    return static_cast<int32_t>(array.GetSize());
}

HRESULT Result(qe_status status)
{
    switch (status)
    {
        case QE_OK:
            return S_OK;
        case QE_OUT_OF_RANGE:
            return CLR_E_INDEX_OUT_OF_RANGE;
        default:
            return CLR_E_INVALID_PARAMETER;
    }
}
} // namespace

signed int NativeMethods::Version(HRESULT &hr)
{
    hr = S_OK;
    return qe_version();
}

void NativeMethods::FullyConnected(
    CLR_RT_TypedArray_INT8 arena,
    CLR_RT_TypedArray_INT32 args,
    CLR_RT_TypedArray_INT8 weights,
    CLR_RT_TypedArray_INT32 bias,
    CLR_RT_TypedArray_INT32 multiplier,
    CLR_RT_TypedArray_INT32 shift,
    HRESULT &hr)
{
    hr = Result(qe_fully_connected(
        Bytes(arena), Length(arena), Ints(args), Length(args), Bytes(weights), Length(weights), Ints(bias), Length(bias),
        Ints(multiplier), Length(multiplier), Ints(shift), Length(shift), nullptr, 0));
}

void NativeMethods::FullyConnectedAccumulate(
    CLR_RT_TypedArray_INT8 arena,
    CLR_RT_TypedArray_INT32 args,
    CLR_RT_TypedArray_INT8 weights,
    CLR_RT_TypedArray_INT32 bias,
    CLR_RT_TypedArray_INT32 accumulators,
    HRESULT &hr)
{
    hr = Result(qe_fully_connected(
        Bytes(arena), Length(arena), Ints(args), Length(args), Bytes(weights), Length(weights), Ints(bias), Length(bias),
        nullptr, 0, nullptr, 0, MutableInts(accumulators), Length(accumulators)));
}

void NativeMethods::Conv2D(
    CLR_RT_TypedArray_INT8 arena,
    CLR_RT_TypedArray_INT32 args,
    CLR_RT_TypedArray_INT8 weights,
    CLR_RT_TypedArray_INT32 bias,
    CLR_RT_TypedArray_INT32 multiplier,
    CLR_RT_TypedArray_INT32 shift,
    HRESULT &hr)
{
    hr = Result(qe_conv2d(
        Bytes(arena), Length(arena), Ints(args), Length(args), Bytes(weights), Length(weights), Ints(bias), Length(bias),
        Ints(multiplier), Length(multiplier), Ints(shift), Length(shift), nullptr, 0));
}

void NativeMethods::Conv2DAccumulate(
    CLR_RT_TypedArray_INT8 arena,
    CLR_RT_TypedArray_INT32 args,
    CLR_RT_TypedArray_INT8 weights,
    CLR_RT_TypedArray_INT32 bias,
    CLR_RT_TypedArray_INT32 accumulators,
    HRESULT &hr)
{
    hr = Result(qe_conv2d(
        Bytes(arena), Length(arena), Ints(args), Length(args), Bytes(weights), Length(weights), Ints(bias), Length(bias),
        nullptr, 0, nullptr, 0, MutableInts(accumulators), Length(accumulators)));
}

void NativeMethods::DepthwiseConv2D(
    CLR_RT_TypedArray_INT8 arena,
    CLR_RT_TypedArray_INT32 args,
    CLR_RT_TypedArray_INT8 weights,
    CLR_RT_TypedArray_INT32 bias,
    CLR_RT_TypedArray_INT32 multiplier,
    CLR_RT_TypedArray_INT32 shift,
    HRESULT &hr)
{
    hr = Result(qe_depthwise_conv2d(
        Bytes(arena), Length(arena), Ints(args), Length(args), Bytes(weights), Length(weights), Ints(bias), Length(bias),
        Ints(multiplier), Length(multiplier), Ints(shift), Length(shift)));
}

void NativeMethods::MaxPool2D(CLR_RT_TypedArray_INT8 arena, CLR_RT_TypedArray_INT32 args, HRESULT &hr)
{
    hr = Result(qe_max_pool2d(Bytes(arena), Length(arena), Ints(args), Length(args)));
}

void NativeMethods::AveragePool2D(CLR_RT_TypedArray_INT8 arena, CLR_RT_TypedArray_INT32 args, HRESULT &hr)
{
    hr = Result(qe_average_pool2d(Bytes(arena), Length(arena), Ints(args), Length(args)));
}

void NativeMethods::GlobalAveragePool(CLR_RT_TypedArray_INT8 arena, CLR_RT_TypedArray_INT32 args, HRESULT &hr)
{
    hr = Result(qe_global_average_pool(Bytes(arena), Length(arena), Ints(args), Length(args)));
}

void NativeMethods::Add(CLR_RT_TypedArray_INT8 arena, CLR_RT_TypedArray_INT32 args, HRESULT &hr)
{
    hr = Result(qe_add(Bytes(arena), Length(arena), Ints(args), Length(args)));
}

void NativeMethods::Mul(CLR_RT_TypedArray_INT8 arena, CLR_RT_TypedArray_INT32 args, HRESULT &hr)
{
    hr = Result(qe_mul(Bytes(arena), Length(arena), Ints(args), Length(args)));
}

void NativeMethods::Lookup(CLR_RT_TypedArray_INT8 arena, CLR_RT_TypedArray_INT32 args, CLR_RT_TypedArray_INT8 table, HRESULT &hr)
{
    hr = Result(qe_lookup(Bytes(arena), Length(arena), Ints(args), Length(args), Bytes(table), Length(table)));
}

void NativeMethods::Softmax(CLR_RT_TypedArray_INT8 arena, CLR_RT_TypedArray_INT32 args, HRESULT &hr)
{
    hr = Result(qe_softmax(Bytes(arena), Length(arena), Ints(args), Length(args)));
}

void NativeMethods::Concat(CLR_RT_TypedArray_INT8 arena, CLR_RT_TypedArray_INT32 args, HRESULT &hr)
{
    hr = Result(qe_concat(Bytes(arena), Length(arena), Ints(args), Length(args)));
}
