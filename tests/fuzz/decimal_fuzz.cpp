// Decimal parsing: refused with a typed error, or kept exactly (its text reads back equal).

#include <bloop/types/decimal.hpp>
#include <bloop/exceptions.hpp>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    try {
        const bloop::Decimal d(as_text(data, size));
        const std::string text = d.to_string();
        const bloop::Decimal again(text);
        BLOOP_FUZZ_CHECK(again == d);
        BLOOP_FUZZ_CHECK(again.to_string() == text);
    } catch (const bloop::BloopException&) {
    }
    return 0;
}
