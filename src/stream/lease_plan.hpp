#pragma once
// What a worker decides from a listing of its consumer's leases: which leases have lost their
// worker, which shards may be read (parents finished), and which leases to take or steal so that
// every worker holds about its share.

#include <bloop/stream/lease.hpp>

#include <chrono>
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

/// One round's listing of a consumer's leases, looked up by key in constant time (a consumer may
/// have hundreds of shards).
class LeaseListing {
  public:
    explicit LeaseListing(std::vector<StreamLease> leases);
    LeaseListing(const LeaseListing&) = delete;  // the index points into this listing's leases
    LeaseListing& operator=(const LeaseListing&) = delete;

    [[nodiscard]] const std::vector<StreamLease>& all() const noexcept { return leases_; }
    /// The lease of `key`, or null.
    [[nodiscard]] const StreamLease* find(std::string_view key) const;

  private:
    std::vector<StreamLease> leases_;
    std::unordered_map<std::string_view, const StreamLease*> by_key_;
};

/// Tells expired leases apart by this worker's clock alone (no clocks are compared across
/// machines): a lease is expired when it has no owner, or when its counter has not changed for a
/// lease duration since this worker first saw that counter.
class LeaseExpiry {
  public:
    explicit LeaseExpiry(std::chrono::milliseconds duration) : duration_(duration) {}
    /// Records the counters of a listing made at `now`.
    void observe(const std::vector<StreamLease>& leases, LeaseClock::time_point now);
    /// Whether `lease` (of the last listing) is free or expired at `now`.
    [[nodiscard]] bool expired(const StreamLease& lease, LeaseClock::time_point now) const;

  private:
    std::chrono::milliseconds duration_;
    std::map<std::string, std::pair<std::int64_t, LeaseClock::time_point>> seen_;  // by lease key
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
    /// One lease of the most loaded worker to ask for (its owner hands it over after its current
    /// batch), when taking free ones does not reach the target.
    std::optional<std::string> steal;
    /// The worker `steal` is asked from.
    std::string victim;
};

/// Workers are `me`, the owners of unexpired, unfinished leases and the workers those owners are
/// handing a lease to (a handoff counts for the receiver). `me` takes free and expired leases up to
/// the target (and at once those the table says are its own but it does not hold: left by an
/// earlier run under its name); short of it, it asks the most loaded worker for one lease a round
/// (one without a handoff pending) when that one holds more than the target, or the target while
/// `me` is short by two or more.
[[nodiscard]] TakePlan plan_takes(const LeaseListing& leases, const LeaseExpiry& expiry,
                                  LeaseClock::time_point now, const std::string& me,
                                  const std::set<std::string>& holding);

}  // namespace bloop::detail
