#pragma once
// The in-flight policy: a request waits for room under the adaptive limit
// (client/adaptive_limit.hpp), and its answer teaches the limit: a throttling error halves it,
// any other answer reports its latency. A request that got no answer teaches nothing.

#include <bloop/client/log.hpp>

#include "client/adaptive_limit.hpp"
#include "client/policies/policy.hpp"

#include <functional>

namespace bloop::detail {

class InFlightLimit final : public Policy {
  public:
    using Clock = AdaptiveLimit::Clock;
    /// `now`: the clock latencies are read on.
    InFlightLimit(AdaptiveLimit& limit, LogListener log,
                  std::function<Clock::time_point()> now = Clock::now)
        : limit_(limit), log_(std::move(log)), now_(std::move(now)) {}

    HttpResponse send(Exchange& exchange, const Next& next) override;

  private:
    AdaptiveLimit& limit_;
    const LogListener log_;
    const std::function<Clock::time_point()> now_;
};

}  // namespace bloop::detail
