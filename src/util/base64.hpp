#pragma once
// Standard base64 (RFC 4648, with padding).

#include <optional>
#include <string>
#include <string_view>

namespace bloop::detail {

void base64_encode(std::string& out, std::string_view bytes);
/// Decoded bytes, or nullopt when `text` is not canonical padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace bloop::detail
