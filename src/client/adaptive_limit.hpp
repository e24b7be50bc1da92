#pragma once
// How many requests a client keeps in flight: additive increase, multiplicative decrease. Each
// answered request raises the limit by 1/limit (one more per full window), each throttled one
// halves it (at most once per 100 ms, so one burst of throttles counts once), between 1 and the
// user's ceiling (ClientOptions::max_in_flight), where it starts.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace bloop::detail {

class AdaptiveLimit {
  public:
    explicit AdaptiveLimit(std::size_t ceiling)
        : ceiling_(static_cast<double>(ceiling)), limit_(static_cast<double>(ceiling)) {}

    /// Waits until fewer requests than the limit are in flight, then counts one more.
    void acquire();
    /// One request is no longer in flight.
    void release();
    /// The request was answered (not throttled): the limit grows by 1/limit.
    void succeeded();
    /// The request was throttled: the limit halves. Returns the new limit when it changed.
    std::size_t throttled(std::chrono::steady_clock::time_point now);
    /// The limit now (whole requests, at least 1).
    [[nodiscard]] std::size_t current() const;

  private:
    const double ceiling_;
    mutable std::mutex mutex_;
    std::condition_variable room_;
    double limit_;
    std::size_t in_flight_ = 0;
    std::chrono::steady_clock::time_point last_decrease_{};
};

}  // namespace bloop::detail
