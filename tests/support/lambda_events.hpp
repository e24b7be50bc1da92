#pragma once
// Lambda DynamoDB Streams events made from real DynamoDB Local stream records, by the
// transformation AWS documents: Lambda reads the shard with GetRecords and hands the function
// `{"Records":[...]}`, each record as GetRecords sent it plus `eventSourceARN` (the stream's ARN).
// DynamoDB Local writes a TTL deletion as eventName UNKNOWN_TO_SDK_VERSION without userIdentity;
// AWS writes REMOVE with userIdentity {type: Service, principalId: dynamodb.amazonaws.com}, and
// that is what the event carries.

#include <bloop/client/client.hpp>
#include <bloop/json/json.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace bloop::test {

/// The records a stream gets from now on, read with the raw DynamoDB Streams calls.
class StreamTail {
  public:
    /// Takes an iterator on each of the stream's open shards, after the records they hold now.
    StreamTail(Client client, std::string stream_arn);
    /// The records since (GetRecords on each shard, in order) until at least `count` came or
    /// `patience` passed.
    std::vector<json::Value> read(std::size_t count,
                                  std::chrono::seconds patience = std::chrono::seconds(30));

  private:
    // One GetRecords on each shard, appending its records to `out`.
    void read_once(std::vector<json::Value>& out);

    struct Shard {
        std::string id;
        std::string last;  ///< the last record's sequence number; empty: none yet
    };
    Client client_;
    std::string stream_arn_;
    std::vector<Shard> shards_;
};

/// The Lambda event for `records` (GetRecords' Records) of the stream `stream_arn`.
json::Value lambda_event(std::vector<json::Value> records, const std::string& stream_arn);

}  // namespace bloop::test
