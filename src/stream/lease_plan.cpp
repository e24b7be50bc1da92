// Lease expiry, shard lineage and lease balancing: decisions from a listing, no requests.

#include "stream/lease_plan.hpp"

#include <algorithm>

namespace bloop::detail {

LeaseListing::LeaseListing(std::vector<StreamLease> leases) : leases_(std::move(leases)) {
    by_key_.reserve(leases_.size());
    for (const auto& lease : leases_) by_key_.emplace(lease.lease, &lease);
}

const StreamLease* LeaseListing::find(std::string_view key) const {
    const auto found = by_key_.find(key);
    return found != by_key_.end() ? found->second : nullptr;
}

void LeaseExpiry::observe(const std::vector<StreamLease>& leases, LeaseClock::time_point now) {
    std::map<std::string, std::pair<std::int64_t, LeaseClock::time_point>> seen;
    for (const auto& lease : leases) {
        const auto before = seen_.find(lease.lease);
        const bool unchanged = before != seen_.end() && before->second.first == lease.counter;
        seen.emplace(lease.lease,
                     std::pair(lease.counter, unchanged ? before->second.second : now));
    }
    seen_ = std::move(seen);  // leases gone from the table are forgotten
}

bool LeaseExpiry::expired(const StreamLease& lease, LeaseClock::time_point now) const {
    if (lease.owner.empty()) return true;
    const auto seen = seen_.find(lease.lease);
    return seen != seen_.end() && seen->second.first == lease.counter &&
           now - seen->second.second >= duration_;
}

bool parents_done(const StreamLease& lease, const LeaseListing& leases) {
    const std::string_view arn = lease.stream_arn();
    for (const auto& parent : lease.parents) {
        const StreamLease* found = leases.find(std::string(arn) + "/" + parent);
        if (found != nullptr && !found->finished()) return false;
    }
    return true;
}

TakePlan plan_takes(const LeaseListing& leases, const LeaseExpiry& expiry,
                    LeaseClock::time_point now, const std::string& me,
                    const std::set<std::string>& holding) {
    // Each worker's load counts a lease being handed over for the worker that asked for it.
    std::map<std::string, std::size_t> load;
    load[me];
    std::map<std::string, std::vector<const StreamLease*>> stealable;  // no handoff pending
    std::vector<const StreamLease*> takeable;
    std::size_t active = 0;
    for (const auto& lease : leases.all()) {
        if (lease.finished()) continue;
        ++active;
        if (lease.owner == me && holding.count(lease.lease)) {
            ++load[lease.next_owner.empty() ? me : lease.next_owner];
        } else if (lease.owner == me || expiry.expired(lease, now)) {
            takeable.push_back(&lease);
        } else {
            load[lease.owner];  // alive
            ++load[lease.next_owner.empty() ? lease.owner : lease.next_owner];
            if (lease.next_owner.empty()) stealable[lease.owner].push_back(&lease);
        }
    }
    TakePlan plan;
    plan.target = (active + load.size() - 1) / load.size();
    const std::size_t mine = load[me];
    if (mine >= plan.target) return plan;
    std::size_t need = plan.target - mine;

    // Readable shards first, then in key order (parents sort before their children).
    std::stable_sort(takeable.begin(), takeable.end(),
                     [&](const StreamLease* a, const StreamLease* b) {
                         return parents_done(*a, leases) > parents_done(*b, leases);
                     });
    for (const StreamLease* lease : takeable) {
        if (need == 0) return plan;
        plan.take.push_back(lease->lease);
        --need;
    }
    if (need == 0) return plan;

    std::string victim;
    for (const auto& [worker, count] : load) {
        if (worker != me && (victim.empty() || count > load[victim])) victim = worker;
    }
    if (victim.empty()) return plan;
    const std::size_t most = load[victim];
    const auto& candidates = stealable[victim];
    if (!candidates.empty() && (most > plan.target || (most == plan.target && need >= 2))) {
        plan.steal = candidates.back()->lease;
        plan.victim = victim;
    }
    return plan;
}

}  // namespace bloop::detail
