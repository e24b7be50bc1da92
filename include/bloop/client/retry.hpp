#pragma once
/// \file
/// The retry policy: which failures are retried, how often, and how long to wait.

#include <chrono>
#include <cstdint>
#include <functional>

namespace bloop {

/// Exponential backoff with full jitter: before retry n (1-based) the client sleeps a uniformly
/// random time in [0, min(max_delay, base_delay * 2^(n-1))]. Throttling, 5xx responses and
/// connection failures are retried; nothing else is.
struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries. Must be ≥ 1.
    int max_attempts = 8;
    /// The backoff of the first retry.
    std::chrono::milliseconds base_delay{25};
    /// The largest backoff of any retry.
    std::chrono::milliseconds max_delay{2000};
    /// How the client waits; replace it in tests to record delays instead of sleeping.
    std::function<void(std::chrono::milliseconds)> sleep;
    /// Seed of the jitter generator; 0 seeds from the system's random device.
    std::uint64_t jitter_seed = 0;

    /// The cap of retry `retry` (1-based): min(max_delay, base_delay * 2^(retry-1)).
    [[nodiscard]] std::chrono::milliseconds backoff_cap(int retry) const noexcept;
};

}  // namespace bloop
