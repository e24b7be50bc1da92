#pragma once
// Turning an error response into a typed exception: the functions, and the error-mapping policy
// of the client's pipeline (client/policies/policy.hpp).

#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>

#include "client/policies/policy.hpp"

#include <string>
#include <string_view>

namespace bloop::detail {

/// Values that must never appear in a message, a log line or an exception.
struct Secrets {
    std::string_view secret_access_key;
    std::string_view session_token;
    std::string_view signature;
};

/// Replaces every occurrence of a secret in `text` with "***".
std::string redact(std::string text, const Secrets& secrets);

/// What an error response says: code (namespace stripped), message, request id, retryable.
/// Whether `code` is one of DynamoDB's throttling errors (ThrottlingException, ...).
bool is_throttling(std::string_view code);

/// How retries and telemetry name a service error: its code, or "HTTP <status>" when the answer
/// named none.
std::string error_name(const ServiceError& e);

ServiceErrorInfo error_info(const std::string& operation, const HttpResponse& response,
                            const Secrets& secrets);

/// Throws the ServiceError subclass for `info.error_code` (TransactionCanceled with the
/// cancellation reasons read from `body`).
[[noreturn]] void throw_service_error(ServiceErrorInfo info, std::string_view body);

/// The error-mapping policy: passes a 200 answer up, throws the typed ServiceError of any other
/// (secrets redacted, and saying whether an earlier attempt may have been applied).
class ErrorMapping final : public Policy {
  public:
    HttpResponse send(Exchange& exchange, const Next& next) override;
};

}  // namespace bloop::detail
