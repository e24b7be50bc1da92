// Stream records: what a record on the wire means, and the order of sequence numbers.

#include "stream/record.hpp"

#include "util/ascii.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace bloop::detail {

// Sequence numbers are decimal digit strings of any length: compare them as integers.
bool sequence_less(const std::string& a, const std::string& b) {
    const auto skip = [](const std::string& s) {
        return std::min(s.find_first_not_of('0'), s.size());
    };
    const std::string_view x = std::string_view(a).substr(skip(a));
    const std::string_view y = std::string_view(b).substr(skip(b));
    return x.size() != y.size() ? x.size() < y.size() : x < y;
}

StreamRecord stream_record(wire::Record&& raw, const std::string& shard_id) {
    StreamRecord r;
    r.event_id = std::move(raw.event_id);
    r.event_type = ascii_lower(raw.event_name);
    if (r.event_type == "unknown_to_sdk_version") {
        r.event_type = "remove";
        r.ttl_expired = true;
    } else if (r.event_type == "remove") {
        r.ttl_expired = raw.user_identity_type == "Service" &&
                        raw.user_identity_principal_id == "dynamodb.amazonaws.com";
    }
    r.event_version = std::move(raw.event_version);
    r.sequence_number = std::move(raw.sequence_number);
    if (raw.approximate_creation_date_time) {
        r.created_at = std::chrono::sys_seconds(std::chrono::seconds(
            static_cast<std::int64_t>(std::floor(*raw.approximate_creation_date_time))));
    }
    r.keys = std::move(raw.keys);
    r.old_image = std::move(raw.old_image);
    r.new_image = std::move(raw.new_image);
    r.shard_id = shard_id;
    return r;
}

}  // namespace bloop::detail
