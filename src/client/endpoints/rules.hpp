#pragma once
// An evaluator of AWS's endpoint rule sets (the Smithy rules language the AWS SDKs evaluate):
// parameters with defaults, conditions with assignments, trees, endpoint and error rules, string
// templates, and the standard library of functions the DynamoDB and Streams rule sets use
// (isSet, not, booleanEquals, stringEquals, getAttr, isValidHostLabel, parseURL, aws.partition,
// aws.parseArn).

#include <bloop/json/json.hpp>

#include <string>

namespace bloop::detail {

/// What a rule set resolved to.
struct RuleEndpoint {
    std::string url;
    json::Value properties = json::Value::object();  ///< e.g. authSchemes
    json::Value headers = json::Value::object();
};

/// Evaluates `rule_set` with `parameters` (an object: parameter name -> string, boolean or array
/// of strings; unset ones take their defaults) and `partitions`. Throws InvalidEndpoint with the
/// rule set's own message when it ends in an error rule, or when a required parameter is missing.
[[nodiscard]] RuleEndpoint evaluate_rule_set(const json::Value& rule_set,
                                             const json::Value& partitions,
                                             const json::Value& parameters);

/// DynamoDB's, DynamoDB Streams' rule sets and the partitions, parsed once.
[[nodiscard]] const json::Value& dynamodb_rule_set();
[[nodiscard]] const json::Value& streams_rule_set();
[[nodiscard]] const json::Value& aws_partitions();

}  // namespace bloop::detail
