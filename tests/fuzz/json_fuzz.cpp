// The JSON parser, the writer, the attribute-value decoder and the pull reader's direct item path.
// Anything but a typed bloop error is a finding; what parses must write back and parse to the same
// text, and an item read straight from the text must be the one the generic path reads.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "fuzz.hpp"
#include "json/reader.hpp"

#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    const std::string_view text = as_text(data, size);
    std::optional<bloop::Item> generic;  // the item the generic path reads, when it reads one
    try {
        const bloop::json::Value v = bloop::json::parse(text);
        const std::string written = bloop::json::to_string(v);
        const std::string again = bloop::json::to_string(bloop::json::parse(written));
        BLOOP_FUZZ_CHECK(written == again);
        if (v.is_object()) {
            try {
                generic = bloop::json::to_item(v);
                std::string out;
                bloop::json::write_item(out, *generic);
                BLOOP_FUZZ_CHECK(bloop::json::to_item(bloop::json::parse(out)) == *generic);
            } catch (const bloop::BloopException&) {
            }
        }
    } catch (const bloop::BloopException&) {
    }
    try {
        bloop::json::detail::Reader reader(text);
        const bloop::Item direct = reader.item();
        reader.end();
        BLOOP_FUZZ_CHECK(generic && direct == *generic);
    } catch (const bloop::BloopException&) {
        // What the generic path reads as an item, the direct path reads too (and vice versa).
        BLOOP_FUZZ_CHECK(!generic);
    }
    return 0;
}
