// Lambda events from DynamoDB Local's stream records (see lambda_events.hpp).

#include "lambda_events.hpp"

#include <thread>
#include <utility>

namespace bloop::test {

StreamTail::StreamTail(Client client, std::string stream_arn)
    : client_(std::move(client)), stream_arn_(std::move(stream_arn)) {
    json::Value describe;
    describe["StreamArn"] = stream_arn_;
    for (;;) {
        json::Value page = client_.call("DescribeStream", describe);
        const json::Value& description = page.at("StreamDescription");
        for (const json::Value& shard : description.at("Shards").as_array()) {
            const json::Value* range = shard.find("SequenceNumberRange");
            if (range != nullptr && range->find("EndingSequenceNumber") != nullptr) continue;
            shards_.push_back({shard.at("ShardId").as_string(), ""});
        }
        const json::Value* last = description.find("LastEvaluatedShardId");
        if (last == nullptr || last->is_null()) break;
        describe["ExclusiveStartShardId"] = *last;
    }
    std::vector<json::Value> there;  // skip what the shards hold now
    read_once(there);
}

// A fresh iterator per read, after the last record seen (DynamoDB Local refuses GetRecords on
// the NextShardIterator of a read that found an empty shard, once records arrive, and on a LATEST
// iterator of an empty shard: TrimmedDataAccessException).
void StreamTail::read_once(std::vector<json::Value>& out) {
    for (Shard& shard : shards_) {
        json::Value position;
        position["StreamArn"] = stream_arn_;
        position["ShardId"] = shard.id;
        position["ShardIteratorType"] =
            shard.last.empty() ? "TRIM_HORIZON" : "AFTER_SEQUENCE_NUMBER";
        if (!shard.last.empty()) position["SequenceNumber"] = shard.last;
        json::Value request;
        request["ShardIterator"] =
            client_.call("GetShardIterator", position).at("ShardIterator").as_string();
        json::Value page = client_.call("GetRecords", request);
        for (json::Value& record : page["Records"].as_array()) {
            shard.last = record.at("dynamodb").at("SequenceNumber").as_string();
            out.push_back(std::move(record));
        }
    }
}

std::vector<json::Value> StreamTail::read(std::size_t count, std::chrono::seconds patience) {
    std::vector<json::Value> out;
    const auto until = std::chrono::steady_clock::now() + patience;
    while (out.size() < count && std::chrono::steady_clock::now() < until) {
        read_once(out);
        if (out.size() < count) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return out;
}

json::Value lambda_event(std::vector<json::Value> records, const std::string& stream_arn) {
    json::Value event;
    json::Value& list = event["Records"];
    list = json::Value::array();
    for (json::Value& record : records) {
        if (record.at("eventName").as_string() == "UNKNOWN_TO_SDK_VERSION") {
            record["eventName"] = "REMOVE";
            json::Value& identity = record["userIdentity"];
            identity["type"] = "Service";
            identity["principalId"] = "dynamodb.amazonaws.com";
        }
        record["eventSourceARN"] = stream_arn;
        list.push_back(std::move(record));
    }
    return event;
}

}  // namespace bloop::test
