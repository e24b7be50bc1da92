#pragma once
// How many requests a client keeps in flight: enough to cover the network's latency, fewer when
// the server queues them or throttles, never more than the user's ceiling
// (ClientOptions::max_in_flight).
//
// The limit starts at min(ceiling, 16). Each answer is compared with the fastest answer seen for
// the same kind of request (its latency without queueing: the network plus the server's work):
//  - answered within three times that (a new connection's first answer takes two round trips):
//    more requests in flight would be answered as fast, so the limit
//    grows, by one per answer at first (doubling every round trip, like TCP's slow start) and,
//    once the server has pushed back, by one per full window (1/limit per answer);
//  - answered slower: requests queue at the server, so the limit shrinks by a tenth, at most
//    once per round trip (the latency of that answer);
//  - throttled: the limit halves, at most once per 100 ms (one burst of throttles counts once).
// A 5xx answer and a missing one are not fed in (InFlightLimit): they say nothing of the latency.
// The fastest answer is the least seen over the last 10 to 20 seconds (two windows of 10 s, as TCP
// BBR keeps its minimum round trip), so a slower network is learnt again within 20 s whatever the
// request rate, and a long burst of queued answers cannot raise it.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace bloop::detail {

class AdaptiveLimit {
  public:
    using Clock = std::chrono::steady_clock;
    /// The limit a client starts at (when its ceiling is higher).
    static constexpr std::size_t kInitial = 16;

    explicit AdaptiveLimit(std::size_t ceiling);

    /// Waits until fewer requests than the limit are in flight, then counts one more.
    void acquire();
    /// One request is no longer in flight.
    void release();
    /// A request of `kind` (any small number: the operation) was answered, not throttled, after
    /// `latency`, at `now`.
    void answered(std::size_t kind, Clock::duration latency, Clock::time_point now);
    /// The request was throttled: the limit halves. Returns the new limit when it changed.
    std::size_t throttled(Clock::time_point now);
    /// The limit now (whole requests, at least 1).
    [[nodiscard]] std::size_t current() const;

  private:
    const double ceiling_;
    mutable std::mutex mutex_;
    std::condition_variable room_;
    double limit_;
    bool slow_start_ = true;
    std::size_t in_flight_ = 0;
    std::size_t waiting_ = 0;  // threads in acquire() waiting for room
    struct Fastest {
        double current = 0;   // seconds: the fastest answer in the window that started at
        double previous = 0;  // and in the window before it
        Clock::time_point window_start{};  // zero: no answer of this kind yet
    };
    std::vector<Fastest> fastest_;  // by kind
    Clock::time_point last_shrink_{};
    Clock::time_point last_halving_{};
};

}  // namespace bloop::detail
