// The StreamsApi of a real client: the three DynamoDB Streams calls, through src/wire.

#include <bloop/exceptions.hpp>
#include <bloop/stream/coordinator.hpp>

#include "stream/record.hpp"
#include "wire/streams.hpp"

namespace bloop {
namespace {

namespace wire = detail::wire;

class ClientStreamsApi final : public StreamsApi {
  public:
    explicit ClientStreamsApi(Client client) : client_(std::move(client)) {}

    std::vector<Shard> describe_stream(const std::string& arn) override {
        std::vector<Shard> shards;
        wire::DescribeStream request{arn, ""};
        while (true) {
            std::string answer;
            try {
                answer = client_.call_raw(Operation::DescribeStream, wire::encode(request));
            } catch (const ResourceNotFound&) {
                throw InvalidStream("The stream arn '" + arn + "' does not exist.");
            }
            wire::StreamDescription page = wire::StreamDescription::decode(answer);
            for (auto& s : page.shards)
                shards.push_back({std::move(s.shard_id), std::move(s.parent_shard_id)});
            if (page.last_evaluated_shard_id.empty()) return shards;
            request.exclusive_start_shard_id = std::move(page.last_evaluated_shard_id);
        }
    }

    std::string get_shard_iterator(const std::string& arn, const std::string& shard_id,
                                   const std::string& type,
                                   const std::string& sequence_number) override {
        return wire::ShardIterator::decode(
                   client_.call_raw(
                       Operation::GetShardIterator,
                       wire::encode(wire::GetShardIterator{arn, shard_id, type, sequence_number})))
            .shard_iterator;
    }

    Records get_records(const std::string& iterator) override {
        wire::RecordsPage page = wire::RecordsPage::decode(
            client_.call_raw(Operation::GetRecords, wire::encode(wire::GetRecords{iterator})));
        Records out{{}, std::move(page.next_shard_iterator)};
        out.records.reserve(page.records.size());
        for (auto& r : page.records) out.records.push_back(detail::stream_record(std::move(r), ""));
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
