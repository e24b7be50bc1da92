#include <bloop/client/operation.hpp>
#include <bloop/exceptions.hpp>

#include <array>

namespace bloop {
namespace {
constexpr std::array<std::string_view, 25> kNames = {
    "CreateTable",
    "DescribeTable",
    "DeleteTable",
    "ListTables",
    "UpdateTable",
    "UpdateTimeToLive",
    "DescribeTimeToLive",
    "UpdateContinuousBackups",
    "DescribeContinuousBackups",
    "TagResource",
    "ListTagsOfResource",
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchGetItem",
    "BatchWriteItem",
    "Query",
    "Scan",
    "TransactGetItems",
    "TransactWriteItems",
    "ListStreams",
    "DescribeStream",
    "GetShardIterator",
    "GetRecords",
};
static_assert(kNames.size() == static_cast<std::size_t>(Operation::GetRecords) + 1);
}  // namespace

std::string_view operation_name(Operation op) noexcept {
    return kNames[static_cast<std::size_t>(op)];
}

Operation operation_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) return static_cast<Operation>(i);
    }
    throw UnknownOperation("unknown DynamoDB operation \"" + std::string(name) + "\"");
}

Service service_of(Operation op) noexcept {
    return op >= Operation::ListStreams ? Service::streams : Service::dynamodb;
}

std::string target_of(Operation op) {
    const std::string_view prefix =
        service_of(op) == Service::streams ? "DynamoDBStreams_20120810." : "DynamoDB_20120810.";
    const std::string_view name = operation_name(op);
    std::string target;
    target.reserve(prefix.size() + name.size());
    target.append(prefix).append(name);
    return target;
}

}  // namespace bloop
