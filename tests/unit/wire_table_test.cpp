// The table operations' wire structs: each request's exact bytes and each answer read back, with
// no server (as DynamoDB's API reference shows them).

#include <bloop/exceptions.hpp>

#include "wire/table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bloop::detail::wire {
namespace {

TEST(WireTable, CreateTableWithEveryMemberInTheApiOrder) {
    CreateTable r;
    r.table_name = "Orders";
    r.key_schema = {{"pk", "HASH"}, {"sk", "RANGE"}};
    r.attribute_definitions = {{"pk", "S"}, {"sk", "N"}, {"g", "B"}};
    r.provisioned_throughput = ProvisionedThroughput{5, 6};
    r.global_secondary_indexes = {
        {"by_g", {{"g", "HASH"}}, {"INCLUDE", {"a", "b"}}, ProvisionedThroughput{1, 2}}};
    r.local_secondary_indexes = {{"by_pk", {{"pk", "HASH"}, {"g", "RANGE"}}, {"ALL", {}}, {}}};
    r.stream_specification = StreamSpecification{true, "NEW_AND_OLD_IMAGES"};
    r.deletion_protection_enabled = false;
    r.sse_specification = SseSpecification{true, "KMS", "alias/k"};
    r.table_class = "STANDARD";
    r.tags = {{"team", "core"}};
    EXPECT_EQ(
        encode(r),
        R"j({"TableName":"Orders","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"B"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":6},"GlobalSecondaryIndexes":[{"IndexName":"by_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b"]},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":2}}],"LocalSecondaryIndexes":[{"IndexName":"by_pk","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},"DeletionProtectionEnabled":false,"SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/k"},"TableClass":"STANDARD","Tags":[{"Key":"team","Value":"core"}]})j");
}

TEST(WireTable, CreateTableLeavesOutWhatIsUnset) {
    CreateTable r;
    r.table_name = "T";
    r.key_schema = {{"id", "HASH"}};
    r.attribute_definitions = {{"id", "S"}};
    r.billing_mode = "PAY_PER_REQUEST";
    EXPECT_EQ(
        encode(r),
        R"j({"TableName":"T","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"})j");
}

TEST(WireTable, UpdateTableSendsOnlyItsChanges) {
    UpdateTable units;
    units.table_name = "T";
    units.billing_mode = "PROVISIONED";
    units.provisioned_throughput = ProvisionedThroughput{3, 4};
    units.gsi_updates = {{"by_g", {7, 8}}};
    EXPECT_EQ(
        encode(units),
        R"j({"TableName":"T","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4},"GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"by_g","ProvisionedThroughput":{"ReadCapacityUnits":7,"WriteCapacityUnits":8}}}]})j");
    UpdateTable create;
    create.table_name = "T";
    create.attribute_definitions = {{"g", "S"}};
    create.gsi_create = SecondaryIndex{"by_g", {{"g", "HASH"}}, {"KEYS_ONLY", {}}, {}};
    EXPECT_EQ(
        encode(create),
        R"j({"TableName":"T","AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}}]})j");
    UpdateTable off;
    off.table_name = "T";
    off.stream_specification = StreamSpecification{false, "KEYS_ONLY"};
    off.sse_specification = SseSpecification{false, "", ""};
    off.table_class = "STANDARD_INFREQUENT_ACCESS";
    off.deletion_protection_enabled = true;
    EXPECT_EQ(
        encode(off),
        R"j({"TableName":"T","StreamSpecification":{"StreamEnabled":false},"SSESpecification":{"Enabled":false},"TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":true})j")
        << "a disabled stream names no view type";
}

TEST(WireTable, TheSmallRequests) {
    EXPECT_EQ(encode(TableName{"T"}), R"j({"TableName":"T"})j");
    EXPECT_EQ(
        encode(UpdateTimeToLive{"T", true, "expires"}),
        R"j({"TableName":"T","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}})j");
    EXPECT_EQ(
        encode(UpdateContinuousBackups{"T", false}),
        R"j({"TableName":"T","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":false}})j");
    EXPECT_EQ(encode(ListTagsOfResource{"arn:t", ""}), R"j({"ResourceArn":"arn:t"})j");
    EXPECT_EQ(encode(ListTagsOfResource{"arn:t", "n2"}),
              R"j({"ResourceArn":"arn:t","NextToken":"n2"})j");
    EXPECT_EQ(
        encode(TagResource{"arn:t", {{"a", "1"}, {"b", "\"2\""}}}),
        R"j({"ResourceArn":"arn:t","Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"\"2\""}]})j");
}

TEST(WireTable, ADescribedTableIsReadWhole) {
    // DescribeTable's answer as DynamoDB sends it (members this library does not read included).
    const TableDescription t = TableDescription::decode(
        R"j({"Table":{"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"N"}],"TableName":"Orders","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"TableStatus":"ACTIVE","CreationDateTime":1.7E9,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":6},"TableSizeBytes":0,"ItemCount":0,"TableArn":"arn:aws:dynamodb:eu-west-1:1:table/Orders","BillingModeSummary":{"BillingMode":"PROVISIONED"},"GlobalSecondaryIndexes":[{"IndexName":"by_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a"]},"IndexStatus":"CREATING","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":2}}],"LocalSecondaryIndexes":[{"IndexName":"by_l","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},"LatestStreamArn":"arn:s","DeletionProtectionEnabled":true,"SSEDescription":{"Status":"ENABLED","SSEType":"KMS","KMSMasterKeyArn":"arn:k"},"TableClassSummary":{"TableClass":"STANDARD_INFREQUENT_ACCESS"}}})j");
    EXPECT_EQ(t.table_name, "Orders");
    EXPECT_EQ(t.table_arn, "arn:aws:dynamodb:eu-west-1:1:table/Orders");
    EXPECT_EQ(t.table_status, "ACTIVE");
    EXPECT_EQ(t.key_schema, (std::vector<KeyElement>{{"pk", "HASH"}}));
    EXPECT_EQ(t.attribute_definitions, (std::vector<AttributeDefinition>{{"pk", "S"}, {"g", "N"}}));
    EXPECT_EQ(t.billing_mode, "PROVISIONED");
    ASSERT_TRUE(t.provisioned_throughput);
    EXPECT_EQ(t.provisioned_throughput->read_capacity_units, 5);
    EXPECT_EQ(t.provisioned_throughput->write_capacity_units, 6);
    ASSERT_EQ(t.global_secondary_indexes.size(), 1u);
    const IndexDescription& g = t.global_secondary_indexes[0];
    EXPECT_EQ(g.index_name, "by_g");
    EXPECT_EQ(g.key_schema, (std::vector<KeyElement>{{"g", "HASH"}}));
    EXPECT_EQ(g.projection.projection_type, "INCLUDE");
    EXPECT_EQ(g.projection.non_key_attributes, (std::vector<std::string>{"a"}));
    EXPECT_EQ(g.index_status, "CREATING");
    ASSERT_TRUE(g.provisioned_throughput);
    EXPECT_EQ(g.provisioned_throughput->write_capacity_units, 2);
    ASSERT_EQ(t.local_secondary_indexes.size(), 1u);
    EXPECT_EQ(t.local_secondary_indexes[0].projection.projection_type, "ALL");
    EXPECT_FALSE(t.local_secondary_indexes[0].provisioned_throughput);
    ASSERT_TRUE(t.stream_specification);
    EXPECT_TRUE(t.stream_specification->stream_enabled);
    EXPECT_EQ(t.stream_specification->stream_view_type, "NEW_IMAGE");
    EXPECT_EQ(t.latest_stream_arn, "arn:s");
    EXPECT_TRUE(t.deletion_protection_enabled);
    ASSERT_TRUE(t.sse_description);
    EXPECT_EQ(t.sse_description->status, "ENABLED");
    EXPECT_EQ(t.sse_description->sse_type, "KMS");
    EXPECT_EQ(t.sse_description->kms_master_key_arn, "arn:k");
    EXPECT_EQ(t.table_class, "STANDARD_INFREQUENT_ACCESS");
}

TEST(WireTable, WhatATableDoesNotReportReadsAsEmpty) {
    const TableDescription t =
        TableDescription::decode(R"j({"Table":{"TableName":"T","TableStatus":"CREATING"}})j");
    EXPECT_TRUE(t.key_schema.empty());
    EXPECT_EQ(t.billing_mode, "");
    EXPECT_FALSE(t.provisioned_throughput);
    EXPECT_FALSE(t.stream_specification);
    EXPECT_FALSE(t.deletion_protection_enabled);
    EXPECT_FALSE(t.sse_description);
    EXPECT_EQ(t.table_class, "");
}

TEST(WireTable, AMalformedAnswerIsAProtocolErrorNamingTheOperation) {
    for (const char* body :
         {R"j({})j", R"j([1])j", R"j({"Table":{"TableName":7}})j", R"j({"Tab)j"}) {
        try {
            (void)TableDescription::decode(body);
            ADD_FAILURE() << body << " was read";
        } catch (const ProtocolError& e) {
            EXPECT_EQ(std::string(e.what()).rfind("malformed DescribeTable response: ", 0), 0u)
                << e.what();
        }
    }
    EXPECT_THROW((void)TagsPage::decode(R"j({"Tags":[{"Key":1}]})j"), ProtocolError);
}

TEST(WireTable, TheSmallAnswers) {
    const auto ttl = TimeToLiveDescription::decode(
        R"j({"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"exp"}})j");
    EXPECT_EQ(ttl.time_to_live_status, "ENABLED");
    EXPECT_EQ(ttl.attribute_name, "exp");
    EXPECT_EQ(TimeToLiveDescription::decode("{}").time_to_live_status, "DISABLED");
    EXPECT_EQ(
        ContinuousBackupsDescription::decode(
            R"j({"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"ENABLED"}}})j")
            .point_in_time_recovery_status,
        "ENABLED");
    EXPECT_EQ(ContinuousBackupsDescription::decode("{}").point_in_time_recovery_status, "");
    const auto page = TagsPage::decode(R"j({"Tags":[{"Key":"a","Value":"1"}],"NextToken":"n2"})j");
    ASSERT_EQ(page.tags.size(), 1u);
    EXPECT_EQ(page.tags[0].key, "a");
    EXPECT_EQ(page.tags[0].value, "1");
    EXPECT_EQ(page.next_token, "n2");
    EXPECT_EQ(TagsPage::decode("{}").next_token, "");
}

}  // namespace
}  // namespace bloop::detail::wire
