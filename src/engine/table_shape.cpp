// The table a model describes: its CreateTable request, and how a described table differs.

#include "engine/table_shape.hpp"

#include <algorithm>
#include <set>

namespace bloop::detail {

namespace {

const char* projection_type(ProjectionMode mode) {
    switch (mode) {
        case ProjectionMode::all: return "ALL";
        case ProjectionMode::keys: return "KEYS_ONLY";
        default: return "INCLUDE";
    }
}

std::vector<wire::KeyElement> key_schema(const ModelInfo& m, std::optional<std::size_t> hash,
                                         std::optional<std::size_t> range) {
    std::vector<wire::KeyElement> schema;
    for (const auto& [column, type] : {std::pair{hash, "HASH"}, std::pair{range, "RANGE"}}) {
        if (column) schema.push_back({m.columns[*column].dynamo_name, type});
    }
    return schema;
}

// An index's key schema: every hash attribute, then every range attribute, in key order.
std::vector<wire::KeyElement> key_schema(const ModelInfo& m, const IndexInfo& ix) {
    std::vector<wire::KeyElement> schema;
    for (const auto c : ix.hash_keys()) schema.push_back({m.columns[c].dynamo_name, "HASH"});
    for (const auto c : ix.range_keys()) schema.push_back({m.columns[c].dynamo_name, "RANGE"});
    return schema;
}

// The included columns that are not keys of the table or the index, by DynamoDB name.
std::vector<std::string> non_key_attributes(const ModelInfo& m, const IndexInfo& ix) {
    std::set<std::size_t> keys;
    for (const auto k : m.key_columns()) keys.insert(k);
    for (const auto k : ix.hash_keys()) keys.insert(k);
    for (const auto k : ix.range_keys()) keys.insert(k);
    std::vector<std::string> out;
    for (const auto c : ix.projection.included) {
        if (keys.count(c) == 0) out.push_back(m.columns[c].dynamo_name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

wire::ProvisionedThroughput throughput(std::optional<std::int64_t> read,
                                       std::optional<std::int64_t> write) {
    return {read.value_or(1), write.value_or(1)};
}

std::vector<wire::AttributeDefinition> attribute_definitions(const ModelInfo& m) {
    std::set<std::size_t> attributes;
    std::vector<wire::AttributeDefinition> definitions;
    const auto define = [&](std::optional<std::size_t> column) {
        if (!column || !attributes.insert(*column).second) return;
        definitions.push_back(
            {m.columns[*column].dynamo_name, std::string(to_string(m.columns[*column].backing))});
    };
    define(m.hash_key);
    define(m.range_key);
    for (const auto& ix : m.indexes) {
        for (const auto k : ix.hash_keys()) define(k);
        for (const auto k : ix.range_keys()) define(k);
    }
    return definitions;
}

wire::SecondaryIndex index_request(const ModelInfo& m, const IndexInfo& ix) {
    wire::SecondaryIndex index{
        ix.dynamo_name, key_schema(m, ix), {projection_type(ix.projection.mode), {}}, std::nullopt};
    if (ix.projection.mode == ProjectionMode::include) {
        index.projection.non_key_attributes = non_key_attributes(m, ix);
        // Only key columns are included: DynamoDB refuses INCLUDE without non-key attributes,
        // and KEYS_ONLY holds exactly those.
        if (index.projection.non_key_attributes.empty())
            index.projection.projection_type = "KEYS_ONLY";
    }
    if (ix.kind == IndexKind::global && m.billing != Billing::on_demand)
        index.provisioned_throughput = throughput(ix.read_units, ix.write_units);
    return index;
}

wire::CreateTable create_table_request(const ModelInfo& m, const std::string& table_name) {
    wire::CreateTable request;
    request.table_name = table_name;
    request.key_schema = key_schema(m, m.hash_key, m.range_key);
    request.attribute_definitions = attribute_definitions(m);
    if (m.billing == Billing::on_demand) {
        request.billing_mode = "PAY_PER_REQUEST";
    } else {
        request.provisioned_throughput = throughput(m.read_units, m.write_units);
    }
    for (const auto& ix : m.indexes) {
        (ix.kind == IndexKind::global ? request.global_secondary_indexes
                                      : request.local_secondary_indexes)
            .push_back(index_request(m, ix));
    }
    if (m.stream) request.stream_specification = {true, std::string(stream_view_type(*m.stream))};
    request.deletion_protection_enabled = m.deletion_protection;
    if (m.encryption) request.sse_specification = sse_specification(*m.encryption);
    if (m.table_class) request.table_class = table_class_name(*m.table_class);
    request.tags = tags_of(m);
    return request;
}

wire::SseSpecification sse_specification(const ModelInfo::EncryptionInfo& e) {
    if (!e.kms) return {false, "", ""};
    return {true, "KMS", e.kms_key};
}

const char* table_class_name(TableClass c) {
    return c == TableClass::standard ? "STANDARD" : "STANDARD_INFREQUENT_ACCESS";
}

std::vector<wire::Tag> tags_of(const ModelInfo& m) {
    std::vector<wire::Tag> tags;
    for (const auto& [key, value] : m.tags) tags.push_back({key, value});
    return tags;
}

bool dynamodb_local(const wire::TableDescription& table) {
    return table.table_arn.find(":ddblocal:") != std::string::npos;
}

std::optional<std::string> encryption_difference(const ModelInfo& m,
                                                 const wire::TableDescription& table) {
    if (!m.encryption || dynamodb_local(table)) return std::nullopt;
    const auto& d = table.sse_description;
    const bool kms =
        d && d->sse_type == "KMS" && (d->status == "ENABLED" || d->status == "ENABLING");
    const auto name = [](bool k) { return k ? "a KMS key" : "the AWS owned key"; };
    if (kms != m.encryption->kms) {
        return std::string("the table is encrypted with ") + name(kms) + ", expected " +
               name(m.encryption->kms);
    }
    const std::string& want = m.encryption->kms_key;
    if (!kms || want.empty() || want.rfind("alias/", 0) == 0) return std::nullopt;
    const std::string& has = d->kms_master_key_arn;
    const bool same =
        want.rfind("arn:", 0) == 0
            ? has == want
            : has.size() > want.size() &&
                  has.compare(has.size() - want.size() - 4, std::string::npos, "key/" + want) == 0;
    if (same) return std::nullopt;
    return "the table's KMS key is " + (has.empty() ? std::string("unknown") : has) +
           ", expected " + want;
}

std::optional<std::string> table_class_difference(const ModelInfo& m,
                                                  const wire::TableDescription& table) {
    if (!m.table_class || dynamodb_local(table)) return std::nullopt;
    const std::string has = table.table_class.empty() ? "STANDARD" : table.table_class;
    const std::string want = table_class_name(*m.table_class);
    if (has == want) return std::nullopt;
    return "the table class is " + has + ", expected " + want;
}

wire::ThroughputDescription units(const std::optional<wire::ThroughputDescription>& described) {
    return described.value_or(wire::ThroughputDescription{});
}

bool on_demand(const wire::TableDescription& table) {
    return table.billing_mode == "PAY_PER_REQUEST";
}

namespace {

// A key schema as (name, type) pairs in key order: a multi-attribute key's order matters.
std::vector<std::pair<std::string, std::string>> schema_of(
    const std::vector<wire::KeyElement>& keys) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& k : keys) out.emplace_back(k.attribute_name, k.key_type);
    return out;
}

void compare_units(std::vector<std::string>& diffs, const std::string& what,
                   const std::optional<wire::ThroughputDescription>& actual,
                   std::optional<std::int64_t> read, std::optional<std::int64_t> write) {
    const wire::ThroughputDescription has = units(actual);
    const auto compare = [&](std::optional<std::int64_t> expected,
                             std::optional<std::int64_t> found, const char* name) {
        if (!expected || found == expected) return;
        diffs.push_back(what + " has " + name + " " + (found ? std::to_string(*found) : "unset") +
                        ", expected " + std::to_string(*expected));
    };
    compare(read, has.read_capacity_units, "ReadCapacityUnits");
    compare(write, has.write_capacity_units, "WriteCapacityUnits");
}

// The dynamo names an actual index projection provides.
std::set<std::string> provided(const ModelInfo& m, const IndexInfo& ix,
                               const wire::IndexDescription& actual) {
    std::set<std::string> out;
    const std::string& type = actual.projection.projection_type;
    if (type == "ALL") {
        for (const auto& c : m.columns) out.insert(c.dynamo_name);
        return out;
    }
    for (const auto k : m.key_columns()) out.insert(m.columns[k].dynamo_name);
    for (const auto k : ix.hash_keys()) out.insert(m.columns[k].dynamo_name);
    for (const auto k : ix.range_keys()) out.insert(m.columns[k].dynamo_name);
    if (type == "INCLUDE") {
        for (const auto& n : actual.projection.non_key_attributes) out.insert(n);
    }
    return out;
}

}  // namespace

std::vector<std::string> differences(const ModelInfo& m, const wire::TableDescription& table) {
    std::vector<std::string> diffs;
    if (schema_of(table.key_schema) != schema_of(key_schema(m, m.hash_key, m.range_key))) {
        diffs.push_back("the key schema differs");
    }
    for (const auto& d : attribute_definitions(m)) {
        if (std::find(table.attribute_definitions.begin(), table.attribute_definitions.end(), d) ==
            table.attribute_definitions.end()) {
            diffs.push_back("attribute '" + d.attribute_name + "' is not defined as " +
                            d.attribute_type);
        }
    }
    if (m.billing && *m.billing != (on_demand(table) ? Billing::on_demand : Billing::provisioned)) {
        diffs.push_back(std::string("the table is billed ") +
                        (on_demand(table) ? "PAY_PER_REQUEST" : "PROVISIONED") + ", expected " +
                        (*m.billing == Billing::on_demand ? "PAY_PER_REQUEST" : "PROVISIONED"));
    }
    if (m.deletion_protection && table.deletion_protection_enabled != *m.deletion_protection) {
        diffs.push_back(std::string("deletion protection is ") +
                        (table.deletion_protection_enabled ? "on" : "off") + ", expected " +
                        (*m.deletion_protection ? "on" : "off"));
    }
    if (auto d = encryption_difference(m, table)) diffs.push_back(std::move(*d));
    if (auto d = table_class_difference(m, table)) diffs.push_back(std::move(*d));
    if (!on_demand(table)) {
        compare_units(diffs, "the table", table.provisioned_throughput, m.read_units,
                      m.write_units);
    }
    if (m.stream) {
        const auto& spec = table.stream_specification;
        const std::string want(stream_view_type(*m.stream));
        if (!spec || !spec->stream_enabled) {
            diffs.push_back("the table has no stream, expected " + want);
        } else if (spec->stream_view_type != want) {
            diffs.push_back("the stream is " + spec->stream_view_type + ", expected " + want);
        }
    }
    for (const auto& ix : m.indexes) {
        const bool global = ix.kind == IndexKind::global;
        const auto& list = global ? table.global_secondary_indexes : table.local_secondary_indexes;
        const wire::IndexDescription* actual = nullptr;
        for (const auto& candidate : list) {
            if (candidate.index_name == ix.dynamo_name) actual = &candidate;
        }
        const std::string what = std::string(global ? "GSI '" : "LSI '") + ix.dynamo_name + "'";
        if (actual == nullptr) {
            diffs.push_back(what + " is missing");
            continue;
        }
        if (schema_of(actual->key_schema) != schema_of(key_schema(m, ix))) {
            diffs.push_back(what + " has another key schema");
        }
        const std::set<std::string> has = provided(m, ix, *actual);
        for (const auto c : ix.projection.included) {
            if (has.count(m.columns[c].dynamo_name) == 0) {
                diffs.push_back(what + " does not project '" + m.columns[c].dynamo_name + "'");
            }
        }
        if (global && !on_demand(table)) {
            compare_units(diffs, what, actual->provisioned_throughput, ix.read_units,
                          ix.write_units);
        }
    }
    return diffs;
}

bool active(const wire::TableDescription& table) {
    if (table.table_status != "ACTIVE") return false;
    return std::all_of(table.global_secondary_indexes.begin(), table.global_secondary_indexes.end(),
                       [](const wire::IndexDescription& g) { return g.index_status == "ACTIVE"; });
}

const wire::IndexDescription* described_gsi(const wire::TableDescription& table,
                                            const std::string& name) {
    for (const auto& g : table.global_secondary_indexes) {
        if (g.index_name == name) return &g;
    }
    return nullptr;
}

}  // namespace bloop::detail
