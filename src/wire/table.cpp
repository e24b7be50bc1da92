// The table operations' bodies: built and read member by member, in the order DynamoDB's API
// reference lists them.

#include "wire/table.hpp"

#include "wire/reading.hpp"

#include <bloop/json/json.hpp>

#include <utility>

namespace bloop::detail::wire {

using json::Value;

namespace {

// Key schemas, attribute definitions and tags: arrays of objects of two strings, written and read
// member by member.
template <class T>
Value pairs(const std::vector<T>& list, const char* first, std::string T::*a, const char* second,
            std::string T::*b) {
    Value out = Value::array();
    for (const T& element : list) {
        Value e;
        e[first] = element.*a;
        e[second] = element.*b;
        out.push_back(std::move(e));
    }
    return out;
}

template <class T>
std::vector<T> read_pairs(const Value* list, const char* first, const char* second) {
    std::vector<T> out;
    for (const Value& e : elements(list))
        out.push_back({string_member(e, first), string_member(e, second)});
    return out;
}

Value key_schema(const std::vector<KeyElement>& keys) {
    return pairs(keys, "AttributeName", &KeyElement::attribute_name, "KeyType",
                 &KeyElement::key_type);
}

std::vector<KeyElement> read_key_schema(const Value* list) {
    return read_pairs<KeyElement>(list, "AttributeName", "KeyType");
}

Value definitions(const std::vector<AttributeDefinition>& attributes) {
    return pairs(attributes, "AttributeName", &AttributeDefinition::attribute_name, "AttributeType",
                 &AttributeDefinition::attribute_type);
}

Value throughput(const ProvisionedThroughput& t) {
    Value out;
    out["ReadCapacityUnits"] = Value(t.read_capacity_units);
    out["WriteCapacityUnits"] = Value(t.write_capacity_units);
    return out;
}

Value index(const SecondaryIndex& ix) {
    Value out;
    out["IndexName"] = ix.index_name;
    out["KeySchema"] = key_schema(ix.key_schema);
    out["Projection"]["ProjectionType"] = ix.projection.projection_type;
    if (!ix.projection.non_key_attributes.empty()) {
        Value names = Value::array();
        for (const auto& n : ix.projection.non_key_attributes) names.push_back(n);
        out["Projection"]["NonKeyAttributes"] = std::move(names);
    }
    if (ix.provisioned_throughput)
        out["ProvisionedThroughput"] = throughput(*ix.provisioned_throughput);
    return out;
}

Value stream(const StreamSpecification& s) {
    Value out;
    out["StreamEnabled"] = s.stream_enabled;
    if (s.stream_enabled) out["StreamViewType"] = s.stream_view_type;
    return out;
}

Value sse(const SseSpecification& s) {
    Value out;
    out["Enabled"] = s.enabled;
    if (!s.sse_type.empty()) out["SSEType"] = s.sse_type;
    if (!s.kms_master_key_id.empty()) out["KMSMasterKeyId"] = s.kms_master_key_id;
    return out;
}

Value tags(const std::vector<Tag>& list) {
    return pairs(list, "Key", &Tag::key, "Value", &Tag::value);
}

Value named(const std::string& table_name) {
    Value out;
    out["TableName"] = table_name;
    return out;
}

std::optional<ThroughputDescription> read_throughput(const Value& described) {
    const Value* t = described.find("ProvisionedThroughput");
    if (t == nullptr) return std::nullopt;
    return ThroughputDescription{int_member(*t, "ReadCapacityUnits"),
                                 int_member(*t, "WriteCapacityUnits")};
}

Projection read_projection(const Value& described) {
    Projection out;
    const Value* p = described.find("Projection");
    if (p == nullptr) return out;
    out.projection_type = string_member(*p, "ProjectionType");
    for (const Value& n : elements(p->find("NonKeyAttributes")))
        out.non_key_attributes.push_back(n.as_string());
    return out;
}

std::vector<IndexDescription> read_indexes(const Value* list) {
    std::vector<IndexDescription> out;
    for (const Value& ix : elements(list)) {
        out.push_back({string_member(ix, "IndexName"), read_key_schema(ix.find("KeySchema")),
                       read_projection(ix), string_member(ix, "IndexStatus"), read_throughput(ix)});
    }
    return out;
}

}  // namespace

std::string encode(const CreateTable& r) {
    Value out = named(r.table_name);
    out["KeySchema"] = key_schema(r.key_schema);
    out["AttributeDefinitions"] = definitions(r.attribute_definitions);
    if (!r.billing_mode.empty()) out["BillingMode"] = r.billing_mode;
    if (r.provisioned_throughput)
        out["ProvisionedThroughput"] = throughput(*r.provisioned_throughput);
    for (const auto& [list, name] :
         {std::pair{&r.global_secondary_indexes, "GlobalSecondaryIndexes"},
          std::pair{&r.local_secondary_indexes, "LocalSecondaryIndexes"}}) {
        if (list->empty()) continue;
        Value indexes = Value::array();
        for (const auto& ix : *list) indexes.push_back(index(ix));
        out[name] = std::move(indexes);
    }
    if (r.stream_specification) out["StreamSpecification"] = stream(*r.stream_specification);
    if (r.deletion_protection_enabled)
        out["DeletionProtectionEnabled"] = *r.deletion_protection_enabled;
    if (r.sse_specification) out["SSESpecification"] = sse(*r.sse_specification);
    if (!r.table_class.empty()) out["TableClass"] = r.table_class;
    if (!r.tags.empty()) out["Tags"] = tags(r.tags);
    return json::to_string(out);
}

std::string encode(const UpdateTable& r) {
    Value out = named(r.table_name);
    if (!r.attribute_definitions.empty())
        out["AttributeDefinitions"] = definitions(r.attribute_definitions);
    if (!r.billing_mode.empty()) out["BillingMode"] = r.billing_mode;
    if (r.provisioned_throughput)
        out["ProvisionedThroughput"] = throughput(*r.provisioned_throughput);
    if (!r.gsi_updates.empty() || r.gsi_create) {
        Value updates = Value::array();
        for (const auto& u : r.gsi_updates) {
            Value e;
            e["Update"]["IndexName"] = u.index_name;
            e["Update"]["ProvisionedThroughput"] = throughput(u.provisioned_throughput);
            updates.push_back(std::move(e));
        }
        if (r.gsi_create) {
            Value e;
            e["Create"] = index(*r.gsi_create);
            updates.push_back(std::move(e));
        }
        out["GlobalSecondaryIndexUpdates"] = std::move(updates);
    }
    if (r.stream_specification) out["StreamSpecification"] = stream(*r.stream_specification);
    if (r.sse_specification) out["SSESpecification"] = sse(*r.sse_specification);
    if (!r.table_class.empty()) out["TableClass"] = r.table_class;
    if (r.deletion_protection_enabled)
        out["DeletionProtectionEnabled"] = *r.deletion_protection_enabled;
    return json::to_string(out);
}

std::string encode(const TableName& r) {
    return json::to_string(named(r.table_name));
}

TableDescription TableDescription::decode(std::string_view body) {
    return decoded("DescribeTable", [&] {
        const Value answer = parse_object(body);
        const Value& t = object_member(answer, "Table");
        TableDescription out;
        out.table_name = string_member(t, "TableName");
        out.table_arn = string_member(t, "TableArn");
        out.table_status = string_member(t, "TableStatus");
        out.key_schema = read_key_schema(t.find("KeySchema"));
        out.attribute_definitions = read_pairs<AttributeDefinition>(
            t.find("AttributeDefinitions"), "AttributeName", "AttributeType");
        if (const Value* billing = t.find("BillingModeSummary"))
            out.billing_mode = string_member(*billing, "BillingMode");
        out.provisioned_throughput = read_throughput(t);
        out.global_secondary_indexes = read_indexes(t.find("GlobalSecondaryIndexes"));
        out.local_secondary_indexes = read_indexes(t.find("LocalSecondaryIndexes"));
        if (const Value* s = t.find("StreamSpecification")) {
            out.stream_specification = StreamSpecification{bool_member(*s, "StreamEnabled"),
                                                           string_member(*s, "StreamViewType")};
        }
        out.latest_stream_arn = string_member(t, "LatestStreamArn");
        out.deletion_protection_enabled = bool_member(t, "DeletionProtectionEnabled");
        if (const Value* s = t.find("SSEDescription")) {
            out.sse_description =
                SseDescription{string_member(*s, "Status"), string_member(*s, "SSEType"),
                               string_member(*s, "KMSMasterKeyArn")};
        }
        if (const Value* c = t.find("TableClassSummary"))
            out.table_class = string_member(*c, "TableClass");
        return out;
    });
}

std::string encode(const UpdateTimeToLive& r) {
    Value out = named(r.table_name);
    out["TimeToLiveSpecification"]["Enabled"] = r.enabled;
    out["TimeToLiveSpecification"]["AttributeName"] = r.attribute_name;
    return json::to_string(out);
}

TimeToLiveDescription TimeToLiveDescription::decode(std::string_view body) {
    return decoded("DescribeTimeToLive", [&] {
        const Value answer = parse_object(body);
        TimeToLiveDescription out;
        if (const Value* d = answer.find("TimeToLiveDescription")) {
            if (const Value* status = d->find("TimeToLiveStatus"))
                out.time_to_live_status = status->as_string();
            out.attribute_name = string_member(*d, "AttributeName");
        }
        return out;
    });
}

std::string encode(const UpdateContinuousBackups& r) {
    Value out = named(r.table_name);
    out["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] =
        r.point_in_time_recovery_enabled;
    return json::to_string(out);
}

ContinuousBackupsDescription ContinuousBackupsDescription::decode(std::string_view body) {
    return decoded("DescribeContinuousBackups", [&] {
        const Value answer = parse_object(body);
        ContinuousBackupsDescription out;
        const Value* d = answer.find("ContinuousBackupsDescription");
        const Value* pitr = d != nullptr ? d->find("PointInTimeRecoveryDescription") : nullptr;
        if (pitr != nullptr)
            out.point_in_time_recovery_status = string_member(*pitr, "PointInTimeRecoveryStatus");
        return out;
    });
}

std::string encode(const ListTagsOfResource& r) {
    Value out;
    out["ResourceArn"] = r.resource_arn;
    if (!r.next_token.empty()) out["NextToken"] = r.next_token;
    return json::to_string(out);
}

TagsPage TagsPage::decode(std::string_view body) {
    return decoded("ListTagsOfResource", [&] {
        const Value answer = parse_object(body);
        TagsPage out;
        out.tags = read_pairs<Tag>(answer.find("Tags"), "Key", "Value");
        out.next_token = string_member(answer, "NextToken");
        return out;
    });
}

std::string encode(const TagResource& r) {
    Value out;
    out["ResourceArn"] = r.resource_arn;
    out["Tags"] = tags(r.tags);
    return json::to_string(out);
}

}  // namespace bloop::detail::wire
