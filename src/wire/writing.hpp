#pragma once
// Writing a request's body member by member straight into text, in the order the API reference
// lists the members: each `put_*` appends `"Name":value` (after a comma when the object already
// has a member). The caller opens and closes the outer object.

#include <bloop/json/json.hpp>
#include <bloop/types/attribute_value.hpp>

#include "json/text.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bloop::detail::wire {

/// Appends `"name":` after a comma when the object already has a member.
inline void put_name(std::string& out, std::string_view name) {
    if (out.back() != '{') out.push_back(',');
    out.push_back('"');
    out.append(name);
    out.append("\":");
}

/// `"name":"value"`.
inline void put_string(std::string& out, std::string_view name, std::string_view value) {
    put_name(out, name);
    json::detail::write_string(out, value);
}

/// `"name":"value"`, left out when the value is empty.
inline void put_optional_string(std::string& out, std::string_view name, std::string_view value) {
    if (!value.empty()) put_string(out, name, value);
}

/// `"name":{item}` in the attribute-value format.
inline void put_item(std::string& out, std::string_view name, const Item& item) {
    put_name(out, name);
    json::write_item(out, item);
}

/// `"name":true` or false.
inline void put_bool(std::string& out, std::string_view name, bool value) {
    put_name(out, name);
    out.append(value ? "true" : "false");
}

/// `"name":123`.
inline void put_int(std::string& out, std::string_view name, std::int64_t value) {
    put_name(out, name);
    out.append(std::to_string(value));
}

/// `"name":[...]` with `element(out, e)` for each of `elements`.
template <class Elements, class Element>
void put_array(std::string& out, std::string_view name, const Elements& elements,
               Element&& element) {
    put_name(out, name);
    out.push_back('[');
    for (const auto& e : elements) {
        if (out.back() != '[') out.push_back(',');
        element(out, e);
    }
    out.push_back(']');
}

/// `"name":{"table":...,...}` with `value(out, v)` for each table's value.
template <class Tables, class Value>
void put_tables(std::string& out, std::string_view name, const Tables& tables, Value&& value) {
    put_name(out, name);
    out.push_back('{');
    for (const auto& [table, v] : tables) {
        if (out.back() != '{') out.push_back(',');
        json::detail::write_string(out, table);
        out.push_back(':');
        value(out, v);
    }
    out.push_back('}');
}

/// `"name":{...}` with `members(out)` writing the members.
template <class Members>
void put_object(std::string& out, std::string_view name, Members&& members) {
    put_name(out, name);
    out.push_back('{');
    members(out);
    out.push_back('}');
}

}  // namespace bloop::detail::wire
