// Stored keys parsed back by a key template (single-table design): the placeholders' values, or
// InvalidValue. A key that parses renders back to exactly itself.

#include <bloop/exceptions.hpp>
#include <bloop/model/model.hpp>

#include "fuzz.hpp"

#include <array>

namespace {

// "ED#{title}#{year:04}#{printing:03}", as a model lowers it.
const bloop::KeyTemplateInfo& edition_key() {
    static const bloop::KeyTemplateInfo key = [] {
        bloop::KeyTemplateInfo k;
        k.attribute = "sk";
        k.text = "ED#{title}#{year:04}#{printing:03}";
        k.literals = {"ED#", "#", "#", ""};
        k.placeholders = {{"title", 0}, {"year", 4}, {"printing", 3}};
        return k;
    }();
    return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    const bloop::AttributeValue stored =
        bloop::AttributeValue::string(std::string(as_text(data, size)));
    std::array<bloop::AttributeValue, 3> parts;
    try {
        bloop::detail::parse_key(edition_key(), "Books", "Edition", stored, parts);
    } catch (const bloop::InvalidValue&) {
        return 0;
    }
    const std::array<std::optional<bloop::AttributeValue>, 3> values{parts[0], parts[1], parts[2]};
    try {
        const auto again = bloop::detail::render_key(edition_key(), values);
        BLOOP_FUZZ_CHECK(again && again->as_string() == stored.as_string());
    } catch (const bloop::InvalidValue&) {
        // A title holding '#' cannot have parsed; nothing else may refuse.
        BLOOP_FUZZ_CHECK(false);
    }
    return 0;
}
