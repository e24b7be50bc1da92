// The JSON parser in both modes, the writer and the attribute-value decoder. Anything but a typed
// bloop error is a finding; what parses must write back and parse to the same text.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    const std::string_view text = as_text(data, size);
    for (const auto mode : {bloop::json::ParseMode::plain, bloop::json::ParseMode::items}) {
        try {
            const bloop::json::Value v = bloop::json::parse(text, mode);
            const std::string written = bloop::json::to_string(v);
            const std::string again = bloop::json::to_string(bloop::json::parse(written, mode));
            BLOOP_FUZZ_CHECK(written == again);
            if (v.is_object()) {
                try {
                    const bloop::Item item = bloop::json::to_item(v);
                    std::string out;
                    bloop::json::write_item(out, item);
                    BLOOP_FUZZ_CHECK(bloop::json::to_item(bloop::json::parse(out)) == item);
                } catch (const bloop::BloopException&) {
                }
            }
        } catch (const bloop::BloopException&) {
        }
    }
    return 0;
}
