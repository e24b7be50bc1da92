#include "json/text.hpp"

#include "util/swar.hpp"
#include "util/utf8.hpp"

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include <array>
#include <cstdint>
#include <cstring>

namespace bloop::json {
namespace detail {
namespace {
constexpr char kHex[] = "0123456789abcdef";

// 1 where a byte needs escaping in a JSON string, or checking (the start of a UTF-8 sequence).
constexpr auto kNeedsEscape = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = true;
    for (int c = 0x80; c < 0x100; ++c) t[c] = true;
    t['"'] = true;
    t['\\'] = true;
    return t;
}();
}  // namespace

void write_string(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        // Eight plain ASCII bytes (nothing to escape or check) at a time.
        while (s.size() - i >= 8) {
            namespace swar = bloop::detail::swar;
            const std::uint64_t w = swar::load8(s.data() + i);
            if (swar::any_non_ascii(w) || swar::any_below(w, 0x20) || swar::any_equal(w, '"') ||
                swar::any_equal(w, '\\'))
                break;
            i += 8;
        }
        if (i == s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (!kNeedsEscape[c]) continue;
        if (c >= 0x80) {
            // Sent as is; invalid UTF-8 is refused here, before any request leaves.
            const std::size_t n = bloop::detail::utf8_sequence_length(s, i);
            if (n == 0) {
                throw InvalidValue("a string is not valid UTF-8 (byte " + std::to_string(i) +
                                   " is 0x" + kHex[c >> 4] + kHex[c & 15] + ")");
            }
            i += n - 1;
            continue;
        }
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 15]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

bool is_json_number(std::string_view t) noexcept {
    std::size_t i = 0;
    const auto digit = [&](std::size_t k) { return k < t.size() && t[k] >= '0' && t[k] <= '9'; };
    if (i < t.size() && t[i] == '-') ++i;
    if (!digit(i)) return false;
    if (t[i] == '0') {
        ++i;
    } else {
        while (digit(i)) ++i;
    }
    if (i < t.size() && t[i] == '.') {
        ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    return i == t.size();
}

}  // namespace detail

}  // namespace bloop::json
