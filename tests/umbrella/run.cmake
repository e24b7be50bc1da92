# Fails when the umbrella header <bloop/bloop.hpp> grows past MAX_BYTES once preprocessed (every
# file that includes it pays for each byte). Run by CTest as umbrella.size:
#   cmake -DCOMPILER=... -DINCLUDE=... -DWORK_DIR=... -DMAX_BYTES=N -P run.cmake
file(MAKE_DIRECTORY ${WORK_DIR})
file(WRITE ${WORK_DIR}/umbrella.cpp "#include <bloop/bloop.hpp>\n")
execute_process(COMMAND ${COMPILER} -std=c++20 -E -P -I${INCLUDE} ${WORK_DIR}/umbrella.cpp
                OUTPUT_FILE ${WORK_DIR}/umbrella.i RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "umbrella.size: the umbrella header does not preprocess")
endif()
file(SIZE ${WORK_DIR}/umbrella.i bytes)
if(bytes GREATER MAX_BYTES)
    message(FATAL_ERROR "umbrella.size: <bloop/bloop.hpp> preprocesses to ${bytes} bytes, over "
                        "the bound of ${MAX_BYTES}: keep large headers out of it (see its comment) "
                        "or raise the bound in tests/CMakeLists.txt, saying why")
endif()
message(STATUS "umbrella.size: ${bytes} bytes preprocessed (bound ${MAX_BYTES})")
