// Lambda DynamoDB Streams events: parsing, typing against models (of several tables and of a
// shared table), the checks that name a bad record, and the partial batch response. Reading an
// event sends no request. Events recorded from DynamoDB Local: tests/integration/lambda_test.cpp.

#include <bloop/model/single_table.hpp>
#include <bloop/stream/lambda.hpp>

#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace lambda_app {

struct Order {
    std::string id;
    std::int64_t n = 0;
};
struct Customer {
    std::string id;
    std::string name;
};
struct KeyView {
    std::string id;
    std::int64_t n = 0;
};
struct Silent {
    std::string id;
};

struct Shop {
    static constexpr bloop::Meta meta{.table_name = "Shop",
                                      .stream = bloop::StreamView::new_and_old_images};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
};
struct Shelf {
    std::string shelf;
    std::string label;
};
struct Product {
    std::string shelf;
    std::string sku;
    std::int64_t count = 0;
};

}  // namespace lambda_app

using namespace lambda_app;

template <>
struct bloop::Model<Order> {
    static constexpr Meta meta{.table_name = "Orders", .stream = StreamView::new_and_old_images};
    static constexpr auto hash_key = &Order::id;
};
template <>
struct bloop::Model<Customer> {
    static constexpr Meta meta{.table_name = "Customers", .stream = StreamView::new_image};
    static constexpr auto hash_key = &Customer::id;
};
template <>
struct bloop::Model<KeyView> {
    static constexpr Meta meta{.table_name = "KeyView", .stream = StreamView::keys_only};
    static constexpr auto hash_key = &KeyView::id;
};
template <>
struct bloop::Model<Silent> {
    static constexpr Meta meta{.table_name = "Silent"};
    static constexpr auto hash_key = &Silent::id;
};
template <>
struct bloop::Model<Shelf> {
    using table = Shop;
    static constexpr auto keys = bloop::keys(key<"pk", "SHELF#{shelf}">, key<"sk", "#META">);
};
template <>
struct bloop::Model<Product> {
    using table = Shop;
    static constexpr auto keys = bloop::keys(key<"pk", "SHELF#{shelf}">, key<"sk", "ITEM#{sku}">);
};

namespace bloop {
namespace {

const char* const orders_arn =
    "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-12-07T00:00:00.000";

struct Rec {
    Rec(std::string name, std::string sequence, std::string key_image, std::string old_item,
        std::string new_item, std::string view_type = "NEW_AND_OLD_IMAGES",
        std::string source_arn = orders_arn, std::string more = "")
        : event_name(std::move(name)),
          seq(std::move(sequence)),
          keys(std::move(key_image)),
          old_image(std::move(old_item)),
          new_image(std::move(new_item)),
          view(std::move(view_type)),
          arn(std::move(source_arn)),
          extra(std::move(more)) {}
    std::string event_name;
    std::string seq;
    std::string keys;
    std::string old_image;  // empty: none
    std::string new_image;  // empty: none
    std::string view;
    std::string arn;
    std::string extra;  // more top-level members, e.g. userIdentity
};

std::string event_of(const std::vector<Rec>& records) {
    std::string out = R"({"Records":[)";
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Rec& r = records[i];
        if (i > 0) out += ",";
        out += R"({"eventID":"e)" + r.seq + R"(","eventName":")" + r.event_name +
               R"(","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",)" +
               R"("dynamodb":{"ApproximateCreationDateTime":1796601600,"Keys":)" + r.keys;
        if (!r.old_image.empty()) out += R"(,"OldImage":)" + r.old_image;
        if (!r.new_image.empty()) out += R"(,"NewImage":)" + r.new_image;
        out += R"(,"SequenceNumber":")" + r.seq + R"(","SizeBytes":26,"StreamViewType":")" +
               r.view + R"("},"eventSourceARN":")" + r.arn + "\"" + r.extra + "}";
    }
    return out + "]}";
}

std::string order_keys(const std::string& id) {
    return R"({"id":{"S":")" + id + R"("}})";
}
std::string order(const std::string& id, const std::string& n) {
    return R"({"id":{"S":")" + id + R"("},"n":{"N":")" + n + R"("}})";
}

class LambdaTest : public ::testing::Test {
  protected:
    test::ScriptedEngine scripted;
    Engine& engine = scripted.engine;

    void TearDown() override {
        EXPECT_TRUE(scripted.transport->requests().empty()) << "reading an event sends nothing";
    }

    // The InvalidRecord that typing `json` as Order throws.
    std::string invalid_record(const std::string& json) {
        try {
            (void)lambda::records<Order>(engine, lambda::StreamEvent::parse(json));
        } catch (const InvalidRecord& e) {
            return e.what();
        }
        ADD_FAILURE() << "no InvalidRecord for " << json;
        return "";
    }
};

TEST_F(LambdaTest, EventRecordsBecomeTypedRecordsWithTheirMeta) {
    const auto event = lambda::StreamEvent::parse(event_of({
        {"INSERT", "100", order_keys("o1"), "", order("o1", "1")},
        {"MODIFY", "200", order_keys("o1"), order("o1", "1"), order("o1", "2")},
        {"REMOVE", "300", order_keys("o1"), order("o1", "2"), ""},
    }));
    ASSERT_EQ(event.records.size(), 3u);
    EXPECT_EQ(event.records[1].event_source_arn, orders_arn);
    EXPECT_EQ(event.records[1].table(), "Orders");
    EXPECT_EQ(event.records[1].aws_region, "us-east-1");
    EXPECT_EQ(event.records[1].event_source, "aws:dynamodb");
    EXPECT_EQ(event.records[1].stream_view_type, "NEW_AND_OLD_IMAGES");
    EXPECT_EQ(event.records[1].size_bytes, 26);
    EXPECT_EQ(event.records[1].index, 1u);

    const std::vector<Record<Order>> records = lambda::records<Order>(engine, event);
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].meta.event_type, "insert");
    EXPECT_EQ(records[0].new_image->n, 1);
    EXPECT_FALSE(records[0].old_image);
    EXPECT_EQ(records[1].meta.event_type, "modify");
    EXPECT_EQ(records[1].old_image->n, 1);
    EXPECT_EQ(records[1].new_image->n, 2);
    EXPECT_EQ(records[2].meta.event_type, "remove");
    EXPECT_EQ(records[2].old_image->id, "o1");
    EXPECT_FALSE(records[2].new_image);
    EXPECT_FALSE(records[2].meta.ttl_expired);
    EXPECT_EQ(records[1].meta.sequence_number, "200");
    EXPECT_EQ(records[1].meta.event_id, "e200");
    EXPECT_EQ(records[1].meta.event_version, "1.1");
    EXPECT_EQ(records[1].meta.created_at.time_since_epoch().count(), 1796601600);
}

TEST_F(LambdaTest, ATtlDeletionIsARemoveMarkedExpiredInEitherSpelling) {
    const auto records = lambda::records<Order>(
        engine,
        lambda::StreamEvent::parse(event_of({
            {"REMOVE", "1", order_keys("a"), order("a", "1"), "", "NEW_AND_OLD_IMAGES", orders_arn,
             R"(,"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"})"},
            {"REMOVE", "2", order_keys("b"), order("b", "1"), "", "NEW_AND_OLD_IMAGES", orders_arn,
             R"(,"userIdentity":{"Type":"Service","PrincipalId":"dynamodb.amazonaws.com"})"},
            {"REMOVE", "3", order_keys("c"), order("c", "1"), "", "NEW_AND_OLD_IMAGES", orders_arn,
             R"(,"userIdentity":{"type":"Service","principalId":"someone.example.com"})"},
        })));
    ASSERT_EQ(records.size(), 3u);
    EXPECT_TRUE(records[0].meta.ttl_expired);
    EXPECT_TRUE(records[1].meta.ttl_expired);
    EXPECT_FALSE(records[2].meta.ttl_expired) << "only DynamoDB's own principal deletes by TTL";
    EXPECT_EQ(records[0].meta.event_type, "remove");
}

TEST_F(LambdaTest, RecordsOfSeveralTablesGoToTheirModels) {
    const std::string customers_arn =
        "arn:aws:dynamodb:us-east-1:123456789012:table/Customers/stream/2026-12-07T00:00:00.000";
    const auto records = lambda::records<Order, Customer>(
        engine, lambda::StreamEvent::parse(event_of({
                    {"INSERT", "1", order_keys("o1"), "", order("o1", "4")},
                    {"INSERT", "2", order_keys("c1"), "", R"({"id":{"S":"c1"},"name":{"S":"Ada"}})",
                     "NEW_IMAGE", customers_arn},
                })));
    ASSERT_EQ(records.size(), 2u);
    ASSERT_EQ(records[0].index(), 0u);
    EXPECT_EQ(std::get<0>(records[0]).new_image->n, 4);
    ASSERT_EQ(records[1].index(), 1u);
    EXPECT_EQ(std::get<1>(records[1]).new_image->name, "Ada");
}

TEST_F(LambdaTest, ASharedTablesRecordsGoToTheEntityTheirTypeNames) {
    const std::string shop_arn =
        "arn:aws:dynamodb:us-east-1:123456789012:table/Shop/stream/2026-12-07T00:00:00.000";
    const std::string shelf =
        R"({"pk":{"S":"SHELF#s1"},"sk":{"S":"#META"},"_et":{"S":"Shelf"},"label":{"S":"Tea"}})";
    const std::string item =
        R"({"pk":{"S":"SHELF#s1"},"sk":{"S":"ITEM#k9"},"_et":{"S":"Product"},"count":{"N":"3"}})";
    const std::string keys = R"({"pk":{"S":"SHELF#s1"},"sk":{"S":"#META"}})";
    const auto event = lambda::StreamEvent::parse(
        event_of({{"INSERT", "1", keys, "", shelf, "NEW_AND_OLD_IMAGES", shop_arn},
                  {"INSERT", "2", keys, "", item, "NEW_AND_OLD_IMAGES", shop_arn}}));
    const auto both = lambda::records<Shelf, Product>(engine, event);
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(std::get<0>(both[0]).new_image->label, "Tea");
    EXPECT_EQ(std::get<1>(both[1]).new_image->sku, "k9");
    EXPECT_EQ(std::get<1>(both[1]).new_image->count, 3);
    const auto items = lambda::records<Product>(engine, event);
    ASSERT_EQ(items.size(), 1u) << "the shelf's record is passed over";
    EXPECT_EQ(items[0].meta.sequence_number, "2");
}

TEST_F(LambdaTest, ARecordThatDoesNotFitNamesItselfAndWhatIsWrong) {
    const auto is = [](const std::string& message, const std::string& part) {
        return message.find(part) != std::string::npos;
    };
    std::string m =
        invalid_record(event_of({{"UPSERT", "7", order_keys("o"), "", order("o", "1")}}));
    EXPECT_TRUE(is(m, "record 0 (eventID 'e7', SequenceNumber '7')")) << m;
    EXPECT_TRUE(is(m, "eventName 'UPSERT' is not INSERT, MODIFY or REMOVE")) << m;

    m = invalid_record(event_of({{"MODIFY", "8", order_keys("o"), "", order("o", "1")}}));
    EXPECT_TRUE(is(m, "MODIFY record with no OldImage (Order's stream view is NEW_AND_OLD_IMAGES)"))
        << m;
    m = invalid_record(event_of({{"INSERT", "9", order_keys("o"), "", ""}}));
    EXPECT_TRUE(is(m, "INSERT record with no NewImage")) << m;
    m = invalid_record(event_of({{"INSERT", "9", order_keys("o"), "", "", "KEYS_ONLY"}}));
    EXPECT_TRUE(is(m,
                   "StreamViewType KEYS_ONLY lacks images Order's stream view "
                   "NEW_AND_OLD_IMAGES needs"))
        << m;
    m = invalid_record(event_of({{"INSERT", "9", order_keys("o"), "", order("o", "1"), "ALL"}}));
    EXPECT_TRUE(is(m, "StreamViewType 'ALL' is not one of DynamoDB's")) << m;

    const std::string digits39(39, '7');
    m = invalid_record(event_of({{"INSERT", "10", order_keys("o"), "", order("o", digits39)}}));
    EXPECT_TRUE(is(m, "record 0 (eventID 'e10'")) << m;
    EXPECT_TRUE(is(m, "NewImage attribute 'n'")) << m;
    EXPECT_TRUE(is(m, "38")) << m;

    m = invalid_record(event_of({{"INSERT", "11", order_keys("o"), "", order("o", "1"), "NEW_IMAGE",
                                  "arn:aws:dynamodb:us-east-1:1:table/Invoices/stream/x"}}));
    EXPECT_TRUE(is(m, "it is of table 'Invoices'")) << m;
    EXPECT_TRUE(is(m, "none of the models maps (Order: 'Orders')")) << m;

    // A value its column cannot hold: named with the record, never a half-filled object.
    m = invalid_record(event_of(
        {{"INSERT", "12", order_keys("o"), "", R"({"id":{"S":"o"},"n":{"S":"twelve"}})"}}));
    EXPECT_TRUE(is(m, "record 0 (eventID 'e12', SequenceNumber '12')")) << m;
    EXPECT_TRUE(is(m, "n")) << m;

    try {
        (void)lambda::records<Order>(
            engine,
            lambda::StreamEvent::parse(event_of(
                {{"INSERT", "1", order_keys("o"), "", order("o", "1")},
                 {"INSERT", "13", order_keys("p"), "", order("p", std::string(40, '1'))}})));
        ADD_FAILURE() << "no InvalidRecord";
    } catch (const InvalidRecord& e) {
        EXPECT_EQ(e.sequence_number(), "13");
        EXPECT_TRUE(is(e.what(), "record 1 ")) << e.what();
    }
}

TEST_F(LambdaTest, AKeysOnlyViewGivesTheKeyAndAModelWithoutStreamIsRefused) {
    const auto keys = lambda::records<KeyView>(
        engine, lambda::StreamEvent::parse(
                    event_of({{"INSERT", "1", order_keys("k"), "", "", "KEYS_ONLY",
                               "arn:aws:dynamodb:us-east-1:1:table/KeyView/stream/x"}})));
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].key->id, "k");
    EXPECT_THROW((void)lambda::records<Silent>(
                     engine, lambda::StreamEvent::parse(event_of(
                                 {{"INSERT", "1", order_keys("k"), "", "", "KEYS_ONLY",
                                   "arn:aws:dynamodb:us-east-1:1:table/Silent/stream/x"}}))),
                 InvalidStream);
}

TEST_F(LambdaTest, TextThatIsNoStreamsEventIsRefusedWhole) {
    EXPECT_THROW((void)lambda::StreamEvent::parse("not json"), InvalidJson);
    EXPECT_THROW((void)lambda::StreamEvent::parse(R"({"Records":[)"), InvalidJson);
    EXPECT_THROW((void)lambda::StreamEvent::parse(R"({"records":[]})"), InvalidJson);
    try {
        (void)lambda::StreamEvent::parse(
            R"({"Records":[{"eventID":"x1","eventName":"INSERT","eventSource":"aws:sqs"}]})");
        ADD_FAILURE() << "no InvalidRecord";
    } catch (const InvalidRecord& e) {
        EXPECT_NE(std::string(e.what()).find("record 0: record 'x1' has no 'dynamodb' object"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_TRUE(lambda::StreamEvent::parse(R"({"Records":[]})").records.empty());
}

TEST_F(LambdaTest, AFailingRecordAndEveryRecordAfterItAreReportedAndNotHandled) {
    const auto event = lambda::StreamEvent::parse(event_of({
        {"INSERT", "100", order_keys("a"), "", order("a", "1")},
        {"INSERT", "200", order_keys("fail-b"), "", order("fail-b", "2")},
        {"INSERT", "300", order_keys("c"), "", order("c", "3")},
    }));
    std::vector<std::string> seen;
    const lambda::BatchResponse response =
        lambda::handle<Order>(engine, event, [&](Record<Order>& r) {
            if (r.new_image->id.starts_with("fail")) throw std::runtime_error("handler failed");
            seen.push_back(r.new_image->id);
        });
    EXPECT_EQ(seen, std::vector<std::string>{"a"}) << "nothing after a failure is handed over";
    EXPECT_EQ(response.handled, 1u);
    EXPECT_EQ(response.failures, (std::vector<std::string>{"200", "300"}));
    EXPECT_EQ(response.json(),
              R"({"batchItemFailures":[{"itemIdentifier":"200"},{"itemIdentifier":"300"}]})");
    ASSERT_TRUE(response.error);
    EXPECT_THROW(std::rethrow_exception(response.error), std::runtime_error);

    const lambda::BatchResponse all = lambda::handle<Order>(
        engine, event_of({{"INSERT", "1", order_keys("a"), "", order("a", "1")}}),
        [](Record<Order>&) {});
    EXPECT_EQ(all.json(), R"({"batchItemFailures":[]})");
    EXPECT_EQ(all.handled, 1u);
    EXPECT_FALSE(all.error);
}

TEST_F(LambdaTest, ARecordThatDoesNotFitFailsFromItOn) {
    int calls = 0;
    const auto response = lambda::handle<Order>(
        engine,
        event_of({{"INSERT", "1", order_keys("a"), "", order("a", "1")},
                  {"INSERT", "2", order_keys("b"), "", R"({"id":{"S":"b"},"n":{"S":"x"}})"},
                  {"INSERT", "3", order_keys("c"), "", order("c", "3")}}),
        [&](Record<Order>&) { ++calls; });
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(response.failures, (std::vector<std::string>{"2", "3"}));
    EXPECT_THROW(std::rethrow_exception(response.error), InvalidRecord);
}

TEST_F(LambdaTest, TheResponseEscapesItsIdentifiers) {
    lambda::BatchResponse response;
    response.failures = {"a\"b\\c"};
    EXPECT_EQ(response.json(), R"({"batchItemFailures":[{"itemIdentifier":"a\"b\\c"}]})");
}

}  // namespace
}  // namespace bloop
