// Stream records as DynamoDB Streams sends them, and their sequence numbers.

#include "stream/record.hpp"

#include "util/ascii.hpp"

#include <algorithm>
#include <cmath>

namespace bloop::detail {
namespace {

std::optional<Item> image(json::Value& dynamodb, std::string_view name) {
    json::Value* v = dynamodb.find(name);
    if (v == nullptr) return std::nullopt;
    return json::to_item(std::move(*v));
}

}  // namespace

// Sequence numbers are decimal digit strings of any length: compare them as integers.
bool sequence_less(const std::string& a, const std::string& b) {
    const auto skip = [](const std::string& s) {
        return std::min(s.find_first_not_of('0'), s.size());
    };
    const std::string_view x = std::string_view(a).substr(skip(a));
    const std::string_view y = std::string_view(b).substr(skip(b));
    return x.size() != y.size() ? x.size() < y.size() : x < y;
}

StreamRecord parse_record(json::Value&& wire, const std::string& shard_id) {
    StreamRecord r;
    r.event_id = wire.at("eventID").as_string();
    r.event_type = ascii_lower(wire.at("eventName").as_string());
    // A TTL deletion: AWS sends REMOVE by the DynamoDB service principal; DynamoDB Local sends
    // the event name UNKNOWN_TO_SDK_VERSION (an SDK enum leaking onto the wire) with the old image.
    if (r.event_type == "unknown_to_sdk_version") {
        r.event_type = "remove";
        r.ttl_expired = true;
    } else if (const json::Value* who = wire.find("userIdentity");
               who != nullptr && r.event_type == "remove") {
        const json::Value* type = who->find("Type");
        const json::Value* principal = who->find("PrincipalId");
        r.ttl_expired = type != nullptr && type->is_string() && type->as_string() == "Service" &&
                        principal != nullptr && principal->is_string() &&
                        principal->as_string() == "dynamodb.amazonaws.com";
    }
    r.event_version =
        wire.find("eventVersion") != nullptr ? wire.at("eventVersion").as_string() : "";
    json::Value& d = *wire.find("dynamodb");
    r.sequence_number = d.at("SequenceNumber").as_string();
    if (const json::Value* t = d.find("ApproximateCreationDateTime")) {
        r.created_at = std::chrono::sys_seconds(
            std::chrono::seconds(static_cast<std::int64_t>(std::floor(t->as_double()))));
    }
    r.keys = image(d, "Keys");
    r.old_image = image(d, "OldImage");
    r.new_image = image(d, "NewImage");
    r.shard_id = shard_id;
    return r;
}

}  // namespace bloop::detail
