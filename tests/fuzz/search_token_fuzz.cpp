// Search resume tokens: a key to resume after, or InvalidArgument.

#include <bloop/exceptions.hpp>

#include "engine/search_token.hpp"

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    try {
        const auto after =
            bloop::detail::parse_search_token(std::string(as_text(data, size)), "Table");
        const std::string again =
            bloop::detail::make_search_token("Table", after ? &*after : nullptr);
        BLOOP_FUZZ_CHECK(bloop::detail::parse_search_token(again, "Table") == after);
    } catch (const bloop::InvalidArgument&) {
    }
    return 0;
}
