// Stream-processor workers over a scripted stream and the real lease table in DynamoDB Local:
// reading every shard in order, parents before children; checkpoints, releases and SHARD_END as
// stored; a dead worker's lease taken from its checkpoint; balance by handoff (the owner hands a
// lease over at a batch boundary, so no two workers ever deliver one shard at once); a lease
// table that fails or stalls (the worker stops delivering before anyone may take its shard, and
// reads nothing past a checkpoint it could not save); a waiting child handed over; heartbeats;
// the shutdown deadline; the destructor waiting for run().

#include "processor_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <random>

namespace {

using namespace std::chrono_literals;
using bloop::RecordBatch;
using bloop::StreamLease;
using bloop::StreamProcessor;
using bloop::test::Clock;
using bloop::test::Entry;
using bloop::test::eventually;
using bloop::test::ProcessorFixture;
using bloop::test::RunningWorker;
using bloop::test::ShardWriter;

std::string attribute(const std::optional<bloop::Item>& item, const std::string& name) {
    if (!item) return "<no item>";
    const auto found = item->find(name);
    return found == item->end() ? "<absent>" : found->second.as_string();
}

TEST(ProcessorWorker, ReadsEveryShardInOrderParentsFirstAndLeavesReleasedLeasesWithoutAnOwner) {
    ProcessorFixture f("worker-order");
    f.streams->add("s1", "1", 1, "a");
    f.streams->add("s1", "2", 1, "b");
    f.streams->add("s1", "3", 1, "c");
    f.streams->close("s1");
    f.streams->shards["s2"].parent = "s1";
    f.streams->add("s2", "4", 2, "a");
    f.streams->add("s2", "5", 2, "b");
    StreamProcessor worker(f.engine, f.options("w1"));
    worker.subscribe<Entry>(f.deliveries.handler("w1", [](RecordBatch<Entry>& batch) {
        EXPECT_EQ(batch.stream_arn, bloop::test::kStreamArn);
        for (const auto& r : batch.records) EXPECT_TRUE(r.new_image.has_value());
    }));
    worker.run();  // returns once idle

    std::vector<std::string> order;
    for (const auto& d : f.deliveries.all())
        for (const auto& s : d.sequences) order.push_back(d.shard + ":" + s);
    EXPECT_EQ(order, (std::vector<std::string>{"s1:1", "s1:2", "s1:3", "s2:4", "s2:5"}));
    const auto s1 = f.stored("s1");
    EXPECT_EQ(attribute(s1, "checkpoint"), "SHARD_END");
    EXPECT_EQ(attribute(s1, "owner"), "<absent>");
    const auto s2 = f.stored("s2");
    EXPECT_EQ(attribute(s2, "checkpoint"), "5");
    EXPECT_EQ(attribute(s2, "owner"), "<absent>");  // released on the way out: free at once
    EXPECT_EQ(f.lease("s2").parents, std::vector<std::string>{"s1"});
}

TEST(ProcessorWorker, AFailingHandlerGetsTheSameBatchAgainAndNothingIsSkipped) {
    ProcessorFixture f("worker-retry");
    for (int i = 1; i <= 4; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    int failures = 0;
    StreamProcessor worker(f.engine, f.options("w1"));
    worker.subscribe<Entry>(f.deliveries.handler("w1", [&](RecordBatch<Entry>& batch) {
        if (batch.records.front().meta.sequence_number == "3" && failures < 2) {
            ++failures;
            throw std::runtime_error("downstream unavailable");
        }
    }));
    worker.run();
    EXPECT_EQ(failures, 2);
    EXPECT_EQ(f.deliveries.of("s1"), (std::vector<std::string>{"1", "2", "3", "4"}));
    EXPECT_EQ(attribute(f.stored("s1"), "checkpoint"), "4");
}

TEST(ProcessorWorker, ADeadWorkersLeaseIsTakenOverFromItsCheckpointAfterTheLeaseDuration) {
    ProcessorFixture f("worker-dead");
    for (int i = 1; i <= 5; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    StreamLease dead{f.consumer, f.key("s1"), "dead", {}, "2", {}, 0};
    ASSERT_TRUE(f.own_leases->write(dead).written);
    auto options = f.options("w1");
    options.idle_exit = 5s;  // past the lease duration
    StreamProcessor worker(f.engine, options);
    worker.subscribe<Entry>(f.deliveries.handler("w1"));
    worker.run();
    EXPECT_EQ(f.deliveries.of("s1"), (std::vector<std::string>{"3", "4", "5"}));
    EXPECT_EQ(attribute(f.stored("s1"), "checkpoint"), "5");
    EXPECT_EQ(f.logged("(expired, from dead) at 2").size(), 1u);
}

// Held leases are kept alive by one heartbeat item per worker, not by writing each lease: while
// idle, the leases' stored counters stand still and the heartbeat's moves; a worker whose
// heartbeat stops (killed) loses its leases after the lease duration; a clean stop deletes it.
TEST(ProcessorWorker, OneHeartbeatPerWorkerKeepsItsLeasesAndIsGoneAfterAStop) {
    ProcessorFixture f("worker-heartbeat");
    for (const char* shard : {"s1", "s2", "s3"}) f.streams->add(shard, "1", 1, "k");
    auto options = f.options("w1");
    options.lease_duration = 1500ms;
    const auto counter = [&](const std::optional<bloop::Item>& item) {
        return item ? std::stoll(item->find("counter")->second.as_number()) : -1;
    };
    const auto heartbeat = [&] {
        return bloop::test::stored_item(
            f.dynamo.client(), "bloop_stream_leases",
            bloop::Item{{"consumer", bloop::AttributeValue::string(f.consumer)},
                        {"lease", bloop::AttributeValue::string("heartbeat/w1")}});
    };
    {
        RunningWorker worker(f, options);
        ASSERT_TRUE(
            eventually([&] { return worker.held() == 3 && f.deliveries.all().size() == 3; }));
        std::this_thread::sleep_for(200ms);  // the checkpoints after the first batches
        const auto s1 = counter(f.stored("s1"));
        const auto beat = counter(heartbeat());
        ASSERT_GE(beat, 1);
        EXPECT_EQ(attribute(heartbeat(), "owner"), "w1");
        std::this_thread::sleep_for(3s);  // two lease durations, idle
        EXPECT_EQ(counter(f.stored("s1")), s1) << "an idle lease is not written";
        EXPECT_GE(counter(heartbeat()), beat + 4) << "the heartbeat moves every half second";
        EXPECT_EQ(worker.held(), 3u);
        EXPECT_EQ(f.logged("could not renew"), std::vector<std::string>{});
    }
    EXPECT_EQ(heartbeat(), std::nullopt) << "a stopped worker deletes its heartbeat";
    EXPECT_EQ(attribute(f.stored("s1"), "owner"), "<absent>");

    // A dead worker's leases and heartbeat, standing still: taken after the lease duration.
    StreamLease dead_lease = f.lease("s2");
    dead_lease.owner = "dead";
    ASSERT_TRUE(f.own_leases->write(dead_lease).written);
    StreamLease dead_beat{f.consumer, bloop::heartbeat_key("dead"), "dead", {}, "HEARTBEAT", {}, 0};
    ASSERT_TRUE(f.own_leases->write(dead_beat).written);
    auto second = f.options("w2");
    second.lease_duration = 1500ms;
    RunningWorker worker(f, second);
    ASSERT_TRUE(eventually([&] { return worker.held() == 3; }));
    EXPECT_EQ(f.logged("(expired, from dead)").size(), 1u);
}

// Stopping waits for a handler in a call only until the shutdown deadline: run() returns, the
// other shards are checkpointed and released, and the stuck shard's lease is kept (to expire)
// rather than released while its handler may still deliver.
TEST(ProcessorWorker, StoppingWaitsForAStuckHandlerOnlyUntilTheDeadline) {
    ProcessorFixture f("worker-deadline");
    f.streams->add("s1", "1", 1, "k");
    f.streams->add("s2", "1", 1, "k");
    auto options = f.options("w1");
    options.shutdown_deadline = 300ms;
    options.idle_exit.reset();
    std::atomic<bool> in_call{false}, let_go{false};
    StreamProcessor worker(f.engine, options);
    worker.subscribe<Entry>([&](RecordBatch<Entry>& batch) {
        if (batch.shard_id != "s1") return;
        in_call = true;
        while (!let_go) std::this_thread::sleep_for(5ms);
    });
    std::thread running([&] { worker.run(); });
    ASSERT_TRUE(eventually(
        [&] { return in_call.load() && attribute(f.stored("s2"), "checkpoint") == "1"; }));
    worker.stop();
    running.join();  // returns at the deadline, the handler still in its call
    EXPECT_EQ(attribute(f.stored("s1"), "owner"), "w1") << "not released while its handler runs";
    EXPECT_EQ(attribute(f.stored("s2"), "owner"), "<absent>");
    EXPECT_EQ(f.logged("did not return within the shutdown deadline").size(), 1u);
    let_go = true;  // the processor joins the handler's thread as it goes
}

// A worker holds no more than max_leases; the other shards wait for another worker, which takes
// them (its own cap permitting) without asking the capped worker for its lease.
TEST(ProcessorWorker, ACappedWorkerHoldsItsCapAndLeavesTheRestToOthers) {
    ProcessorFixture f("worker-capped");
    for (const char* shard : {"s1", "s2", "s3"}) f.streams->add(shard, "1", 1, "k");
    auto capped = f.options("w1");
    capped.max_leases = 1;
    RunningWorker first(f, capped);
    ASSERT_TRUE(eventually([&] { return first.held() == 1; }));
    std::this_thread::sleep_for(300ms);  // three more take rounds
    EXPECT_EQ(first.held(), 1u);
    int free = 0;
    for (const char* shard : {"s1", "s2", "s3"})
        free += attribute(f.stored(shard), "owner") == "<absent>";
    EXPECT_EQ(free, 2) << "stored: the capped worker's one lease, two free";
    RunningWorker second(f, f.options("w2"));
    ASSERT_TRUE(eventually([&] { return second.held() == 2; }));
    EXPECT_EQ(first.held(), 1u);
    EXPECT_EQ(f.logged("asked w1"), std::vector<std::string>{});
}

// Balancing by throughput: each lease carries its shard's records per second as its holder
// measured them (read back from the table); a worker joining asks for one busy shard, not for
// half of the leases, and nothing moves back and forth afterwards.
TEST(ProcessorWorker, BalancingByThroughputSplitsTheBusyShardsNotTheLeaseCount) {
    ProcessorFixture f("worker-throughput");
    f.streams->page_size = 100;
    const std::vector<std::string> quiet{"q1", "q2", "q3", "q4", "q5", "q6"};
    for (const auto& s : quiet) f.streams->add(s, "1", 1, "k");
    ShardWriter writer(*f.streams, {"hot1", "hot2"}, 4ms);  // about 250 records a second each
    auto options = [&](const std::string& worker) {
        auto o = f.options(worker);
        o.balance = bloop::Balance::throughput;
        return o;
    };
    RunningWorker first(f, options("w1"));
    ASSERT_TRUE(eventually([&] { return first.held() == 8; }));
    // A lease duration (the meter's window) later, the busy shards' leases say so.
    ASSERT_TRUE(eventually(
        [&] { return f.lease("hot1").throughput > 10 && f.lease("hot2").throughput > 10; }));
    for (const auto& s : quiet) EXPECT_EQ(f.lease(s).throughput, 0) << s;
    const auto stored = f.stored("hot1");
    ASSERT_TRUE(stored && stored->count("throughput"));
    EXPECT_GT(std::stod(stored->at("throughput").as_number()), 10);
    EXPECT_EQ(attribute(f.stored("q1"), "throughput"), "<absent>");

    RunningWorker second(f, options("w2"));
    ASSERT_TRUE(eventually([&] { return second.held() == 1; }));
    std::this_thread::sleep_for(1s);  // ten more take rounds of each worker
    EXPECT_EQ(first.held(), 7u);
    EXPECT_EQ(second.held(), 1u);
    std::vector<std::string> seconds;
    for (const char* s : {"hot1", "hot2", "q1", "q2", "q3", "q4", "q5", "q6"})
        if (f.lease(s).owner == "w2") seconds.emplace_back(s);
    ASSERT_EQ(seconds.size(), 1u);
    EXPECT_TRUE(seconds[0] == "hot1" || seconds[0] == "hot2") << seconds[0];
    EXPECT_EQ(f.logged("asked w1 for the lease").size(), 1u);
    EXPECT_EQ(f.logged("asked w2 for the lease").size(), 0u);
    writer.stop();
    first.stop();
    second.stop();
    EXPECT_EQ(f.deliveries.overlaps(), std::vector<std::string>{});
}

// A shard whose parent left the stream before the consumer read it starts at its trim horizon,
// said once per sync: a note on the consumer's first run (the stream's retention), a warning
// later (records the consumer never handled).
TEST(ProcessorWorker, AShardWhoseParentWasTrimmedAwayStartsAtItsTrimHorizonAndIsReported) {
    ProcessorFixture f("worker-orphans");
    f.streams->add("old", "1", 1, "gone");
    f.streams->shards["old"].described = false;  // trimmed away
    f.streams->add("orphan", "2", 2, "k");
    f.streams->shards["orphan"].parent = "old";
    f.streams->add("root", "3", 3, "k");
    RunningWorker worker(f, f.options("w1"));
    ASSERT_TRUE(eventually([&] { return f.deliveries.of("orphan").size() == 1; }));
    EXPECT_EQ(f.deliveries.of("orphan"), std::vector<std::string>{"2"});
    const auto noted = f.logged("have a parent no longer in the stream");
    ASSERT_EQ(noted.size(), 1u);
    EXPECT_NE(noted[0].find("1 shard(s) of arn:fake:stream/1 (orphan)"), std::string::npos)
        << noted[0];
    EXPECT_EQ(noted[0].find("were not handled"), std::string::npos) << noted[0];
    EXPECT_EQ(attribute(f.stored("old"), "owner"), "<no item>");

    // Later, a new shard whose parent this consumer never saw: a gap, a warning. (The worker
    // runs: the scripted stream changes under its lock.)
    f.streams->change("old2", [](auto& s) { s.described = false; });
    f.streams->change("orphan2", [](auto& s) { s.parent = "old2"; });
    f.streams->add("old2", "4", 4, "gone");
    f.streams->add("orphan2", "5", 5, "k");
    ASSERT_TRUE(eventually([&] { return f.deliveries.of("orphan2").size() == 1; }));
    const auto warned = f.logged("the parents' records were not handled");
    ASSERT_EQ(warned.size(), 1u);
    EXPECT_NE(warned[0].find("(orphan2)"), std::string::npos) << warned[0];
    EXPECT_EQ(f.logged("have a parent no longer in the stream").size(), 2u);
}

TEST(ProcessorWorker, ManualCheckpointsAreTheHandlersOnly) {
    ProcessorFixture f("worker-manual");
    for (int i = 1; i <= 4; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    auto options = f.options("w1");
    options.checkpointing = bloop::Checkpointing::manual();
    StreamProcessor worker(f.engine, options);
    worker.subscribe<Entry>([&](RecordBatch<Entry>& batch) {
        if (batch.records.front().meta.sequence_number == "1")
            batch.checkpoint(batch.records.front());
    });
    worker.run();
    EXPECT_EQ(attribute(f.stored("s1"), "checkpoint"), "1");
    EXPECT_EQ(attribute(f.stored("s1"), "owner"), "<absent>");
}

TEST(ProcessorWorker, CheckpointsEveryNRecords) {
    ProcessorFixture f("worker-every-n");
    for (int i = 1; i <= 6; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    auto options = f.options("w1");
    options.checkpointing = bloop::Checkpointing::every_records(4);
    StreamProcessor worker(f.engine, options);
    std::vector<std::string> stored_during;  // the stored checkpoint as each batch begins
    worker.subscribe<Entry>([&](RecordBatch<Entry>&) {
        stored_during.push_back(attribute(f.stored("s1"), "checkpoint"));
    });
    worker.run();
    // Pages of 2: nothing saved before the batch that reaches 4 records, then 4.
    EXPECT_EQ(stored_during, (std::vector<std::string>{"TRIM_HORIZON", "TRIM_HORIZON", "4"}));
    EXPECT_EQ(attribute(f.stored("s1"), "checkpoint"), "6");  // on release
}

TEST(ProcessorWorker, ALostLeaseStopsTheReaderAndItsCheckpointThrowsLeaseLost) {
    ProcessorFixture f("worker-lost");
    f.streams->add("s1", "1", 1, "k");
    f.streams->add("s1", "2", 1, "k");
    auto options = f.options("w1");
    options.idle_exit.reset();
    StreamProcessor worker(f.engine, options);
    std::atomic<bool> thrown{false};
    worker.subscribe<Entry>([&](RecordBatch<Entry>& batch) {
        // Another worker takes the lease while this batch is handled.
        StreamLease taken = f.lease("s1");
        taken.owner = "thief";
        EXPECT_TRUE(f.own_leases->write(taken).written);
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
    EXPECT_EQ(attribute(f.stored("s1"), "owner"), "thief");  // not released over the thief's
    EXPECT_EQ(attribute(f.stored("s1"), "checkpoint"), "TRIM_HORIZON");
}

TEST(ProcessorWorker, ALatestStartSkipsClosedShardsAndReadsOpenOnesFromTheirEnd) {
    ProcessorFixture f("worker-latest");
    f.streams->add("s1", "1", 1, "k");
    f.streams->close("s1");
    f.streams->shards["s2"].parent = "s1";
    f.streams->add("s2", "2", 1, "k");
    auto options = f.options("w1");
    options.start = bloop::latest;
    StreamProcessor worker(f.engine, options);
    worker.subscribe<Entry>(f.deliveries.handler("w1"));
    worker.run();
    EXPECT_TRUE(f.deliveries.all().empty());
    EXPECT_EQ(attribute(f.stored("s1"), "checkpoint"), "SHARD_END");
    EXPECT_EQ(attribute(f.stored("s2"), "checkpoint"), "LATEST");
}

// Four shards, two workers: the second asks for its share and the first hands leases over at
// batch boundaries; records keep arriving meanwhile, and no shard is ever delivered by both at
// once. Then the first stops and the second takes its leases as free.
TEST(ProcessorWorker, BalanceIsAHandoffAtABatchBoundaryAndAStoppedWorkersLeasesAreFreeAtOnce) {
    ProcessorFixture f("worker-balance");
    const std::vector<std::string> shards{"s1", "s2", "s3", "s4"};
    for (const auto& s : shards) f.streams->add(s, "1", 1, "k");
    const auto slow = [](RecordBatch<Entry>&) { std::this_thread::sleep_for(20ms); };
    ShardWriter writer(*f.streams, shards, 30ms, 2);  // a record a shard every 30 ms
    RunningWorker first(f, f.options("w1"), slow);
    ASSERT_TRUE(eventually([&] { return first.held() == 4; }));
    RunningWorker second(f, f.options("w2"), slow);
    EXPECT_TRUE(eventually([&] { return first.held() == 2 && second.held() == 2; }));
    EXPECT_EQ(f.logged("asked w1 for the lease").size(), 2u);
    EXPECT_EQ(f.logged("(for balance); handing it over after this batch").size(), 2u);
    EXPECT_EQ(f.logged("over to w2 at").size(), 2u);
    EXPECT_EQ(f.logged("(handed over) at").size(), 2u);

    first.stop();
    for (const auto& s : shards) {
        const auto owner = attribute(f.stored(s), "owner");
        EXPECT_TRUE(owner == "<absent>" || owner == "w2") << s << ": " << owner;
    }
    EXPECT_TRUE(eventually([&] { return second.held() == 4; }));
    EXPECT_TRUE(f.logged("(expired").empty());  // every handover was a release, none an expiry
    writer.stop();
    second.stop();

    EXPECT_EQ(f.deliveries.overlaps(), std::vector<std::string>{});
    for (const auto& s : shards) {
        // Every record handled; within the shard in order.
        const auto handled = f.deliveries.of(s);
        ASSERT_FALSE(handled.empty());
        EXPECT_EQ(handled.front(), "1") << s;
        for (std::size_t i = 1; i < handled.size(); ++i)
            EXPECT_LE(std::stoi(handled[i - 1]), std::stoi(handled[i])) << s;
        EXPECT_EQ(attribute(f.stored(s), "owner"), "<absent>") << s;
        EXPECT_EQ(attribute(f.stored(s), "checkpoint"), handled.back()) << s;
    }
}

// A child waiting for its parent, asked for by another worker, is handed over at once; when the
// parent finishes, only its new holder starts it.
TEST(ProcessorWorker, AWaitingChildHandedOverIsStartedByItsNewHolderOnly) {
    ProcessorFixture f("worker-waiting-child");
    f.streams->add("s1", "1", 1, "k");
    f.streams->shards["s2"].parent = "s1";
    f.streams->add("s2", "2", 2, "k");
    RunningWorker first(f, f.options("w1"));
    ASSERT_TRUE(eventually([&] { return first.held() == 2; }));
    RunningWorker second(f, f.options("w2"));
    ASSERT_TRUE(eventually([&] { return second.held() == 1; }));
    EXPECT_EQ(attribute(f.stored("s2"), "owner"), "w2");  // the waiting child moved
    f.streams->close("s1");                               // the parent ends: its child may start
    EXPECT_TRUE(eventually([&] { return f.deliveries.of("s2").size() == 1; }));
    std::this_thread::sleep_for(300ms);
    first.stop();
    second.stop();
    std::vector<std::string> s2_workers;
    for (const auto& d : f.deliveries.all())
        if (d.shard == "s2") s2_workers.push_back(d.worker);
    EXPECT_EQ(s2_workers, std::vector<std::string>{"w2"});
}

// The lease table fails fast (or stalls) for one worker while DynamoDB Streams still answers: it
// stops delivering before the other may take the shard, and the other continues from the
// checkpoint; no delivery of the two overlaps.
void cut_off(bloop::test::Fault fault) {
    ProcessorFixture f(std::string("worker-cut-off-") + bloop::test::fault_name(fault));
    bloop::test::FaultProxy proxy(bloop::test::endpoint(),
                                  {.rate = 0, .seed = 7, .faults = {fault}, .hold = 3s});
    bloop::ClientOptions through = bloop::testing::local_client_options(proxy.url());
    through.retry.max_attempts = 2;
    bloop::Engine cut{bloop::Client(through)};
    auto first_options = f.options("w1");
    first_options.leases = bloop::lease_table(cut, {.timeout = first_options.lease_duration / 4});
    ShardWriter writer(*f.streams, {"s1"}, 20ms);
    RunningWorker first(f, first_options);
    ASSERT_TRUE(eventually([&] { return first.held() == 1 && !f.deliveries.all().empty(); }));
    RunningWorker second(f, f.options("w2"));  // a standby
    std::this_thread::sleep_for(200ms);
    proxy.set_rate(1.0);  // w1 can no longer reach its leases
    EXPECT_TRUE(eventually([&] { return second.held() == 1; }));
    EXPECT_TRUE(eventually([&] {
        return !f.deliveries.of("s1").empty() && f.deliveries.all().back().worker == "w2";
    }));
    proxy.set_rate(0);
    writer.stop();
    const auto handled_all = [&] {
        const auto handled = f.deliveries.of("s1");
        return std::set<std::string>(handled.begin(), handled.end()).size() ==
               f.streams->shards["s1"].records.size();
    };
    EXPECT_TRUE(eventually(handled_all));
    first.stop();
    second.stop();

    EXPECT_EQ(f.deliveries.overlaps(), std::vector<std::string>{});
    EXPECT_EQ(f.logged("stopped reading it before another worker may take it").size(), 1u);
    EXPECT_EQ(f.logged("(expired, from w1)").size(), 1u);
    // w1's last delivery ended before w2's first began.
    Clock::time_point last_w1{}, first_w2 = Clock::time_point::max();
    for (const auto& d : f.deliveries.all()) {
        if (d.worker == "w1") last_w1 = std::max(last_w1, d.end);
        if (d.worker == "w2") first_w2 = std::min(first_w2, d.start);
    }
    EXPECT_LT(last_w1, first_w2);
}

// Only the heartbeat's writes fail: the busy shard, whose checkpoints succeed, is delivered on
// without a pause (its lease's writes keep it); the idle one, which nothing writes, is given up
// once the safe window passes (and taken again with a write of its own, which proves it this
// worker's); with a second worker present no delivery of the two overlaps.
TEST(ProcessorWorker, AWorkerWhoseHeartbeatFailsKeepsOnlyWhatItsLeaseWritesProve) {
    ProcessorFixture f("worker-no-heartbeat");
    bloop::test::FaultProxy proxy(bloop::test::endpoint(),
                                  {.rate = 0,
                                   .seed = 3,
                                   .faults = {bloop::test::Fault::unavailable},
                                   .matching = "HEARTBEAT"});  // heartbeat writes only
    bloop::ClientOptions through = bloop::testing::local_client_options(proxy.url());
    through.retry.max_attempts = 1;
    bloop::Engine cut{bloop::Client(through)};
    auto first_options = f.options("w1");
    first_options.lease_duration = 1500ms;
    first_options.leases = bloop::lease_table(cut, {.timeout = first_options.lease_duration / 4});
    f.streams->add("idle", "1", 1, "k");
    ShardWriter writer(*f.streams, {"busy"}, 20ms);
    RunningWorker first(f, first_options);
    ASSERT_TRUE(eventually([&] { return first.held() == 2 && !f.deliveries.of("idle").empty(); }));
    proxy.set_rate(1.0);  // w1's heartbeat can no longer be written
    ASSERT_TRUE(eventually(
        [&] { return !f.logged("could not renew the lease of " + f.key("idle")).empty(); }));
    const std::size_t busy_before = f.deliveries.of("busy").size();
    auto second_options = f.options("w2");
    second_options.lease_duration = 1500ms;
    RunningWorker second(f, second_options);
    std::this_thread::sleep_for(2s);  // more than a lease duration
    EXPECT_GT(f.deliveries.of("busy").size(), busy_before);
    EXPECT_EQ(f.logged("could not renew the lease of " + f.key("busy")), std::vector<std::string>{})
        << "its checkpoints keep it";
    writer.stop();
    EXPECT_TRUE(eventually([&] {  // nothing skipped
        const auto handled = f.deliveries.of("busy");
        return std::set<std::string>(handled.begin(), handled.end()).size() ==
               f.streams->shards["busy"].records.size();
    }));
    first.stop();
    second.stop();
    EXPECT_EQ(f.deliveries.overlaps(), std::vector<std::string>{});
}

TEST(ProcessorWorker, ALeaseTableFailingFastStopsDeliveryBeforeTheShardMayBeTaken) {
    cut_off(bloop::test::Fault::unavailable);
}

TEST(ProcessorWorker, AStalledLeaseTableStopsDeliveryBeforeTheShardMayBeTaken) {
    cut_off(bloop::test::Fault::stalled);
}

// While the lease table fails briefly, a checkpoint that could not be saved holds the reader:
// it hands out no further batch until the checkpoint is saved.
TEST(ProcessorWorker, NoBatchIsHandedOutPastACheckpointThatCouldNotBeSaved) {
    ProcessorFixture f("worker-checkpoint-held");
    bloop::test::FaultProxy proxy(
        bloop::test::endpoint(),
        {.rate = 0, .seed = 3, .faults = {bloop::test::Fault::unavailable}});
    bloop::ClientOptions through = bloop::testing::local_client_options(proxy.url());
    through.retry.max_attempts = 1;
    bloop::Engine cut{bloop::Client(through)};
    auto options = f.options("w1");
    options.idle_exit.reset();
    options.lease_duration = 6s;  // long enough to ride out the cut without giving up
    options.leases = bloop::lease_table(cut, {.timeout = 1500ms});
    StreamProcessor worker(f.engine, options);
    std::atomic<int> batches{0};
    std::atomic<int> during_cut{0};
    std::atomic<bool> cut_now{false};
    worker.subscribe<Entry>([&](RecordBatch<Entry>&) {
        ++batches;
        if (cut_now.load()) ++during_cut;
        if (batches.load() == 2) {  // its checkpoint will fail
            proxy.set_rate(1.0);
            cut_now = true;
        }
    });
    for (int i = 1; i <= 10; ++i) f.streams->add("s1", std::to_string(i), 1, "k");
    std::thread running([&] { worker.run(); });
    ASSERT_TRUE(eventually([&] { return batches.load() >= 2; }));
    std::this_thread::sleep_for(500ms);  // several checkpoint attempts fail meanwhile
    EXPECT_EQ(batches.load(), 2);
    EXPECT_GE(f.logged("could not checkpoint").size(), 1u);
    cut_now = false;
    proxy.set_rate(0);
    EXPECT_TRUE(eventually([&] { return batches.load() == 5; }));
    worker.stop();
    running.join();
    EXPECT_EQ(during_cut.load(), 0);
    EXPECT_EQ(attribute(f.stored("s1"), "checkpoint"), "10");
}

// A worker whose own lease writes stall (longer than a lease duration, its lease table
// misconfigured with a long timeout) while its listings answer: it judges other workers' leases by
// when each listing answered, so a live worker's lease is never taken as expired.
TEST(ProcessorWorker, AStalledWorkerDoesNotTakeALiveWorkersLeaseAsExpired) {
    ProcessorFixture f("worker-stale-clock");
    bloop::test::FaultProxy proxy(bloop::test::endpoint(),
                                  {.rate = 0,
                                   .seed = 9,
                                   .faults = {bloop::test::Fault::held},
                                   .hold = 4s,
                                   .matching = "UpdateExpression"});  // lease writes only
    bloop::ClientOptions through = bloop::testing::local_client_options(proxy.url());
    through.retry.max_attempts = 1;
    bloop::Engine slow{bloop::Client(through)};
    f.streams->add("s1", "1", 1, "k");
    f.streams->add("s2", "1", 1, "k");
    auto first_options = f.options("w1");
    first_options.lease_duration = 1500ms;
    auto second_options = first_options;
    second_options.worker = "w2";
    second_options.leases = bloop::lease_table(slow, {.timeout = 3s});  // twice the lease duration
    RunningWorker first(f, first_options);
    ASSERT_TRUE(eventually([&] { return first.held() == 2; }));
    RunningWorker second(f, second_options);
    ASSERT_TRUE(eventually([&] { return first.held() == 1 && second.held() == 1; }));
    proxy.set_rate(1.0);  // w2's renewals now hang for seconds; its listings still answer
    std::this_thread::sleep_for(4500ms);
    proxy.set_rate(0);
    first.stop();
    second.stop();
    EXPECT_EQ(f.logged("(expired, from w1)"), std::vector<std::string>{});
    EXPECT_EQ(f.deliveries.overlaps(), std::vector<std::string>{});
}

TEST(ProcessorWorker, DestroyingAProcessorWaitsForRunOnAnotherThread) {
    ProcessorFixture f("worker-destroyed");
    f.streams->add("s1", "1", 1, "k");
    std::mt19937 random(11);
    for (int round = 0; round < 10; ++round) {
        auto options = f.options("w" + std::to_string(round));
        options.idle_exit.reset();
        auto worker = std::make_unique<StreamProcessor>(f.engine, options);
        worker->subscribe<Entry>([](RecordBatch<Entry>&) {});
        StreamProcessor* processor = worker.get();
        std::thread running([processor] { processor->run(); });
        // run() has begun once it logs (its first listing takes the free lease).
        const std::string name = "(w" + std::to_string(round) + "): took";
        ASSERT_TRUE(eventually([&] { return !f.logged(name).empty(); }));
        std::this_thread::sleep_for(std::chrono::milliseconds(random() % 30));
        worker.reset();  // stops it and waits until run() has returned
        running.join();
        EXPECT_EQ(attribute(f.stored("s1"), "owner"), "<absent>");
    }
}

}  // namespace
