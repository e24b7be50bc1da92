#include "client/policies/observe.hpp"

#include <bloop/exceptions.hpp>

#include "client/policies/error_mapping.hpp"
#include "telemetry/context.hpp"
#include "telemetry/error_type.hpp"
#include "telemetry/request_facts.hpp"

#include <chrono>

namespace bloop::detail {
namespace {

using std::chrono::steady_clock;
using std::chrono::system_clock;

std::string_view header(const HttpResponse& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(),
                       [](char a, char b) { return (a | 0x20) == (b | 0x20); })) {
            return value;
        }
    }
    return {};
}

}  // namespace

HttpResponse ObserveCall::send(Exchange& exchange, const Next& next) {
    const bool capacity = telemetry_->wants_capacity() && reports_capacity(exchange.op);
    // Asked for here, the capacity is taken out of the answer again: the caller gets what it asked.
    const bool asked = capacity && ask_for_capacity(exchange.request.body);
    const CallContext& context = current_context();
    RequestFacts facts = request_facts(exchange.op, exchange.request.body);
    RequestEvent event;
    event.service = service_of(exchange.op) == Service::dynamodb ? "dynamodb" : "dynamodb-streams";
    event.operation = exchange.name();
    event.tables = std::move(facts.tables);
    event.index = std::move(facts.index);
    event.limit = facts.limit;
    event.select = std::move(facts.select);
    event.projection = std::move(facts.projection);
    event.model = context.model;
    event.mapper = context.mapper;
    event.parent = context.span;
    event.span = child_span(context.span);
    event.start = system_clock::now();
    const auto started = steady_clock::now();
    exchange.attempts = &event.attempts;
    const auto finish = [&] {
        event.duration = steady_clock::now() - started;
        event.in_flight_limit = limit_.current();
        if (!event.attempts.empty()) {
            event.http_status = event.attempts.back().http_status;
            event.error_type = event.attempts.back().error_type;
        }
        exchange.attempts = nullptr;
        telemetry_->request(event);
    };
    try {
        HttpResponse answer = next(exchange);
        event.request_id = header(answer, "x-amzn-RequestId");
        if (capacity) event.capacity = consumed_capacity(exchange.op, answer.body, asked);
        finish();
        return answer;
    } catch (const ServiceError& e) {
        event.request_id = e.request_id();
        finish();
        throw;
    } catch (const std::exception& e) {
        if (event.attempts.empty()) event.attempts.push_back({event.start, {}, 0, error_type(e)});
        finish();
        throw;
    }
}

HttpResponse ObserveAttempt::send(Exchange& exchange, const Next& next) {
    if (exchange.attempts == nullptr) return next(exchange);
    AttemptEvent& attempt = exchange.attempts->emplace_back();
    attempt.start = system_clock::now();
    const auto started = steady_clock::now();
    const auto signed_with = [&] {
        if (!exchange.credentials.expiration) return;
        const std::int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(
                                         exchange.credentials.expiration->time_since_epoch())
                                         .count();
        const std::int64_t before = expiration_.exchange(seconds);
        if (before != 0 && before != seconds) telemetry_->credentials(true);
    };
    try {
        HttpResponse answer = next(exchange);
        attempt.duration = steady_clock::now() - started;
        attempt.http_status = answer.status;
        signed_with();
        return answer;
    } catch (const ServiceError& e) {
        attempt.duration = steady_clock::now() - started;
        attempt.http_status = e.http_status();
        attempt.error_type =
            e.error_code().empty() ? "HTTP " + std::to_string(e.http_status()) : e.error_code();
        attempt.throttled = is_throttling(e.error_code());
        signed_with();
        throw;
    } catch (const CredentialsUnavailable& e) {
        attempt.duration = steady_clock::now() - started;
        attempt.error_type = error_type(e);
        telemetry_->credentials(false);
        throw;
    } catch (const std::exception& e) {
        attempt.duration = steady_clock::now() - started;
        attempt.error_type = error_type(e);
        throw;
    }
}

}  // namespace bloop::detail
