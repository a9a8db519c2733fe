#
# Copyright (c) .NET Foundation and Contributors
# See LICENSE file in the project root for full license information.
#
# The MetadataProcessor's FindINTEROP module for QuantEdge.Runtime.Interop (-generateSkeleton writes the
# part that lists the stubs), extended with the C kernels in ../kernels: goes to nf-interpreter's
# CMake/Modules; the stubs, the bodies and the kernels go to InteropAssemblies/QuantEdge.Runtime.Interop
# (tools/esp32-firmware does both), or the kernels stay in the repository and the environment variable
# QE_NATIVE_KERNELS names their folder (tools/build-native-nanoclr does that for the kit's POSIX build).
# tests/QuantEdge.Native.Tests checks that every source the generated module lists is listed here.
#

# native code directory
set(BASE_PATH_FOR_THIS_MODULE ${PROJECT_SOURCE_DIR}/InteropAssemblies/QuantEdge.Runtime.Interop)

# the C kernels: beside the stubs, or where QE_NATIVE_KERNELS says
if(DEFINED ENV{QE_NATIVE_KERNELS})
    set(QE_NATIVE_KERNELS_DIR $ENV{QE_NATIVE_KERNELS})
else()
    set(QE_NATIVE_KERNELS_DIR ${BASE_PATH_FOR_THIS_MODULE})
endif()

# set include directories
list(APPEND QuantEdge.Runtime.Interop_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/CLR/Core)
list(APPEND QuantEdge.Runtime.Interop_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/CLR/Include)
list(APPEND QuantEdge.Runtime.Interop_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/HAL/Include)
list(APPEND QuantEdge.Runtime.Interop_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/PAL/Include)
list(APPEND QuantEdge.Runtime.Interop_INCLUDE_DIRS ${BASE_PATH_FOR_THIS_MODULE})
list(APPEND QuantEdge.Runtime.Interop_INCLUDE_DIRS ${QE_NATIVE_KERNELS_DIR})

# source files: the stubs and their bodies (as generated)
set(QuantEdge.Runtime.Interop_SRCS

    QuantEdge_Runtime_Interop.cpp


    QuantEdge_Runtime_Interop_QuantEdge_Runtime_Interop_NativeMethods_mshl.cpp
    QuantEdge_Runtime_Interop_QuantEdge_Runtime_Interop_NativeMethods.cpp

)

# the kernels, one op per file (C99)
set(QuantEdge.Runtime.Interop_KERNELS
    qe_version.c
    qe_fully_connected.c
    qe_conv2d.c
    qe_depthwise_conv2d.c
    qe_max_pool2d.c
    qe_average_pool2d.c
    qe_global_average_pool.c
    qe_add.c
    qe_mul.c
    qe_lookup.c
    qe_softmax.c
    qe_concat.c
)

foreach(SRC_FILE ${QuantEdge.Runtime.Interop_SRCS} ${QuantEdge.Runtime.Interop_KERNELS})

    set(QuantEdge.Runtime.Interop_SRC_FILE SRC_FILE-NOTFOUND)

    find_file(QuantEdge.Runtime.Interop_SRC_FILE ${SRC_FILE}
        PATHS
	        ${BASE_PATH_FOR_THIS_MODULE}
	        ${QE_NATIVE_KERNELS_DIR}
	        ${TARGET_BASE_LOCATION}
            ${PROJECT_SOURCE_DIR}/src/QuantEdge.Runtime.Interop

	    CMAKE_FIND_ROOT_PATH_BOTH
        NO_DEFAULT_PATH
    )

    if (BUILD_VERBOSE)
        message("${SRC_FILE} >> ${QuantEdge.Runtime.Interop_SRC_FILE}")
    endif()

    list(APPEND QuantEdge.Runtime.Interop_SOURCES ${QuantEdge.Runtime.Interop_SRC_FILE})

endforeach()

include(FindPackageHandleStandardArgs)

FIND_PACKAGE_HANDLE_STANDARD_ARGS(QuantEdge.Runtime.Interop DEFAULT_MSG QuantEdge.Runtime.Interop_INCLUDE_DIRS QuantEdge.Runtime.Interop_SOURCES)
