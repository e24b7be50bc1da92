// bind's in-place migrations: UpdateTable and UpdateTimeToLive toward the model.

#include "engine/migration.hpp"

#include <bloop/exceptions.hpp>
#include <bloop/model/meta.hpp>

#include "engine/table_shape.hpp"

#include <map>
#include <optional>

namespace bloop::detail {
namespace {

using json::Value;

const char* billing_name(bool is_on_demand) {
    return is_on_demand ? "PAY_PER_REQUEST" : "PROVISIONED";
}

Value update_of(const std::string& table_name) {
    Value request;
    request["TableName"] = table_name;
    return request;
}

// The GSI updates that give every existing GSI of the model its declared units.
Value gsi_throughput_updates(const ModelInfo& m, const Value& table, bool all) {
    Value updates = Value::array();
    for (const auto& ix : m.indexes) {
        if (ix.kind != IndexKind::global) continue;
        const Value* actual = described_gsi(table, ix.dynamo_name);
        if (actual == nullptr) continue;
        const bool differs =
            (ix.read_units && units(*actual, "ReadCapacityUnits") != ix.read_units) ||
            (ix.write_units && units(*actual, "WriteCapacityUnits") != ix.write_units);
        if (!all && !differs) continue;
        Value u;
        u["Update"]["IndexName"] = ix.dynamo_name;
        u["Update"]["ProvisionedThroughput"] =
            throughput(ix.read_units ? ix.read_units : units(*actual, "ReadCapacityUnits"),
                       ix.write_units ? ix.write_units : units(*actual, "WriteCapacityUnits"));
        updates.push_back(std::move(u));
    }
    return updates;
}

}  // namespace

std::vector<std::string> migrate_table(const Client& client, const ModelInfo& m,
                                       const std::string& table_name, Value& table,
                                       const WaitActive& wait_active) {
    std::vector<std::string> changes;
    const auto apply = [&](Value request, std::string what) {
        (void)client.call(Operation::UpdateTable, request);
        table = wait_active();
        changes.push_back(std::move(what));
    };

    // Billing first: the units below depend on it.
    if (m.billing && (*m.billing == Billing::on_demand) != on_demand(table)) {
        const bool to_on_demand = *m.billing == Billing::on_demand;
        Value request = update_of(table_name);
        request["BillingMode"] = billing_name(to_on_demand);
        if (!to_on_demand) {
            request["ProvisionedThroughput"] = throughput(m.read_units, m.write_units);
            Value gsis = gsi_throughput_updates(m, table, true);
            if (gsis.size() != 0) request["GlobalSecondaryIndexUpdates"] = std::move(gsis);
        }
        apply(std::move(request), std::string("billing ") + billing_name(on_demand(table)) +
                                      " -> " + billing_name(to_on_demand));
    }
    if (!on_demand(table)) {
        const bool table_differs =
            (m.read_units && units(table, "ReadCapacityUnits") != m.read_units) ||
            (m.write_units && units(table, "WriteCapacityUnits") != m.write_units);
        if (table_differs) {
            Value request = update_of(table_name);
            request["ProvisionedThroughput"] =
                throughput(m.read_units ? m.read_units : units(table, "ReadCapacityUnits"),
                           m.write_units ? m.write_units : units(table, "WriteCapacityUnits"));
            // Named before the request is moved into the call.
            const Value& t = request.at("ProvisionedThroughput");
            std::string what = "throughput " + std::to_string(t.at("ReadCapacityUnits").as_int()) +
                               "/" + std::to_string(t.at("WriteCapacityUnits").as_int()) +
                               " (read/write units)";
            apply(std::move(request), std::move(what));
        }
        Value gsis = gsi_throughput_updates(m, table, false);
        if (gsis.size() != 0) {
            Value request = update_of(table_name);
            request["GlobalSecondaryIndexUpdates"] = std::move(gsis);
            apply(std::move(request), "GSI throughput");
        }
    }
    for (const auto& ix : m.indexes) {
        if (ix.kind != IndexKind::global || described_gsi(table, ix.dynamo_name) != nullptr)
            continue;
        // One GSI an UpdateTable, each waited for until ACTIVE (DynamoDB's rule).
        Value request = update_of(table_name);
        request["AttributeDefinitions"] = attribute_definitions(m);
        Value create;
        create["Create"] = index_request(m, ix);
        request["GlobalSecondaryIndexUpdates"].push_back(std::move(create));
        apply(std::move(request), "created GSI '" + ix.dynamo_name + "'");
    }
    if (m.stream) {
        const std::string want(stream_view_type(*m.stream));
        const Value* spec = table.find("StreamSpecification");
        const bool enabled = spec != nullptr && spec->find("StreamEnabled") != nullptr &&
                             spec->at("StreamEnabled").as_bool();
        const std::string has = enabled ? spec->at("StreamViewType").as_string() : "";
        if (has != want) {
            if (enabled) {  // a stream's view cannot change: end it, then start a new one
                Value off = update_of(table_name);
                off["StreamSpecification"]["StreamEnabled"] = false;
                apply(std::move(off), "disabled the " + has + " stream");
            }
            Value on = update_of(table_name);
            on["StreamSpecification"]["StreamEnabled"] = true;
            on["StreamSpecification"]["StreamViewType"] = want;
            apply(std::move(on), "enabled a " + want + " stream");
        }
    }
    if (auto d = encryption_difference(m, table)) {
        Value request = update_of(table_name);
        request["SSESpecification"] = sse_specification(*m.encryption);
        apply(std::move(request), "encryption: " + *d);
    }
    if (auto d = table_class_difference(m, table)) {
        Value request = update_of(table_name);
        request["TableClass"] = table_class_name(*m.table_class);
        apply(std::move(request), std::string("table class ") + table_class_name(*m.table_class));
    }
    if (m.deletion_protection) {
        const Value* found = table.find("DeletionProtectionEnabled");
        if ((found != nullptr && found->as_bool()) != *m.deletion_protection) {
            Value request = update_of(table_name);
            request["DeletionProtectionEnabled"] = *m.deletion_protection;
            apply(std::move(request),
                  std::string("deletion protection ") + (*m.deletion_protection ? "on" : "off"));
        }
    }
    return changes;
}

namespace {

// Calls `op`; a server that does not know it (UnknownOperationException) gives nullopt.
std::optional<Value> call_if_supported(const Client& client, Operation op, const Value& request) {
    try {
        return client.call(op, request);
    } catch (const ServiceError& e) {
        if (e.error_code() == "UnknownOperationException") return std::nullopt;
        throw;
    }
}

}  // namespace

std::vector<std::string> migrate_backups(const Client& client, const ModelInfo& m,
                                         const std::string& table_name, bool allowed,
                                         std::vector<std::string>& diffs,
                                         std::vector<std::string>& notes) {
    std::vector<std::string> changes;
    if (!m.point_in_time_recovery) return changes;
    const auto described =
        call_if_supported(client, Operation::DescribeContinuousBackups, update_of(table_name));
    if (!described) {
        notes.push_back(table_name +
                        ": the server does not support continuous backups "
                        "(UnknownOperationException, as DynamoDB Local); point-in-time recovery "
                        "is not checked");
        return changes;
    }
    const Value* d = described->find("ContinuousBackupsDescription");
    const Value* pitr = d != nullptr ? d->find("PointInTimeRecoveryDescription") : nullptr;
    const Value* status = pitr != nullptr ? pitr->find("PointInTimeRecoveryStatus") : nullptr;
    const bool enabled = status != nullptr && status->as_string() == "ENABLED";
    if (enabled == *m.point_in_time_recovery) return changes;
    const std::string want = *m.point_in_time_recovery ? "on" : "off";
    if (!allowed) {
        diffs.push_back("point-in-time recovery is " + std::string(enabled ? "on" : "off") +
                        ", expected " + want);
        return changes;
    }
    Value update = update_of(table_name);
    update["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] =
        *m.point_in_time_recovery;
    (void)client.call(Operation::UpdateContinuousBackups, update);
    changes.push_back("point-in-time recovery " + want);
    return changes;
}

std::vector<std::string> migrate_tags(const Client& client, const ModelInfo& m,
                                      const std::string& table_arn, bool allowed,
                                      std::vector<std::string>& diffs,
                                      std::vector<std::string>& notes) {
    std::vector<std::string> changes;
    if (m.tags.empty()) return changes;
    std::map<std::string, std::string> has;
    Value list;
    list["ResourceArn"] = table_arn;
    for (;;) {
        const auto page = call_if_supported(client, Operation::ListTagsOfResource, list);
        if (!page) {
            notes.push_back(table_arn +
                            ": the server does not support tags (UnknownOperationException, as "
                            "DynamoDB Local); tags are not checked");
            return changes;
        }
        if (const Value* tags = page->find("Tags")) {
            for (const auto& t : tags->as_array())
                has[t.at("Key").as_string()] = t.at("Value").as_string();
        }
        const Value* next = page->find("NextToken");
        if (next == nullptr) break;
        list["NextToken"] = *next;
    }
    Value missing = Value::array();
    std::vector<std::string> names;
    for (const auto& [key, value] : m.tags) {
        const auto found = has.find(key);
        if (found != has.end() && found->second == value) continue;
        if (!allowed) {
            diffs.push_back(
                "tag '" + key + "' is " +
                (found == has.end() ? std::string("missing") : "'" + found->second + "'") +
                ", expected '" + value + "'");
            continue;
        }
        Value t;
        t["Key"] = key;
        t["Value"] = value;
        missing.push_back(std::move(t));
        names.push_back(key);
    }
    if (missing.size() == 0) return changes;
    Value tag;
    tag["ResourceArn"] = table_arn;
    tag["Tags"] = std::move(missing);
    (void)client.call(Operation::TagResource, tag);
    for (const auto& n : names) changes.push_back("tagged '" + n + "'");
    return changes;
}

std::vector<std::string> migrate_ttl(const Client& client, const ModelInfo& m,
                                     const std::string& table_name, bool allowed,
                                     std::vector<std::string>& diffs) {
    std::vector<std::string> changes;
    if (!m.ttl) return changes;
    const std::string& attribute = m.columns[*m.ttl].dynamo_name;
    Value describe = update_of(table_name);
    const Value response = client.call(Operation::DescribeTimeToLive, describe);
    const Value* d = response.find("TimeToLiveDescription");
    const Value* status = d != nullptr ? d->find("TimeToLiveStatus") : nullptr;
    const Value* name = d != nullptr ? d->find("AttributeName") : nullptr;
    const std::string state = status != nullptr ? status->as_string() : "DISABLED";
    if (state == "ENABLED" || state == "ENABLING") {
        if (name != nullptr && name->as_string() != attribute) {
            diffs.push_back("TTL is on '" + name->as_string() + "', expected '" + attribute + "'");
        }
        return changes;
    }
    if (!allowed) {
        diffs.push_back("TTL is not enabled on '" + attribute + "'");
        return changes;
    }
    Value update = update_of(table_name);
    update["TimeToLiveSpecification"]["Enabled"] = true;
    update["TimeToLiveSpecification"]["AttributeName"] = attribute;
    (void)client.call(Operation::UpdateTimeToLive, update);
    changes.push_back("enabled TTL on '" + attribute + "'");
    return changes;
}

}  // namespace bloop::detail
