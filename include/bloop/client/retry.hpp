#pragma once
/// \file
/// The retry policy: which failures are retried, how often, and how long to wait.

#include <bloop/client/environment.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace bloop {

/// The AWS SDKs' retry modes (`AWS_RETRY_MODE`, or `retry_mode` of the profile).
enum class RetryMode {
    legacy,    ///< the SDKs' older DynamoDB policy: 11 attempts, backoff from 25 ms up to 20 s
    standard,  ///< the SDKs' standard policy: 3 attempts, backoff from 1 s up to 20 s
    /// standard, plus client-side rate limiting on throttling — which this client always does
    /// (its adaptive in-flight limit), whatever the mode
    adaptive,
};

/// Exponential backoff with full jitter: before retry n (1-based) the client sleeps a uniformly
/// random time in [0, min(max_delay, base_delay * 2^(n-1))]. Throttling, 5xx responses and
/// connection failures are retried; nothing else is. What is left unset comes from the
/// environment and the profile as the AWS SDKs read it (see resolve_retry_policy).
struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries. Must be ≥ 1. Unset:
    /// `AWS_MAX_ATTEMPTS`, else the profile's `max_attempts`, else the mode's, else 8.
    std::optional<int> max_attempts{};
    /// Unset: `AWS_RETRY_MODE`, else the profile's `retry_mode`; with neither, bloop's own
    /// policy (8 attempts, backoff from 25 ms up to 2 s, tuned to DynamoDB's latency).
    std::optional<RetryMode> mode{};
    /// The backoff of the first retry. Unset: the mode's, else 25 ms.
    std::optional<std::chrono::milliseconds> base_delay{};
    /// The largest backoff of any retry. Unset: the mode's, else 2 s.
    std::optional<std::chrono::milliseconds> max_delay{};
    /// How the client waits; replace it in tests to record delays instead of sleeping.
    std::function<void(std::chrono::milliseconds)> sleep{};
    /// Seed of the jitter generator; 0 seeds from the system's random device.
    std::uint64_t jitter_seed = 0;

    /// The cap of retry `retry` (1-based): min(max_delay, base_delay * 2^(retry-1)), with bloop's
    /// defaults for what is unset.
    [[nodiscard]] std::chrono::milliseconds backoff_cap(int retry) const noexcept;
};

/// `given` with everything unset filled in: what it sets wins; then `AWS_MAX_ATTEMPTS` and
/// `AWS_RETRY_MODE`; then `max_attempts` and `retry_mode` of the profile (`profile`, else
/// `AWS_PROFILE`, else "default") in the config file; then the mode's values (legacy, standard or
/// adaptive), or bloop's own without a mode. Throws InvalidConfiguration naming the setting for a
/// value that is not a positive number or a mode.
[[nodiscard]] RetryPolicy resolve_retry_policy(RetryPolicy given,
                                               const std::optional<std::string>& profile = {},
                                               const Environment& env = Environment());

}  // namespace bloop
