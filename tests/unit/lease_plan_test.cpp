// What a stream-processor worker decides from a listing of its consumer's leases, with no
// requests: lease expiry by each worker's own clock, shard lineage, taking free and expired leases,
// asking the most loaded worker for one (a handoff), and who counts as a worker.

#include <bloop/stream/lease.hpp>

#include "stream/lease_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

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
    return {"c",    std::string(kArn) + "/" + shard, owner,
            {},     std::move(checkpoint),           std::move(parents),
            counter};
}

// `keys` in order (a worker takes leases in an order of its own).
std::vector<std::string> sorted(std::vector<std::string> keys) {
    std::sort(keys.begin(), keys.end());
    return keys;
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
    expiry.observe(LeaseListing(leases), t0);
    EXPECT_TRUE(expiry.expired(leases[0], LeaseListing(leases), t0));
    EXPECT_FALSE(expiry.expired(leases[1], LeaseListing(leases), t0 + 9s));
    expiry.observe(LeaseListing(leases), t0 + 9s);
    EXPECT_TRUE(expiry.expired(leases[1], LeaseListing(leases), t0 + 10s));
    // A renewal (new counter) starts the clock again.
    leases[1].counter = 5;
    expiry.observe(LeaseListing(leases), t0 + 10s);
    EXPECT_FALSE(expiry.expired(leases[1], LeaseListing(leases), t0 + 19s));
    EXPECT_TRUE(expiry.expired(leases[1], LeaseListing(leases), t0 + 20s));
}

StreamLease heartbeat(const std::string& worker, std::int64_t counter) {
    return {"c", bloop::heartbeat_key(worker), worker, {}, "HEARTBEAT", {}, counter};
}

TEST(LeaseExpiry, AnOwnersMovingHeartbeatKeepsItsLeasesAliveAndItsSilenceExpiresThemAll) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> items{lease("a", "w1", 4), lease("b", "w1", 9), heartbeat("w1", 1)};
    expiry.observe(LeaseListing(items), t0);
    items[2].counter = 2;  // the heartbeat moves; the leases' counters stand still
    expiry.observe(LeaseListing(items), t0 + 8s);
    {
        const LeaseListing listing(items);
        EXPECT_FALSE(expiry.expired(listing.all()[0], listing, t0 + 12s));
        EXPECT_FALSE(expiry.expired(listing.all()[1], listing, t0 + 12s));
        EXPECT_EQ(listing.all().size(), 2u) << "a heartbeat is no shard's lease";
        EXPECT_EQ(listing.heartbeat("w1")->counter, 2);
    }
    expiry.observe(LeaseListing(items), t0 + 15s);
    const LeaseListing listing(items);
    EXPECT_FALSE(expiry.expired(listing.all()[0], listing, t0 + 17s));
    EXPECT_TRUE(expiry.expired(listing.all()[0], listing, t0 + 18s));
    EXPECT_TRUE(expiry.expired(listing.all()[1], listing, t0 + 18s));
    const auto plan = plan_takes(listing, expiry, t0 + 18s, "me", {});
    EXPECT_EQ(plan.target, 2u) << "w1 no longer counts; heartbeats are not leases";
    EXPECT_EQ(plan.take.size(), 2u);
}

TEST(LeaseExpiry, ALeaseJustWrittenIsAliveWhateverItsOwnersHeartbeatSays) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> items{lease("a", "w1", 4), heartbeat("w1", 1)};
    expiry.observe(LeaseListing(items), t0);
    items[0].counter = 5;  // taken or checkpointed while the heartbeat stalls
    expiry.observe(LeaseListing(items), t0 + 9s);
    const LeaseListing listing(items);
    EXPECT_FALSE(expiry.expired(listing.all()[0], listing, t0 + 12s));
    EXPECT_TRUE(expiry.expired(listing.all()[0], listing, t0 + 19s));
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
    expiry.observe(LeaseListing(leases), t0);
    const auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"));
    EXPECT_EQ(plan.target, 2u);  // 4 unfinished leases, workers w1 and me
    EXPECT_EQ(sorted(plan.take),
              (std::vector<std::string>{std::string(kArn) + "/y", std::string(kArn) + "/z"}));
    EXPECT_TRUE(plan.steals.empty());
}

TEST(LeasePlan, StealsOneLeaseFromTheMostLoadedWorkerOnlyWhenItHoldsMoreThanItsShare) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{lease("a", "w1", 1), lease("b", "w1", 1), lease("c", "w1", 1),
                                    lease("d", "w2", 1)};
    expiry.observe(LeaseListing(leases), t0);
    auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"));
    EXPECT_EQ(plan.target, 2u);
    EXPECT_TRUE(plan.take.empty());
    ASSERT_EQ(plan.steals.size(), 1u);
    EXPECT_EQ(plan.steals[0].victim, "w1");
    EXPECT_EQ(plan.steals[0].lease, std::string(kArn) + "/c");

    // w1 at its share and me one short: no stealing back and forth.
    leases[2].owner = "me";
    expiry.observe(LeaseListing(leases), t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "w2", held_by(leases, "w2"));
    EXPECT_EQ(plan.target, 2u);
    EXPECT_TRUE(plan.steals.empty());

    // Two short of a share held exactly by another: one is stolen.
    leases = {lease("a", "w1", 1), lease("b", "w1", 1), lease("c", "w2", 1), lease("d", "w2", 1)};
    expiry.observe(LeaseListing(leases), t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"));
    EXPECT_EQ(plan.target, 2u);
    EXPECT_EQ(plan.steals.size(), 1u);
}

TEST(LeasePlan, ANewWorkerAsksForItsWholeShareInOneRoundAndAWorkerWithAHeartbeatCountsAtOnce) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> items;
    for (int i = 0; i < 10; ++i) items.push_back(lease("s" + std::to_string(i), "w1", 1));
    items.push_back(heartbeat("me", 1));
    expiry.observe(LeaseListing(items), t0);
    auto plan = plan_takes(LeaseListing(items), expiry, t0, "me", {});
    EXPECT_EQ(plan.target, 5u);
    ASSERT_EQ(plan.steals.size(), 5u) << "not one lease a round: w1's whole excess";
    for (const auto& ask : plan.steals) EXPECT_EQ(ask.victim, "w1");

    // Four free leases, and w2 started (its heartbeat moves) but holds none yet: me takes its
    // share only.
    items = {lease("a", "", 1), lease("b", "", 1), lease("c", "", 1), lease("d", "", 1),
             heartbeat("w2", 3)};
    expiry.observe(LeaseListing(items), t0);
    plan = plan_takes(LeaseListing(items), expiry, t0, "me", {});
    EXPECT_EQ(plan.target, 2u);
    EXPECT_EQ(plan.take.size(), 2u);
    // A heartbeat that stood still for the safe window (two thirds of the lease duration) is of
    // a worker that stopped delivering: it counts for no share, so the free leases are all taken.
    expiry.observe(LeaseListing(items), t0 + 7s);
    plan = plan_takes(LeaseListing(items), expiry, t0 + 7s, "me", {});
    EXPECT_EQ(plan.target, 4u);
    EXPECT_EQ(plan.take.size(), 4u);
}

TEST(LeasePlan, AStoppedWorkersLeasesWaitForTheLeaseDurationButItsShareGoesToTheLiveOnes) {
    LeaseExpiry expiry(9s);
    const auto t0 = LeaseClock::now();
    const std::vector<StreamLease> items{lease("a", "w1", 4), lease("b", "", 1), lease("c", "", 1),
                                         heartbeat("w1", 2)};
    expiry.observe(LeaseListing(items), t0);
    auto plan = plan_takes(LeaseListing(items), expiry, t0 + 5s, "me", {});
    EXPECT_EQ(plan.target, 2u) << "w1 counts while its heartbeat is recent";
    EXPECT_EQ(plan.take.size(), 2u);
    plan = plan_takes(LeaseListing(items), expiry, t0 + 6s, "me", {});
    EXPECT_EQ(plan.target, 3u);
    EXPECT_EQ(sorted(plan.take),
              (std::vector<std::string>{std::string(kArn) + "/b", std::string(kArn) + "/c"}))
        << "w1's own lease is not taken before the lease duration";
    plan = plan_takes(LeaseListing(items), expiry, t0 + 9s, "me", {});
    EXPECT_EQ(plan.take.size(), 3u);
}

TEST(LeasePlan, ADeadWorkersLeasesAreTakenAfterTheLeaseDurationAndItNoLongerCountsAsAWorker) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    const std::vector<StreamLease> leases{lease("a", "dead", 7), lease("b", "dead", 7),
                                          lease("c", "me", 3)};
    expiry.observe(LeaseListing(leases), t0);
    EXPECT_TRUE(plan_takes(LeaseListing(leases), expiry, t0 + 5s, "me", held_by(leases, "me"))
                    .take.empty());
    expiry.observe(LeaseListing(leases), t0 + 5s);
    const auto plan =
        plan_takes(LeaseListing(leases), expiry, t0 + 10s, "me", held_by(leases, "me"));
    EXPECT_EQ(plan.target, 3u);
    EXPECT_EQ(plan.take.size(), 2u);
}

TEST(LeasePlan, ACappedWorkerTakesNoMoreThanItsCapAndReleasesItsOwnBeyondIt) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    const std::vector<StreamLease> leases{lease("a", "me", 7), lease("b", "me", 3),
                                          lease("c", "me", 2), lease("d", "", 1)};
    expiry.observe(LeaseListing(leases), t0);
    const auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {}, {.max_leases = 1});
    EXPECT_EQ(plan.target, 4u);
    EXPECT_EQ(plan.take.size(), 1u);
    EXPECT_EQ(plan.release.size(), 2u) << "its own leases beyond the cap go back";
    EXPECT_TRUE(plan.steals.empty());
}

TEST(LeasePlan, LeasesOwnedUnderThisWorkersNameButNotHeldAreTakenAtOnce) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    const std::vector<StreamLease> leases{lease("a", "me", 7), lease("b", "other", 3)};
    expiry.observe(LeaseListing(leases), t0);
    const auto plan =
        plan_takes(LeaseListing(leases), expiry, t0, "me", {});  // restarted: holds nothing yet
    EXPECT_EQ(sorted(plan.take), std::vector<std::string>{std::string(kArn) + "/a"});
}

TEST(LeasePlan, AsksForALeaseOnlyWhereNoHandoffIsPendingAndCountsAPendingOneAsTheTakers) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{lease("a", "w1", 1), lease("b", "w1", 1), lease("c", "w1", 1),
                                    lease("d", "w1", 1)};
    leases[3].next_owner = "me";  // asked for earlier, not handed over yet
    expiry.observe(LeaseListing(leases), t0);
    auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {});
    EXPECT_EQ(plan.target, 2u);
    ASSERT_EQ(plan.steals.size(), 1u);  // one more: w1 still counts 3
    EXPECT_EQ(plan.steals[0].lease, std::string(kArn) + "/c");

    // Both asked for: nothing more to ask.
    leases[2].next_owner = "me";
    expiry.observe(LeaseListing(leases), t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {});
    EXPECT_TRUE(plan.steals.empty());
    EXPECT_TRUE(plan.take.empty());

    // A third worker does not ask for a lease already being handed to another.
    leases = {lease("a", "w1", 1), lease("b", "w1", 1), lease("c", "w1", 1)};
    leases[2].next_owner = "w2";
    expiry.observe(LeaseListing(leases), t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {});
    EXPECT_EQ(plan.target, 1u);  // w1, w2 (receiving) and me
    ASSERT_EQ(plan.steals.size(), 1u);
    EXPECT_NE(plan.steals[0].lease, std::string(kArn) + "/c");
}

TEST(LeasePlan, ALeaseWhoseOwnerStoppedAnsweringAHandoffExpiresLikeAnyOther) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{lease("a", "dead", 4), lease("b", "me", 2)};
    leases[0].next_owner = "me";
    expiry.observe(LeaseListing(leases), t0);
    EXPECT_TRUE(plan_takes(LeaseListing(leases), expiry, t0 + 9s, "me", {std::string(kArn) + "/b"})
                    .take.empty());
    const auto plan =
        plan_takes(LeaseListing(leases), expiry, t0 + 10s, "me", {std::string(kArn) + "/b"});
    EXPECT_EQ(sorted(plan.take), std::vector<std::string>{std::string(kArn) + "/a"});
}

}  // namespace

// ---- balancing by throughput ----------------------------------------------------------------

StreamLease busy(const std::string& shard, const std::string& owner, double throughput) {
    StreamLease l = lease(shard, owner, 1);
    l.throughput = throughput;
    return l;
}

// The leases a plan asks for, by shard id.
std::vector<std::string> asked(const bloop::detail::TakePlan& plan) {
    std::vector<std::string> out;
    for (const auto& s : plan.steals) out.push_back(s.lease.substr(s.lease.rfind('/') + 1));
    std::sort(out.begin(), out.end());
    return out;
}

constexpr bloop::detail::BalanceRule kByThroughput{.by_throughput = true};

// Whether neither `me` nor w1 asks the other for a lease (balancing by throughput).
bool settled(const std::vector<StreamLease>& leases, LeaseExpiry& expiry,
             LeaseClock::time_point t0) {
    expiry.observe(LeaseListing(leases), t0);
    for (const char* worker : {"me", "w1"}) {
        if (!plan_takes(LeaseListing(leases), expiry, t0, worker, held_by(leases, worker),
                        kByThroughput)
                 .steals.empty())
            return false;
    }
    return true;
}

TEST(LeasePlanByThroughput, AWorkerAsksForTheBusyShardNotForItsShareOfLeases) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    // w1 holds two busy shards and six quiet ones; me holds nothing yet.
    std::vector<StreamLease> leases{busy("hot1", "w1", 100), busy("hot2", "w1", 100)};
    for (const char* id : {"q1", "q2", "q3", "q4", "q5", "q6"}) leases.push_back(busy(id, "w1", 0));
    expiry.observe(LeaseListing(leases), t0);
    const auto by_count = plan_takes(LeaseListing(leases), expiry, t0, "me", {});
    EXPECT_EQ(by_count.steals.size(), 4u);  // its share of leases, whichever they are

    const auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {}, kByThroughput);
    ASSERT_EQ(plan.steals.size(), 1u);  // one busy shard evens the loads out
    EXPECT_EQ(plan.steals[0].victim, "w1");
    EXPECT_TRUE(plan.steals[0].lease.ends_with("/hot1") || plan.steals[0].lease.ends_with("/hot2"))
        << plan.steals[0].lease;

    // Handed over: neither worker asks the other for anything (no back and forth).
    leases[0].owner = "me";
    EXPECT_TRUE(settled(leases, expiry, t0));
}

TEST(LeasePlanByThroughput, QuietShardsAreSharedByCountAndAnOddOneDoesNotMoveBackAndForth) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases;
    for (const char* id : {"a", "b", "c", "d", "e", "f", "g", "h", "i"})
        leases.push_back(busy(id, "w1", 0));
    expiry.observe(LeaseListing(leases), t0);
    auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {}, kByThroughput);
    EXPECT_EQ(plan.steals.size(), 4u);  // 9 quiet leases: 5 and 4

    for (std::size_t i = 0; i < 4; ++i) leases[i].owner = "me";
    EXPECT_TRUE(settled(leases, expiry, t0));
}

TEST(LeasePlanByThroughput, AGapWithinTheThresholdIsLeftAloneAndTheClosestFitIsAskedFor) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    // w1: 60 + 30 + 24 = 114, me: 86. Mean 100: moving 24 narrows the gap from 28 to 20, less
    // than the threshold's 10% of the mean; the others would widen it.
    std::vector<StreamLease> leases{busy("a", "w1", 60), busy("b", "w1", 30), busy("c", "w1", 24),
                                    busy("m", "me", 86)};
    expiry.observe(LeaseListing(leases), t0);
    EXPECT_TRUE(
        plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"), kByThroughput)
            .steals.empty());
    // me at 40 instead: the gap is 74; 30 narrows it most (to 14), better than 24 (to 26) and
    // 60 (to 46).
    leases[3].throughput = 40;
    expiry.observe(LeaseListing(leases), t0);
    auto plan =
        plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"), kByThroughput);
    EXPECT_EQ(asked(plan), std::vector<std::string>{"b"});
    // A lower threshold acts on the smaller gap too.
    leases[3].throughput = 86;
    expiry.observe(LeaseListing(leases), t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", held_by(leases, "me"),
                      {.by_throughput = true, .threshold = 0.05});
    EXPECT_EQ(asked(plan), std::vector<std::string>{"c"});
}

TEST(LeasePlanByThroughput, AsksSeveralWorkersAboveTheMeanAndStaysWithinItsCap) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{busy("a", "w1", 50), busy("b", "w1", 50), busy("c", "w2", 50),
                                    busy("d", "w2", 50), busy("e", "w3", 10)};
    expiry.observe(LeaseListing(leases), t0);
    // Mean of four workers (me included): 52.5. One lease of w1 or w2 brings me to 50; a second
    // would overshoot the gap.
    auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {}, kByThroughput);
    ASSERT_EQ(plan.steals.size(), 1u);
    EXPECT_NE(plan.steals[0].victim, "w3");
    // Five hot shards on one worker, three workers idle: each asks for some, none beyond its cap.
    leases = {busy("a", "w1", 50), busy("b", "w1", 50), busy("c", "w1", 50), busy("d", "w1", 50),
              busy("e", "w1", 50)};
    expiry.observe(LeaseListing(leases), t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {}, kByThroughput);
    EXPECT_EQ(plan.steals.size(), 2u);  // mean 125 with two workers
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {},
                      {.max_leases = 1, .by_throughput = true});
    EXPECT_EQ(plan.steals.size(), 1u);
}

TEST(LeasePlanByThroughput, APendingHandoffCountsForTheTakerAndIsNotAskedForAgain) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{busy("a", "w1", 100), busy("b", "w1", 100)};
    leases[0].next_owner = "w2";  // w2 asked for it
    expiry.observe(LeaseListing(leases), t0);
    LeaseListing listing(leases);
    // me, w1 and w2 (by the handoff): w1 carries 100, w2 100 and me 0, mean 66.7; b would leave
    // w1 at 0, narrowing the gap by nothing; a is pending.
    EXPECT_TRUE(plan_takes(listing, expiry, t0, "me", {}, kByThroughput).steals.empty());
}
