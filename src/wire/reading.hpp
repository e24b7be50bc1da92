#pragma once
// Reading an answer's members: what is missing (or null) reads as empty, what has the wrong type
// throws InvalidJson, which `decoded` turns into the ProtocolError naming the operation.
//
// Two ways, by what the answer carries: items (the item operations, GetRecords) are walked with
// json::detail::Reader, their Items read straight from the bytes; the control plane's small,
// deeply optional answers (table descriptions, TTL, backups, tags, shards) are parsed into a
// document and read with the helpers below, where clarity is worth more than the few microseconds
// a bind or a DescribeStream would save.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bloop::detail::wire {

/// Runs `read` over an answer of `operation`: malformed text or a member of the wrong type throws
/// ProtocolError ("malformed DescribeTable response: ..."), as Client::call does.
template <class Read>
auto decoded(std::string_view operation, Read&& read) -> decltype(read()) {
    try {
        return read();
    } catch (const InvalidJson& e) {
        throw ProtocolError("malformed " + std::string(operation) + " response: " + e.what());
    }
}

/// The answer `body` as a JSON object; InvalidJson for malformed text or another kind of value.
inline json::Value parse_object(std::string_view body) {
    json::Value v = json::parse(body);
    if (!v.is_object()) throw InvalidJson("the answer is not a JSON object");
    return v;
}

/// The object member `key` of `v`; InvalidJson when it is missing or not an object.
inline const json::Value& object_member(const json::Value& v, std::string_view key) {
    const json::Value* m = v.find(key);
    if (m == nullptr || !m->is_object())
        throw InvalidJson("the answer has no object '" + std::string(key) + "'");
    return *m;
}

/// The string member `key` of `v`, empty when missing or null.
inline std::string string_member(const json::Value& v, std::string_view key) {
    const json::Value* m = v.find(key);
    return m == nullptr || m->is_null() ? std::string() : m->as_string();
}

/// The integer member `key` of `v`, nullopt when missing or null.
inline std::optional<std::int64_t> int_member(const json::Value& v, std::string_view key) {
    const json::Value* m = v.find(key);
    if (m == nullptr || m->is_null()) return std::nullopt;
    return m->as_int();
}

/// The boolean member `key` of `v`, false when missing or null.
inline bool bool_member(const json::Value& v, std::string_view key) {
    const json::Value* m = v.find(key);
    return m != nullptr && !m->is_null() && m->as_bool();
}

/// The elements of an array member (`v` from find), none when missing.
inline const json::Value::Array& elements(const json::Value* v) {
    static const json::Value::Array none;
    return v == nullptr ? none : v->as_array();
}

}  // namespace bloop::detail::wire
