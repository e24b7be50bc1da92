// The stream processor over a scripted stream and an in-memory lease table: lease expiry,
// balancing and stealing decisions; shard lineage; workers taking, renewing, checkpointing,
// releasing and losing leases; handler retries.

#include <bloop/exceptions.hpp>
#include <bloop/stream/processor.hpp>

#include "fake_streams.hpp"
#include "memory_leases.hpp"
#include "scripted_engine.hpp"
#include "stream/lease_plan.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace processor_unit {
struct Entry {
    std::string id;
};
}  // namespace processor_unit

using processor_unit::Entry;

template <>
struct bloop::Model<Entry> {
    static constexpr Meta meta{.table_name = "ProcessorItem", .stream = StreamView::new_image};
    static constexpr auto hash_key = &Entry::id;
};

namespace {

using namespace std::chrono_literals;
using bloop::StreamLease;
using bloop::detail::LeaseClock;
using bloop::detail::LeaseExpiry;
using bloop::detail::LeaseListing;
using bloop::detail::parents_done;
using bloop::detail::plan_takes;

constexpr const char* kArn = "arn:fake:stream/1";

StreamLease lease(const std::string& shard, const std::string& owner, std::int64_t counter,
                  std::string checkpoint = "TRIM_HORIZON", std::vector<std::string> parents = {}) {
    return {
        "c",    std::string(kArn) + "/" + shard, owner, std::move(checkpoint), std::move(parents),
        counter};
}

// The leases `worker` holds, as the listing says (a worker holds what it owns in these tests).
std::set<std::string> held_by(const std::vector<StreamLease>& leases, const std::string& worker) {
    std::set<std::string> out;
    for (const auto& l : leases)
        if (l.owner == worker) out.insert(l.lease);
    return out;
}

// ---- decisions ------------------------------------------------------------------------------

TEST(LeaseExpiry, FreeLeasesAreExpiredAndOwnedOnesAfterTheirCounterStoodStillForTheDuration) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{lease("a", "", 1), lease("b", "w1", 4)};
    expiry.observe(leases, t0);
    EXPECT_TRUE(expiry.expired(leases[0], t0));
    EXPECT_FALSE(expiry.expired(leases[1], t0 + 9s));
    expiry.observe(leases, t0 + 9s);
    EXPECT_TRUE(expiry.expired(leases[1], t0 + 10s));
    // A renewal (new counter) starts the clock again.
    leases[1].counter = 5;
    expiry.observe(leases, t0 + 10s);
    EXPECT_FALSE(expiry.expired(leases[1], t0 + 19s));
    EXPECT_TRUE(expiry.expired(leases[1], t0 + 20s));
}

TEST(LeaseLineage, AChildWaitsForItsParentsLeaseToFinish) {
    std::vector<StreamLease> leases{lease("p", "w1", 3, "42"),
                                    lease("c", "", 1, "TRIM_HORIZON", {"p"})};
    EXPECT_TRUE(parents_done(leases[0], LeaseListing(leases)));
    EXPECT_FALSE(parents_done(leases[1], LeaseListing(leases)));
    leases[0].checkpoint = "SHARD_END";
    EXPECT_TRUE(parents_done(leases[1], LeaseListing(leases)));
    // A parent with no lease (trimmed away, or deleted once finished) does not hold it back.
    leases.erase(leases.begin());
    EXPECT_TRUE(parents_done(leases[0], LeaseListing(leases)));
}

TEST(LeasePlan, TakesFreeAndExpiredLeasesUpToItsShareReadableOnesFirst) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    const std::vector<StreamLease> leases{
        lease("a", "", 1, "SHARD_END"),  // finished: not counted
        lease("b", "", 1, "TRIM_HORIZON", {"x"}),
        lease("x", "w1", 1),
        lease("y", "", 1),
        lease("z", "", 1),
    };
    expiry.observe(leases, t0);
    const auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"));
    EXPECT_EQ(plan.target, 2u);  // 4 unfinished leases, workers w1 and me
    EXPECT_EQ(plan.take,
              (std::vector<std::string>{std::string(kArn) + "/y", std::string(kArn) + "/z"}));
    EXPECT_FALSE(plan.steal);
}

TEST(LeasePlan, StealsOneLeaseFromTheMostLoadedWorkerOnlyWhenItHoldsMoreThanItsShare) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{lease("a", "w1", 1), lease("b", "w1", 1), lease("c", "w1", 1),
                                    lease("d", "w2", 1)};
    expiry.observe(leases, t0);
    auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"));
    EXPECT_EQ(plan.target, 2u);
    EXPECT_TRUE(plan.take.empty());
    ASSERT_TRUE(plan.steal);
    EXPECT_EQ(plan.victim, "w1");
    EXPECT_EQ(*plan.steal, std::string(kArn) + "/c");

    // w1 at its share and me one short: no stealing back and forth.
    leases[2].owner = "me";
    expiry.observe(leases, t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "w2", held_by(leases, "w2"));
    EXPECT_EQ(plan.target, 2u);
    EXPECT_FALSE(plan.steal);

    // Two short of a share held exactly by another: one is stolen.
    leases = {lease("a", "w1", 1), lease("b", "w1", 1), lease("c", "w2", 1), lease("d", "w2", 1)};
    expiry.observe(leases, t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"));
    EXPECT_EQ(plan.target, 2u);
    EXPECT_TRUE(plan.steal);
}

TEST(LeasePlan, ADeadWorkersLeasesAreTakenAfterTheLeaseDurationAndItNoLongerCountsAsAWorker) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    const std::vector<StreamLease> leases{lease("a", "dead", 7), lease("b", "dead", 7),
                                          lease("c", "me", 3)};
    expiry.observe(leases, t0);
    EXPECT_TRUE(plan_takes(LeaseListing(leases), expiry, t0 + 5s, "me", held_by(leases, "me"))
                    .take.empty());
    expiry.observe(leases, t0 + 5s);
    const auto plan =
        plan_takes(LeaseListing(leases), expiry, t0 + 10s, "me", held_by(leases, "me"));
    EXPECT_EQ(plan.target, 3u);
    EXPECT_EQ(plan.take.size(), 2u);
}

TEST(LeasePlan, LeasesOwnedUnderThisWorkersNameButNotHeldAreTakenAtOnce) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    const std::vector<StreamLease> leases{lease("a", "me", 7), lease("b", "other", 3)};
    expiry.observe(leases, t0);
    const auto plan =
        plan_takes(LeaseListing(leases), expiry, t0, "me", {});  // restarted: holds nothing yet
    EXPECT_EQ(plan.take, std::vector<std::string>{std::string(kArn) + "/a"});
}

// ---- workers --------------------------------------------------------------------------------

// A bound Entry (its DescribeTable scripted) whose stream is `kArn`.
struct Fixture {
    bloop::test::ScriptedEngine scripted;
    std::shared_ptr<bloop::test::FakeStreams> streams =
        std::make_shared<bloop::test::FakeStreams>();
    std::shared_ptr<bloop::test::MemoryLeases> leases =
        std::make_shared<bloop::test::MemoryLeases>();
    std::mutex mutex;
    std::vector<std::string> log;  // the processor's log lines

    Fixture() {
        scripted.transport->respond(
            400,
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceInUseException","message":"Table already exists"})");
        scripted.transport->respond(200,
                                    R"({"Table":{"TableName":"ProcessorItem","TableStatus":"ACTIVE",
                "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
                "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},
                "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},
                "LatestStreamArn":"arn:fake:stream/1"}})");
        scripted.engine.bind<Entry>();
        streams->page_size = 2;
    }

    bloop::ProcessorOptions options(const std::string& worker) {
        bloop::ProcessorOptions o;
        o.consumer = "c";
        o.worker = worker;
        o.lease_duration = 300ms;
        o.take_interval = 50ms;
        o.shard_sync_interval = 100ms;
        o.idle_poll = 10ms;
        o.max_retry_backoff = 20ms;
        o.idle_exit = 400ms;
        o.leases = leases;
        o.streams = streams;
        return o;
    }
};

// Records handled, by shard, as "<seq>".
struct Handled {
    std::mutex mutex;
    std::map<std::string, std::vector<std::string>> by_shard;
    std::vector<std::string> order;  // "<shard>:<seq>" in handling order
    void add(const bloop::RecordBatch<Entry>& batch) {
        std::lock_guard lock(mutex);
        for (const auto& r : batch.records) {
            by_shard[batch.shard_id].push_back(r.meta.sequence_number);
            order.push_back(batch.shard_id + ":" + r.meta.sequence_number);
        }
    }
};

TEST(StreamProcessor, ReadsEveryShardInOrderParentsBeforeChildrenAndCheckpointsEachBatch) {
    Fixture f;
    f.streams->add("s1", "1", 1, "a");
    f.streams->add("s1", "2", 1, "b");
    f.streams->add("s1", "3", 1, "c");
    f.streams->close("s1");
    f.streams->shards["s2"].parent = "s1";
    f.streams->add("s2", "4", 2, "a");
    f.streams->add("s2", "5", 2, "b");
    Handled handled;
    bloop::StreamProcessor worker(f.scripted.engine, f.options("w1"));
    worker.subscribe<Entry>([&](bloop::RecordBatch<Entry>& batch) {
        EXPECT_EQ(batch.stream_arn, kArn);
        for (const auto& r : batch.records) EXPECT_TRUE(r.new_image.has_value());
        handled.add(batch);
    });
    worker.run();  // returns once idle

    EXPECT_EQ(handled.order, (std::vector<std::string>{"s1:1", "s1:2", "s1:3", "s2:4", "s2:5"}));
    EXPECT_EQ(f.leases->get(std::string(kArn) + "/s1").checkpoint, "SHARD_END");
    const StreamLease s2 = f.leases->get(std::string(kArn) + "/s2");
    EXPECT_EQ(s2.checkpoint, "5");
    EXPECT_EQ(s2.owner, "");  // released on the way out
    EXPECT_EQ(s2.parents, std::vector<std::string>{"s1"});
    // Every batch was checkpointed: 2 records a page.
    std::vector<std::string> checkpoints;
    for (const auto& w : f.leases->writes())
        if (w.lease == std::string(kArn) + "/s1") checkpoints.push_back(w.checkpoint);
    EXPECT_NE(std::find(checkpoints.begin(), checkpoints.end(), "2"), checkpoints.end());
    EXPECT_EQ(checkpoints.back(), "SHARD_END");
}

TEST(StreamProcessor, AFailingHandlerGetsTheSameBatchAgainAndNothingIsSkipped) {
    Fixture f;
    for (int i = 1; i <= 4; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    Handled handled;
    int failures = 0;
    bloop::StreamProcessor worker(f.scripted.engine, f.options("w1"));
    worker.subscribe<Entry>([&](bloop::RecordBatch<Entry>& batch) {
        if (batch.records.front().meta.sequence_number == "3" && failures < 2) {
            ++failures;
            throw std::runtime_error("downstream unavailable");
        }
        handled.add(batch);
    });
    worker.run();
    EXPECT_EQ(failures, 2);
    EXPECT_EQ(handled.by_shard["s1"], (std::vector<std::string>{"1", "2", "3", "4"}));
    EXPECT_EQ(f.leases->get(std::string(kArn) + "/s1").checkpoint, "4");
}

TEST(StreamProcessor, ADeadWorkersLeaseIsTakenOverFromItsCheckpoint) {
    Fixture f;
    for (int i = 1; i <= 5; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    f.leases->put(lease("s1", "dead", 9, "2"));
    Handled handled;
    bloop::StreamProcessor worker(f.scripted.engine, f.options("w1"));
    worker.subscribe<Entry>([&](bloop::RecordBatch<Entry>& batch) { handled.add(batch); });
    worker.run();
    EXPECT_EQ(handled.by_shard["s1"], (std::vector<std::string>{"3", "4", "5"}));
    EXPECT_EQ(f.leases->get(std::string(kArn) + "/s1").checkpoint, "5");
}

TEST(StreamProcessor, ManualCheckpointsAreTheHandlersOnly) {
    Fixture f;
    for (int i = 1; i <= 4; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    auto options = f.options("w1");
    options.checkpointing = bloop::Checkpointing::manual();
    bloop::StreamProcessor worker(f.scripted.engine, options);
    worker.subscribe<Entry>([&](bloop::RecordBatch<Entry>& batch) {
        if (batch.records.front().meta.sequence_number == "1")
            batch.checkpoint(batch.records.front());
    });
    worker.run();
    const StreamLease s1 = f.leases->get(std::string(kArn) + "/s1");
    EXPECT_EQ(s1.checkpoint, "1");
    EXPECT_EQ(s1.owner, "");
}

TEST(StreamProcessor, CheckpointsEveryNRecords) {
    Fixture f;
    for (int i = 1; i <= 6; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    auto options = f.options("w1");
    options.checkpointing = bloop::Checkpointing::every_records(4);
    bloop::StreamProcessor worker(f.scripted.engine, options);
    worker.subscribe<Entry>([&](bloop::RecordBatch<Entry>&) {});
    worker.run();
    std::vector<std::string> checkpoints;
    for (const auto& w : f.leases->writes())
        if (checkpoints.empty() || checkpoints.back() != w.checkpoint)
            checkpoints.push_back(w.checkpoint);
    // Created at the trim horizon, checkpointed after 4 records, then at the last on release.
    EXPECT_EQ(checkpoints, (std::vector<std::string>{"TRIM_HORIZON", "4", "6"}));
}

TEST(StreamProcessor, ALostLeaseStopsTheReaderAndItsCheckpointThrowsLeaseLost) {
    Fixture f;
    f.streams->add("s1", "1", 1, "k");
    f.streams->add("s1", "2", 1, "k");
    auto options = f.options("w1");
    options.idle_exit.reset();
    bloop::StreamProcessor worker(f.scripted.engine, options);
    std::atomic<bool> thrown{false};
    worker.subscribe<Entry>([&](bloop::RecordBatch<Entry>& batch) {
        // Another worker takes the lease while this batch is handled.
        StreamLease taken = f.leases->get(std::string(kArn) + "/s1");
        taken.owner = "thief";
        taken.counter += 100;
        f.leases->put(taken);
        try {
            batch.checkpoint();
        } catch (const bloop::LeaseLost&) {
            thrown = true;
            worker.stop();
            throw;
        }
    });
    worker.run();
    EXPECT_TRUE(thrown);
    const StreamLease s1 = f.leases->get(std::string(kArn) + "/s1");
    EXPECT_EQ(s1.owner, "thief");  // not released over the thief's lease
    EXPECT_EQ(s1.checkpoint, "TRIM_HORIZON");
}

TEST(StreamProcessor, ALatestStartSkipsClosedShardsAndReadsOpenOnesFromTheirEnd) {
    Fixture f;
    f.streams->add("s1", "1", 1, "k");
    f.streams->close("s1");
    f.streams->shards["s2"].parent = "s1";
    f.streams->add("s2", "2", 1, "k");
    auto options = f.options("w1");
    options.start = bloop::latest;
    Handled handled;
    bloop::StreamProcessor worker(f.scripted.engine, options);
    worker.subscribe<Entry>([&](bloop::RecordBatch<Entry>& batch) { handled.add(batch); });
    worker.run();
    EXPECT_TRUE(handled.order.empty());
    EXPECT_EQ(f.leases->get(std::string(kArn) + "/s1").checkpoint, "SHARD_END");
    EXPECT_EQ(f.leases->get(std::string(kArn) + "/s2").checkpoint, "LATEST");
}

TEST(StreamProcessor, WorkersShareTheShardsAndAStoppedWorkersShardsMoveOn) {
    Fixture f;
    for (const char* shard : {"s1", "s2", "s3", "s4"}) f.streams->add(shard, "1", 1, "k");
    auto first_options = f.options("w1");
    first_options.idle_exit.reset();
    auto second_options = f.options("w2");
    second_options.idle_exit.reset();
    Handled handled;
    bloop::StreamProcessor first(f.scripted.engine, first_options);
    bloop::StreamProcessor second(f.scripted.engine, second_options);
    first.subscribe<Entry>([&](bloop::RecordBatch<Entry>& batch) { handled.add(batch); });
    second.subscribe<Entry>([&](bloop::RecordBatch<Entry>& batch) { handled.add(batch); });

    const auto wait_for = [](auto condition) {
        const auto deadline = LeaseClock::now() + 30s;
        while (!condition() && LeaseClock::now() < deadline) std::this_thread::sleep_for(10ms);
        return condition();
    };
    std::thread one([&] { first.run(); });
    ASSERT_TRUE(wait_for([&] { return first.held() == 4; }));
    std::thread two([&] { second.run(); });
    // The second steals its share, one lease a round.
    EXPECT_TRUE(wait_for([&] { return first.held() == 2 && second.held() == 2; }));
    first.stop();
    one.join();
    EXPECT_TRUE(wait_for([&] { return second.held() == 4; }));
    second.stop();
    two.join();
    for (const char* shard : {"s1", "s2", "s3", "s4"}) {
        EXPECT_EQ(handled.by_shard[shard].front(), "1") << shard;
        const StreamLease l = f.leases->get(std::string(kArn) + "/" + shard);
        EXPECT_EQ(l.checkpoint, "1") << shard;
        EXPECT_EQ(l.owner, "") << shard;
    }
}

TEST(StreamProcessor, RefusesBadOptionsAndModelsWithoutAStream) {
    Fixture f;
    auto options = f.options("w1");
    options.consumer.clear();
    EXPECT_THROW(bloop::StreamProcessor(f.scripted.engine, options), bloop::InvalidArgument);
    options = f.options("w1");
    options.lease_duration = 0ms;
    EXPECT_THROW(bloop::StreamProcessor(f.scripted.engine, options), bloop::InvalidArgument);
    bloop::StreamProcessor worker(f.scripted.engine, f.options("w1"));
    EXPECT_THROW(worker.run(), bloop::InvalidArgument);  // nothing subscribed
}

TEST(StreamProcessor, RefusesSubscribingOrASecondRunWhileRunning) {
    Fixture f;
    f.streams->add("s1", "1", 1, "k");
    auto options = f.options("w1");
    options.idle_exit.reset();
    bloop::StreamProcessor worker(f.scripted.engine, options);
    std::atomic<int> batches{0};
    worker.subscribe<Entry>([&](bloop::RecordBatch<Entry>&) { ++batches; });
    std::thread running([&] { worker.run(); });
    const auto deadline = LeaseClock::now() + 30s;
    while (worker.held() == 0 && LeaseClock::now() < deadline) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(worker.held(), 1u);
    EXPECT_THROW(worker.subscribe<Entry>([](bloop::RecordBatch<Entry>&) {}),
                 bloop::InvalidArgument);
    EXPECT_THROW(worker.run(), bloop::InvalidArgument);
    worker.stop();
    running.join();
    EXPECT_EQ(f.leases->get(std::string(kArn) + "/s1").owner, "");  // the first run released it
}

}  // namespace
