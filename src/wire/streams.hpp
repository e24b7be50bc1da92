#pragma once
// DynamoDB Streams on the wire: DescribeStream, GetShardIterator and GetRecords, and one record of
// a GetRecords page (also the shape of a Lambda event's record). Plain aggregates named after the
// API's members; `encode` gives a request's exact body, `decode` reads an answer's body.

#include <bloop/json/json.hpp>

#include <bloop/types/attribute_value.hpp>
#include "json/reader.hpp"

#include <cstdint>
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

/// A shard as DescribeStream lists it.
struct Shard {
    std::string shard_id;
    std::string parent_shard_id;  ///< empty for none
};

/// DescribeStream's answer: the page's shards and where the next page starts.
struct StreamDescription {
    std::vector<Shard> shards;
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

/// One record as GetRecords (or a Lambda event) sends it: what it says, not what it means
/// (stream/record.cpp reads a TTL deletion from it).
struct Record {
    std::string event_id;
    std::string event_name;  ///< INSERT, MODIFY, REMOVE (DynamoDB Local: UNKNOWN_TO_SDK_VERSION)
    std::string event_version;
    std::string event_source;      ///< "aws:dynamodb"
    std::string event_source_arn;  ///< Lambda events only: the stream's ARN
    std::string aws_region;
    std::string user_identity_type;          ///< userIdentity's; empty when none
    std::string user_identity_principal_id;  ///< userIdentity's; empty when none
    std::string sequence_number;
    std::string stream_view_type;
    std::optional<double> approximate_creation_date_time;  ///< seconds since the epoch
    std::optional<std::int64_t> size_bytes;
    std::optional<Item> keys, old_image, new_image;
    bool has_dynamodb = false;  ///< whether it had a dynamodb object

    /// Reads one record from `reader` (its images straight into Items; userIdentity's members as
    /// GetRecords spells them, Type and PrincipalId, or as Lambda does, type and principalId).
    /// Throws InvalidJson for text that is not JSON or not of a record's shape.
    [[nodiscard]] static Record read(json::detail::Reader& reader);
    /// Throws InvalidJson naming the record when it had no dynamodb object or no SequenceNumber.
    void check() const;
};

/// GetRecords's answer: its records and the next iterator (none: the shard is closed and read
/// to its end).
struct RecordsPage {
    std::vector<Record> records;
    std::optional<std::string> next_shard_iterator;

    /// Reads the answer; ProtocolError naming GetRecords (and the record) for another shape.
    [[nodiscard]] static RecordsPage decode(std::string_view body);
};

/// The table a stream ARN belongs to ("arn:aws:dynamodb:us-east-1:123:table/Orders/stream/2026-..."
/// → "Orders"); the ARN itself when it names no table.
[[nodiscard]] std::string_view table_of_stream(std::string_view stream_arn) noexcept;

}  // namespace bloop::detail::wire
