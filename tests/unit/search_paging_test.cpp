// Query and scan paging against a scripted transport: DynamoDB's Limit per request (page_size),
// the read rate's ReturnConsumedCapacity, and bad paging refused before anything is sent.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>

#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace paging_unit {
struct Row {
    std::string id;
    std::int64_t n = 0;
};
}  // namespace paging_unit

using paging_unit::Row;

template <>
struct bloop::Model<Row> {
    static constexpr Meta meta{.table_name = "PagingRow"};
    static constexpr auto hash_key = &Row::id;
};

namespace {

using bloop::attr;

struct Harness : bloop::test::ScriptedEngine {
    Harness() { engine.bind<Row>({.skip_table_setup = true}); }
};

TEST(SearchPaging, PageSizeIsDynamoDBsLimitOnEveryRequestWhileLimitCapsTheResults) {
    Harness h;
    h.transport->respond(
        200, R"({"Items":[{"id":{"S":"a"},"n":{"N":"1"}},{"id":{"S":"b"},"n":{"N":"2"}}],
        "Count":2,"ScannedCount":2,"LastEvaluatedKey":{"id":{"S":"b"}}})");
    h.transport->respond(
        200, R"({"Items":[{"id":{"S":"c"},"n":{"N":"3"}}],"Count":1,"ScannedCount":2})");
    std::vector<std::string> ids;
    for (const Row& r : h.engine.scan<Row>({.limit = 3, .page_size = 2})) ids.push_back(r.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c"}));
    const auto bodies = h.bodies();
    ASSERT_EQ(bodies.size(), 2u);
    const std::string request =
        R"({"TableName":"PagingRow","ConsistentRead":false,"Select":"SPECIFIC_ATTRIBUTES",)"
        R"("ProjectionExpression":"#n0, #n1","ExpressionAttributeNames":{"#n0":"id","#n1":"n"},)"
        R"("Limit":2)";
    EXPECT_EQ(bodies[0], request + "}");
    EXPECT_EQ(bodies[1], request + R"(,"ExclusiveStartKey":{"id":{"S":"b"}}})");
}

TEST(SearchPaging, AReadRateAsksForTheConsumedCapacity) {
    Harness h;
    h.transport->respond(200, R"({"Items":[{"id":{"S":"a"}}],"Count":1,"ScannedCount":1,
        "ConsumedCapacity":{"TableName":"PagingRow","CapacityUnits":0.5}})");
    const auto found = h.engine.query(attr<&Row::id> == "a", {.read_rate = 100.0}).first();
    EXPECT_EQ(found.id, "a");
    ASSERT_EQ(h.bodies().size(), 1u);
    EXPECT_NE(h.bodies()[0].find(R"("ReturnConsumedCapacity":"TOTAL")"), std::string::npos)
        << h.bodies()[0];
}

TEST(SearchPaging, AZeroPageSizeOrANonPositiveReadRateIsRefusedBeforeSending) {
    Harness h;
    EXPECT_THROW((void)h.engine.scan<Row>({.page_size = 0}), bloop::InvalidArgument);
    EXPECT_THROW((void)h.engine.scan<Row>({.read_rate = 0.0}), bloop::InvalidArgument);
    EXPECT_THROW((void)h.engine.query(attr<&Row::id> == "a", {.read_rate = std::nan("")}),
                 bloop::InvalidArgument);
    EXPECT_TRUE(h.bodies().empty());
}

}  // namespace
