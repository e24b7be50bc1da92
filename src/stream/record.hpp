#pragma once
// Stream records: what a record on the wire means, and the order of sequence numbers.

#include <bloop/stream/coordinator.hpp>

#include "wire/streams.hpp"

#include <string>

namespace bloop::detail {

/// Whether sequence number `a` comes before `b` (decimal digit strings of any length).
[[nodiscard]] bool sequence_less(const std::string& a, const std::string& b);

/// The record `raw` of shard `shard_id`. A TTL deletion (AWS: REMOVE by the service principal
/// dynamodb.amazonaws.com; DynamoDB Local: the event name UNKNOWN_TO_SDK_VERSION, an SDK enum
/// leaking onto the wire) is a "remove" with ttl_expired.
[[nodiscard]] StreamRecord stream_record(wire::Record&& raw, const std::string& shard_id);

}  // namespace bloop::detail
