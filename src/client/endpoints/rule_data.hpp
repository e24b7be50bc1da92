#pragma once
// AWS's endpoint rule sets of DynamoDB and DynamoDB Streams and its partitions, as JSON text
// (generated into rule_data.cpp by scripts/generate-endpoint-rules).

#include <string>

namespace bloop::detail {

/// DynamoDB's endpoint rule set (dynamodb_2012-08-10_endpoint-rule-set-1.json).
[[nodiscard]] std::string dynamodb_rule_set_json();
/// DynamoDB Streams' (dynamodbstreams_2012-08-10_endpoint-rule-set-1.json).
[[nodiscard]] std::string streams_rule_set_json();
/// The partitions, their regions and DNS suffixes (partitions.json).
[[nodiscard]] std::string partitions_json();

}  // namespace bloop::detail
