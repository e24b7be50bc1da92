// The DynamoDB Streams wire structs: each request's exact bytes, each answer read back, and one
// record of each kind as DynamoDB Streams and DynamoDB Local send them and what it means, with no
// server.

#include <bloop/exceptions.hpp>

#include "stream/record.hpp"
#include "wire/streams.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bloop::detail::wire {
namespace {

using detail::stream_record;

TEST(WireStreams, TheRequests) {
    EXPECT_EQ(encode(DescribeStream{"arn:s", ""}), R"j({"StreamArn":"arn:s"})j");
    EXPECT_EQ(encode(DescribeStream{"arn:s", "shard-1"}),
              R"j({"StreamArn":"arn:s","ExclusiveStartShardId":"shard-1"})j");
    EXPECT_EQ(encode(GetShardIterator{"arn:s", "shard-1", "TRIM_HORIZON", ""}),
              R"j({"StreamArn":"arn:s","ShardId":"shard-1","ShardIteratorType":"TRIM_HORIZON"})j");
    EXPECT_EQ(
        encode(GetShardIterator{"arn:s", "shard-1", "AFTER_SEQUENCE_NUMBER", "000123"}),
        R"j({"StreamArn":"arn:s","ShardId":"shard-1","ShardIteratorType":"AFTER_SEQUENCE_NUMBER","SequenceNumber":"000123"})j");
    EXPECT_EQ(encode(GetRecords{"it/1"}), R"j({"ShardIterator":"it/1"})j");
}

TEST(WireStreams, ShardsIteratorsAndPages) {
    const auto d = StreamDescription::decode(
        R"j({"StreamDescription":{"StreamArn":"arn:s","StreamStatus":"ENABLED","Shards":[{"ShardId":"a","SequenceNumberRange":{"StartingSequenceNumber":"1"}},{"ShardId":"b","ParentShardId":"a"}],"LastEvaluatedShardId":"b"}})j");
    ASSERT_EQ(d.shards.size(), 2u);
    EXPECT_EQ(d.shards[0].shard_id, "a");
    EXPECT_EQ(d.shards[0].parent_shard_id, "");
    EXPECT_EQ(d.shards[1].parent_shard_id, "a");
    EXPECT_EQ(d.last_evaluated_shard_id, "b");
    EXPECT_EQ(StreamDescription::decode(R"j({"StreamDescription":{"Shards":[]}})j")
                  .last_evaluated_shard_id,
              "");
    EXPECT_EQ(StreamDescription::decode(
                  R"j({"StreamDescription":{"Shards":[],"LastEvaluatedShardId":null}})j")
                  .last_evaluated_shard_id,
              "")
        << "null reads as missing";
    EXPECT_EQ(ShardIterator::decode(R"j({"ShardIterator":"it/2"})j").shard_iterator, "it/2");
    const auto open = RecordsPage::decode(R"j({"Records":[],"NextShardIterator":"it/3"})j");
    EXPECT_TRUE(open.records.empty());
    EXPECT_EQ(open.next_shard_iterator, "it/3");
    EXPECT_FALSE(RecordsPage::decode(R"j({"Records":[]})j").next_shard_iterator)
        << "a closed shard read to its end";
}

TEST(WireStreams, AMalformedAnswerIsAProtocolErrorNamingTheOperation) {
    try {
        (void)ShardIterator::decode("{}");
        ADD_FAILURE() << "read";
    } catch (const ProtocolError& e) {
        EXPECT_STREQ(e.what(),
                     "malformed GetShardIterator response: the answer has no 'ShardIterator'");
    }
    EXPECT_THROW((void)StreamDescription::decode(R"j({"Shards":[]})j"), ProtocolError);
    EXPECT_THROW((void)RecordsPage::decode(R"j({"Records":)j"), ProtocolError);
}

// One record of a GetRecords page, with its images read as items.
Record record(const std::string& text) {
    RecordsPage page = RecordsPage::decode(R"j({"Records":[)j" + text + "]}");
    return std::move(page.records.at(0));
}

TEST(WireStreams, ARecordWithItsImages) {
    Record r = record(
        R"j({"eventID":"e1","eventName":"MODIFY","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{"ApproximateCreationDateTime":1700000000.9,"Keys":{"id":{"S":"o1"}},"OldImage":{"id":{"S":"o1"},"n":{"N":"1"}},"NewImage":{"id":{"S":"o1"},"n":{"N":"2"}},"SequenceNumber":"000300","SizeBytes":30,"StreamViewType":"NEW_AND_OLD_IMAGES"}})j");
    EXPECT_EQ(r.event_id, "e1");
    EXPECT_EQ(r.event_name, "MODIFY");
    EXPECT_EQ(r.event_version, "1.1");
    EXPECT_EQ(r.sequence_number, "000300");
    EXPECT_EQ(r.approximate_creation_date_time, 1700000000.9);
    EXPECT_EQ(r.user_identity_type, "");
    ASSERT_TRUE(r.keys && r.old_image && r.new_image);
    EXPECT_EQ(r.keys->at("id"), AttributeValue::string("o1"));
    EXPECT_EQ(r.old_image->at("n"), AttributeValue::number("1"));
    EXPECT_EQ(r.new_image->at("n"), AttributeValue::number("2"));

    const StreamRecord meant = stream_record(std::move(r), "shard-1");
    EXPECT_EQ(meant.event_type, "modify");
    EXPECT_EQ(meant.created_at.time_since_epoch().count(), 1700000000);
    EXPECT_EQ(meant.new_image->at("n"), AttributeValue::number("2"));
    EXPECT_FALSE(meant.ttl_expired);
    EXPECT_EQ(meant.shard_id, "shard-1");
}

TEST(WireStreams, TtlDeletionsAsAwsAndDynamoDbLocalSendThem) {
    Record aws = record(
        R"j({"eventID":"e2","eventName":"REMOVE","userIdentity":{"Type":"Service","PrincipalId":"dynamodb.amazonaws.com"},"dynamodb":{"Keys":{"id":{"S":"o1"}},"SequenceNumber":"4"}})j");
    EXPECT_EQ(aws.user_identity_type, "Service");
    EXPECT_EQ(aws.user_identity_principal_id, "dynamodb.amazonaws.com");
    const StreamRecord by_aws = stream_record(std::move(aws), "s");
    EXPECT_EQ(by_aws.event_type, "remove");
    EXPECT_TRUE(by_aws.ttl_expired);
    EXPECT_FALSE(by_aws.new_image);
    const StreamRecord local = stream_record(
        record(
            R"j({"eventID":"e3","eventName":"UNKNOWN_TO_SDK_VERSION","dynamodb":{"Keys":{"id":{"S":"o1"}},"OldImage":{"id":{"S":"o1"}},"SequenceNumber":"5"}})j"),
        "s");
    EXPECT_EQ(local.event_type, "remove");
    EXPECT_TRUE(local.ttl_expired);
    const StreamRecord user = stream_record(
        record(
            R"j({"eventID":"e4","eventName":"REMOVE","userIdentity":{"Type":"User","PrincipalId":"someone"},"dynamodb":{"SequenceNumber":"6"}})j"),
        "s");
    EXPECT_FALSE(user.ttl_expired) << "only DynamoDB's own principal deletes by TTL";
}

TEST(WireStreams, ARecordWithoutItsSequenceNumberIsRefusedByName) {
    try {
        (void)record(R"j({"eventID":"e5","eventName":"INSERT","dynamodb":{}})j");
        ADD_FAILURE() << "read";
    } catch (const ProtocolError& e) {
        EXPECT_STREQ(e.what(), "malformed GetRecords response: record 'e5' has no SequenceNumber");
    }
    EXPECT_THROW((void)record(R"j({"eventID":"e6","eventName":"INSERT"})j"), ProtocolError);
}

}  // namespace
}  // namespace bloop::detail::wire
