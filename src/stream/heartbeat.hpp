#pragma once
// A stream-processor worker's heartbeat item in the lease table ("heartbeat/<worker>"): written
// every third of the lease duration, it keeps every lease the worker holds alive — one write per
// worker instead of one per held shard. Stale heartbeats of workers long dead are swept.

#include "stream/lease_plan.hpp"
#include "stream/shard_reader.hpp"

#include <atomic>

namespace bloop::detail {

class Heartbeat {
  public:
    /// The heartbeat of `context`'s worker (nothing is written before the first beat()).
    explicit Heartbeat(const ReaderContext& context) : context_(context) {}

    /// Writes the heartbeat when a third of the lease duration passed since the last successful
    /// write (and soon again after a failed one).
    void beat();
    /// When the last successful write was sent (0: none yet): the readers' safe window counts
    /// from it.
    [[nodiscard]] const std::atomic<LeaseClock::rep>& written() const noexcept { return written_; }
    /// Deletes heartbeats of `listing` that stood still for ten lease durations (by `expiry`), of
    /// workers no lease names as owner or next owner.
    void sweep(const LeaseListing& listing, const LeaseExpiry& expiry) const;
    /// Deletes this worker's heartbeat, when written: nothing of it is left to keep alive.
    void remove();

  private:
    const ReaderContext& context_;
    StreamLease item_;                         // as last written (counter 0: not stored)
    std::atomic<LeaseClock::rep> written_{0};  // when the last successful write was sent
    LeaseClock::time_point tried_{};           // when a write was last tried
};

}  // namespace bloop::detail
