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

namespace shape_unit {
struct Archive {
    std::string id;
};
inline constexpr bloop::TableTag archive_tags[] = {{"team", "core"}, {"cost", "archive"}};
}  // namespace shape_unit

using shape_unit::Archive;

template <>
struct bloop::Model<Archive> {
    static constexpr Meta meta{.table_name = "ShapeArchive",
                               .encryption = Encryption{.kms = true, .kms_key = "1234abcd"},
                               .point_in_time_recovery = true,
                               .table_class = TableClass::standard_infrequent_access,
                               .tags = shape_unit::archive_tags};
    static constexpr auto hash_key = &Archive::id;
};

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
        detail::wire::encode(detail::create_table_request(model_info<Session>(), "ShapeSessions")),
        R"j({"TableName":"ShapeSessions","KeySchema":[{"AttributeName":"token","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"token","AttributeType":"S"},{"AttributeName":"user","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"by_user","KeySchema":[{"AttributeName":"user","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},"DeletionProtectionEnabled":true})j");
}

TEST(TableShape, EncryptionTableClassAndTagsAreCreated) {
    EXPECT_EQ(
        detail::wire::encode(detail::create_table_request(model_info<Archive>(), "ShapeArchive")),
        R"j({"TableName":"ShapeArchive","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},"SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"1234abcd"},"TableClass":"STANDARD_INFREQUENT_ACCESS","Tags":[{"Key":"team","Value":"core"},{"Key":"cost","Value":"archive"}]})j");
}

TEST(TableShape, EncryptionAndTableClassAreComparedWhereTheServerReportsThem) {
    const auto aws = detail::wire::TableDescription::decode(
        R"j({"Table":{"TableArn":"arn:aws:dynamodb:eu-west-1:123456789012:table/ShapeArchive","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},"SSEDescription":{"Status":"ENABLED","SSEType":"KMS","KMSMasterKeyArn":"arn:aws:kms:eu-west-1:123456789012:key/other"}}})j");
    EXPECT_EQ(detail::differences(model_info<Archive>(), aws),
              (std::vector<std::string>{
                  "the table's KMS key is arn:aws:kms:eu-west-1:123456789012:key/other, expected "
                  "1234abcd",
                  "the table class is STANDARD, expected STANDARD_INFREQUENT_ACCESS"}));
    const auto local = detail::wire::TableDescription::decode(
        R"j({"Table":{"TableArn":"arn:aws:dynamodb:ddblocal:000000000000:table/ShapeArchive","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}})j");
    EXPECT_TRUE(detail::differences(model_info<Archive>(), local).empty())
        << "DynamoDB Local reports neither";
}

TEST(TableShape, EncryptionAndTableClassMigrateWithUpdateTable) {
    test::ScriptedEngine h;
    auto table = detail::wire::TableDescription::decode(
        R"j({"Table":{"TableName":"ShapeArchive","TableArn":"arn:aws:dynamodb:eu-west-1:123456789012:table/ShapeArchive","TableStatus":"ACTIVE","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}})j");
    h.transport->respond(200, "{}");
    h.transport->respond(200, "{}");
    const auto changes = detail::migrate_table(h.engine.client(), model_info<Archive>(),
                                               "ShapeArchive", table, [&] { return table; });
    EXPECT_EQ(changes,
              (std::vector<std::string>{
                  "encryption: the table is encrypted with the AWS owned key, expected a KMS key",
                  "table class STANDARD_INFREQUENT_ACCESS"}));
    EXPECT_EQ(
        h.bodies(),
        (std::vector<std::string>{
            R"j({"TableName":"ShapeArchive","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"1234abcd"}})j",
            R"j({"TableName":"ShapeArchive","TableClass":"STANDARD_INFREQUENT_ACCESS"})j"}));
}

TEST(TableShape, BackupsAndTagsAreMigratedAndAServerWithoutThemIsNoted) {
    test::ScriptedEngine h;
    h.transport->respond(
        200,
        R"j({"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"DISABLED"}}})j");
    h.transport->respond(200, "{}");
    h.transport->respond(
        200, R"j({"Tags":[{"Key":"team","Value":"core"},{"Key":"cost","Value":"x"}]})j");
    h.transport->respond(200, "{}");
    std::vector<std::string> diffs, notes;
    const std::string arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/ShapeArchive";
    EXPECT_EQ(detail::migrate_backups(h.engine.client(), model_info<Archive>(), "ShapeArchive",
                                      true, diffs, notes),
              (std::vector<std::string>{"point-in-time recovery on"}));
    EXPECT_EQ(
        detail::migrate_tags(h.engine.client(), model_info<Archive>(), arn, true, diffs, notes),
        (std::vector<std::string>{"tagged 'cost'"}));
    const auto bodies = h.bodies();
    ASSERT_EQ(bodies.size(), 4u);
    EXPECT_EQ(
        bodies[1],
        R"j({"TableName":"ShapeArchive","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})j");
    EXPECT_EQ(bodies[3],
              R"j({"ResourceArn":")j" + arn + R"j(","Tags":[{"Key":"cost","Value":"archive"}]})j");
    EXPECT_TRUE(diffs.empty());
    EXPECT_TRUE(notes.empty());

    h.transport->fail(400, "UnknownOperationException", "An unknown operation was requested.");
    h.transport->fail(400, "UnknownOperationException",
                      "Tagging is not currently supported in DynamoDB Local.");
    EXPECT_TRUE(detail::migrate_backups(h.engine.client(), model_info<Archive>(), "ShapeArchive",
                                        false, diffs, notes)
                    .empty());
    EXPECT_TRUE(
        detail::migrate_tags(h.engine.client(), model_info<Archive>(), arn, false, diffs, notes)
            .empty());
    EXPECT_TRUE(diffs.empty()) << "not supported: not a mismatch";
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_NE(notes[0].find("point-in-time recovery is not checked"), std::string::npos);
    EXPECT_NE(notes[1].find("tags are not checked"), std::string::npos);
}

TEST(TableShape, AMigrationSendsOneUpdateTableAChange) {
    test::ScriptedEngine h;
    // An older table: provisioned 1/1, no GSI, no stream, no deletion protection.
    auto table = detail::wire::TableDescription::decode(
        R"j({"Table":{"TableName":"ShapeSessions","TableStatus":"ACTIVE","KeySchema":[{"AttributeName":"token","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}})j");
    const std::string on_demand =
        R"j({"Table":{"TableName":"ShapeSessions","TableStatus":"ACTIVE","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"}}})j";
    for (int i = 0; i < 4; ++i) h.transport->respond(200, "{}");  // the UpdateTables
    int waits = 0;
    const auto changes = detail::migrate_table(h.engine.client(), model_info<Session>(),
                                               "ShapeSessions", table, [&] {
                                                   ++waits;
                                                   return detail::wire::TableDescription::decode(
                                                       on_demand);
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
