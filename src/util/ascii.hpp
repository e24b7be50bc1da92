#pragma once
// ASCII classes and case for protocol tokens (header names, URL schemes and hosts, regions,
// position and event names): the same whatever locale the program set, unlike <cctype>.

#include <string>
#include <string_view>

namespace bloop::detail {

/// Whether `c` is 'a'-'z'.
[[nodiscard]] constexpr bool is_ascii_lower(char c) noexcept {
    return c >= 'a' && c <= 'z';
}

/// Whether `c` is an ASCII letter or digit.
[[nodiscard]] constexpr bool is_ascii_alnum(char c) noexcept {
    return is_ascii_lower(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// `s` with 'A'-'Z' lowered; every other byte as it is.
[[nodiscard]] inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace bloop::detail
