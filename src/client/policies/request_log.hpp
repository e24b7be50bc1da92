#pragma once
// The request log policy: one debug line per request sent and one per answer, built only when
// someone listens.

#include <bloop/client/log.hpp>

#include "client/policies/policy.hpp"

namespace bloop::detail {

class RequestLog final : public Policy {
  public:
    explicit RequestLog(LogListener log) : log_(std::move(log)) {}

    HttpResponse send(Exchange& exchange, const Next& next) override;

  private:
    const LogListener log_;
};

}  // namespace bloop::detail
