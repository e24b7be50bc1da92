// DateTime parsing: only bloop's exact layout is accepted, and it formats back to the same text.

#include <bloop/types/datetime.hpp>
#include <bloop/exceptions.hpp>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    const std::string_view text = as_text(data, size);
    try {
        const bloop::DateTime t = bloop::parse_datetime(text);
        BLOOP_FUZZ_CHECK(bloop::format_datetime(t) == text);
    } catch (const bloop::BloopException&) {
    }
    return 0;
}
