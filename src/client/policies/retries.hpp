#pragma once
// The retry policy: the attempts of one call under the client's RetryPolicy. An attempt whose
// outcome is unknown (no whole answer, or a 5xx) is retried only when the request is idempotent;
// a service error after such an attempt says so (ServiceErrorInfo::earlier_attempt_unknown). A
// call's timeout (CallOptions::timeout) bounds every attempt and backoff. The clock and the sleep
// are injectable, so tests run no real time.

#include <bloop/client/log.hpp>
#include <bloop/client/retry.hpp>

#include "client/policies/policy.hpp"

#include <chrono>
#include <functional>
#include <mutex>
#include <random>

namespace bloop::detail {

class Retries final : public Policy {
  public:
    using Clock = std::chrono::steady_clock;

    /// `parameters` resolved (every optional set); `timeouts`: each attempt's unless a deadline
    /// shortens them; `now`: the clock deadlines are read on.
    Retries(RetryPolicy parameters, Timeouts timeouts, LogListener log,
            std::function<Clock::time_point()> now = Clock::now);

    HttpResponse send(Exchange& exchange, const Next& next) override;

    /// The delay before retry `n` (1, 2, ...): full jitter under the policy's cap.
    std::chrono::milliseconds backoff(int n);
    /// Waits `delay` (the policy's sleep hook, else the thread sleeps).
    void wait(std::chrono::milliseconds delay) const;
    /// Waits before retry `n` of a round the caller repeats itself (the engine's unprocessed
    /// items and cancelled transactions): the same backoff and sleep as the client's own retries.
    void wait_before_retry(int n) { wait(backoff(n)); }

  private:
    void log(LogLevel level, const std::string& message) const {
        if (log_) log_(level, message);
    }

    const RetryPolicy parameters_;
    const Timeouts timeouts_;
    const LogListener log_;
    const std::function<Clock::time_point()> now_;
    std::mutex jitter_mutex_;
    std::mt19937_64 jitter_;
};

}  // namespace bloop::detail
