#pragma once
// How many requests a client keeps in flight: enough to cover the network's latency, fewer when
// the server queues them or throttles, never more than the user's ceiling
// (ClientOptions::max_in_flight).
//
// Queueing is told from variance by averages over groups of requests, never by single answers: a
// network whose answers take 1 ms or 40 ms at random, whatever the load, is no reason to send
// less; a server that works on N requests at a time is.
//  - Requests are judged in cohorts: the next M requests *sent* (M = the limit, at least 32),
//    averaged once every one of them was answered — so the quick answers of a burst cannot stand
//    for all of it.
//  - Each kind of request (the operation) has a base latency, probed every 10 s (and at once for a
//    kind not seen for 20 s): the client lets at most a quarter of the limit in flight (at least
//    min(limit, 4)), and once those in flight have drained to that, a cohort of 64 requests sent
//    under that cap gives each kind's base (as TCP BBR drains its queue to measure its round
//    trip). The very first probe is the first 32 requests, at the initial limit.
//  - A cohort averaging within twice a kind's base lets the limit grow: by the cohort's answers
//    at first (doubling every round trip, like TCP's slow start) and, once the server has pushed
//    back, by one per round trip. Two cohorts in a row averaging over twice the base say the
//    server queues: the limit falls to what would bring the average back to the base
//    (limit × base / average, at least half of it). For a server working on N requests at a time
//    it so moves between about N and 2.5 N, 2 N on average: the server always busy, answers on
//    average within twice their base.
//  - Throttled: the limit halves, at most once per 100 ms (one burst of throttles counts once).
// A 5xx answer and a missing one are not fed in (InFlightLimit): they say nothing of the latency.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

namespace bloop::detail {

class AdaptiveLimit {
  public:
    using Clock = std::chrono::steady_clock;
    /// The limit a client starts at (when its ceiling is higher).
    static constexpr std::size_t kInitial = 16;

    /// One request let in flight; handed back to answered() and release().
    struct Ticket {
        bool sampled = false;  // one of the cohort being measured
    };

    explicit AdaptiveLimit(std::size_t ceiling);

    /// Waits until fewer requests than the limit (while probing: the probe's cap) are in flight,
    /// then counts one more.
    [[nodiscard]] Ticket acquire();
    /// Counts one more in flight when there is room now; none (nothing counted) otherwise.
    [[nodiscard]] std::optional<Ticket> try_acquire();
    /// The request of `ticket`, of `kind` (any small number: the operation), was answered, not
    /// throttled, after `latency`, at `now` (before it is released).
    void answered(const Ticket& ticket, std::size_t kind, Clock::duration latency,
                  Clock::time_point now);
    /// The request of `ticket` is no longer in flight (answered or not).
    void release(const Ticket& ticket);
    /// The request was throttled: the limit halves. Returns the new limit when it changed.
    std::size_t throttled(Clock::time_point now);
    /// The limit now (whole requests, at least 1).
    [[nodiscard]] std::size_t current() const;

  private:
    struct Kind {
        double base = 0;           // seconds; 0: not known yet
        Clock::time_point last{};  // its last answer
        bool over = false;         // its last cohort averaged over twice the base
        double sum = 0;            // the cohort's answers of this kind: latencies (seconds)
        std::size_t count = 0;
    };
    enum class Phase { measuring, draining, probing };
    // Requests that may be in flight now (caller holds mutex_).
    [[nodiscard]] std::size_t room() const;
    // Counts one more in flight (caller holds mutex_).
    Ticket take();
    // Every request of the cohort was answered or released: judges it, starts the next.
    void close_cohort();
    // Starts a cohort of the next requests sent.
    void open_cohort(std::size_t size);
    // Lets at most the probe's cap in flight, its cohort sent once those drained to it.
    void start_probe();
    // While draining: once few enough are in flight, the probe's cohort goes out.
    void probe_when_drained();

    const double ceiling_;
    mutable std::mutex mutex_;
    std::condition_variable room_;
    double limit_;
    bool slow_start_ = true;
    std::size_t in_flight_ = 0;
    std::size_t waiting_ = 0;  // threads in acquire() waiting for room
    std::vector<Kind> kinds_;  // by kind

    Phase phase_ = Phase::measuring;
    std::size_t to_sample_ = 0;    // requests still to mark as the cohort's
    std::size_t outstanding_ = 0;  // the cohort's requests not released yet
    std::size_t probe_cap_ = 1;    // in flight at most while draining and probing
    bool probe_due_ = false;
    Clock::time_point next_probe_{};  // zero: at the first answer
    Clock::time_point last_answer_{};
    Clock::time_point last_halving_{};
};

}  // namespace bloop::detail
