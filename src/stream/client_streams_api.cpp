#include <bloop/exceptions.hpp>
#include <bloop/stream/coordinator.hpp>

namespace bloop {
namespace {

class ClientStreamsApi final : public StreamsApi {
  public:
    explicit ClientStreamsApi(Client client) : client_(std::move(client)) {}

    std::vector<Shard> describe_stream(const std::string& arn) override {
        std::vector<Shard> shards;
        json::Value request;
        request["StreamArn"] = arn;
        while (true) {
            json::Value response;
            try {
                response = client_.call(Operation::DescribeStream, request);
            } catch (const ResourceNotFound&) {
                throw InvalidStream("The stream arn '" + arn + "' does not exist.");
            }
            const json::Value& description = response.at("StreamDescription");
            for (const auto& s : description.at("Shards").as_array()) {
                const json::Value* parent = s.find("ParentShardId");
                shards.push_back(
                    {s.at("ShardId").as_string(), parent != nullptr ? parent->as_string() : ""});
            }
            const json::Value* last = description.find("LastEvaluatedShardId");
            if (last == nullptr || !last->is_string() || last->as_string().empty()) return shards;
            request["ExclusiveStartShardId"] = last->as_string();
        }
    }

    std::string get_shard_iterator(const std::string& arn, const std::string& shard_id,
                                   const std::string& type,
                                   const std::string& sequence_number) override {
        json::Value request;
        request["StreamArn"] = arn;
        request["ShardId"] = shard_id;
        request["ShardIteratorType"] = type;
        if (!sequence_number.empty()) request["SequenceNumber"] = sequence_number;
        return client_.call(Operation::GetShardIterator, request).at("ShardIterator").as_string();
    }

    Records get_records(const std::string& iterator) override {
        json::Value request;
        request["ShardIterator"] = iterator;
        json::Value response = client_.call(Operation::GetRecords, request, json::ParseMode::items);
        Records out;
        if (json::Value* records = response.find("Records"))
            out.records = std::move(records->as_array());
        if (const json::Value* next = response.find("NextShardIterator");
            next != nullptr && next->is_string()) {
            out.next_iterator = next->as_string();
        }
        return out;
    }

  private:
    Client client_;
};

}  // namespace

std::shared_ptr<StreamsApi> client_streams_api(Client client) {
    return std::make_shared<ClientStreamsApi>(std::move(client));
}

}  // namespace bloop
