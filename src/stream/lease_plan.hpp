#pragma once
// What a worker decides from a listing of its consumer's leases: which leases have lost their
// worker, which shards may be read (parents finished), and which leases to take or steal so that
// every worker holds about its share.

#include <bloop/stream/lease.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bloop::detail {

using LeaseClock = std::chrono::steady_clock;

/// One round's listing of a consumer's lease table: the shards' leases, looked up by key in
/// constant time (a consumer may have a thousand shards), and the workers' heartbeats by worker.
class LeaseListing {
  public:
    explicit LeaseListing(std::vector<StreamLease> items);
    LeaseListing(const LeaseListing&) = delete;  // the indexes point into this listing's items
    LeaseListing& operator=(const LeaseListing&) = delete;

    /// The shards' leases.
    [[nodiscard]] const std::vector<StreamLease>& all() const noexcept { return leases_; }
    /// The lease of `key`, or null.
    [[nodiscard]] const StreamLease* find(std::string_view key) const;
    /// The workers' heartbeat items.
    [[nodiscard]] const std::vector<StreamLease>& heartbeats() const noexcept {
        return heartbeats_;
    }
    /// The heartbeat of `worker`, or null.
    [[nodiscard]] const StreamLease* heartbeat(std::string_view worker) const;

  private:
    std::vector<StreamLease> leases_;
    std::vector<StreamLease> heartbeats_;
    std::unordered_map<std::string_view, const StreamLease*> by_key_;
    std::unordered_map<std::string_view, const StreamLease*> by_worker_;
};

/// Tells expired leases apart by this worker's clock alone (no clocks are compared across
/// machines): a lease is expired when it has no owner, or when neither its counter nor its owner's
/// heartbeat counter (when the owner has one) has changed for a lease duration since this worker
/// first saw them.
class LeaseExpiry {
  public:
    explicit LeaseExpiry(std::chrono::milliseconds duration) : duration_(duration) {}
    /// Records the counters of a listing (leases and heartbeats) made at `now`.
    void observe(const LeaseListing& listing, LeaseClock::time_point now);
    /// Whether `lease` (of `listing`, the last observed) is free or expired at `now`.
    [[nodiscard]] bool expired(const StreamLease& lease, const LeaseListing& listing,
                               LeaseClock::time_point now) const;
    /// The lease duration.
    [[nodiscard]] std::chrono::milliseconds duration() const noexcept { return duration_; }
    /// How long `item`'s counter has stood still at `now` (zero when not observed).
    [[nodiscard]] LeaseClock::duration still_for(const StreamLease& item,
                                                 LeaseClock::time_point now) const;

  private:
    std::chrono::milliseconds duration_;
    std::map<std::string, std::pair<std::int64_t, LeaseClock::time_point>> seen_;  // by item key
};

/// Whether `lease`'s shard may be read: each parent's lease is finished, or gone (never leased,
/// or finished and trimmed away).
[[nodiscard]] bool parents_done(const StreamLease& lease, const LeaseListing& leases);

/// The leases `me` should try to take now.
struct TakePlan {
    /// About how many unfinished leases each worker should hold: ceil(leases / workers).
    std::size_t target = 0;
    /// Free or expired leases (keys), those whose shards may be read first.
    std::vector<std::string> take;
    /// A lease to ask another worker for (its owner hands it over after its current batch).
    struct Ask {
        std::string lease;   ///< its key
        std::string victim;  ///< its owner
    };
    /// Leases of the most loaded workers to ask for, when taking free ones does not reach the
    /// target: from each worker above the target down to the target, most loaded first.
    std::vector<Ask> steals;
    /// Leases the table says are `me`'s but it does not hold, beyond its share: to release.
    std::vector<std::string> release;
};

/// How a worker evens out the leases with the others.
struct BalanceRule {
    /// The most leases it holds.
    std::size_t max_leases = SIZE_MAX;
    /// Steals even out the records per second each worker's shards deliver (as their leases say),
    /// not the number of leases.
    bool by_throughput = false;
    /// By throughput: a steal is asked for only when it narrows the gap between the two workers by
    /// more than this fraction of a worker's mean load.
    double threshold = 0.1;
};

/// Workers are `me`, the owners of unexpired, unfinished leases, the workers those owners are
/// handing a lease to (a handoff counts for the receiver) and the workers whose heartbeat still
/// moves (a worker that just started counts before it holds anything); not a worker whose
/// heartbeat stood still for the safe window (it stopped delivering). `me` takes free and expired
/// leases up to the target (and at once those the table says are its own but it does not hold: left
/// by an earlier run under its name).
///
/// Balancing by lease count, short of the target `me` asks the workers above the target for their
/// excess (leases without a handoff pending), most loaded first, and when every other worker is at
/// the target while `me` is short by two or more, one lease of the most loaded. A worker at the
/// target is never asked while `me` is short by one: leases do not go back and forth.
///
/// Balancing by throughput, a worker's load is the sum of its leases' records per second (each
/// lease weighing at least a hundredth of the mean lease, so quiet shards are shared by count).
/// Below the mean load, `me` asks the workers above it for the leases that narrow the gap most,
/// one at a time, while a lease narrows it by more than `threshold` of the mean: every such move
/// lowers the spread of the loads, so with steady rates leases do not go back and forth.
///
/// `me` never takes or asks for more than `max_leases`; leases of its own it does not hold beyond
/// that or its share are to be released.
[[nodiscard]] TakePlan plan_takes(const LeaseListing& leases, const LeaseExpiry& expiry,
                                  LeaseClock::time_point now, const std::string& me,
                                  const std::set<std::string>& holding, BalanceRule rule = {});

}  // namespace bloop::detail
