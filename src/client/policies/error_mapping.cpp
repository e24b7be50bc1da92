#include "client/policies/error_mapping.hpp"

#include <bloop/json/json.hpp>

#include "json/reader.hpp"

#include <array>
#include <optional>

namespace bloop::detail {
namespace {

constexpr std::array<std::string_view, 5> kThrottlingCodes = {
    "ProvisionedThroughputExceededException", "ThrottlingException", "Throttling",
    "RequestLimitExceeded", "TooManyRequestsException"};

// A TransactWriteItems whose ClientRequestToken is still being applied by an earlier attempt:
// sending it again later gets that attempt's outcome.
constexpr std::string_view kTransactionInProgress = "TransactionInProgressException";

std::optional<json::Value> parse_quietly(std::string_view body) {
    try {
        json::Value v = json::parse(body);
        if (v.is_object()) return v;
    } catch (const InvalidJson&) {
    }
    return std::nullopt;
}

std::string string_member(const json::Value& v, std::string_view key) {
    const json::Value* m = v.find(key);
    return m != nullptr && m->is_string() ? m->as_string() : std::string();
}

}  // namespace

bool is_throttling(std::string_view code) {
    for (auto c : kThrottlingCodes) {
        if (c == code) return true;
    }
    return false;
}

std::string error_name(const ServiceError& e) {
    return e.error_code().empty() ? "HTTP " + std::to_string(e.http_status()) : e.error_code();
}

std::string redact(std::string text, const Secrets& secrets) {
    for (std::string_view secret :
         {secrets.secret_access_key, secrets.session_token, secrets.signature}) {
        if (secret.empty()) continue;
        for (auto pos = text.find(secret); pos != std::string::npos;
             pos = text.find(secret, pos + 3)) {
            text.replace(pos, secret.size(), "***");
        }
    }
    return text;
}

ServiceErrorInfo error_info(const std::string& operation, const HttpResponse& response,
                            const Secrets& secrets) {
    ServiceErrorInfo info;
    info.operation = operation;
    info.http_status = response.status;
    info.request_id = std::string(find_header(response.headers, "x-amzn-RequestId"));
    std::string code;
    if (auto body = parse_quietly(response.body)) {
        code = string_member(*body, "__type");
        info.message = string_member(*body, "message");
        if (info.message.empty()) info.message = string_member(*body, "Message");
    } else if (!response.body.empty()) {
        // Redact before cutting: a secret straddling the cut would leak its prefix.
        info.message = redact(response.body, secrets).substr(0, 200);
    }
    if (code.empty()) code = std::string(find_header(response.headers, "x-amzn-ErrorType"));
    // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" -> the part after '#';
    // the header form may carry ":http://..." after the code.
    if (const auto hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
    if (const auto colon = code.find(':'); colon != std::string::npos) code.erase(colon);
    info.error_code = code;
    info.message = redact(std::move(info.message), secrets);
    info.retryable =
        response.status >= 500 || is_throttling(code) || code == kTransactionInProgress;
    return info;
}

void throw_service_error(ServiceErrorInfo info, std::string_view body) {
    const std::string& code = info.error_code;
    if (code == "ConditionalCheckFailedException") {
        std::shared_ptr<const Item> item;
        try {
            json::detail::Reader r(body);
            r.members([&](std::string_view name) {
                if (name == "Item") {
                    item = std::make_shared<const Item>(r.item());
                } else {
                    r.skip();
                }
            });
        } catch (const InvalidArgument&) {
            // No readable item: the error stands without it.
        }
        throw ConditionalCheckFailed(std::move(info), std::move(item));
    }
    if (code == "ResourceNotFoundException") throw ResourceNotFound(std::move(info));
    if (code == "ResourceInUseException") throw ResourceInUse(std::move(info));
    if (code == "ValidationException") throw ValidationError(std::move(info));
    if (code == "ProvisionedThroughputExceededException") {
        throw ProvisionedThroughputExceeded(std::move(info));
    }
    if (is_throttling(code)) throw Throttling(std::move(info));
    if (code == "ExpiredIteratorException") throw ExpiredIterator(std::move(info));
    if (code == "TrimmedDataAccessException") throw TrimmedDataAccess(std::move(info));
    if (code == "TransactionCanceledException") {
        std::vector<CancellationReason> reasons;
        if (auto parsed = parse_quietly(body)) {
            if (json::Value* list = parsed->find("CancellationReasons"); list && list->is_array()) {
                for (auto& r : list->as_array()) {
                    if (!r.is_object()) continue;
                    CancellationReason reason{string_member(r, "Code"), string_member(r, "Message"),
                                              nullptr};
                    if (json::Value* item = r.find("Item"); item && item->is_object()) {
                        try {
                            reason.item = std::make_shared<const Item>(json::to_item(*item));
                        } catch (const InvalidArgument&) {
                            // No readable item: the reason stands without it.
                        }
                    }
                    reasons.push_back(std::move(reason));
                }
            }
        }
        throw TransactionCanceled(std::move(info), std::move(reasons));
    }
    if (info.http_status >= 500) throw InternalServerError(std::move(info));
    throw ServiceError(std::move(info));
}

}  // namespace bloop::detail

namespace bloop::detail {

HttpResponse ErrorMapping::send(Exchange& exchange, const Next& next) {
    HttpResponse response = next(exchange);
    if (response.status == 200) return response;
    const Secrets secrets{exchange.credentials.secret_access_key,
                          exchange.credentials.session_token, exchange.signature};
    ServiceErrorInfo info = error_info(std::string(exchange.name()), response, secrets);
    info.earlier_attempt_unknown = exchange.earlier_attempt_unknown;
    throw_service_error(std::move(info), response.body);
}

}  // namespace bloop::detail
