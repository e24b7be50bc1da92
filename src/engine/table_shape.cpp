// The table a model describes: its CreateTable request, and how a described table differs.

#include "engine/table_shape.hpp"

#include <algorithm>
#include <set>

namespace bloop::detail {

using json::Value;

namespace {

const char* projection_type(ProjectionMode mode) {
    switch (mode) {
        case ProjectionMode::all: return "ALL";
        case ProjectionMode::keys: return "KEYS_ONLY";
        default: return "INCLUDE";
    }
}

Value key_schema(const ModelInfo& m, std::optional<std::size_t> hash,
                 std::optional<std::size_t> range) {
    Value schema = Value::array();
    for (const auto& [column, type] : {std::pair{hash, "HASH"}, std::pair{range, "RANGE"}}) {
        if (!column) continue;
        Value k;
        k["AttributeName"] = m.columns[*column].dynamo_name;
        k["KeyType"] = type;
        schema.push_back(std::move(k));
    }
    return schema;
}

// The included columns that are not keys of the table or the index, by DynamoDB name.
std::vector<std::string> non_key_attributes(const ModelInfo& m, const IndexInfo& ix) {
    std::set<std::size_t> keys;
    for (const auto k : m.key_columns()) keys.insert(k);
    if (ix.hash_key) keys.insert(*ix.hash_key);
    if (ix.range_key) keys.insert(*ix.range_key);
    std::vector<std::string> out;
    for (const auto c : ix.projection.included) {
        if (keys.count(c) == 0) out.push_back(m.columns[c].dynamo_name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

Value throughput(std::optional<std::int64_t> read, std::optional<std::int64_t> write) {
    Value t;
    t["ReadCapacityUnits"] = Value(read.value_or(1));
    t["WriteCapacityUnits"] = Value(write.value_or(1));
    return t;
}

Value attribute_definitions(const ModelInfo& m) {
    std::set<std::size_t> attributes;
    Value definitions = Value::array();
    const auto define = [&](std::optional<std::size_t> column) {
        if (!column || !attributes.insert(*column).second) return;
        Value d;
        d["AttributeName"] = m.columns[*column].dynamo_name;
        d["AttributeType"] = std::string(to_string(m.columns[*column].backing));
        definitions.push_back(std::move(d));
    };
    define(m.hash_key);
    define(m.range_key);
    for (const auto& ix : m.indexes) {
        define(ix.hash_key);
        define(ix.range_key);
    }
    return definitions;
}

Value index_request(const ModelInfo& m, const IndexInfo& ix) {
    Value index;
    index["IndexName"] = ix.dynamo_name;
    index["KeySchema"] = key_schema(m, ix.hash_key, ix.range_key);
    index["Projection"]["ProjectionType"] = projection_type(ix.projection.mode);
    if (ix.projection.mode == ProjectionMode::include) {
        Value names = Value::array();
        for (auto& n : non_key_attributes(m, ix)) names.push_back(std::move(n));
        if (names.size() != 0) {
            index["Projection"]["NonKeyAttributes"] = std::move(names);
        } else {
            // Only key columns are included: DynamoDB refuses INCLUDE without non-key
            // attributes, and KEYS_ONLY holds exactly those.
            index["Projection"]["ProjectionType"] = "KEYS_ONLY";
        }
    }
    if (ix.kind == IndexKind::global && m.billing != Billing::on_demand)
        index["ProvisionedThroughput"] = throughput(ix.read_units, ix.write_units);
    return index;
}

Value create_table_request(const ModelInfo& m, const std::string& table_name) {
    Value request;
    request["TableName"] = table_name;
    request["KeySchema"] = key_schema(m, m.hash_key, m.range_key);
    request["AttributeDefinitions"] = attribute_definitions(m);
    if (m.billing == Billing::on_demand) {
        request["BillingMode"] = "PAY_PER_REQUEST";
    } else {
        request["ProvisionedThroughput"] = throughput(m.read_units, m.write_units);
    }
    Value gsis = Value::array();
    Value lsis = Value::array();
    for (const auto& ix : m.indexes)
        (ix.kind == IndexKind::global ? gsis : lsis).push_back(index_request(m, ix));
    if (gsis.size() != 0) request["GlobalSecondaryIndexes"] = std::move(gsis);
    if (lsis.size() != 0) request["LocalSecondaryIndexes"] = std::move(lsis);
    if (m.stream) {
        request["StreamSpecification"]["StreamEnabled"] = true;
        request["StreamSpecification"]["StreamViewType"] = std::string(stream_view_type(*m.stream));
    }
    if (m.deletion_protection) request["DeletionProtectionEnabled"] = *m.deletion_protection;
    if (m.encryption) request["SSESpecification"] = sse_specification(*m.encryption);
    if (m.table_class) request["TableClass"] = table_class_name(*m.table_class);
    if (!m.tags.empty()) request["Tags"] = tags_of(m);
    return request;
}

Value sse_specification(const ModelInfo::EncryptionInfo& e) {
    Value spec;
    spec["Enabled"] = e.kms;
    if (e.kms) {
        spec["SSEType"] = "KMS";
        if (!e.kms_key.empty()) spec["KMSMasterKeyId"] = e.kms_key;
    }
    return spec;
}

const char* table_class_name(TableClass c) {
    return c == TableClass::standard ? "STANDARD" : "STANDARD_INFREQUENT_ACCESS";
}

Value tags_of(const ModelInfo& m) {
    Value tags = Value::array();
    for (const auto& [key, value] : m.tags) {
        Value t;
        t["Key"] = key;
        t["Value"] = value;
        tags.push_back(std::move(t));
    }
    return tags;
}

bool dynamodb_local(const Value& table) {
    const Value* arn = table.find("TableArn");
    return arn != nullptr && arn->is_string() &&
           arn->as_string().find(":ddblocal:") != std::string::npos;
}

std::optional<std::string> encryption_difference(const ModelInfo& m, const Value& table) {
    if (!m.encryption || dynamodb_local(table)) return std::nullopt;
    const Value* d = table.find("SSEDescription");
    const bool kms =
        d != nullptr && d->find("SSEType") != nullptr && d->at("SSEType").as_string() == "KMS" &&
        d->find("Status") != nullptr &&
        (d->at("Status").as_string() == "ENABLED" || d->at("Status").as_string() == "ENABLING");
    const auto name = [](bool k) { return k ? "a KMS key" : "the AWS owned key"; };
    if (kms != m.encryption->kms) {
        return std::string("the table is encrypted with ") + name(kms) + ", expected " +
               name(m.encryption->kms);
    }
    const std::string& want = m.encryption->kms_key;
    if (!kms || want.empty() || want.rfind("alias/", 0) == 0) return std::nullopt;
    const Value* arn = d->find("KMSMasterKeyArn");
    const std::string has = arn != nullptr ? arn->as_string() : "";
    const bool same =
        want.rfind("arn:", 0) == 0
            ? has == want
            : has.size() > want.size() &&
                  has.compare(has.size() - want.size() - 4, std::string::npos, "key/" + want) == 0;
    if (same) return std::nullopt;
    return "the table's KMS key is " + (has.empty() ? std::string("unknown") : has) +
           ", expected " + want;
}

std::optional<std::string> table_class_difference(const ModelInfo& m, const Value& table) {
    if (!m.table_class || dynamodb_local(table)) return std::nullopt;
    const Value* summary = table.find("TableClassSummary");
    const std::string has = summary != nullptr && summary->find("TableClass") != nullptr
                                ? summary->at("TableClass").as_string()
                                : "STANDARD";
    const std::string want = table_class_name(*m.table_class);
    if (has == want) return std::nullopt;
    return "the table class is " + has + ", expected " + want;
}

namespace {

std::set<std::pair<std::string, std::string>> schema_of(const Value* schema) {
    std::set<std::pair<std::string, std::string>> out;
    if (schema == nullptr) return out;
    for (const auto& k : schema->as_array())
        out.emplace(k.at("AttributeName").as_string(), k.at("KeyType").as_string());
    return out;
}

}  // namespace

std::optional<std::int64_t> units(const Value& described, const char* name) {
    const Value* t = described.find("ProvisionedThroughput");
    if (t == nullptr) return std::nullopt;
    const Value* u = t->find(name);
    if (u == nullptr) return std::nullopt;
    return u->as_int();
}

bool on_demand(const Value& table) {
    const Value* billing = table.find("BillingModeSummary");
    return billing != nullptr && billing->find("BillingMode") != nullptr &&
           billing->at("BillingMode").as_string() == "PAY_PER_REQUEST";
}

namespace {

void compare_units(std::vector<std::string>& diffs, const std::string& what, const Value& actual,
                   std::optional<std::int64_t> read, std::optional<std::int64_t> write) {
    for (const auto& [expected, name] :
         {std::pair{read, "ReadCapacityUnits"}, std::pair{write, "WriteCapacityUnits"}}) {
        if (!expected) continue;
        const auto found = units(actual, name);
        if (found != expected) {
            diffs.push_back(what + " has " + name + " " +
                            (found ? std::to_string(*found) : "unset") + ", expected " +
                            std::to_string(*expected));
        }
    }
}

// The dynamo names an actual index projection provides.
std::set<std::string> provided(const ModelInfo& m, const IndexInfo& ix, const Value& actual_index) {
    std::set<std::string> out;
    const std::string type = actual_index.at("Projection").at("ProjectionType").as_string();
    if (type == "ALL") {
        for (const auto& c : m.columns) out.insert(c.dynamo_name);
        return out;
    }
    for (const auto k : m.key_columns()) out.insert(m.columns[k].dynamo_name);
    if (ix.hash_key) out.insert(m.columns[*ix.hash_key].dynamo_name);
    if (ix.range_key) out.insert(m.columns[*ix.range_key].dynamo_name);
    if (type == "INCLUDE") {
        if (const Value* names = actual_index.at("Projection").find("NonKeyAttributes")) {
            for (const auto& n : names->as_array()) out.insert(n.as_string());
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> differences(const ModelInfo& m, const Value& table) {
    std::vector<std::string> diffs;
    const Value expected = create_table_request(m, m.table_name);
    if (schema_of(table.find("KeySchema")) != schema_of(expected.find("KeySchema"))) {
        diffs.push_back("the key schema differs");
    }
    std::set<std::pair<std::string, std::string>> actual_definitions;
    if (const Value* defs = table.find("AttributeDefinitions")) {
        for (const auto& d : defs->as_array()) {
            actual_definitions.emplace(d.at("AttributeName").as_string(),
                                       d.at("AttributeType").as_string());
        }
    }
    for (const auto& d : expected.at("AttributeDefinitions").as_array()) {
        if (actual_definitions.count(
                {d.at("AttributeName").as_string(), d.at("AttributeType").as_string()}) == 0) {
            diffs.push_back("attribute '" + d.at("AttributeName").as_string() +
                            "' is not defined as " + d.at("AttributeType").as_string());
        }
    }
    if (m.billing && *m.billing != (on_demand(table) ? Billing::on_demand : Billing::provisioned)) {
        diffs.push_back(std::string("the table is billed ") +
                        (on_demand(table) ? "PAY_PER_REQUEST" : "PROVISIONED") + ", expected " +
                        (*m.billing == Billing::on_demand ? "PAY_PER_REQUEST" : "PROVISIONED"));
    }
    if (m.deletion_protection) {
        const Value* found = table.find("DeletionProtectionEnabled");
        const bool actual = found != nullptr && found->as_bool();
        if (actual != *m.deletion_protection) {
            diffs.push_back(std::string("deletion protection is ") + (actual ? "on" : "off") +
                            ", expected " + (*m.deletion_protection ? "on" : "off"));
        }
    }
    if (auto d = encryption_difference(m, table)) diffs.push_back(std::move(*d));
    if (auto d = table_class_difference(m, table)) diffs.push_back(std::move(*d));
    if (!on_demand(table)) compare_units(diffs, "the table", table, m.read_units, m.write_units);
    if (m.stream) {
        const Value* spec = table.find("StreamSpecification");
        const std::string want(stream_view_type(*m.stream));
        if (spec == nullptr || spec->find("StreamEnabled") == nullptr ||
            !spec->at("StreamEnabled").as_bool()) {
            diffs.push_back("the table has no stream, expected " + want);
        } else if (spec->at("StreamViewType").as_string() != want) {
            diffs.push_back("the stream is " + spec->at("StreamViewType").as_string() +
                            ", expected " + want);
        }
    }
    for (const auto& ix : m.indexes) {
        const char* list =
            ix.kind == IndexKind::global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes";
        const Value* actual_list = table.find(list);
        const Value* actual = nullptr;
        if (actual_list != nullptr) {
            for (const auto& candidate : actual_list->as_array()) {
                if (candidate.at("IndexName").as_string() == ix.dynamo_name) actual = &candidate;
            }
        }
        const std::string what =
            std::string(ix.kind == IndexKind::global ? "GSI '" : "LSI '") + ix.dynamo_name + "'";
        if (actual == nullptr) {
            diffs.push_back(what + " is missing");
            continue;
        }
        const Value expected_schema = key_schema(m, ix.hash_key, ix.range_key);
        if (schema_of(actual->find("KeySchema")) != schema_of(&expected_schema)) {
            diffs.push_back(what + " has another key schema");
        }
        const std::set<std::string> has = provided(m, ix, *actual);
        for (const auto c : ix.projection.included) {
            if (has.count(m.columns[c].dynamo_name) == 0) {
                diffs.push_back(what + " does not project '" + m.columns[c].dynamo_name + "'");
            }
        }
        if (ix.kind == IndexKind::global && !on_demand(table)) {
            compare_units(diffs, what, *actual, ix.read_units, ix.write_units);
        }
    }
    return diffs;
}

bool active(const Value& table) {
    if (table.at("TableStatus").as_string() != "ACTIVE") return false;
    if (const Value* gsis = table.find("GlobalSecondaryIndexes")) {
        for (const auto& g : gsis->as_array()) {
            if (g.at("IndexStatus").as_string() != "ACTIVE") return false;
        }
    }
    return true;
}

const json::Value* described_gsi(const json::Value& table, const std::string& name) {
    const Value* list = table.find("GlobalSecondaryIndexes");
    if (list == nullptr) return nullptr;
    for (const auto& g : list->as_array()) {
        if (g.at("IndexName").as_string() == name) return &g;
    }
    return nullptr;
}

}  // namespace bloop::detail
