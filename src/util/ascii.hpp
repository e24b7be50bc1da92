#pragma once
// ASCII classes and case for protocol tokens (header names and values, URL schemes and hosts,
// regions, resource names, expression words, position and event names): the same whatever locale
// the program set, unlike <cctype> and strncasecmp.

#include <string>
#include <string_view>

namespace bloop::detail {

/// Whether `c` is 'a'-'z'.
[[nodiscard]] constexpr bool is_ascii_lower(char c) noexcept {
    return c >= 'a' && c <= 'z';
}

/// Whether `c` is 'A'-'Z'.
[[nodiscard]] constexpr bool is_ascii_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}

/// Whether `c` is an ASCII letter or digit.
[[nodiscard]] constexpr bool is_ascii_alnum(char c) noexcept {
    return is_ascii_lower(c) || is_ascii_upper(c) || (c >= '0' && c <= '9');
}

/// `c` lowered if it is 'A'-'Z'; any other byte as it is.
[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
    return is_ascii_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `s` with 'A'-'Z' lowered; every other byte as it is.
[[nodiscard]] inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

/// Whether `a` and `b` are equal but for the case of 'A'-'Z'.
[[nodiscard]] constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

}  // namespace bloop::detail
