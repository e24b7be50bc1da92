#pragma once
// Stream records as DynamoDB Streams sends them, and their sequence numbers.

#include <bloop/stream/coordinator.hpp>

#include <string>

namespace bloop::detail {

/// Whether sequence number `a` comes before `b` (decimal digit strings of any length).
[[nodiscard]] bool sequence_less(const std::string& a, const std::string& b);

/// One GetRecords record of shard `shard_id`, parsed.
[[nodiscard]] StreamRecord parse_record(json::Value&& wire, const std::string& shard_id);

}  // namespace bloop::detail
