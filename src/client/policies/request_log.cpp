#include "client/policies/request_log.hpp"

#include <string>

namespace bloop::detail {

HttpResponse RequestLog::send(Exchange& exchange, const Next& next) {
    if (!log_) return next(exchange);
    const std::string name(exchange.name());
    log_(LogLevel::debug, name + " -> " + exchange.request.url + " (" +
                              std::to_string(exchange.request.body.size()) + " bytes, attempt " +
                              std::to_string(exchange.attempt) + ")");
    HttpResponse response = next(exchange);
    log_(LogLevel::debug, name + " <- HTTP " + std::to_string(response.status) + " (request id " +
                              std::string(find_header(response.headers, "x-amzn-RequestId")) + ")");
    return response;
}

}  // namespace bloop::detail
