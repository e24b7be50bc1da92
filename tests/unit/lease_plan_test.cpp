// What a stream-processor worker decides from a listing of its consumer's leases, with no
// requests: lease expiry by each worker's own clock, shard lineage, taking free and expired leases,
// asking the most loaded worker for one (a handoff), and who counts as a worker.

#include <bloop/stream/lease.hpp>

#include "stream/lease_plan.hpp"

#include <gtest/gtest.h>

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

TEST(LeasePlan, AsksForALeaseOnlyWhereNoHandoffIsPendingAndCountsAPendingOneAsTheTakers) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{lease("a", "w1", 1), lease("b", "w1", 1), lease("c", "w1", 1),
                                    lease("d", "w1", 1)};
    leases[3].next_owner = "me";  // asked for earlier, not handed over yet
    expiry.observe(leases, t0);
    auto plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {});
    EXPECT_EQ(plan.target, 2u);
    ASSERT_TRUE(plan.steal);  // one more: w1 still counts 3
    EXPECT_EQ(*plan.steal, std::string(kArn) + "/c");

    // Both asked for: nothing more to ask.
    leases[2].next_owner = "me";
    expiry.observe(leases, t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {});
    EXPECT_FALSE(plan.steal);
    EXPECT_TRUE(plan.take.empty());

    // A third worker does not ask for a lease already being handed to another.
    leases = {lease("a", "w1", 1), lease("b", "w1", 1), lease("c", "w1", 1)};
    leases[2].next_owner = "w2";
    expiry.observe(leases, t0);
    plan = plan_takes(LeaseListing(leases), expiry, t0, "me", {});
    EXPECT_EQ(plan.target, 1u);  // w1, w2 (receiving) and me
    ASSERT_TRUE(plan.steal);
    EXPECT_NE(*plan.steal, std::string(kArn) + "/c");
}

TEST(LeasePlan, ALeaseWhoseOwnerStoppedAnsweringAHandoffExpiresLikeAnyOther) {
    LeaseExpiry expiry(10s);
    const auto t0 = LeaseClock::now();
    std::vector<StreamLease> leases{lease("a", "dead", 4), lease("b", "me", 2)};
    leases[0].next_owner = "me";
    expiry.observe(leases, t0);
    EXPECT_TRUE(plan_takes(LeaseListing(leases), expiry, t0 + 9s, "me", {std::string(kArn) + "/b"})
                    .take.empty());
    const auto plan =
        plan_takes(LeaseListing(leases), expiry, t0 + 10s, "me", {std::string(kArn) + "/b"});
    EXPECT_EQ(plan.take, std::vector<std::string>{std::string(kArn) + "/a"});
}

}  // namespace
