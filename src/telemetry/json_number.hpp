#pragma once
// A measurement as a JSON number, for the exporters that write JSON (EMF, OTLP).

#include <bloop/json/json.hpp>

#include <charconv>
#include <string>

namespace bloop::detail {

/// `v` (finite) as a JSON number: the shortest text that reads back to the same double.
inline json::Value json_number(double v) {
    char text[32];
    char* end = std::to_chars(text, text + sizeof text, v).ptr;
    return json::Value::number(std::string(text, static_cast<std::size_t>(end - text)));
}

}  // namespace bloop::detail
