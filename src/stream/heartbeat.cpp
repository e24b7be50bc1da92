// A worker's heartbeat item: written when due, swept when stale, deleted on the way out.

#include "stream/heartbeat.hpp"

#include <set>
#include <string>
#include <string_view>

namespace bloop::detail {

namespace {
// A heartbeat that stood still this many lease durations, of a worker that holds and asked for
// nothing, is deleted (the worker died long ago).
constexpr int kStale = 10;
}  // namespace

void Heartbeat::beat() {
    const auto now = LeaseClock::now();
    const auto since = now - LeaseClock::time_point(LeaseClock::duration(written_.load()));
    if (since < context_.beat_interval() || now - tried_ < context_.beat_interval() / 4) return;
    tried_ = now;
    if (item_.lease.empty()) {
        item_ = {context_.options->consumer,
                 heartbeat_key(context_.worker),
                 context_.worker,
                 {},
                 std::string(checkpoint::heartbeat),
                 {},
                 0};
    }
    try {
        const LeaseWrite result = context_.leases->write(item_);
        if (result.written) {
            written_.store(now.time_since_epoch().count());
            return;
        }
        // Deleted as stale (after a long cut-off), or another process under this name.
        context_.say(
            LogLevel::warning,
            "the heartbeat item " + item_.lease +
                (result.stored ? " was written by another process under this name" : " was gone") +
                "; writing it anew");
        item_.counter = result.stored ? result.stored->counter : 0;
    } catch (const std::exception& e) {
        context_.say(LogLevel::debug, std::string("could not write the heartbeat: ") + e.what());
    }
}

void Heartbeat::sweep(const LeaseListing& listing, const LeaseExpiry& expiry) const {
    const auto now = LeaseClock::now();
    std::set<std::string_view> named;
    for (const auto& lease : listing.all()) {
        named.insert(lease.owner);
        named.insert(lease.next_owner);
    }
    for (const auto& beat : listing.heartbeats()) {
        if (beat.owner == context_.worker || named.count(beat.owner) ||
            expiry.still_for(beat, now) < kStale * context_.options->lease_duration)
            continue;
        if (context_.leases->remove(beat))
            context_.say(LogLevel::info, "deleted the stale heartbeat of " + beat.owner);
    }
}

void Heartbeat::remove() {
    if (item_.counter == 0) return;
    try {
        if (context_.leases->remove(item_)) item_.counter = 0;
    } catch (const std::exception& e) {
        context_.say(LogLevel::debug, std::string("could not delete the heartbeat: ") + e.what());
    }
}

}  // namespace bloop::detail
