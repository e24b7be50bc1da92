#include <bloop/client/client.hpp>
#include <bloop/client/sigv4.hpp>
#include <bloop/exceptions.hpp>

#include "client/adaptive_limit.hpp"
#include "client/aws_files.hpp"
#include "client/error_mapping.hpp"
#include "client/idempotency.hpp"
#include "client/instance_region.hpp"
#include "util/executor.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

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
std::shared_ptr<Transport> default_transport(const Endpoint (&endpoints)[2],
                                             std::size_t connections, std::string ca_bundle) {
    const bool plain = endpoints[0].scheme == "http" && endpoints[1].scheme == "http";
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
          endpoint_settings(endpoint_settings_of(options)),
          endpoints{base_endpoint(Service::dynamodb), base_endpoint(Service::streams)},
          targets{Target(endpoints[0]), Target(endpoints[1])},
          signer(endpoints[0].signing_region.empty() ? region : endpoints[0].signing_region,
                 "dynamodb"),
          transport(options.transport ? options.transport
                                      : default_transport(endpoints, options.max_in_flight,
                                                          ca_bundle_of(options))),
          jitter(options.retry.jitter_seed != 0 ? options.retry.jitter_seed
                                                : std::random_device{}()) {}

    // An endpoint with its URL and Host header, ready for every request.
    struct Target {
        explicit Target(const Endpoint& e) : path(e.path), url(e.url()), host(e.host_header()) {}
        std::string path, url, host;
    };

    EndpointSettings endpoint_settings_of(const ClientOptions& o) const {
        EndpointSettings s = resolve_endpoint_settings(o.profile, o.environment);
        if (o.use_fips_endpoint) s.use_fips = *o.use_fips_endpoint;
        if (o.use_dualstack_endpoint) s.use_dualstack = *o.use_dualstack_endpoint;
        if (o.account_id_endpoint_mode) s.account_id_mode = *o.account_id_endpoint_mode;
        if (o.credentials && !o.credentials->account_id.empty())
            s.account_id = o.credentials->account_id;
        return s;
    }

    // The endpoint while the credentials name no account of their own. With the account required
    // but not known yet, the account's endpoint is found per request (and fails there).
    Endpoint base_endpoint(Service service) const {
        EndpointSettings s = endpoint_settings;
        if (s.account_id_mode == AccountIdEndpointMode::required && s.account_id.empty())
            s.account_id_mode = AccountIdEndpointMode::preferred;
        return resolve_endpoint(service,
                                service == Service::dynamodb ? options.endpoint
                                                             : options.streams_endpoint,
                                region, s, options.environment);
    }

    // The DynamoDB endpoint for credentials of `account`, resolved once per account.
    std::shared_ptr<const Target> account_target(const std::string& account) {
        std::lock_guard lock(account_mutex);
        if (!account_endpoint || account_endpoint_of != account) {
            EndpointSettings s = endpoint_settings;
            s.account_id = account;
            account_endpoint = std::make_shared<const Target>(resolve_endpoint(
                Service::dynamodb, options.endpoint, region, s, options.environment));
            account_endpoint_of = account;
        }
        return account_endpoint;
    }

    void log(LogLevel level, const std::string& message) const {
        if (options.log) options.log(level, message);
    }

    // Logs what `message()` builds, building it only when someone listens.
    template <class Message>
    void log_lazily(LogLevel level, Message&& message) const {
        if (options.log) options.log(level, message());
    }

    std::chrono::milliseconds backoff(int retry) {
        const auto cap = options.retry.backoff_cap(retry);
        std::lock_guard lock(jitter_mutex);
        std::uniform_int_distribution<std::int64_t> pick(0, cap.count());
        return std::chrono::milliseconds(pick(jitter));
    }

    void wait(std::chrono::milliseconds delay) const {
        if (options.retry.sleep) {
            options.retry.sleep(delay);
        } else {
            std::this_thread::sleep_for(delay);
        }
    }

    // Sends `body`, retrying per the policy. An attempt whose outcome is unknown (no whole answer,
    // or a 5xx) is retried only when the request is `idempotent`; a service error after such an
    // attempt says so (ServiceErrorInfo::earlier_attempt_unknown).
    std::string send(Operation op, std::string body, bool idempotent,
                     const CallOptions& call = {}) {
        const auto service = static_cast<std::size_t>(service_of(op));
        const std::string_view name = operation_name(op);
        HttpRequest request;
        request.body = std::move(body);
        const int attempts = *options.retry.max_attempts;  // resolved at construction
        bool unknown_before = false;
        using Clock = std::chrono::steady_clock;
        const std::optional<Clock::time_point> deadline =
            call.timeout ? std::optional(Clock::now() + *call.timeout) : std::nullopt;
        for (int attempt = 1;; ++attempt) {
            Timeouts timeouts = options.timeouts;
            if (deadline) {
                const auto left =
                    std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
                if (left.count() <= 0) {
                    throw RequestTimeout(std::string(name) + ": no answer within the call's " +
                                         std::to_string(call.timeout->count()) + " ms");
                }
                timeouts.connect = std::min(timeouts.connect, left);
                timeouts.request = std::min(timeouts.request, left);
            }
            // Asked on every attempt: temporary credentials renewed meanwhile sign the retry.
            const Credentials current = credentials->credentials();
            // DynamoDB's account-ID endpoint follows the account the credentials belong to.
            std::shared_ptr<const Target> by_account;
            const Target* target = &targets[service];
            const auto mode = endpoint_settings.account_id_mode;
            const bool other_account = !current.account_id.empty() &&
                                       current.account_id != endpoint_settings.account_id;
            const bool none_required = mode == AccountIdEndpointMode::required &&
                                       current.account_id.empty() &&
                                       endpoint_settings.account_id.empty();
            if (service == 0 && mode != AccountIdEndpointMode::disabled &&
                (other_account || none_required)) {
                by_account = account_target(current.account_id);
                target = by_account.get();
            }
            request.url = target->url;
            request.path = target->path;
            request.headers.clear();
            request.headers.reserve(6);  // and the signer's date, token and Authorization
            request.headers.emplace_back("Host", target->host);
            request.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
            request.headers.emplace_back("X-Amz-Target", target_of(op));
            const SigV4Parts signature =
                signer.sign(request, current, std::chrono::system_clock::now());
            const detail::Secrets secrets{current.secret_access_key, current.session_token,
                                          signature.signature};
            log_lazily(LogLevel::debug, [&] {
                return std::string(name) + " -> " + request.url + " (" +
                       std::to_string(request.body.size()) + " bytes, attempt " +
                       std::to_string(attempt) + ")";
            });
            std::string retry_reason;
            std::optional<std::chrono::milliseconds> delay;  // drawn only for a retry
            const auto no_time_to_retry = [&] {
                if (!deadline) return false;
                delay = backoff(attempt);
                return Clock::now() + *delay >= *deadline;
            };
            try {
                limit.acquire();
                const auto sent = std::chrono::steady_clock::now();
                HttpResponse response = [&] {
                    struct Release {
                        detail::AdaptiveLimit& l;
                        ~Release() { l.release(); }
                    } release{limit};
                    return transport->send(request, timeouts);
                }();
                log_lazily(LogLevel::debug, [&] {
                    return std::string(name) + " <- HTTP " + std::to_string(response.status) +
                           " (request id " +
                           std::string(find_header(response.headers, "x-amzn-RequestId")) + ")";
                });
                const auto answered = std::chrono::steady_clock::now();
                if (response.status == 200) {
                    limit.answered(static_cast<std::size_t>(op), answered - sent, answered);
                    return std::move(response.body);
                }
                ServiceErrorInfo info = detail::error_info(std::string(name), response, secrets);
                if (detail::is_throttling(info.error_code)) {
                    if (const auto now = limit.throttled(answered))
                        log(LogLevel::info, std::string(name) + " was throttled: at most " +
                                                std::to_string(now) + " requests in flight now");
                } else {
                    limit.answered(static_cast<std::size_t>(op), answered - sent, answered);
                }
                info.earlier_attempt_unknown = unknown_before;
                const bool outcome_unknown = response.status >= 500;
                if (!info.retryable || attempt >= attempts || (outcome_unknown && !idempotent) ||
                    no_time_to_retry()) {
                    const bool expected =
                        std::find(call.expected_errors.begin(), call.expected_errors.end(),
                                  info.error_code) != call.expected_errors.end();
                    log(expected ? LogLevel::debug : LogLevel::warning,
                        std::string(name) + " failed: " + info.error_code + ": " + info.message);
                    detail::throw_service_error(std::move(info), response.body);
                }
                unknown_before = unknown_before || outcome_unknown;
                retry_reason = info.error_code.empty() ? "HTTP " + std::to_string(info.http_status)
                                                       : info.error_code;
            } catch (const TransportError& e) {
                if (attempt >= attempts || (e.outcome_unknown() && !idempotent) ||
                    no_time_to_retry()) {
                    log(LogLevel::warning, std::string(name) + " failed: " + e.what());
                    throw;
                }
                unknown_before = unknown_before || e.outcome_unknown();
                retry_reason = e.what();
            }
            if (!delay) delay = backoff(attempt);
            log(LogLevel::info, std::string(name) + " attempt " + std::to_string(attempt) + " of " +
                                    std::to_string(attempts) + " failed (" + retry_reason +
                                    "); retrying in " + std::to_string(delay->count()) + " ms");
            wait(*delay);
        }
    }

    json::Value call(Operation op, const json::Value& request, json::ParseMode mode,
                     const CallOptions& bounds = {}) {
        if (!request.is_object()) throw InvalidJson("a request body must be a JSON object");
        // Room for most request bodies: one allocation where growing from empty took six. (Below
        // 1 KiB the allocator keeps a cache of freed blocks per size.)
        std::string text;
        text.reserve(1000);
        json::write(text, request);
        std::string body = send(op, std::move(text), detail::is_idempotent(op, request), bounds);
        try {
            json::Value response = json::parse(body, mode);
            if (!response.is_object()) throw InvalidJson("the response is not a JSON object");
            return response;
        } catch (const InvalidJson& e) {
            throw ProtocolError("malformed " + std::string(operation_name(op)) +
                                " response: " + e.what());
        }
    }

    ClientOptions options;
    std::string region;
    std::shared_ptr<CredentialsProvider> credentials;
    EndpointSettings endpoint_settings;
    Endpoint endpoints[2];
    Target targets[2];
    std::mutex account_mutex;  // guards the two below
    std::string account_endpoint_of;
    std::shared_ptr<const Target> account_endpoint;
    SigV4Signer signer;
    std::shared_ptr<Transport> transport;
    detail::AdaptiveLimit limit{options.max_in_flight};  // sized to the latency, ≤ max_in_flight
    std::mutex jitter_mutex;
    std::mt19937_64 jitter;
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
    json::Value parsed = json::parse(request_json);
    if (!parsed.is_object()) throw InvalidJson("a request body must be a JSON object");
    const bool idempotent = detail::is_idempotent(op, parsed);
    return state_->send(op, std::move(request_json), idempotent);
}

json::Value Client::call(Operation op, const json::Value& request, json::ParseMode mode) const {
    return state_->call(op, request, mode);
}

json::Value Client::call(Operation op, const json::Value& request, json::ParseMode mode,
                         const CallOptions& options) const {
    return state_->call(op, request, mode, options);
}

json::Value Client::call(std::string_view op, const json::Value& request,
                         json::ParseMode mode) const {
    return call(operation_from_name(op), request, mode);
}

std::future<json::Value> Client::call_async(Operation op, json::Value request,
                                            json::ParseMode mode) const {
    auto task = std::make_shared<std::packaged_task<json::Value()>>(
        [state = state_, op, request = std::move(request), mode] {
            return state->call(op, request, mode);
        });
    auto future = task->get_future();
    std::call_once(workers_->once, [&] {
        // No more queued calls run at once than the limit lets in flight: the others would only
        // wait in acquire(), each woken and put back to sleep as answers come.
        workers_->executor = std::make_unique<detail::Executor>(
            state_->options.max_in_flight, [state = state_] { return state->limit.current(); });
    });
    workers_->executor->submit([task] { (*task)(); });
    return future;
}

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

const LogListener& Client::log_listener() const noexcept {
    return state_->options.log;
}

const Endpoint& Client::endpoint(Service service) const noexcept {
    return state_->endpoints[static_cast<std::size_t>(service)];
}

}  // namespace bloop
