#include "client/policies/retries.hpp"

#include <bloop/exceptions.hpp>

#include "client/policies/error_mapping.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>

namespace bloop::detail {

Retries::Retries(RetryPolicy parameters, Timeouts timeouts, LogListener log,
                 std::function<Clock::time_point()> now)
    : parameters_(std::move(parameters)),
      timeouts_(timeouts),
      log_(std::move(log)),
      now_(std::move(now)),
      jitter_(parameters_.jitter_seed != 0 ? parameters_.jitter_seed : std::random_device{}()) {}

std::chrono::milliseconds Retries::backoff(int n) {
    const auto cap = parameters_.backoff_cap(n);
    std::lock_guard lock(jitter_mutex_);
    std::uniform_int_distribution<std::int64_t> pick(0, cap.count());
    return std::chrono::milliseconds(pick(jitter_));
}

void Retries::wait(std::chrono::milliseconds delay) const {
    if (parameters_.sleep) {
        parameters_.sleep(delay);
    } else {
        std::this_thread::sleep_for(delay);
    }
}

HttpResponse Retries::send(Exchange& exchange, const Next& next) {
    const std::string_view name = exchange.name();
    const CallOptions& call = *exchange.call;
    const int attempts = *parameters_.max_attempts;
    const std::optional<Clock::time_point> deadline =
        call.timeout ? std::optional(now_() + *call.timeout) : std::nullopt;
    for (int attempt = 1;; ++attempt) {
        exchange.attempt = attempt;
        exchange.timeouts = timeouts_;
        if (deadline) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now_());
            if (left.count() <= 0) {
                throw RequestTimeout(std::string(name) + ": no answer within the call's " +
                                     std::to_string(call.timeout->count()) + " ms");
            }
            exchange.timeouts.connect = std::min(exchange.timeouts.connect, left);
            exchange.timeouts.request = std::min(exchange.timeouts.request, left);
        }
        std::string reason;
        std::optional<std::chrono::milliseconds> delay;  // drawn only for a retry
        const auto no_time_to_retry = [&] {
            if (!deadline) return false;
            delay = backoff(attempt);
            return now_() + *delay >= *deadline;
        };
        try {
            return next(exchange);
        } catch (const ServiceError& e) {
            const bool unknown = e.http_status() >= 500;
            if (!e.retryable() || attempt >= attempts || (unknown && !exchange.idempotent) ||
                no_time_to_retry()) {
                const bool expected =
                    std::find(call.expected_errors.begin(), call.expected_errors.end(),
                              e.error_code()) != call.expected_errors.end();
                log(expected ? LogLevel::debug : LogLevel::warning,
                    std::string(name) + " failed: " + e.error_code() + ": " + e.message());
                throw;
            }
            exchange.earlier_attempt_unknown = exchange.earlier_attempt_unknown || unknown;
            reason = error_name(e);
        } catch (const TransportError& e) {
            if (attempt >= attempts || (e.outcome_unknown() && !exchange.idempotent) ||
                no_time_to_retry()) {
                log(LogLevel::warning, std::string(name) + " failed: " + e.what());
                throw;
            }
            exchange.earlier_attempt_unknown =
                exchange.earlier_attempt_unknown || e.outcome_unknown();
            reason = e.what();
        }
        if (!delay) delay = backoff(attempt);
        log(LogLevel::info, std::string(name) + " attempt " + std::to_string(attempt) + " of " +
                                std::to_string(attempts) + " failed (" + reason +
                                "); retrying in " + std::to_string(delay->count()) + " ms");
        wait(*delay);
    }
}

}  // namespace bloop::detail
