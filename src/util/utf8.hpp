#pragma once
// UTF-8 validity, as DynamoDB requires of every string it stores.

#include <cstddef>
#include <string_view>

namespace bloop::detail {

/// The length (2-4) of the valid multi-byte UTF-8 sequence starting at `s[i]` (a byte >= 0x80),
/// or 0 when it is not one: overlong forms, surrogates and code points past U+10FFFF are invalid.
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept;

/// The offset of the first byte of `s` that is not valid UTF-8, or npos.
[[nodiscard]] std::size_t first_invalid_utf8(std::string_view s) noexcept;

}  // namespace bloop::detail
