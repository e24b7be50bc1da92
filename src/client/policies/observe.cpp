#include "client/policies/observe.hpp"

#include <bloop/exceptions.hpp>

#include "client/policies/error_mapping.hpp"
#include "client/telemetry/context.hpp"
#include "client/telemetry/error_type.hpp"
#include "client/telemetry/request_facts.hpp"

#include <chrono>
#include <utility>

namespace bloop::detail {
namespace {

using std::chrono::steady_clock;
using std::chrono::system_clock;

// The event of the call under way on this thread, reused from one call to the next so that its
// strings and vectors keep their storage (no allocation per call once they have grown). A call
// made while one is under way on the thread (a credentials provider's own client, say) gets one of
// its own.
class ThreadEvent {
  public:
    ThreadEvent() : event_(busy() ? own_ : slot()) { reuse_ = !std::exchange(busy(), true); }
    ~ThreadEvent() {
        if (reuse_) busy() = false;
    }
    ThreadEvent(const ThreadEvent&) = delete;
    ThreadEvent& operator=(const ThreadEvent&) = delete;
    RequestEvent& operator*() noexcept { return event_; }

  private:
    static RequestEvent& slot() {
        thread_local RequestEvent event;
        return event;
    }
    static bool& busy() {
        thread_local bool in_use = false;
        return in_use;
    }
    RequestEvent own_;
    RequestEvent& event_;
    bool reuse_ = false;
};

}  // namespace

HttpResponse ObserveCall::send(Exchange& exchange, const Next& next) {
    const bool capacity = telemetry_->wants_capacity() && reports_capacity(exchange.op);
    // Asked for here, the capacity is taken out of the answer again: the caller gets what it asked.
    const bool asked = capacity && ask_for_capacity(exchange.request.body);
    const CallContext& context = current_context();
    ThreadEvent slot;
    RequestEvent& event = *slot;
    event.service = service_of(exchange.op) == Service::dynamodb ? "dynamodb" : "dynamodb-streams";
    event.operation = exchange.name();
    read_request(exchange.op, exchange.request.body, event);
    event.model.assign(context.model);
    event.mapper.assign(context.mapper);
    event.parent = context.span;
    event.span = child_span(context.span);
    event.start = system_clock::now();
    event.attempts.clear();
    event.capacity.clear();
    event.http_status = 0;
    event.error_type.clear();
    event.request_id.clear();
    const auto started = steady_clock::now();
    exchange.attempts = &event.attempts;
    const auto finish = [&] {
        event.duration = steady_clock::now() - started;
        event.in_flight_limit = limit_.current();
        if (!event.attempts.empty()) {
            event.http_status = event.attempts.back().http_status;
            event.error_type.assign(event.attempts.back().error_type);
        }
        exchange.attempts = nullptr;
        telemetry_->request(event);
    };
    try {
        HttpResponse answer = next(exchange);
        event.request_id.assign(find_header(answer.headers, "x-amzn-RequestId"));
        if (capacity) consumed_capacity(exchange.op, answer.body, asked, event.capacity);
        finish();
        return answer;
    } catch (const ServiceError& e) {
        event.request_id.assign(e.request_id());
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
        attempt.error_type = error_name(e);
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
