#pragma once
// Reading an answer: every decode in src/wire walks its answer with json::detail::Reader (items
// straight from the bytes; a missing or null member reads as empty, a member of the wrong type
// throws InvalidJson), inside `decoded`, which turns InvalidJson into the ProtocolError naming
// the operation. `parse_object` is Client::call's: an answer as a JSON document.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "json/reader.hpp"

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

/// Walks the answer `body`: `member(reader, name)` reads or skips each top-level member whose
/// value is not null; InvalidJson for malformed text or anything after the object.
template <class Member>
void read_answer(std::string_view body, Member&& member) {
    json::detail::Reader r(body);
    r.members([&](std::string_view name) { member(r, name); });
    r.end();
}

/// The answer `body` as a JSON object; InvalidJson for malformed text or another kind of value.
inline json::Value parse_object(std::string_view body) {
    json::Value v = json::parse(body);
    if (!v.is_object()) throw InvalidJson("the answer is not a JSON object");
    return v;
}

}  // namespace bloop::detail::wire
