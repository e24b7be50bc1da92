#pragma once
// DynamoDB's table operations on the wire: CreateTable, UpdateTable, DescribeTable, the TTL,
// continuous-backup and tag operations. Plain aggregates named after the API's members; `encode`
// gives a request's exact body, `decode` reads an answer's body. Every member name of these
// operations is spelled here and nowhere else.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bloop::detail::wire {

/// One key attribute: KeyType "HASH" or "RANGE".
struct KeyElement {
    std::string attribute_name;
    std::string key_type;
    friend bool operator==(const KeyElement&, const KeyElement&) = default;
};

/// A key attribute's type: "S", "N" or "B".
struct AttributeDefinition {
    std::string attribute_name;
    std::string attribute_type;
    friend bool operator==(const AttributeDefinition&, const AttributeDefinition&) = default;
};

/// Provisioned read and write units, as a request sets them.
struct ProvisionedThroughput {
    std::int64_t read_capacity_units = 1;
    std::int64_t write_capacity_units = 1;
};

/// Which attributes an index holds: ProjectionType "ALL", "KEYS_ONLY" or "INCLUDE" (with
/// NonKeyAttributes, omitted when empty).
struct Projection {
    std::string projection_type;
    std::vector<std::string> non_key_attributes;
};

/// A secondary index as CreateTable (or a GSI Create) takes it.
struct SecondaryIndex {
    std::string index_name;
    std::vector<KeyElement> key_schema;
    Projection projection;
    std::optional<ProvisionedThroughput> provisioned_throughput;  ///< provisioned GSIs only
};

/// A table's stream: StreamViewType is sent only when enabled.
struct StreamSpecification {
    bool stream_enabled = false;
    std::string stream_view_type;
};

/// Encryption at rest: SSEType "KMS" with an optional key, or nothing (the AWS owned key).
struct SseSpecification {
    bool enabled = false;
    std::string sse_type;           ///< empty: omitted
    std::string kms_master_key_id;  ///< empty: omitted
};

/// One tag of a resource.
struct Tag {
    std::string key;
    std::string value;
};

/// CreateTable.
struct CreateTable {
    std::string table_name;
    std::vector<KeyElement> key_schema;
    std::vector<AttributeDefinition> attribute_definitions;
    std::string billing_mode;  ///< "PAY_PER_REQUEST", or empty with provisioned_throughput
    std::optional<ProvisionedThroughput> provisioned_throughput;
    std::vector<SecondaryIndex> global_secondary_indexes;  ///< omitted when empty
    std::vector<SecondaryIndex> local_secondary_indexes;   ///< omitted when empty
    std::optional<StreamSpecification> stream_specification;
    std::optional<bool> deletion_protection_enabled;
    std::optional<SseSpecification> sse_specification;
    std::string table_class;  ///< empty: omitted (STANDARD)
    std::vector<Tag> tags;    ///< omitted when empty
};
[[nodiscard]] std::string encode(const CreateTable& request);

/// A GSI's new units (an Update of GlobalSecondaryIndexUpdates).
struct IndexThroughput {
    std::string index_name;
    ProvisionedThroughput provisioned_throughput;
};

/// UpdateTable: each member set is one change (DynamoDB takes one kind of change a request).
struct UpdateTable {
    std::string table_name;
    std::vector<AttributeDefinition>
        attribute_definitions;  ///< with gsi_create; omitted when empty
    std::string billing_mode;   ///< empty: omitted
    std::optional<ProvisionedThroughput> provisioned_throughput;
    std::vector<IndexThroughput> gsi_updates;  ///< Update entries; omitted when empty
    std::optional<SecondaryIndex> gsi_create;  ///< a Create entry (after the updates)
    std::optional<StreamSpecification> stream_specification;
    std::optional<SseSpecification> sse_specification;
    std::string table_class;  ///< empty: omitted
    std::optional<bool> deletion_protection_enabled;
};
[[nodiscard]] std::string encode(const UpdateTable& request);

/// DescribeTable, DescribeTimeToLive and DescribeContinuousBackups: a table by name.
struct TableName {
    std::string table_name;
};
[[nodiscard]] std::string encode(const TableName& request);

/// Units as a description reports them (either may be missing).
struct ThroughputDescription {
    std::optional<std::int64_t> read_capacity_units;
    std::optional<std::int64_t> write_capacity_units;
};

/// A secondary index as DescribeTable reports it.
struct IndexDescription {
    std::string index_name;
    std::vector<KeyElement> key_schema;
    Projection projection;
    std::string index_status;  ///< GSIs: "CREATING", "ACTIVE", ...; empty for LSIs
    std::optional<ThroughputDescription> provisioned_throughput;
};

/// How a table is encrypted, as reported (SSEDescription).
struct SseDescription {
    std::string status;  ///< "ENABLED", "ENABLING", ...
    std::string sse_type;
    std::string kms_master_key_arn;
};

/// DescribeTable's answer: the Table member, with what bind and migrations read.
struct TableDescription {
    std::string table_name;
    std::string table_arn;
    std::string table_status;
    std::vector<KeyElement> key_schema;
    std::vector<AttributeDefinition> attribute_definitions;
    std::string billing_mode;  ///< BillingModeSummary's; empty when not reported (provisioned)
    std::optional<ThroughputDescription> provisioned_throughput;
    std::vector<IndexDescription> global_secondary_indexes;
    std::vector<IndexDescription> local_secondary_indexes;
    std::optional<StreamSpecification> stream_specification;
    std::string latest_stream_arn;
    bool deletion_protection_enabled = false;
    std::optional<SseDescription> sse_description;
    std::string table_class;  ///< TableClassSummary's; empty when not reported

    /// Reads `{"Table":{...}}`. Throws ProtocolError for another shape (as every decode here).
    [[nodiscard]] static TableDescription decode(std::string_view body);
};

/// UpdateTimeToLive.
struct UpdateTimeToLive {
    std::string table_name;
    bool enabled = false;
    std::string attribute_name;
};
[[nodiscard]] std::string encode(const UpdateTimeToLive& request);

/// DescribeTimeToLive's answer.
struct TimeToLiveDescription {
    std::string time_to_live_status = "DISABLED";  ///< as reported; DISABLED when missing
    std::string attribute_name;                    ///< empty when not reported

    [[nodiscard]] static TimeToLiveDescription decode(std::string_view body);
};

/// UpdateContinuousBackups: point-in-time recovery on or off.
struct UpdateContinuousBackups {
    std::string table_name;
    bool point_in_time_recovery_enabled = false;
};
[[nodiscard]] std::string encode(const UpdateContinuousBackups& request);

/// DescribeContinuousBackups's answer.
struct ContinuousBackupsDescription {
    std::string point_in_time_recovery_status;  ///< "ENABLED", "DISABLED"; empty when missing

    [[nodiscard]] static ContinuousBackupsDescription decode(std::string_view body);
};

/// ListTagsOfResource: one page.
struct ListTagsOfResource {
    std::string resource_arn;
    std::string next_token;  ///< empty: the first page
};
[[nodiscard]] std::string encode(const ListTagsOfResource& request);

/// ListTagsOfResource's answer.
struct TagsPage {
    std::vector<Tag> tags;
    std::string next_token;  ///< empty: the last page

    [[nodiscard]] static TagsPage decode(std::string_view body);
};

/// TagResource.
struct TagResource {
    std::string resource_arn;
    std::vector<Tag> tags;
};
[[nodiscard]] std::string encode(const TagResource& request);

}  // namespace bloop::detail::wire
