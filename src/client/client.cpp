#include <bloop/client/client.hpp>
#include <bloop/client/sigv4.hpp>
#include <bloop/exceptions.hpp>

#include "client/adaptive_limit.hpp"
#include "client/aws_files.hpp"
#include "client/credentials/instance_region.hpp"
#include "client/idempotency.hpp"
#include "client/policies/error_mapping.hpp"
#include "client/policies/in_flight_limit.hpp"
#include "client/policies/observe.hpp"
#include "client/policies/policy.hpp"
#include "client/policies/request_log.hpp"
#include "client/policies/retries.hpp"
#include "client/policies/router.hpp"
#include "client/policies/signing.hpp"
#include "client/text_calls.hpp"
#include "client/telemetry/context.hpp"
#include "util/executor.hpp"
#include "wire/reading.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <vector>

namespace bloop {
namespace {

void validate(const ClientOptions& o) {
    if (o.max_in_flight == 0) throw InvalidConfiguration("max_in_flight must be at least 1");
    if (o.timeouts.connect.count() <= 0 || o.timeouts.request.count() <= 0) {
        throw InvalidConfiguration("timeouts must be positive (connect " +
                                   std::to_string(o.timeouts.connect.count()) + " ms, request " +
                                   std::to_string(o.timeouts.request.count()) + " ms)");
    }
    if (o.retry.max_attempts && *o.retry.max_attempts < 1) {
        throw InvalidConfiguration("retry.max_attempts must be at least 1, got " +
                                   std::to_string(*o.retry.max_attempts));
    }
    if ((o.retry.base_delay && o.retry.base_delay->count() < 0) ||
        (o.retry.base_delay && o.retry.max_delay && *o.retry.max_delay < *o.retry.base_delay)) {
        throw InvalidConfiguration("retry delays must satisfy 0 <= base_delay <= max_delay");
    }
}

// Whether curl would send plain-http requests through a proxy (it reads these variables itself;
// upper-case HTTP_PROXY is ignored by curl on purpose).
bool http_proxy_configured() {
    for (const char* name : {"http_proxy", "all_proxy", "ALL_PROXY"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') return true;
    }
    return false;
}

// The certificate authorities to trust for https: explicit, AWS_CA_BUNDLE, the profile's
// ca_bundle; empty: the system's. A file that cannot be read is refused at construction.
std::string ca_bundle_of(const ClientOptions& o) {
    std::string path = o.ca_bundle.value_or("");
    if (path.empty()) path = detail::configured_ca_bundle(o.profile, o.environment);
    if (!path.empty() && !std::ifstream(path)) {
        throw InvalidConfiguration("the CA bundle " + path +
                                   " (ClientOptions::ca_bundle, AWS_CA_BUNDLE or ca_bundle) "
                                   "cannot be read");
    }
    return path;
}

// Plain-http endpoints (DynamoDB Local) get the lean socket transport unless a proxy is set;
// anything with TLS, and proxied traffic, curl.
std::shared_ptr<Transport> default_transport(const Endpoint& dynamodb, const Endpoint& streams,
                                             std::size_t connections, std::string ca_bundle) {
    const bool plain = dynamodb.scheme == "http" && streams.scheme == "http";
    return plain && !http_proxy_configured()
               ? make_socket_transport(connections)
               : make_curl_transport(connections, {}, std::move(ca_bundle));
}

// The region: explicit, environment or config file; else the EC2 instance's own.
std::string region_of(const ClientOptions& o) {
    try {
        return resolve_region(o.region, o.profile, o.environment);
    } catch (const MissingRegion& e) {
        detail::InstanceRegion instance = detail::ask_instance_region(o.environment);
        if (instance.region) return std::move(*instance.region);
        throw MissingRegion(std::string(e.what()) + "; the EC2 instance metadata service (" +
                            instance.why_not + ")");
    }
}

// The default chain: explicit, environment, shared files (static keys or credential_process);
// then, only when none of those has credentials, the container endpoint and the EC2 instance
// metadata service, which are asked only when a request needs credentials.
std::shared_ptr<CredentialsProvider> default_credentials(const ClientOptions& o,
                                                         const std::string& region) {
    try {
        return local_credentials_provider(o.credentials, o.profile, o.environment, o.log, region);
    } catch (const MissingCredentials& e) {
        RefreshOptions refresh{.log = o.log};
        if (auto container = container_credentials_provider(o.environment, refresh))
            return container;
        if (auto imds = instance_metadata_credentials_provider(o.environment, refresh)) return imds;
        throw MissingCredentials(std::string(e.what()) +
                                 "; no container credentials (AWS_CONTAINER_CREDENTIALS_*_URI "
                                 "unset); EC2 instance metadata disabled");
    }
}

}  // namespace

namespace {

// `o` with its retry policy resolved from the environment and the profile.
ClientOptions with_resolved_retry(ClientOptions o) {
    o.retry = resolve_retry_policy(std::move(o.retry), o.profile, o.environment);
    if (*o.retry.max_delay < *o.retry.base_delay) {
        throw InvalidConfiguration("retry delays must satisfy 0 <= base_delay <= max_delay (" +
                                   std::to_string(o.retry.base_delay->count()) + " ms > " +
                                   std::to_string(o.retry.max_delay->count()) + " ms)");
    }
    return o;
}

}  // namespace

struct Client::State {
    explicit State(ClientOptions o)
        : options(with_resolved_retry(std::move(o))),
          region(region_of(options)),
          credentials(options.credentials_provider ? options.credentials_provider
                                                   : default_credentials(options, region)),
          router(options.endpoint, options.streams_endpoint, region, endpoint_settings_of(options),
                 options.environment),
          transport(options.transport
                        ? options.transport
                        : default_transport(router.endpoint(Service::dynamodb),
                                            router.endpoint(Service::streams),
                                            options.max_in_flight, ca_bundle_of(options))),
          pipeline(policies()) {}

    static EndpointSettings endpoint_settings_of(const ClientOptions& o) {
        EndpointSettings s = resolve_endpoint_settings(o.profile, o.environment);
        if (o.use_fips_endpoint) s.use_fips = *o.use_fips_endpoint;
        if (o.use_dualstack_endpoint) s.use_dualstack = *o.use_dualstack_endpoint;
        if (o.account_id_endpoint_mode) s.account_id_mode = *o.account_id_endpoint_mode;
        if (o.credentials && !o.credentials->account_id.empty())
            s.account_id = o.credentials->account_id;
        return s;
    }

    // Retries, signing, the in-flight limit, error mapping, the request log, the transport; with
    // telemetry, a call's observer above them all and an attempt's below the retries.
    std::vector<std::unique_ptr<detail::Policy>> policies() {
        const Endpoint& dynamodb = router.endpoint(Service::dynamodb);
        std::vector<std::unique_ptr<detail::Policy>> p;
        if (options.telemetry)
            p.push_back(std::make_unique<detail::ObserveCall>(options.telemetry, limit));
        auto owned_retries =
            std::make_unique<detail::Retries>(options.retry, options.timeouts, options.log);
        retries = owned_retries.get();
        p.push_back(std::move(owned_retries));
        if (options.telemetry)
            p.push_back(std::make_unique<detail::ObserveAttempt>(options.telemetry));
        p.push_back(std::make_unique<detail::Signing>(
            credentials, router,
            SigV4Signer(dynamodb.signing_region.empty() ? region : dynamodb.signing_region,
                        "dynamodb"),
            options.environment));
        p.push_back(std::make_unique<detail::InFlightLimit>(limit, options.log));
        p.push_back(std::make_unique<detail::ErrorMapping>());
        p.push_back(std::make_unique<detail::RequestLog>(options.log));
        p.push_back(std::make_unique<detail::TransportCall>(transport));
        return p;
    }

    // Sends `body` through the pipeline; the 200 answer's body.
    std::string send(Operation op, std::string body, bool idempotent,
                     const CallOptions& call = {}) {
        detail::Exchange exchange;
        exchange.op = op;
        exchange.idempotent = idempotent;
        exchange.call = &call;
        exchange.request.body = std::move(body);
        return pipeline.send(exchange).body;
    }

    json::Value call(Operation op, const json::Value& request, const CallOptions& bounds = {}) {
        if (!request.is_object()) throw InvalidJson("a request body must be a JSON object");
        // Room for most request bodies: one allocation where growing from empty took six. (Below
        // 1 KiB the allocator keeps a cache of freed blocks per size.)
        std::string text;
        text.reserve(1000);
        json::write(text, request);
        std::string body = send(op, std::move(text), detail::is_idempotent(op, request), bounds);
        return detail::wire::decoded(operation_name(op),
                                     [&] { return detail::wire::parse_object(body); });
    }

    // What an async call takes to the thread that runs it: the caller's telemetry context (nothing
    // without telemetry).
    [[nodiscard]] detail::CallContext carried() const {
        return options.telemetry ? detail::current_context() : detail::CallContext{};
    }

    ClientOptions options;
    std::string region;
    std::shared_ptr<CredentialsProvider> credentials;
    detail::Router router;
    std::shared_ptr<Transport> transport;
    detail::AdaptiveLimit limit{options.max_in_flight};  // sized to the latency, ≤ max_in_flight
    detail::Retries* retries = nullptr;                  // in the pipeline
    detail::Pipeline pipeline;
};

// Owned by the Client handles, not by State: queued tasks keep State alive, and the last Client
// handle to go finishes the queued tasks and joins the workers.
struct Client::Workers {
    std::once_flag once;
    std::unique_ptr<detail::Executor> executor;
};

Client::Client()
    : state_(std::make_shared<State>(ClientOptions())), workers_(std::make_shared<Workers>()) {}

Client::Client(ClientOptions options) {
    validate(options);
    state_ = std::make_shared<State>(std::move(options));
    workers_ = std::make_shared<Workers>();
}

std::string Client::call_raw(Operation op, std::string request_json) const {
    return call_raw(op, std::move(request_json), CallOptions{});
}

std::string Client::call_raw(Operation op, std::string request_json,
                             const CallOptions& options) const {
    json::Value parsed = json::parse(request_json);
    if (!parsed.is_object()) throw InvalidJson("a request body must be a JSON object");
    const bool idempotent = detail::is_idempotent(op, parsed);
    return state_->send(op, std::move(request_json), idempotent, options);
}

json::Value Client::call(Operation op, const json::Value& request) const {
    return state_->call(op, request);
}

json::Value Client::call(Operation op, const json::Value& request,
                         const CallOptions& options) const {
    return state_->call(op, request, options);
}

json::Value Client::call(std::string_view op, const json::Value& request) const {
    return call(operation_from_name(op), request);
}

std::future<json::Value> Client::call_async(Operation op, json::Value request) const {
    auto task = std::make_shared<std::packaged_task<json::Value()>>(
        [state = state_, op, request = std::move(request), context = state_->carried()] {
            const detail::Carried carried(context);
            return state->call(op, request);
        });
    auto future = task->get_future();
    submit([task] { (*task)(); });
    return future;
}

void Client::submit(std::function<void()> task) const {
    std::call_once(workers_->once, [&] {
        // No more queued calls run at once than the limit lets in flight: the others would only
        // wait in acquire(), each woken and put back to sleep as answers come.
        workers_->executor = std::make_unique<detail::Executor>(
            state_->options.max_in_flight, [state = state_] { return state->limit.current(); });
    });
    workers_->executor->submit(std::move(task));
}

namespace detail {

std::string TextCalls::call(const Client& client, Operation op, std::string body, bool idempotent,
                            const CallOptions& options) {
    return client.state_->send(op, std::move(body), idempotent, options);
}

std::future<std::string> TextCalls::call_async(const Client& client, Operation op, std::string body,
                                               bool idempotent) {
    auto task = std::make_shared<std::packaged_task<std::string()>>(
        [state = client.state_, op, body = std::move(body), idempotent,
         context = client.state_->carried()]() mutable {
            const detail::Carried carried(context);
            return state->send(op, std::move(body), idempotent);
        });
    auto future = task->get_future();
    client.submit([task] { (*task)(); });
    return future;
}

}  // namespace detail

const std::string& Client::region() const noexcept {
    return state_->region;
}

std::size_t Client::max_in_flight() const noexcept {
    return state_->options.max_in_flight;
}

std::size_t Client::in_flight_limit() const {
    return state_->limit.current();
}

const RetryPolicy& Client::retry_policy() const noexcept {
    return state_->options.retry;
}

Telemetry* Client::telemetry() const noexcept {
    return state_->options.telemetry.get();
}

const LogListener& Client::log_listener() const noexcept {
    return state_->options.log;
}

const Endpoint& Client::endpoint(Service service) const noexcept {
    return state_->router.endpoint(service);
}

void Client::wait_before_retry(int n) const {
    state_->retries->wait_before_retry(n);
}

}  // namespace bloop
