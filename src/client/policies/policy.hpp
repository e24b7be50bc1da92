#pragma once
// The client as a pipeline of policies, as the Azure SDK builds its HttpPipeline: a request goes
// down through one policy after another to the transport, and its answer (or exception) comes
// back up through them. Each policy does one thing:
//
//   Retries       the attempts of one call, their backoff and the call's deadline
//   Signing       credentials, the endpoint they route to, headers, SigV4
//   InFlightLimit the adaptive limit on requests in flight (waits for room, learns from answers)
//   ErrorMapping  a non-200 answer becomes bloop's typed ServiceError
//   RequestLog    one debug line per request sent and per answer received
//   TransportCall the transport itself (the last)
//
// With telemetry set, ObserveCall comes first and ObserveAttempt right below Retries (observe.hpp).

#include <bloop/client/client.hpp>
#include <bloop/client/credentials.hpp>
#include <bloop/client/http.hpp>
#include <bloop/client/operation.hpp>
#include <bloop/telemetry/telemetry.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bloop::detail {

/// One call on its way through the policies: what the caller asked, and what the policies above
/// have decided for the attempt under way.
struct Exchange {
    Operation op{};
    bool idempotent = false;               ///< may be sent again after an unknown outcome
    const CallOptions* call = nullptr;     ///< never null
    HttpRequest request;                   ///< the body from the caller; the rest set per attempt
    Timeouts timeouts;                     ///< this attempt's
    int attempt = 0;                       ///< 1, 2, ...
    bool earlier_attempt_unknown = false;  ///< an earlier attempt may have been applied
    Credentials credentials;               ///< that signed this attempt
    std::string signature;                 ///< this attempt's
    std::vector<AttemptEvent>* attempts = nullptr;  ///< where ObserveAttempt records; else null

    [[nodiscard]] std::string_view name() const noexcept { return operation_name(op); }
};

class Policy;

/// The policies below one: calling it sends the exchange on and returns what comes back.
class Next {
  public:
    explicit Next(std::span<Policy* const> rest) noexcept : rest_(rest) {}
    HttpResponse operator()(Exchange& exchange) const;

  private:
    std::span<Policy* const> rest_;
};

/// One step of the pipeline.
class Policy {
  public:
    virtual ~Policy() = default;
    /// Sends `exchange` on through `next` (the last policy: out) and returns the answer.
    virtual HttpResponse send(Exchange& exchange, const Next& next) = 0;
};

inline HttpResponse Next::operator()(Exchange& exchange) const {
    return rest_.front()->send(exchange, Next(rest_.subspan(1)));
}

/// Policies in order, the last one sending.
class Pipeline {
  public:
    explicit Pipeline(std::vector<std::unique_ptr<Policy>> policies)
        : policies_(std::move(policies)) {
        for (const auto& policy : policies_) order_.push_back(policy.get());
    }
    /// Sends `exchange` through every policy.
    HttpResponse send(Exchange& exchange) const { return Next(order_)(exchange); }

  private:
    std::vector<std::unique_ptr<Policy>> policies_;
    std::vector<Policy*> order_;
};

/// The last policy: hands the request to the transport.
class TransportCall final : public Policy {
  public:
    explicit TransportCall(std::shared_ptr<Transport> transport)
        : transport_(std::move(transport)) {}
    HttpResponse send(Exchange& exchange, const Next&) override {
        return transport_->send(exchange.request, exchange.timeouts);
    }

  private:
    std::shared_ptr<Transport> transport_;
};

}  // namespace bloop::detail
