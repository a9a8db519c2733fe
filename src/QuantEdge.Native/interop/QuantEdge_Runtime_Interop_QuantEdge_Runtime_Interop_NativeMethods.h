//-----------------------------------------------------------------------------
//
//                   ** WARNING! ** 
//    This file was generated automatically by a tool.
//    Re-running the tool will overwrite this file.
//    You should copy this file to a custom location
//    before adding any customization in the copy to
//    prevent loss of your changes when the tool is
//    re-run.
//
//-----------------------------------------------------------------------------

#ifndef QUANTEDGE_RUNTIME_INTEROP_QUANTEDGE_RUNTIME_INTEROP_QUANTEDGE_RUNTIME_INTEROP_NATIVEMETHODS_H
#define QUANTEDGE_RUNTIME_INTEROP_QUANTEDGE_RUNTIME_INTEROP_QUANTEDGE_RUNTIME_INTEROP_NATIVEMETHODS_H

namespace QuantEdge_Runtime_Interop
{
    namespace QuantEdge_Runtime_Interop
    {
        struct NativeMethods
        {
            // Helper Functions to access fields of managed object
            // Declaration of stubs. These functions are implemented by Interop code developers

            static signed int Version(  HRESULT &hr );

            static void FullyConnected( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, CLR_RT_TypedArray_INT8 param2, CLR_RT_TypedArray_INT32 param3, CLR_RT_TypedArray_INT32 param4, CLR_RT_TypedArray_INT32 param5, HRESULT &hr );

            static void FullyConnectedAccumulate( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, CLR_RT_TypedArray_INT8 param2, CLR_RT_TypedArray_INT32 param3, CLR_RT_TypedArray_INT32 param4, HRESULT &hr );

            static void Conv2D( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, CLR_RT_TypedArray_INT8 param2, CLR_RT_TypedArray_INT32 param3, CLR_RT_TypedArray_INT32 param4, CLR_RT_TypedArray_INT32 param5, HRESULT &hr );

            static void Conv2DAccumulate( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, CLR_RT_TypedArray_INT8 param2, CLR_RT_TypedArray_INT32 param3, CLR_RT_TypedArray_INT32 param4, HRESULT &hr );

            static void DepthwiseConv2D( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, CLR_RT_TypedArray_INT8 param2, CLR_RT_TypedArray_INT32 param3, CLR_RT_TypedArray_INT32 param4, CLR_RT_TypedArray_INT32 param5, HRESULT &hr );

            static void MaxPool2D( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, HRESULT &hr );

            static void AveragePool2D( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, HRESULT &hr );

            static void GlobalAveragePool( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, HRESULT &hr );

            static void Add( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, HRESULT &hr );

            static void Mul( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, HRESULT &hr );

            static void Lookup( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, CLR_RT_TypedArray_INT8 param2, HRESULT &hr );

            static void Softmax( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, HRESULT &hr );

            static void Concat( CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT32 param1, HRESULT &hr );

        };
    }
}

#endif // QUANTEDGE_RUNTIME_INTEROP_QUANTEDGE_RUNTIME_INTEROP_QUANTEDGE_RUNTIME_INTEROP_NATIVEMETHODS_H
