// Lambda DynamoDB Streams events made from real DynamoDB Local stream records (every view type, a
// TTL deletion, records of two tables in one batch), read into typed records and a partial batch
// response.

#include <bloop/stream/lambda.hpp>
#include <bloop/types/datetime.hpp>

#include "integration.hpp"
#include "lambda_events.hpp"
#include "stream_view_models.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace lambda_app {

struct Expiring {
    std::string id;
    bloop::Timestamp expires{};
};

}  // namespace lambda_app

using namespace lambda_app;
using namespace stream_app;

template <>
struct bloop::Model<Expiring> {
    static constexpr Meta meta{.table_name = "LambdaExpiring", .stream = StreamView::old_image};
    static constexpr auto hash_key = &Expiring::id;
    static constexpr auto ttl = &Expiring::expires;
};

namespace bloop {
namespace {

class LambdaEventTest : public ::testing::Test {
  protected:
    Engine engine{Client(test::client_options())};
    void SetUp() override { engine.bind<Both, Keys, New, Old, Expiring>(); }

    // Insert, modify and remove one object; the stream's records of them, as GetRecords sent them.
    template <class T>
    std::vector<json::Value> lifecycle(const std::string& id) {
        test::StreamTail tail(engine.client(), engine.binding<T>().stream_arn);
        T object{id, "first"};
        engine.save(object);
        object.value = "second";
        engine.save(object);
        engine.remove(object);
        return tail.read(3);
    }
    // Their Lambda event.
    template <class T>
    lambda::StreamEvent event_of(std::vector<json::Value> records) {
        return lambda::StreamEvent::parse(json::to_string(
            test::lambda_event(std::move(records), engine.binding<T>().stream_arn)));
    }
    static std::vector<std::string> sequence_numbers(const std::vector<json::Value>& raw) {
        std::vector<std::string> out;
        for (const auto& r : raw) out.push_back(r.at("dynamodb").at("SequenceNumber").as_string());
        return out;
    }
};

TEST_F(LambdaEventTest, EveryViewTypeReadsAsTheStreamReaderReadsIt) {
    const auto raw_both = lifecycle<Both>("lambda-both-1");
    ASSERT_EQ(raw_both.size(), 3u);
    const auto event = event_of<Both>(raw_both);
    EXPECT_EQ(event.records[0].table(), "StreamBoth");
    EXPECT_EQ(event.records[0].stream_view_type, "NEW_AND_OLD_IMAGES");
    const auto both = lambda::records<Both>(engine, event);
    ASSERT_EQ(both.size(), 3u);
    EXPECT_EQ(both[0].meta.event_type, "insert");
    EXPECT_EQ(both[0].new_image->value, "first");
    EXPECT_FALSE(both[0].old_image);
    EXPECT_EQ(both[1].meta.event_type, "modify");
    EXPECT_EQ(both[1].old_image->value, "first");
    EXPECT_EQ(both[1].new_image->value, "second");
    EXPECT_EQ(both[2].meta.event_type, "remove");
    EXPECT_EQ(both[2].old_image->value, "second");
    EXPECT_FALSE(both[2].meta.ttl_expired);
    const auto wire = sequence_numbers(raw_both);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(both[i].meta.sequence_number, wire[i]);
        EXPECT_EQ(both[i].meta.event_id, raw_both[i].at("eventID").as_string());
    }

    const auto keys =
        lambda::records<Keys>(engine, event_of<Keys>(lifecycle<Keys>("lambda-keys-1")));
    ASSERT_EQ(keys.size(), 3u);
    for (const auto& r : keys) {
        EXPECT_EQ(r.key->id, "lambda-keys-1");
        EXPECT_FALSE(r.new_image);
        EXPECT_FALSE(r.old_image);
    }
    const auto news = lambda::records<New>(engine, event_of<New>(lifecycle<New>("lambda-new-1")));
    ASSERT_EQ(news.size(), 3u);
    EXPECT_EQ(news[1].new_image->value, "second");
    EXPECT_FALSE(news[1].old_image);
    EXPECT_FALSE(news[2].new_image);
    const auto olds = lambda::records<Old>(engine, event_of<Old>(lifecycle<Old>("lambda-old-1")));
    ASSERT_EQ(olds.size(), 3u);
    EXPECT_FALSE(olds[0].old_image);
    EXPECT_EQ(olds[1].old_image->value, "first");
    EXPECT_EQ(olds[2].old_image->value, "second");

    // A model whose view needs more than the stream sends: named, not half-filled.
    try {
        (void)lambda::records<Both>(
            engine,
            lambda::StreamEvent::parse(json::to_string(test::lambda_event(
                lifecycle<New>("lambda-new-2"), std::string(engine.binding<Both>().stream_arn)))));
        ADD_FAILURE() << "no InvalidRecord";
    } catch (const InvalidRecord& e) {
        EXPECT_NE(std::string(e.what()).find("StreamViewType NEW_IMAGE lacks images"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(LambdaEventTest, ATtlDeletionArrivesAsAnExpiredRemove) {
    test::StreamTail tail(engine.client(), engine.binding<Expiring>().stream_arn);
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    Expiring gone{"gone", now - std::chrono::hours(1)};
    Expiring removed{"removed", now + std::chrono::hours(1)};
    engine.save(gone, removed);
    engine.remove(removed);
    // Two inserts, a writer's remove, and DynamoDB Local's TTL deletion within seconds.
    const auto raw = tail.read(4, std::chrono::seconds(60));
    ASSERT_EQ(raw.size(), 4u);
    const auto records = lambda::records<Expiring>(engine, event_of<Expiring>(raw));
    ASSERT_EQ(records.size(), 4u);
    int expired = 0, writer = 0;
    for (const auto& r : records) {
        if (r.meta.event_type != "remove") continue;
        ASSERT_TRUE(r.old_image);
        if (r.old_image->id == "gone") {
            EXPECT_TRUE(r.meta.ttl_expired);
            EXPECT_EQ(r.old_image->expires, gone.expires);
            ++expired;
        } else {
            EXPECT_FALSE(r.meta.ttl_expired) << "a writer's delete";
            ++writer;
        }
    }
    EXPECT_EQ(expired, 1);
    EXPECT_EQ(writer, 1);
}

TEST_F(LambdaEventTest, ABatchOfTwoTablesFailsFromItsFailingRecordOn) {
    // Records of two tables in one event (as a test; Lambda's batches come from one shard).
    auto both = lifecycle<Both>("lambda-both-3");
    auto news = lifecycle<New>("fail-4");
    ASSERT_EQ(both.size(), 3u);
    ASSERT_EQ(news.size(), 3u);
    json::Value event = test::lambda_event(std::move(both), engine.binding<Both>().stream_arn);
    json::Value more = test::lambda_event(std::move(news), engine.binding<New>().stream_arn);
    for (auto& r : more["Records"].as_array()) event["Records"].push_back(std::move(r));
    const auto parsed = lambda::StreamEvent::parse(json::to_string(event));

    std::vector<std::string> handled;
    const lambda::BatchResponse response = lambda::handle<Both, New>(
        engine, parsed, [&](std::variant<Record<Both>, Record<New>>& record) {
            if (auto* b = std::get_if<Record<Both>>(&record)) {
                handled.push_back("both " + b->meta.event_type);
                return;
            }
            const auto& n = std::get<Record<New>>(record);
            if (n.meta.event_type == "modify") throw std::runtime_error("modify of fail-4");
            handled.push_back("new " + n.meta.event_type);
        });
    EXPECT_EQ(handled, (std::vector<std::string>{"both insert", "both modify", "both remove",
                                                 "new insert"}));
    EXPECT_EQ(response.handled, 4u);
    EXPECT_EQ(response.failures, (std::vector<std::string>{parsed.records[4].sequence_number,
                                                           parsed.records[5].sequence_number}));
    EXPECT_EQ(response.json(), R"({"batchItemFailures":[{"itemIdentifier":")" +
                                   parsed.records[4].sequence_number + R"("},{"itemIdentifier":")" +
                                   parsed.records[5].sequence_number + R"("}]})");
}

}  // namespace
}  // namespace bloop
