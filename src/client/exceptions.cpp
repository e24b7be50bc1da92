#include <bloop/exceptions.hpp>
#include <bloop/types/attribute_value.hpp>

namespace bloop {
namespace {
std::string describe(const ServiceErrorInfo& info) {
    std::string out = info.operation.empty() ? std::string("request") : info.operation;
    out += " failed: ";
    out += info.error_code.empty() ? "HTTP " + std::to_string(info.http_status) : info.error_code;
    if (!info.message.empty()) out += ": " + info.message;
    out += " (HTTP " + std::to_string(info.http_status);
    if (!info.request_id.empty()) out += ", request id " + info.request_id;
    out += ")";
    return out;
}
}  // namespace

ServiceError::ServiceError(ServiceErrorInfo info)
    : RuntimeError(describe(info)), info_(std::move(info)) {}

ConditionalCheckFailed::ConditionalCheckFailed(ServiceErrorInfo info,
                                               std::shared_ptr<const AttributeMap> item)
    : ServiceError(std::move(info)), item_(std::move(item)) {}

TransactionCanceled::TransactionCanceled(ServiceErrorInfo info,
                                         std::vector<CancellationReason> reasons)
    : ServiceError(std::move(info)), reasons_(std::move(reasons)) {}

}  // namespace bloop
