#pragma once
// The table a model describes: the CreateTable request bind sends, the pieces migrations reuse,
// and how a table DescribeTable reports differs from the model.

#include <bloop/model/model_info.hpp>

#include "wire/table.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bloop::detail {

/// The AttributeDefinitions of the table's and its indexes' keys.
[[nodiscard]] std::vector<wire::AttributeDefinition> attribute_definitions(const ModelInfo& m);
/// A ProvisionedThroughput (1 for an unset unit).
[[nodiscard]] wire::ProvisionedThroughput throughput(std::optional<std::int64_t> read,
                                                     std::optional<std::int64_t> write);
/// One index as CreateTable (or a GSI Create) takes it.
[[nodiscard]] wire::SecondaryIndex index_request(const ModelInfo& m, const IndexInfo& ix);
/// The SSESpecification of an encryption setting.
[[nodiscard]] wire::SseSpecification sse_specification(const ModelInfo::EncryptionInfo& e);
/// "STANDARD" or "STANDARD_INFREQUENT_ACCESS".
[[nodiscard]] const char* table_class_name(TableClass c);
/// The model's tags as CreateTable and TagResource take them.
[[nodiscard]] std::vector<wire::Tag> tags_of(const ModelInfo& m);
/// The CreateTable request of `m` under `table_name`.
[[nodiscard]] wire::CreateTable create_table_request(const ModelInfo& m,
                                                     const std::string& table_name);

/// The units of a described table or GSI (each nullopt when not reported).
[[nodiscard]] wire::ThroughputDescription units(
    const std::optional<wire::ThroughputDescription>& described);
/// Whether the described table is billed PAY_PER_REQUEST.
[[nodiscard]] bool on_demand(const wire::TableDescription& table);
/// Every way the described table differs from the model, in words (empty: it matches).
[[nodiscard]] std::vector<std::string> differences(const ModelInfo& m,
                                                   const wire::TableDescription& table);
/// Whether the described table is served by DynamoDB Local (its ARNs name the region
/// "ddblocal"), which does not report encryption or the table class.
[[nodiscard]] bool dynamodb_local(const wire::TableDescription& table);
/// How the table's encryption differs from the model's (nullopt: the same, not declared, or not
/// reported).
[[nodiscard]] std::optional<std::string> encryption_difference(const ModelInfo& m,
                                                               const wire::TableDescription& table);
/// How the table class differs (nullopt: the same, not declared, or not reported).
[[nodiscard]] std::optional<std::string> table_class_difference(
    const ModelInfo& m, const wire::TableDescription& table);
/// Whether the table and its GSIs are ACTIVE.
[[nodiscard]] bool active(const wire::TableDescription& table);
/// The described GSI named `name`, or nullptr.
[[nodiscard]] const wire::IndexDescription* described_gsi(const wire::TableDescription& table,
                                                          const std::string& name);

}  // namespace bloop::detail
