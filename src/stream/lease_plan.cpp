// Lease expiry, shard lineage and lease balancing: decisions from a listing, no requests.

#include "stream/lease_plan.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <tuple>

namespace bloop::detail {

LeaseListing::LeaseListing(std::vector<StreamLease> items) {
    for (StreamLease& item : items) {
        (item.is_heartbeat() ? heartbeats_ : leases_).push_back(std::move(item));
    }
    by_key_.reserve(leases_.size());
    for (const auto& lease : leases_) by_key_.emplace(lease.lease, &lease);
    by_worker_.reserve(heartbeats_.size());
    for (const auto& beat : heartbeats_) by_worker_.emplace(beat.owner, &beat);
}

const StreamLease* LeaseListing::find(std::string_view key) const {
    const auto found = by_key_.find(key);
    return found != by_key_.end() ? found->second : nullptr;
}

const StreamLease* LeaseListing::heartbeat(std::string_view worker) const {
    const auto found = by_worker_.find(worker);
    return found != by_worker_.end() ? found->second : nullptr;
}

void LeaseExpiry::observe(const LeaseListing& listing, LeaseClock::time_point now) {
    std::map<std::string, std::pair<std::int64_t, LeaseClock::time_point>> seen;
    const auto record = [&](const StreamLease& item) {
        const auto before = seen_.find(item.lease);
        const bool unchanged = before != seen_.end() && before->second.first == item.counter;
        seen.emplace(item.lease, std::pair(item.counter, unchanged ? before->second.second : now));
    };
    for (const auto& lease : listing.all()) record(lease);
    for (const auto& beat : listing.heartbeats()) record(beat);
    seen_ = std::move(seen);  // items gone from the table are forgotten
}

LeaseClock::duration LeaseExpiry::still_for(const StreamLease& item,
                                            LeaseClock::time_point now) const {
    const auto seen = seen_.find(item.lease);
    if (seen == seen_.end() || seen->second.first != item.counter) return {};
    return now - seen->second.second;
}

bool LeaseExpiry::expired(const StreamLease& lease, const LeaseListing& listing,
                          LeaseClock::time_point now) const {
    if (lease.owner.empty()) return true;
    if (still_for(lease, now) < duration_) return false;
    const StreamLease* beat = listing.heartbeat(lease.owner);
    return beat == nullptr || still_for(*beat, now) >= duration_;
}

bool parents_done(const StreamLease& lease, const LeaseListing& leases) {
    const std::string_view arn = lease.stream_arn();
    for (const auto& parent : lease.parents) {
        const StreamLease* found = leases.find(std::string(arn) + "/" + parent);
        if (found != nullptr && !found->finished()) return false;
    }
    return true;
}

namespace {

// One worker's load: its leases (a pending handoff counted for the taker) and their weights.
struct Load {
    std::size_t count = 0;
    double rate = 0;  // by throughput
};

// The workers' loads in one listing (a worker counts once named, holding nothing or not), and the
// leases each could be asked for.
struct Loads {
    std::map<std::string, Load> of;                                    // by worker
    std::map<std::string, std::vector<const StreamLease*>> stealable;  // no handoff pending
    double floor = 0;                                                  // the least a lease weighs
    [[nodiscard]] double weight(const StreamLease& lease) const {
        return std::max(lease.throughput, floor);
    }
    void add(const std::string& worker, const StreamLease& lease) {
        Load& load = of[worker];
        ++load.count;
        load.rate += weight(lease);
    }
};

// Asks the workers above the target for their excess, most loaded first (see plan_takes).
void steal_by_count(TakePlan& plan, Loads& loads, const std::string& me, std::size_t need) {
    std::vector<std::pair<std::size_t, std::string>> others;  // most loaded first, then by name
    for (const auto& [worker, load] : loads.of) {
        if (worker != me) others.emplace_back(load.count, worker);
    }
    std::sort(others.begin(), others.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (const auto& [count, victim] : others) {
        if (need == 0 || count <= plan.target) break;
        auto& candidates = loads.stealable[victim];
        for (std::size_t excess = count - plan.target;
             excess > 0 && need > 0 && !candidates.empty(); --excess, --need) {
            plan.steals.push_back({candidates.back()->lease, victim});
            candidates.pop_back();
        }
    }
    if (plan.steals.empty() && need >= 2 && !others.empty() &&
        others.front().first == plan.target) {
        auto& candidates = loads.stealable[others.front().second];
        if (!candidates.empty())
            plan.steals.push_back({candidates.back()->lease, others.front().second});
    }
}

// Asks for the leases that narrow the gap between `me` and a worker above the mean load most,
// while one narrows it by more than the threshold (see plan_takes); `room`: how many more leases
// `me` may hold.
void steal_by_throughput(TakePlan& plan, Loads& loads, const std::string& me,
                         const BalanceRule& rule, std::size_t room) {
    double total = 0;
    for (const auto& [worker, load] : loads.of) total += load.rate;
    const double mean = total / static_cast<double>(loads.of.size());
    double& mine = loads.of[me].rate;
    for (; room > 0 && mine < mean; --room) {
        double best_gain = rule.threshold * mean;
        std::tuple<std::size_t, std::string, std::size_t> best{};  // (rank, victim, index)
        bool found = false;
        for (const auto& [victim, candidates] : loads.stealable) {
            const double theirs = loads.of[victim].rate;
            if (victim == me || theirs <= mean) continue;
            const double gap = theirs - mine;
            for (std::size_t i = 0; i < candidates.size(); ++i) {
                const double w = loads.weight(*candidates[i]);
                const double gain = 2 * std::min(w, gap - w);  // the gap is |gap - 2w| after
                const std::size_t rank = std::hash<std::string>{}(me + candidates[i]->lease);
                if (gain > best_gain || (found && gain == best_gain && rank < std::get<0>(best))) {
                    best_gain = gain;
                    best = {rank, victim, i};
                    found = true;
                }
            }
        }
        if (!found) return;
        auto& candidates = loads.stealable[std::get<1>(best)];
        const StreamLease* lease = candidates[std::get<2>(best)];
        plan.steals.push_back({lease->lease, std::get<1>(best)});
        candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(std::get<2>(best)));
        loads.of[std::get<1>(best)].rate -= loads.weight(*lease);
        mine += loads.weight(*lease);
    }
}

}  // namespace

TakePlan plan_takes(const LeaseListing& leases, const LeaseExpiry& expiry,
                    LeaseClock::time_point now, const std::string& me,
                    const std::set<std::string>& holding, BalanceRule rule) {
    Loads loads;
    loads.of[me];
    std::vector<const StreamLease*> takeable;
    std::size_t active = 0;
    double total_rate = 0;
    for (const auto& lease : leases.all()) {
        if (lease.finished()) continue;
        ++active;
        total_rate += lease.throughput;
    }
    // A quiet lease weighs a hundredth of the mean lease (of one record a second at least).
    if (active > 0) loads.floor = std::max(total_rate / static_cast<double>(active), 1.0) / 100;
    // A worker whose heartbeat stood still for the safe window (two thirds of the lease duration)
    // has stopped delivering by its own rule: it counts for no share, and its leases for no one's
    // load until they expire (so free leases find a live worker meanwhile).
    const auto stopped = [&](const std::string& worker) {
        const StreamLease* beat = leases.heartbeat(worker);
        return beat != nullptr && expiry.still_for(*beat, now) >= expiry.duration() * 2 / 3;
    };
    for (const auto& lease : leases.all()) {
        if (lease.finished()) continue;
        const std::string& holder = lease.next_owner.empty() ? lease.owner : lease.next_owner;
        if (lease.owner == me && holding.count(lease.lease)) {
            loads.add(holder, lease);
        } else if (lease.owner == me || expiry.expired(lease, leases, now)) {
            takeable.push_back(&lease);
        } else if (!stopped(lease.owner)) {
            loads.of[lease.owner];  // alive
            loads.add(holder, lease);
            if (lease.next_owner.empty()) loads.stealable[lease.owner].push_back(&lease);
        }
    }
    // A worker whose heartbeat moves counts, holding nothing yet.
    for (const auto& beat : leases.heartbeats()) {
        if (!stopped(beat.owner)) loads.of[beat.owner];
    }
    TakePlan plan;
    const std::size_t workers = loads.of.size();
    plan.target = (active + workers - 1) / workers;
    const std::size_t mine = loads.of[me].count;
    const std::size_t cap = std::min(plan.target, rule.max_leases);
    std::size_t need = mine < cap ? cap - mine : 0;

    // Its own first, then readable shards (parents finished), each kind in an order of this
    // worker's own, so workers taking at once (after another died) mostly pick different leases.
    std::vector<std::tuple<bool, bool, std::size_t, const StreamLease*>> order;
    order.reserve(takeable.size());
    for (const StreamLease* lease : takeable) {
        order.emplace_back(lease->owner != me, !parents_done(*lease, leases),
                           std::hash<std::string>{}(me + lease->lease), lease);
    }
    std::sort(order.begin(), order.end());
    for (const auto& [theirs, waiting, rank, lease] : order) {
        if (need > 0) {
            plan.take.push_back(lease->lease);
            loads.add(me, *lease);
            --need;
        } else if (lease->owner == me) {
            // Its own but not held (left by an earlier run, or given up) beyond its share: while
            // its heartbeat moves, no one else may take it, so it is released.
            plan.release.push_back(lease->lease);
        }
    }
    if (rule.by_throughput) {
        const std::size_t held = loads.of[me].count;
        if (held < rule.max_leases)
            steal_by_throughput(plan, loads, me, rule, rule.max_leases - held);
    } else if (need > 0) {
        steal_by_count(plan, loads, me, need);
    }
    return plan;
}

}  // namespace bloop::detail
