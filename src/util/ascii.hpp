#pragma once
// ASCII case for protocol tokens (header names, URL schemes, position names, event names): the same
// whatever locale the program set, unlike std::tolower.

#include <string>
#include <string_view>

namespace bloop::detail {

/// `s` with 'A'-'Z' lowered; every other byte as it is.
[[nodiscard]] inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace bloop::detail
