#include "client/policies/in_flight_limit.hpp"
#include "client/policies/error_mapping.hpp"

#include <bloop/exceptions.hpp>

#include <string>

namespace bloop::detail {

HttpResponse InFlightLimit::send(Exchange& exchange, const Next& next) {
    const AdaptiveLimit::Ticket ticket = limit_.acquire();
    struct Release {
        AdaptiveLimit& limit;
        const AdaptiveLimit::Ticket& ticket;
        ~Release() { limit.release(ticket); }
    } release{limit_, ticket};
    const auto kind = static_cast<std::size_t>(exchange.op);
    const auto sent = now_();
    try {
        HttpResponse response = next(exchange);
        const auto answered = now_();
        limit_.answered(ticket, kind, answered - sent, answered);
        return response;
    } catch (const ServiceError& e) {
        const auto answered = now_();
        if (is_throttling(e.error_code())) {
            if (const auto now = limit_.throttled(answered); now != 0 && log_) {
                log_(LogLevel::info, std::string(exchange.name()) + " was throttled: at most " +
                                         std::to_string(now) + " requests in flight now");
            }
        } else if (e.http_status() < 500) {
            // A refusal (a failed condition, a bad request) was served like any answer. A 5xx
            // teaches nothing: a front end may answer it at once without reaching the service
            // (a 503 in 0.1 ms would make every later answer look queued).
            limit_.answered(ticket, kind, answered - sent, answered);
        }
        throw;
    }
}

}  // namespace bloop::detail
