# Compiles one compile-fail case: it must not compile, its diagnostic must match EXPECT, and (when
# MAX_LINES is given) the whole diagnostic must be at most that many lines.
# PCH: the public headers precompiled (tests/compile_fail/everything.hpp), included first.
set(pch)
if(PCH)
    set(pch -include ${PCH})
endif()
execute_process(COMMAND ${COMPILER} -std=c++20 -fsyntax-only -I${INCLUDE} -I${CASES} ${pch} ${CASES}/${NAME}.cpp
                RESULT_VARIABLE rc ERROR_VARIABLE diagnostic OUTPUT_VARIABLE out)
if(rc EQUAL 0)
    message(FATAL_ERROR "${NAME}.cpp compiled, but must not")
endif()
if(NOT diagnostic MATCHES "${EXPECT}")
    message(FATAL_ERROR "${NAME}.cpp: the diagnostic does not match '${EXPECT}':\n${diagnostic}")
endif()
if(MAX_LINES)
    string(REGEX MATCHALL "\n" newlines "${diagnostic}")
    list(LENGTH newlines lines)
    if(lines GREATER MAX_LINES)
        message(FATAL_ERROR "${NAME}.cpp: ${lines} lines of diagnostic, more than ${MAX_LINES}:\n${diagnostic}")
    endif()
    message(STATUS "${NAME}.cpp: ${lines} lines of diagnostic")
endif()
