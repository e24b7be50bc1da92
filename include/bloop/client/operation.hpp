#pragma once
/// \file
/// The DynamoDB and DynamoDB Streams operations the client sends.

#include <bloop/client/endpoint.hpp>

#include <string_view>

namespace bloop {

/// An API operation. The first group goes to DynamoDB, the last four to DynamoDB Streams.
enum class Operation {
    CreateTable,
    DescribeTable,
    DeleteTable,
    ListTables,
    UpdateTable,
    UpdateTimeToLive,
    DescribeTimeToLive,
    UpdateContinuousBackups,
    DescribeContinuousBackups,
    TagResource,
    ListTagsOfResource,
    GetItem,
    PutItem,
    UpdateItem,
    DeleteItem,
    BatchGetItem,
    BatchWriteItem,
    Query,
    Scan,
    TransactGetItems,
    TransactWriteItems,
    ListStreams,
    DescribeStream,
    GetShardIterator,
    GetRecords,
};

/// The operation's API name, e.g. "GetItem".
[[nodiscard]] std::string_view operation_name(Operation op) noexcept;
/// The operation named `name` (exact API spelling). Throws UnknownOperation for anything else.
[[nodiscard]] Operation operation_from_name(std::string_view name);
/// The service that serves `op`.
[[nodiscard]] Service service_of(Operation op) noexcept;
/// The X-Amz-Target header value, e.g. "DynamoDB_20120810.GetItem".
[[nodiscard]] std::string target_of(Operation op);

}  // namespace bloop
