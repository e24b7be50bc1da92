#pragma once
// Low-level JSON text helpers shared by the writer, the parser and the attribute codec.

#include <string>
#include <string_view>

namespace bloop::json::detail {

/// Appends `s` as a JSON string literal (quotes, escapes for '"', '\\' and control characters;
/// UTF-8 passes through unchanged).
void write_string(std::string& out, std::string_view s);

/// Whether `text` is exactly one JSON number (RFC 8259 grammar).
bool is_json_number(std::string_view text) noexcept;

}  // namespace bloop::json::detail
