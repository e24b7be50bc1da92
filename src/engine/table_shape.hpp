#pragma once
// The table a model describes: the CreateTable request bind sends, the pieces migrations reuse,
// and how a table DescribeTable reports differs from the model.

#include <bloop/json/json.hpp>
#include <bloop/model/model_info.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bloop::detail {

/// The AttributeDefinitions of the table's and its indexes' keys.
[[nodiscard]] json::Value attribute_definitions(const ModelInfo& m);
/// A ProvisionedThroughput (1 for an unset unit).
[[nodiscard]] json::Value throughput(std::optional<std::int64_t> read,
                                     std::optional<std::int64_t> write);
/// One index as CreateTable (or a GSI Create) takes it.
[[nodiscard]] json::Value index_request(const ModelInfo& m, const IndexInfo& ix);
/// The SSESpecification of an encryption setting.
[[nodiscard]] json::Value sse_specification(const ModelInfo::EncryptionInfo& e);
/// "STANDARD" or "STANDARD_INFREQUENT_ACCESS".
[[nodiscard]] const char* table_class_name(TableClass c);
/// The model's tags as CreateTable and TagResource take them.
[[nodiscard]] json::Value tags_of(const ModelInfo& m);
/// The CreateTable request of `m` under `table_name`.
[[nodiscard]] json::Value create_table_request(const ModelInfo& m, const std::string& table_name);

/// A unit of the described table (or GSI); nullopt when not reported.
[[nodiscard]] std::optional<std::int64_t> units(const json::Value& described, const char* name);
/// Whether the described table is billed PAY_PER_REQUEST.
[[nodiscard]] bool on_demand(const json::Value& table);
/// Every way the described table differs from the model, in words (empty: it matches).
[[nodiscard]] std::vector<std::string> differences(const ModelInfo& m, const json::Value& table);
/// Whether the described table is served by DynamoDB Local (its ARNs name the region
/// "ddblocal"), which does not report encryption or the table class.
[[nodiscard]] bool dynamodb_local(const json::Value& table);
/// How the table's encryption differs from the model's (nullopt: the same, not declared, or not
/// reported).
[[nodiscard]] std::optional<std::string> encryption_difference(const ModelInfo& m,
                                                               const json::Value& table);
/// How the table class differs (nullopt: the same, not declared, or not reported).
[[nodiscard]] std::optional<std::string> table_class_difference(const ModelInfo& m,
                                                                const json::Value& table);
/// Whether the table and its GSIs are ACTIVE.
[[nodiscard]] bool active(const json::Value& table);
/// The described GSI named `name`, or nullptr.
[[nodiscard]] const json::Value* described_gsi(const json::Value& table, const std::string& name);

}  // namespace bloop::detail
