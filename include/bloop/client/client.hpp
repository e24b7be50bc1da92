#pragma once
/// \file
/// The low-level DynamoDB and DynamoDB Streams client: JSON 1.0 protocol, SigV4, retries, typed
/// errors, a bounded number of requests in flight. Requests and responses are JSON documents
/// shaped exactly as in the AWS API reference.

#include <bloop/client/credentials.hpp>
#include <bloop/client/endpoint.hpp>
#include <bloop/client/http.hpp>
#include <bloop/client/log.hpp>
#include <bloop/client/operation.hpp>
#include <bloop/client/retry.hpp>
#include <bloop/json/json.hpp>
#include <bloop/telemetry/telemetry.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bloop {
namespace detail {
struct TextCalls;  // src/client/text_calls.hpp
}  // namespace detail

/// How a Client is set up. Everything left empty is resolved from the environment.
struct ClientOptions {
    std::optional<std::string> region;       ///< else AWS_REGION, AWS_DEFAULT_REGION, config
    std::optional<Credentials> credentials;  ///< else the default chain (docs/client.md)
    /// Asked for credentials on every signing; when set, `credentials` and the chain are unused.
    std::shared_ptr<CredentialsProvider> credentials_provider;
    std::optional<std::string> profile;  ///< else AWS_PROFILE, else "default"
    /// DynamoDB URL; else AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL.
    std::optional<std::string> endpoint;
    /// Streams URL; else AWS_ENDPOINT_URL_DYNAMODB_STREAMS, AWS_ENDPOINT_URL.
    std::optional<std::string> streams_endpoint;
    /// FIPS endpoints; else AWS_USE_FIPS_ENDPOINT, else the profile's use_fips_endpoint.
    std::optional<bool> use_fips_endpoint;
    /// Dual-stack endpoints; else AWS_USE_DUALSTACK_ENDPOINT, else use_dualstack_endpoint.
    std::optional<bool> use_dualstack_endpoint;
    /// Account-ID endpoints; else AWS_ACCOUNT_ID_ENDPOINT_MODE, else the profile's
    /// account_id_endpoint_mode, else preferred (used whenever the credentials name their account).
    std::optional<AccountIdEndpointMode> account_id_endpoint_mode;
    Timeouts timeouts{};  ///< connect and whole-request timeouts
    /// The ceiling on concurrent requests (and pooled connections, and worker threads); ≥ 1. The
    /// requests actually in flight adapt below it: from 16, growing while answers stay fast,
    /// shrinking when the server queues or throttles.
    std::size_t max_in_flight = 64;
    RetryPolicy retry{};                   ///< backoff and attempts
    LogListener log;                       ///< empty: silent
    /// Receives every request's, mapper call's and stream batch's event (docs/observability.md);
    /// empty: nothing is measured and requests are sent exactly as without it.
    std::shared_ptr<Telemetry> telemetry;
    std::shared_ptr<Transport> transport;  ///< empty: pooled libcurl
    /// A PEM file of the certificate authorities trusted for https (behind a TLS-inspecting
    /// proxy); else `AWS_CA_BUNDLE`, else the profile's `ca_bundle`, else the system's.
    std::optional<std::string> ca_bundle;
    Environment environment{};  ///< where variables and files are looked up
};

/// Settings of one call.
struct CallOptions {
    /// Bounds the whole call, every attempt and backoff included: each attempt gets at most what
    /// is left of it (connect and request timeouts shrink to fit), no retry starts once its
    /// backoff would end past it, and a call that runs out throws RequestTimeout (or the last
    /// attempt's own error). Unset: the client's timeouts and retry policy alone bound the call.
    std::optional<std::chrono::milliseconds> timeout{};
    /// Error codes the caller takes as a normal outcome (e.g. "ResourceInUseException" for a
    /// CreateTable of a table that may exist): still thrown, but logged at debug, not as a
    /// warning.
    std::vector<std::string> expected_errors{};
};

/// A DynamoDB + DynamoDB Streams client. Safe to share between threads; copies share state.
class Client {
  public:
    /// Resolves region, credentials and endpoints from the environment now (the instance
    /// metadata service is asked for the region only when nothing else names one, and for
    /// credentials only on the first request). Throws MissingRegion, MissingCredentials or
    /// InvalidEndpoint before anything is sent.
    Client();
    /// Resolves what `options` leaves empty from the environment now. Throws MissingRegion,
    /// MissingCredentials, InvalidEndpoint or InvalidConfiguration before anything is sent.
    explicit Client(ClientOptions options);

    /// Sends `request` as operation `op` and returns the response document. Retries per the
    /// policy. Throws a ServiceError subclass for an error response, a TransportError subclass
    /// when no response came, ProtocolError for a malformed response body.
    [[nodiscard]] json::Value call(Operation op, const json::Value& request) const;
    /// As `call`, bounded by `options` (e.g. a timeout over all attempts).
    [[nodiscard]] json::Value call(Operation op, const json::Value& request,
                                   const CallOptions& options) const;
    /// As `call`, with the operation named by its API name. Throws UnknownOperation first for an
    /// unknown name.
    [[nodiscard]] json::Value call(std::string_view op, const json::Value& request) const;
    /// As `call`, with the request given as JSON text and the response returned as JSON text.
    [[nodiscard]] std::string call_raw(Operation op, std::string request_json) const;
    /// As `call_raw`, bounded by `options`.
    [[nodiscard]] std::string call_raw(Operation op, std::string request_json,
                                       const CallOptions& options) const;
    /// Runs `call` on the client's worker pool; at most `max_in_flight` requests run at once.
    [[nodiscard]] std::future<json::Value> call_async(Operation op, json::Value request) const;

    /// The resolved region.
    [[nodiscard]] const std::string& region() const noexcept;
    /// How many requests may be in flight at once (ClientOptions::max_in_flight).
    [[nodiscard]] std::size_t max_in_flight() const noexcept;
    /// How many requests may be in flight now: the adaptive limit under max_in_flight(), sized to
    /// the latency and halved on throttling.
    [[nodiscard]] std::size_t in_flight_limit() const;
    /// The retry policy (ClientOptions::retry) as resolved from the options, the environment and
    /// the profile.
    [[nodiscard]] const RetryPolicy& retry_policy() const noexcept;
    /// Waits before retry `n` (1, 2, ...) of a round the caller repeats itself (the engine's
    /// unprocessed items, a cancelled transaction): the client's own backoff, full jitter under
    /// the retry policy's cap, through its `sleep` hook when set.
    void wait_before_retry(int n) const;
    /// The telemetry (ClientOptions::telemetry; null: none), for the layers above the client.
    [[nodiscard]] Telemetry* telemetry() const noexcept;
    /// The log listener (empty: silent), for layers that log through the client's listener.
    [[nodiscard]] const LogListener& log_listener() const noexcept;
    /// The resolved endpoint of `service` (for DynamoDB, the one used while the credentials name
    /// no other account than the environment's or profile's).
    [[nodiscard]] const Endpoint& endpoint(Service service) const noexcept;

  private:
    friend struct detail::TextCalls;
    struct State;
    struct Workers;
    // Runs `task` on the worker pool (started on first use).
    void submit(std::function<void()> task) const;
    std::shared_ptr<State> state_;
    std::shared_ptr<Workers> workers_;
};

}  // namespace bloop
