#include "stream/token.hpp"

#include <bloop/exceptions.hpp>

#include "json/reader.hpp"

#include <optional>

namespace bloop::detail {
namespace {

[[noreturn]] void bad(const std::string& what) {
    throw InvalidPosition("not a stream token: " + what);
}

using json::Type;
using json::detail::Reader;

// The string member `name` that comes next (bad when it is another kind of value).
std::string string_member(Reader& r, std::string_view name) {
    if (r.peek() != Type::string) bad("\"" + std::string(name) + "\" is not a string");
    return r.string();
}

// The list member `name` that comes next, `element()` reading each element.
template <class Element>
void array_member(Reader& r, std::string_view name, Element&& element) {
    if (r.peek() != Type::array) bad("\"" + std::string(name) + "\" is not a list");
    r.array(element);
}

// One shard of the token as written: its id and saved position, members as present.
struct ShardEntry {
    std::optional<std::string> shard_id;
    SavedShard saved;
};

ShardEntry read_shard(Reader& r) {
    if (r.peek() != Type::object) bad("a shard is not an object");
    ShardEntry out;
    r.object([&](std::string_view name) {
        if (name == "shard_id") {
            out.shard_id = string_member(r, name);
        } else if (name == "parent") {
            out.saved.parent = string_member(r, name);
        } else if (name == "iterator_type") {
            out.saved.iterator_type = string_member(r, name);
        } else if (name == "sequence_number") {
            out.saved.sequence_number = string_member(r, name);
        } else {
            r.skip();
        }
    });
    return out;
}

bool is_sequence_number(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

StreamToken parse_stream_token(const std::string& text) {
    StreamToken out;
    std::optional<std::string> arn;
    bool has_active = false;
    bool has_shards = false;
    std::vector<ShardEntry> shards;
    try {
        Reader r(text);
        if (r.peek() != Type::object) bad("not a JSON object");
        r.object([&](std::string_view name) {
            if (name == "stream_arn") {
                arn = string_member(r, name);
            } else if (name == "active") {
                has_active = true;
                out.active.clear();
                array_member(r, name, [&] {
                    if (r.peek() != Type::string) bad("an active shard id is not a string");
                    out.active.push_back(r.string());
                    if (out.active.back().empty()) bad("an active shard id is not a string");
                });
            } else if (name == "shards") {
                has_shards = true;
                shards.clear();
                array_member(r, name, [&] { shards.push_back(read_shard(r)); });
            } else {
                r.skip();
            }
        });
        r.end();
    } catch (const InvalidJson& e) {
        bad(e.what());
    }
    if (!arn) bad("\"stream_arn\" is missing");
    out.stream_arn = std::move(*arn);
    if (!has_active) bad("\"active\" is not a list");
    if (!has_shards) bad("\"shards\" is not a list");
    for (auto& [shard_id, saved] : shards) {
        if (!shard_id) bad("\"shard_id\" is missing");
        const std::string& id = *shard_id;
        if (id.empty()) bad("a shard id is empty");
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
