#include "client/policies/signing.hpp"

#include <chrono>

namespace bloop::detail {

HttpResponse Signing::send(Exchange& exchange, const Next& next) {
    exchange.credentials = credentials_->credentials();
    std::shared_ptr<const Target> account;
    const Target& target = router_.target(service_of(exchange.op), exchange.credentials, account);
    HttpRequest& request = exchange.request;
    request.url = target.url;
    request.path = target.path;
    request.headers.clear();
    request.headers.reserve(6);  // and the signer's date, token and Authorization
    request.headers.emplace_back("Host", target.host);
    request.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    request.headers.emplace_back("X-Amz-Target", target_of(exchange.op));
    if (in_lambda_) {
        if (std::optional<std::string> trace = environment_.get("_X_AMZN_TRACE_ID"))
            request.headers.emplace_back("X-Amzn-Trace-Id", std::move(*trace));
    }
    exchange.signature =
        signer_.sign(request, exchange.credentials, std::chrono::system_clock::now()).signature;
    return next(exchange);
}

}  // namespace bloop::detail
