#pragma once
// The telemetry policies, in the pipeline only when ClientOptions::telemetry is set:
//
//   ObserveCall     above Retries: one RequestEvent per call (tables, index, the mapper call and
//                   span it belongs to, duration, outcome, request id, consumed capacity), asking
//                   DynamoDB for ReturnConsumedCapacity INDEXES when the telemetry wants capacity
//   ObserveAttempt  below Retries: each attempt's start, duration and outcome, and whether the
//                   credentials it was signed with were renewed

#include <bloop/telemetry/telemetry.hpp>

#include "client/adaptive_limit.hpp"
#include "client/policies/policy.hpp"

#include <atomic>
#include <memory>

namespace bloop::detail {

class ObserveCall final : public Policy {
  public:
    ObserveCall(std::shared_ptr<Telemetry> telemetry, const AdaptiveLimit& limit)
        : telemetry_(std::move(telemetry)), limit_(limit) {}
    HttpResponse send(Exchange& exchange, const Next& next) override;

  private:
    std::shared_ptr<Telemetry> telemetry_;
    const AdaptiveLimit& limit_;
};

class ObserveAttempt final : public Policy {
  public:
    explicit ObserveAttempt(std::shared_ptr<Telemetry> telemetry)
        : telemetry_(std::move(telemetry)) {}
    HttpResponse send(Exchange& exchange, const Next& next) override;

  private:
    std::shared_ptr<Telemetry> telemetry_;
    // The expiration (seconds since the epoch) of the credentials last signed with; 0: none yet.
    std::atomic<std::int64_t> expiration_{0};
};

}  // namespace bloop::detail
