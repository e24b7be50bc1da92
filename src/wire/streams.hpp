#pragma once
// DynamoDB Streams on the wire: DescribeStream, GetShardIterator and GetRecords, and one record of
// a GetRecords page (also the shape of a Lambda event's record). Plain aggregates named after the
// API's members; `encode` gives a request's exact body, `decode` reads an answer's body.

#include <bloop/json/json.hpp>
#include <bloop/stream/coordinator.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bloop::detail::wire {

/// DescribeStream: one page of a stream's shards.
struct DescribeStream {
    std::string stream_arn;
    std::string exclusive_start_shard_id;  ///< empty: the first page
};
[[nodiscard]] std::string encode(const DescribeStream& request);

/// DescribeStream's answer: the page's shards and where the next page starts.
struct StreamDescription {
    std::vector<StreamsApi::Shard> shards;
    std::string last_evaluated_shard_id;  ///< empty: the last page

    /// Reads `{"StreamDescription":{...}}`. Throws ProtocolError for another shape.
    [[nodiscard]] static StreamDescription decode(std::string_view body);
};

/// GetShardIterator: ShardIteratorType TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or
/// AFTER_SEQUENCE_NUMBER (with the sequence number).
struct GetShardIterator {
    std::string stream_arn;
    std::string shard_id;
    std::string shard_iterator_type;
    std::string sequence_number;  ///< empty: omitted
};
[[nodiscard]] std::string encode(const GetShardIterator& request);

/// GetShardIterator's answer.
struct ShardIterator {
    std::string shard_iterator;

    [[nodiscard]] static ShardIterator decode(std::string_view body);
};

/// GetRecords.
struct GetRecords {
    std::string shard_iterator;
};
[[nodiscard]] std::string encode(const GetRecords& request);

/// GetRecords's answer: its records as sent (images decoded into Items while reading) and the
/// next iterator (none: the shard is closed and read to its end).
struct RecordsPage {
    std::vector<json::Value> records;
    std::optional<std::string> next_shard_iterator;

    [[nodiscard]] static RecordsPage decode(std::string_view body);
};

/// One record as GetRecords (or a Lambda event) sends it, read from shard `shard_id`. A TTL
/// deletion (AWS: REMOVE by the service principal dynamodb.amazonaws.com; DynamoDB Local: the event
/// name UNKNOWN_TO_SDK_VERSION) is a "remove" with ttl_expired. Throws ProtocolError naming the
/// member a record lacks.
[[nodiscard]] StreamRecord decode_record(json::Value&& record, const std::string& shard_id);

}  // namespace bloop::detail::wire
