#pragma once
// Shared by the libFuzzer targets: a failed invariant is a crash libFuzzer reports and minimises.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#define BLOOP_FUZZ_CHECK(condition)                                                   \
    do {                                                                              \
        if (!(condition)) {                                                           \
            std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #condition, __FILE__, \
                         __LINE__);                                                   \
            std::abort();                                                             \
        }                                                                             \
    } while (false)

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}
