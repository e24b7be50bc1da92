// The table operations' bodies: written member by member into text in the order DynamoDB's API
// reference lists them, and read member by member (missing or null members read as empty).

#include "wire/table.hpp"

#include "json/reader.hpp"
#include "wire/reading.hpp"
#include "wire/writing.hpp"

#include <utility>

namespace bloop::detail::wire {
namespace {

using json::detail::Reader;

// Key schemas, attribute definitions and tags: arrays of objects of two strings.
template <class T>
void put_pairs(std::string& out, std::string_view name, const std::vector<T>& list,
               std::string_view first, std::string T::*a, std::string_view second,
               std::string T::*b) {
    put_array(out, name, list, [&](std::string& o, const T& e) {
        o.push_back('{');
        put_string(o, first, e.*a);
        put_string(o, second, e.*b);
        o.push_back('}');
    });
}

template <class T>
std::vector<T> read_pairs(Reader& r, std::string_view first, std::string T::*a,
                          std::string_view second, std::string T::*b) {
    std::vector<T> out;
    r.array([&] {
        T& e = out.emplace_back();
        r.members([&](std::string_view name) {
            if (name == first) {
                e.*a = r.string();
            } else if (name == second) {
                e.*b = r.string();
            } else {
                r.skip();
            }
        });
    });
    return out;
}

void put_key_schema(std::string& out, const std::vector<KeyElement>& keys) {
    put_pairs(out, "KeySchema", keys, "AttributeName", &KeyElement::attribute_name, "KeyType",
              &KeyElement::key_type);
}

std::vector<KeyElement> read_key_schema(Reader& r) {
    return read_pairs(r, "AttributeName", &KeyElement::attribute_name, "KeyType",
                      &KeyElement::key_type);
}

void put_definitions(std::string& out, const std::vector<AttributeDefinition>& attributes) {
    put_pairs(out, "AttributeDefinitions", attributes, "AttributeName",
              &AttributeDefinition::attribute_name, "AttributeType",
              &AttributeDefinition::attribute_type);
}

void put_throughput(std::string& out, const ProvisionedThroughput& t) {
    put_object(out, "ProvisionedThroughput", [&](std::string& o) {
        put_int(o, "ReadCapacityUnits", t.read_capacity_units);
        put_int(o, "WriteCapacityUnits", t.write_capacity_units);
    });
}

void put_index(std::string& out, const SecondaryIndex& ix) {
    out.push_back('{');
    put_string(out, "IndexName", ix.index_name);
    put_key_schema(out, ix.key_schema);
    put_object(out, "Projection", [&](std::string& o) {
        put_string(o, "ProjectionType", ix.projection.projection_type);
        if (!ix.projection.non_key_attributes.empty()) {
            put_array(
                o, "NonKeyAttributes", ix.projection.non_key_attributes,
                [](std::string& a, const std::string& n) { json::detail::write_string(a, n); });
        }
    });
    if (ix.provisioned_throughput) put_throughput(out, *ix.provisioned_throughput);
    out.push_back('}');
}

void put_stream(std::string& out, const StreamSpecification& s) {
    put_object(out, "StreamSpecification", [&](std::string& o) {
        put_bool(o, "StreamEnabled", s.stream_enabled);
        if (s.stream_enabled) put_string(o, "StreamViewType", s.stream_view_type);
    });
}

void put_sse(std::string& out, const SseSpecification& s) {
    put_object(out, "SSESpecification", [&](std::string& o) {
        put_bool(o, "Enabled", s.enabled);
        put_optional_string(o, "SSEType", s.sse_type);
        put_optional_string(o, "KMSMasterKeyId", s.kms_master_key_id);
    });
}

void put_tags(std::string& out, const std::vector<Tag>& list) {
    put_pairs(out, "Tags", list, "Key", &Tag::key, "Value", &Tag::value);
}

// The string that comes next (a null reads as empty).
std::string read_string(Reader& r) {
    return r.null() ? std::string() : r.string();
}

ThroughputDescription read_throughput(Reader& r) {
    ThroughputDescription out;
    r.members([&](std::string_view name) {
        if (name == "ReadCapacityUnits") {
            out.read_capacity_units = r.integer();
        } else if (name == "WriteCapacityUnits") {
            out.write_capacity_units = r.integer();
        } else {
            r.skip();
        }
    });
    return out;
}

Projection read_projection(Reader& r) {
    Projection out;
    r.members([&](std::string_view name) {
        if (name == "ProjectionType") {
            out.projection_type = r.string();
        } else if (name == "NonKeyAttributes") {
            r.array([&] { out.non_key_attributes.push_back(r.string()); });
        } else {
            r.skip();
        }
    });
    return out;
}

std::vector<IndexDescription> read_indexes(Reader& r) {
    std::vector<IndexDescription> out;
    r.array([&] {
        IndexDescription& ix = out.emplace_back();
        if (r.null()) return;  // an index listed as null reads as an empty one
        r.members([&](std::string_view name) {
            if (name == "IndexName") {
                ix.index_name = r.string();
            } else if (name == "KeySchema") {
                ix.key_schema = read_key_schema(r);
            } else if (name == "Projection") {
                ix.projection = read_projection(r);
            } else if (name == "IndexStatus") {
                ix.index_status = r.string();
            } else if (name == "ProvisionedThroughput") {
                ix.provisioned_throughput = read_throughput(r);
            } else {
                r.skip();
            }
        });
    });
    return out;
}

}  // namespace

std::string encode(const CreateTable& r) {
    std::string out = "{";
    put_string(out, "TableName", r.table_name);
    put_key_schema(out, r.key_schema);
    put_definitions(out, r.attribute_definitions);
    put_optional_string(out, "BillingMode", r.billing_mode);
    if (r.provisioned_throughput) put_throughput(out, *r.provisioned_throughput);
    for (const auto& [list, name] :
         {std::pair{&r.global_secondary_indexes, "GlobalSecondaryIndexes"},
          std::pair{&r.local_secondary_indexes, "LocalSecondaryIndexes"}}) {
        if (!list->empty()) put_array(out, name, *list, put_index);
    }
    if (r.stream_specification) put_stream(out, *r.stream_specification);
    if (r.deletion_protection_enabled)
        put_bool(out, "DeletionProtectionEnabled", *r.deletion_protection_enabled);
    if (r.sse_specification) put_sse(out, *r.sse_specification);
    put_optional_string(out, "TableClass", r.table_class);
    if (!r.tags.empty()) put_tags(out, r.tags);
    out.push_back('}');
    return out;
}

std::string encode(const UpdateTable& r) {
    std::string out = "{";
    put_string(out, "TableName", r.table_name);
    if (!r.attribute_definitions.empty()) put_definitions(out, r.attribute_definitions);
    put_optional_string(out, "BillingMode", r.billing_mode);
    if (r.provisioned_throughput) put_throughput(out, *r.provisioned_throughput);
    if (!r.gsi_updates.empty() || r.gsi_create) {
        put_name(out, "GlobalSecondaryIndexUpdates");
        out.push_back('[');
        for (const auto& u : r.gsi_updates) {
            if (out.back() != '[') out.push_back(',');
            out.append(R"({"Update":{)");
            put_string(out, "IndexName", u.index_name);
            put_throughput(out, u.provisioned_throughput);
            out.append("}}");
        }
        if (r.gsi_create) {
            if (out.back() != '[') out.push_back(',');
            out.append(R"({"Create":)");
            put_index(out, *r.gsi_create);
            out.push_back('}');
        }
        out.push_back(']');
    }
    if (r.stream_specification) put_stream(out, *r.stream_specification);
    if (r.sse_specification) put_sse(out, *r.sse_specification);
    put_optional_string(out, "TableClass", r.table_class);
    if (r.deletion_protection_enabled)
        put_bool(out, "DeletionProtectionEnabled", *r.deletion_protection_enabled);
    out.push_back('}');
    return out;
}

std::string encode(const TableName& r) {
    std::string out = "{";
    put_string(out, "TableName", r.table_name);
    out.push_back('}');
    return out;
}

TableDescription TableDescription::decode(std::string_view body) {
    return decoded("DescribeTable", [&] {
        TableDescription out;
        bool found = false;
        read_answer(body, [&](Reader& r, std::string_view member) {
            if (member != "Table") return r.skip();
            found = true;
            r.members([&](std::string_view name) {
                if (name == "TableName") {
                    out.table_name = r.string();
                } else if (name == "TableArn") {
                    out.table_arn = r.string();
                } else if (name == "TableStatus") {
                    out.table_status = r.string();
                } else if (name == "KeySchema") {
                    out.key_schema = read_key_schema(r);
                } else if (name == "AttributeDefinitions") {
                    out.attribute_definitions =
                        read_pairs(r, "AttributeName", &AttributeDefinition::attribute_name,
                                   "AttributeType", &AttributeDefinition::attribute_type);
                } else if (name == "BillingModeSummary") {
                    r.members([&](std::string_view m) {
                        if (m == "BillingMode") {
                            out.billing_mode = r.string();
                        } else {
                            r.skip();
                        }
                    });
                } else if (name == "ProvisionedThroughput") {
                    out.provisioned_throughput = read_throughput(r);
                } else if (name == "GlobalSecondaryIndexes") {
                    out.global_secondary_indexes = read_indexes(r);
                } else if (name == "LocalSecondaryIndexes") {
                    out.local_secondary_indexes = read_indexes(r);
                } else if (name == "StreamSpecification") {
                    StreamSpecification& s = out.stream_specification.emplace();
                    r.members([&](std::string_view m) {
                        if (m == "StreamEnabled") {
                            s.stream_enabled = r.boolean();
                        } else if (m == "StreamViewType") {
                            s.stream_view_type = r.string();
                        } else {
                            r.skip();
                        }
                    });
                } else if (name == "LatestStreamArn") {
                    out.latest_stream_arn = r.string();
                } else if (name == "DeletionProtectionEnabled") {
                    out.deletion_protection_enabled = r.boolean();
                } else if (name == "SSEDescription") {
                    SseDescription& d = out.sse_description.emplace();
                    r.members([&](std::string_view m) {
                        if (m == "Status") {
                            d.status = r.string();
                        } else if (m == "SSEType") {
                            d.sse_type = r.string();
                        } else if (m == "KMSMasterKeyArn") {
                            d.kms_master_key_arn = r.string();
                        } else {
                            r.skip();
                        }
                    });
                } else if (name == "TableClassSummary") {
                    r.members([&](std::string_view m) {
                        if (m == "TableClass") {
                            out.table_class = r.string();
                        } else {
                            r.skip();
                        }
                    });
                } else {
                    r.skip();
                }
            });
        });
        if (!found) throw InvalidJson("the answer has no object 'Table'");
        return out;
    });
}

std::string encode(const UpdateTimeToLive& r) {
    std::string out = "{";
    put_string(out, "TableName", r.table_name);
    put_object(out, "TimeToLiveSpecification", [&](std::string& o) {
        put_bool(o, "Enabled", r.enabled);
        put_string(o, "AttributeName", r.attribute_name);
    });
    out.push_back('}');
    return out;
}

TimeToLiveDescription TimeToLiveDescription::decode(std::string_view body) {
    return decoded("DescribeTimeToLive", [&] {
        TimeToLiveDescription out;
        read_answer(body, [&](Reader& r, std::string_view member) {
            if (member != "TimeToLiveDescription") return r.skip();
            r.object([&](std::string_view name) {
                if (name == "TimeToLiveStatus") {
                    out.time_to_live_status = r.string();  // a null here is malformed
                } else if (name == "AttributeName") {
                    out.attribute_name = read_string(r);
                } else {
                    r.skip();
                }
            });
        });
        return out;
    });
}

std::string encode(const UpdateContinuousBackups& r) {
    std::string out = "{";
    put_string(out, "TableName", r.table_name);
    put_object(out, "PointInTimeRecoverySpecification", [&](std::string& o) {
        put_bool(o, "PointInTimeRecoveryEnabled", r.point_in_time_recovery_enabled);
    });
    out.push_back('}');
    return out;
}

ContinuousBackupsDescription ContinuousBackupsDescription::decode(std::string_view body) {
    return decoded("DescribeContinuousBackups", [&] {
        ContinuousBackupsDescription out;
        read_answer(body, [&](Reader& r, std::string_view member) {
            if (member != "ContinuousBackupsDescription") return r.skip();
            r.members([&](std::string_view name) {
                if (name != "PointInTimeRecoveryDescription") return r.skip();
                r.members([&](std::string_view m) {
                    if (m == "PointInTimeRecoveryStatus") {
                        out.point_in_time_recovery_status = r.string();
                    } else {
                        r.skip();
                    }
                });
            });
        });
        return out;
    });
}

std::string encode(const ListTagsOfResource& r) {
    std::string out = "{";
    put_string(out, "ResourceArn", r.resource_arn);
    put_optional_string(out, "NextToken", r.next_token);
    out.push_back('}');
    return out;
}

TagsPage TagsPage::decode(std::string_view body) {
    return decoded("ListTagsOfResource", [&] {
        TagsPage out;
        read_answer(body, [&](Reader& r, std::string_view member) {
            if (member == "Tags") {
                out.tags = read_pairs(r, "Key", &Tag::key, "Value", &Tag::value);
            } else if (member == "NextToken") {
                out.next_token = r.string();
            } else {
                r.skip();
            }
        });
        return out;
    });
}

std::string encode(const TagResource& r) {
    std::string out = "{";
    put_string(out, "ResourceArn", r.resource_arn);
    put_tags(out, r.tags);
    out.push_back('}');
    return out;
}

}  // namespace bloop::detail::wire
