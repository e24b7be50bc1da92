#pragma once
// How many records a held shard delivers per second, as its lease carries it to every worker (for
// balancing by throughput): an average over windows of a lease duration, each window weighing
// half, starting from what the lease said when it was taken.

#include <atomic>
#include <chrono>
#include <cstddef>

namespace bloop::detail {

class ThroughputMeter {
  public:
    using Clock = std::chrono::steady_clock;

    /// Starts at `stored` records per second (the lease's, as its last holder measured it).
    ThroughputMeter(double stored, std::chrono::milliseconds window, Clock::time_point now);

    /// Counts `records` handled at `now` (the reading thread only); true when a window ended (the
    /// rate was updated).
    bool add(std::size_t records, Clock::time_point now);
    /// Whether the rate differs from what the lease holds by more than a quarter and by a record a
    /// second: worth a lease write of its own when no checkpoint carries it.
    [[nodiscard]] bool drifted() const noexcept;
    /// Records per second, rounded to hundredths (any thread).
    [[nodiscard]] double rate() const noexcept { return rate_.load(); }
    /// The rate the lease now holds (after a successful lease write; any thread).
    void stored(double rate) noexcept { stored_.store(rate); }

  private:
    std::chrono::milliseconds window_;
    Clock::time_point started_;
    std::size_t records_ = 0;
    std::atomic<double> rate_;
    std::atomic<double> stored_;
};

}  // namespace bloop::detail
