#include "stream/token.hpp"

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

namespace bloop::detail {
namespace {

[[noreturn]] void bad(const std::string& what) {
    throw InvalidPosition("not a stream token: " + what);
}

const std::string& string_member(const json::Value& object, std::string_view name, bool required) {
    static const std::string empty;
    const json::Value* v = object.find(name);
    if (v == nullptr) {
        if (required) bad("\"" + std::string(name) + "\" is missing");
        return empty;
    }
    if (!v->is_string()) bad("\"" + std::string(name) + "\" is not a string");
    return v->as_string();
}

const json::Value::Array& array_member(const json::Value& object, std::string_view name) {
    const json::Value* v = object.find(name);
    if (v == nullptr || !v->is_array()) bad("\"" + std::string(name) + "\" is not a list");
    return v->as_array();
}

bool is_sequence_number(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

StreamToken parse_stream_token(const std::string& text) {
    json::Value token;
    try {
        token = json::parse(text);
    } catch (const InvalidJson& e) {
        bad(e.what());
    }
    if (!token.is_object()) bad("not a JSON object");
    StreamToken out;
    out.stream_arn = string_member(token, "stream_arn", true);
    for (const auto& id : array_member(token, "active")) {
        if (!id.is_string() || id.as_string().empty()) bad("an active shard id is not a string");
        out.active.push_back(id.as_string());
    }
    for (const auto& s : array_member(token, "shards")) {
        if (!s.is_object()) bad("a shard is not an object");
        const std::string& id = string_member(s, "shard_id", true);
        if (id.empty()) bad("a shard id is empty");
        SavedShard saved;
        saved.parent = string_member(s, "parent", false);
        saved.iterator_type = string_member(s, "iterator_type", false);
        saved.sequence_number = string_member(s, "sequence_number", false);
        if (saved.iterator_type.empty()) saved.iterator_type = "trim_horizon";
        const bool at_record =
            saved.iterator_type == "at_sequence" || saved.iterator_type == "after_sequence";
        if (!at_record && saved.iterator_type != "trim_horizon" &&
            saved.iterator_type != "latest") {
            throw InvalidShardIterator("unknown shard iterator type \"" +
                                       saved.iterator_type.substr(0, 40) +
                                       "\" in the stream token of shard " + id.substr(0, 80) +
                                       " (trim_horizon, latest, at_sequence or after_sequence)");
        }
        if (!saved.sequence_number.empty() && !is_sequence_number(saved.sequence_number))
            bad("sequence_number \"" + saved.sequence_number.substr(0, 40) + "\" is not a number");
        if (at_record && saved.sequence_number.empty())
            saved.iterator_type = "trim_horizon";  // bloop writes these without a position
        if (!out.shards.emplace(id, std::move(saved)).second) bad("shard " + id + " appears twice");
    }
    return out;
}

}  // namespace bloop::detail
