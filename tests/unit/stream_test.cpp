// The stream coordinator against a scripted DynamoDB Streams: ordering, shard lineage, closed
// shards, positions, tokens, expired and trimmed iterators.

#include <bloop/exceptions.hpp>
#include <bloop/stream/coordinator.hpp>

#include "fake_streams.hpp"
#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace bloop {
namespace {

using test::FakeStreams;

std::vector<std::string> drain(StreamCoordinator& c, int polls = 20) {
    std::vector<std::string> ids;
    for (int i = 0; i < polls; ++i) {
        while (auto r = c.next()) ids.push_back(r->keys->at("id").as_string());
    }
    return ids;
}

std::shared_ptr<FakeStreams> fake() {
    return std::make_shared<FakeStreams>();
}

TEST(Stream, TrimHorizonReadsEveryRootInOrder) {
    auto f = fake();
    f->add("shard-a", "10", 100, "a1");
    f->add("shard-a", "30", 300, "a3");
    f->add("shard-b", "20", 200, "b2");
    f->add("shard-b", "40", 300, "b4");  // same second as a3: the sequence number decides
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    EXPECT_EQ(drain(c), (std::vector<std::string>{"a1", "b2", "a3", "b4"}));
    EXPECT_FALSE(c.next()) << "nothing waiting: nothing returned, no block";
}

TEST(Stream, SequenceNumbersCompareAsIntegers) {
    auto f = fake();
    f->add("shard-a", "9", 100, "nine");
    f->add("shard-b", "10", 100, "ten");
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    EXPECT_EQ(drain(c), (std::vector<std::string>{"nine", "ten"}));
}

TEST(Stream, AClosedShardsFinalRecordsComeBeforeItsChildren) {
    auto f = fake();
    f->page_size =
        10;  // the final page: records and no NextShardIterator at once (bloop 1.x lost these)
    f->add("parent", "1", 100, "p1");
    f->add("parent", "2", 100, "p2");
    f->shards["parent"].closed = true;
    f->add("child-1", "3", 50, "c1");  // an earlier time must not put a child before its parent
    f->shards["child-1"].parent = "parent";
    f->add("child-2", "4", 60, "c2");
    f->shards["child-2"].parent = "parent";
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    EXPECT_EQ(drain(c), (std::vector<std::string>{"p1", "p2", "c1", "c2"}));
}

TEST(Stream, AShardWhoseParentIsGoneIsARoot) {
    auto f = fake();
    f->add("old", "1", 100, "trimmed-away");
    f->shards["old"].described = false;
    f->add("orphan", "2", 200, "o2");
    f->shards["orphan"].parent = "old";
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    EXPECT_EQ(drain(c), std::vector<std::string>{"o2"});
}

TEST(Stream, LatestStartsAtTheLeavesAfterTheirLastRecord) {
    auto f = fake();
    f->add("parent", "1", 100, "old-parent");
    f->shards["parent"].closed = true;
    f->add("child", "2", 200, "old-child");
    f->shards["child"].parent = "parent";
    StreamCoordinator c(f, f->arn);
    c.move_to_latest();
    EXPECT_TRUE(drain(c).empty());
    f->add("child", "3", 300, "new");
    EXPECT_EQ(drain(c), std::vector<std::string>{"new"});
}

TEST(Stream, TokensResumeExactlyAcrossASplit) {
    auto f = fake();
    for (int i = 0; i < 5; ++i)
        f->add("parent", std::to_string(10 + i), 100, "p" + std::to_string(i));
    f->shards["parent"].closed = true;
    for (int i = 0; i < 4; ++i)
        f->add("child", std::to_string(20 + i), 200, "c" + std::to_string(i));
    f->shards["child"].parent = "parent";
    const std::vector<std::string> all{"p0", "p1", "p2", "p3", "p4", "c0", "c1", "c2", "c3"};

    for (std::size_t stop = 0; stop <= all.size(); ++stop) {
        StreamCoordinator first(f, f->arn);
        first.move_to_trim_horizon();
        std::vector<std::string> seen;
        while (seen.size() < stop) {
            auto r = first.next();
            ASSERT_TRUE(r);
            seen.push_back(r->keys->at("id").as_string());
        }
        StreamCoordinator second(f, f->arn);
        second.move_to_token(first.token());
        for (const auto& id : drain(second)) seen.push_back(id);
        EXPECT_EQ(seen, all) << "token taken after " << stop << " records";
    }
}

TEST(Stream, TokenShape) {
    auto f = fake();
    f->add("shard-a", "10", 100, "a1");
    f->add("shard-a", "11", 100, "a2");
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    (void)c.next();
    EXPECT_EQ(
        c.token(),
        R"({"stream_arn":"arn:fake:stream/1","active":["shard-a"],"shards":[{"shard_id":"shard-a",)"
        R"("iterator_type":"after_sequence","sequence_number":"10"}]})");
}

// As bloop's: every shard of the known tree, breadth-first from the roots — a child not yet read
// with its parent only, a closed ancestor of the starting shards with its id only.
TEST(Stream, TokensListTheWholeKnownTree) {
    auto f = fake();
    f->add("parent", "10", 100, "p0");
    f->shards["parent"].closed = true;
    f->add("child", "20", 200, "c0");
    f->shards["child"].parent = "parent";
    StreamCoordinator from_start(f, f->arn);
    from_start.move_to_trim_horizon();
    EXPECT_EQ(from_start.token(),
              R"({"stream_arn":"arn:fake:stream/1","active":["parent"],"shards":[)"
              R"({"shard_id":"parent","iterator_type":"trim_horizon"},)"
              R"({"shard_id":"child","parent":"parent"}]})");
    StreamCoordinator from_latest(f, f->arn);
    from_latest.move_to_latest();
    EXPECT_EQ(from_latest.token(),
              R"({"stream_arn":"arn:fake:stream/1","active":["child"],"shards":[)"
              R"({"shard_id":"parent"},)"
              R"({"shard_id":"child","iterator_type":"latest","parent":"parent"}]})");
    // Once the parent is read to its end it leaves the tree; its child is read.
    EXPECT_EQ(drain(from_start), (std::vector<std::string>{"p0", "c0"}));
    EXPECT_EQ(from_start.token(),
              R"({"stream_arn":"arn:fake:stream/1","active":["child"],"shards":[)"
              R"({"shard_id":"child","iterator_type":"after_sequence","sequence_number":"20",)"
              R"("parent":"parent"}]})");
}

// Python bloop 2.x keeps a closed shard active while its records are buffered and reads its
// children meanwhile, listing both (and the shards of every root's tree) in its token.
TEST(Stream, ReadsBloopsTokenWithAnAncestorAndItsChildBothActive) {
    auto f = fake();
    for (int i = 0; i < 4; ++i)
        f->add("parent", std::to_string(10 + i), 100, "p" + std::to_string(i));
    f->shards["parent"].closed = true;
    for (int i = 0; i < 3; ++i)
        f->add("child", std::to_string(20 + i), 200, "c" + std::to_string(i));
    f->shards["child"].parent = "parent";
    f->shards["child"].closed = true;
    f->add("grandchild", "30", 300, "g0");
    f->shards["grandchild"].parent = "child";
    // As bloop writes it: p0, p1 and c0 returned; the grandchild is known but unread.
    const std::string bloops = R"({"stream_arn":"arn:fake:stream/1","active":["child","parent"],)"
                               R"("shards":[{"shard_id":"child","iterator_type":"after_sequence",)"
                               R"("sequence_number":"20","parent":"parent"},)"
                               R"({"shard_id":"grandchild","parent":"child"},)"
                               R"({"shard_id":"parent","iterator_type":"after_sequence",)"
                               R"("sequence_number":"11"}]})";
    StreamCoordinator c(f, f->arn);
    c.move_to_token(bloops);
    // The parent finishes first; the child resumes after c0, not from its trim horizon.
    EXPECT_EQ(c.next()->keys->at("id").as_string(), "p2");
    // A token taken now lists the waiting child as bloop would, with its position.
    const std::string ours = c.token();
    EXPECT_NE(ours.find(R"("active":["parent","child"])"), std::string::npos) << ours;
    EXPECT_NE(ours.find(R"({"shard_id":"child","iterator_type":"after_sequence",)"
                        R"("sequence_number":"20","parent":"parent"})"),
              std::string::npos)
        << ours;
    EXPECT_NE(ours.find(R"({"shard_id":"grandchild","parent":"child"})"), std::string::npos)
        << "the unread grandchild stays in the tree: " << ours;
    EXPECT_EQ(drain(c), (std::vector<std::string>{"p3", "c1", "c2", "g0"}));
    StreamCoordinator resumed(f, f->arn);
    resumed.move_to_token(ours);
    EXPECT_EQ(drain(resumed), (std::vector<std::string>{"p3", "c1", "c2", "g0"}));
}

TEST(Stream, BadTokens) {
    auto f = fake();
    f->add("shard-a", "10", 100, "a1");
    StreamCoordinator c(f, f->arn);
    EXPECT_THROW(c.move_to_token("not json"), InvalidPosition);
    EXPECT_THROW(c.move_to_token(R"({"x":1})"), InvalidPosition);
    EXPECT_THROW(c.move_to_token(R"({"stream_arn":"arn:other","active":[],"shards":[]})"),
                 InvalidStream);
    EXPECT_THROW(
        c.move_to_token(R"({"stream_arn":"arn:fake:stream/1","active":["shard-zzz"],"shards":[]})"),
        InvalidStream)
        << "no relation to the actual stream";
}

TEST(Stream, AMalformedTokenIsRefusedBeforeThePositionChanges) {
    auto f = fake();
    f->add("shard-a", "10", 100, "a1");
    f->add("shard-a", "20", 100, "a2");
    f->add("shard-a", "30", 100, "a3");
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    auto first = c.next();
    while (!first) first = c.next();
    ASSERT_EQ(first->keys->at("id").as_string(), "a1");
    const std::string arn = R"("stream_arn":")" + f->arn + R"(")";
    for (
        const std::string& bad : std::vector<std::string>{
            "[]", "{" + arn + "}", "{" + arn + R"(,"active":"shard-a","shards":[]})",
            "{" + arn + R"(,"active":[1],"shards":[]})",
            "{" + arn + R"(,"active":["shard-a"],"shards":[{"shard_id":7}]})",
            "{" + arn +
                R"(,"active":["shard-a"],"shards":[{"shard_id":"shard-a","iterator_type":"at_sequence","sequence_number":"1e5"}]})",
            "{" + arn +
                R"(,"active":["shard-a"],"shards":[{"shard_id":"shard-a"},{"shard_id":"shard-a"}]})"}) {
        EXPECT_THROW(c.move_to_token(bad), InvalidPosition) << bad;
    }
    // An iterator type DynamoDB Streams does not have is bloop's InvalidShardIterator.
    try {
        c.move_to_token(
            "{" + arn +
            R"(,"active":["shard-a"],"shards":[{"shard_id":"shard-a","iterator_type":"sideways"}]})");
        FAIL();
    } catch (const InvalidShardIterator& e) {
        EXPECT_STREQ(e.what(),
                     "unknown shard iterator type \"sideways\" in the stream token of shard "
                     "shard-a (trim_horizon, latest, at_sequence or after_sequence)");
    }
    // Still where it was: the next record is the second.
    EXPECT_EQ(drain(c), (std::vector<std::string>{"a2", "a3"}));
}

TEST(Stream, ExpiredIteratorsAreReacquiredAfterTheLastRecordRead) {
    auto f = fake();
    f->page_size = 1;
    for (int i = 0; i < 4; ++i)
        f->add("shard-a", std::to_string(10 + i), 100, "r" + std::to_string(i));
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    EXPECT_EQ(c.next()->keys->at("id").as_string(), "r0");
    f->expire_issued();  // the iterator the coordinator holds expires
    EXPECT_EQ(drain(c), (std::vector<std::string>{"r1", "r2", "r3"})) << "no gap, no duplicate";
}

TEST(Stream, AnExpiredLatestIteratorThatReadNothingIsLost) {
    auto f = fake();
    f->add("shard-a", "10", 100, "old");
    StreamCoordinator c(f, f->arn);
    c.move_to_latest();
    f->expire_issued();
    EXPECT_THROW((void)c.next(), ShardIteratorExpired);
}

TEST(Stream, TrimmedRecordsMoveToTheTrimHorizonAndSaySo) {
    auto f = fake();
    for (int i = 0; i < 4; ++i)
        f->add("shard-a", std::to_string(10 + i), 100, "r" + std::to_string(i));
    StreamCoordinator first(f, f->arn);
    first.move_to_trim_horizon();
    (void)first.next();  // r0
    const std::string token = first.token();
    f->shards["shard-a"].trimmed = 2;  // r0 and r1 age out of the stream
    std::vector<std::string> warnings;
    StreamCoordinator second(f, f->arn, [&](LogLevel level, std::string_view line) {
        if (level == LogLevel::warning) warnings.emplace_back(line);
    });
    second.move_to_token(token);
    EXPECT_EQ(drain(second), (std::vector<std::string>{"r2", "r3"}));
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("trimmed"), std::string::npos) << warnings[0];
}

TEST(Stream, EmptyShardsAreReadUpToFiveCallsThenOneAPoll) {
    auto f = fake();
    f->shards["shard-a"];  // open and empty
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    EXPECT_FALSE(c.next());
    EXPECT_EQ(f->get_records_calls, 5);
    EXPECT_FALSE(c.next());
    EXPECT_EQ(f->get_records_calls, 6);
    c.heartbeat();
    EXPECT_EQ(f->get_records_calls, 7) << "heartbeat polls shards that have read nothing yet";
}

TEST(Stream, TimeSeeksSkipEarlierRecords) {
    auto f = fake();
    f->add("shard-a", "10", 100, "early");
    f->add("shard-a", "11", 200, "on-time");
    f->add("shard-a", "12", 300, "late");
    StreamCoordinator c(f, f->arn);
    c.move_to_time(std::chrono::sys_seconds(std::chrono::seconds(200)));
    StreamCoordinator resumed(f, f->arn);
    resumed.move_to_token(c.token());
    EXPECT_EQ(drain(c), (std::vector<std::string>{"on-time", "late"}));
    EXPECT_EQ(drain(resumed), (std::vector<std::string>{"on-time", "late"}))
        << "a token right after a seek is exact";
    c.move_to_time(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
                   std::chrono::hours(1));
    EXPECT_TRUE(drain(c).empty()) << "a future time is latest";
}

TEST(Stream, RefreshRenewsOldIteratorsBeforeTheyExpire) {
    auto f = fake();
    f->page_size = 1;
    for (int i = 0; i < 3; ++i)
        f->add("shard-a", std::to_string(10 + i), 100, "r" + std::to_string(i));
    f->add("shard-b", "5", 50, "b0");
    f->shards["shard-b"].closed = true;
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    EXPECT_EQ(c.next()->keys->at("id").as_string(), "b0");
    const std::size_t before_refresh = f->generation();
    c.refresh(std::chrono::milliseconds(0));  // every iterator is "old"
    f->expire_before(before_refresh);         // what was issued before the refresh expires
    EXPECT_EQ(drain(c), (std::vector<std::string>{"r0", "r1", "r2"}));
    EXPECT_EQ(f->expired_thrown, 0) << "refreshed iterators never expired";
}

TEST(Stream, TheRefresherRunsWithoutAnyoneCallingNext) {
    auto f = fake();
    f->add("shard-a", "10", 100, "r0");
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    const int before = f->iterators_issued();
    c.start_refresher(std::chrono::milliseconds(1), std::chrono::milliseconds(0));
    for (int wait = 0; wait < 5000 && f->iterators_issued() == before; ++wait) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_GT(f->iterators_issued(), before);
    EXPECT_EQ(drain(c), std::vector<std::string>{"r0"}) << "and reading still works beside it";
}

TEST(Stream, RecordsCarryTheirMeta) {
    auto f = fake();
    f->add("shard-a", "10", 1500000000, "a1", "modify");
    StreamCoordinator c(f, f->arn);
    c.move_to_trim_horizon();
    const auto r = c.next();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->event_type, "modify");
    EXPECT_EQ(r->event_id, "e-10");
    EXPECT_EQ(r->event_version, "1.1");
    EXPECT_EQ(r->sequence_number, "10");
    EXPECT_EQ(r->created_at.time_since_epoch().count(), 1500000000);
    EXPECT_FALSE(r->old_image);
}

// DescribeStream answers at most 100 shards a page: a stream of 250 is read in three requests,
// each after the last shard of the one before (ExclusiveStartShardId).
TEST(ClientStreams, DescribeStreamPagesThroughAStreamOfMoreThanAHundredShards) {
    auto transport = std::make_shared<test::FakeTransport>();
    const auto page = [](int from, int to, bool last) {
        std::string shards;
        for (int i = from; i < to; ++i) {
            if (!shards.empty()) shards += ",";
            shards += R"({"ShardId":"shard-)" + std::to_string(i) + R"("})";
        }
        return R"({"StreamDescription":{"Shards":[)" + shards + "]" +
               (last ? "" : R"(,"LastEvaluatedShardId":"shard-)" + std::to_string(to - 1) + "\"") +
               "}}";
    };
    transport->respond(200, page(0, 100, false));
    transport->respond(200, page(100, 200, false));
    transport->respond(200, page(200, 250, true));
    const auto streams = client_streams_api(Client(test::scripted_client_options(transport)));
    const auto shards = streams->describe_stream("arn:s");
    ASSERT_EQ(shards.size(), 250u);
    EXPECT_EQ(shards[249].shard_id, "shard-249");
    const auto requests = transport->requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].body, R"({"StreamArn":"arn:s"})");
    EXPECT_EQ(requests[1].body, R"({"StreamArn":"arn:s","ExclusiveStartShardId":"shard-99"})");
    EXPECT_EQ(requests[2].body, R"({"StreamArn":"arn:s","ExclusiveStartShardId":"shard-199"})");
}

}  // namespace
}  // namespace bloop
