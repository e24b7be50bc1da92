// The CreateTable and UpdateTable requests bind sends for table settings and migrations (exact
// JSON), against a scripted transport.

#include <bloop/engine/engine.hpp>

#include "engine/migration.hpp"
#include "engine/table_shape.hpp"
#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <string>

namespace shape_unit {
struct Session {
    std::string token;
    std::string user;
    bloop::Timestamp expires{};
};
}  // namespace shape_unit

using shape_unit::Session;

template <>
struct bloop::Model<Session> {
    static constexpr Meta meta{.table_name = "ShapeSessions",
                               .stream = StreamView::new_image,
                               .billing = Billing::on_demand,
                               .deletion_protection = true};
    static constexpr auto hash_key = &Session::token;
    static constexpr auto ttl = &Session::expires;
    static constexpr auto by_user = global_index().hash_key<&Session::user>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes<&by_user>();
};

namespace bloop {
namespace {

TEST(TableShape, AnOnDemandTableHasNoUnitsAnywhere) {
    EXPECT_EQ(
        json::to_string(detail::create_table_request(model_info<Session>(), "ShapeSessions")),
        R"j({"TableName":"ShapeSessions","KeySchema":[{"AttributeName":"token","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"token","AttributeType":"S"},{"AttributeName":"user","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"by_user","KeySchema":[{"AttributeName":"user","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},"DeletionProtectionEnabled":true})j");
}

TEST(TableShape, AMigrationSendsOneUpdateTableAChange) {
    test::ScriptedEngine h;
    // An older table: provisioned 1/1, no GSI, no stream, no deletion protection.
    json::Value table = json::parse(
        R"j({"TableName":"ShapeSessions","TableStatus":"ACTIVE","KeySchema":[{"AttributeName":"token","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}})j");
    const std::string on_demand =
        R"j({"TableName":"ShapeSessions","TableStatus":"ACTIVE","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"}})j";
    for (int i = 0; i < 4; ++i) h.transport->respond(200, "{}");  // the UpdateTables
    int waits = 0;
    const auto changes = detail::migrate_table(h.engine.client(), model_info<Session>(),
                                               "ShapeSessions", table, [&] {
                                                   ++waits;
                                                   return json::parse(on_demand);
                                               });
    EXPECT_EQ(changes, (std::vector<std::string>{
                           "billing PROVISIONED -> PAY_PER_REQUEST", "created GSI 'by_user'",
                           "enabled a NEW_IMAGE stream", "deletion protection on"}));
    EXPECT_EQ(waits, 4) << "each change waits until the table is ACTIVE";
    EXPECT_EQ(
        h.bodies(),
        (std::vector<std::string>{
            R"j({"TableName":"ShapeSessions","BillingMode":"PAY_PER_REQUEST"})j",
            R"j({"TableName":"ShapeSessions","AttributeDefinitions":[{"AttributeName":"token","AttributeType":"S"},{"AttributeName":"user","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by_user","KeySchema":[{"AttributeName":"user","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}}]})j",
            R"j({"TableName":"ShapeSessions","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}})j",
            R"j({"TableName":"ShapeSessions","DeletionProtectionEnabled":true})j"}));
    for (const auto& target : h.targets()) EXPECT_EQ(target, "DynamoDB_20120810.UpdateTable");
}

TEST(TableShape, TtlIsEnabledOnlyWhenAllowedAndNeverMovedToAnotherAttribute) {
    test::ScriptedEngine h;
    h.transport->respond(200, R"j({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})j");
    h.transport->respond(200, "{}");
    std::vector<std::string> diffs;
    EXPECT_EQ(
        detail::migrate_ttl(h.engine.client(), model_info<Session>(), "ShapeSessions", true, diffs),
        (std::vector<std::string>{"enabled TTL on 'expires'"}));
    EXPECT_EQ(
        h.bodies()[1],
        R"j({"TableName":"ShapeSessions","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}})j");
    h.transport->respond(
        200,
        R"j({"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"gone_at"}})j");
    EXPECT_TRUE(
        detail::migrate_ttl(h.engine.client(), model_info<Session>(), "ShapeSessions", true, diffs)
            .empty());
    EXPECT_EQ(diffs, (std::vector<std::string>{"TTL is on 'gone_at', expected 'expires'"}));
}

}  // namespace
}  // namespace bloop
