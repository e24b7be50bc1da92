// bind's in-place migrations: UpdateTable and UpdateTimeToLive toward the model.

#include "engine/migration.hpp"

#include <bloop/exceptions.hpp>
#include <bloop/model/meta.hpp>

#include "engine/table_shape.hpp"

#include <map>
#include <optional>

namespace bloop::detail {
namespace {

const char* billing_name(bool is_on_demand) {
    return is_on_demand ? "PAY_PER_REQUEST" : "PROVISIONED";
}

// The units `declared`, else those `described`.
wire::ProvisionedThroughput declared_or(
    std::optional<std::int64_t> read, std::optional<std::int64_t> write,
    const std::optional<wire::ThroughputDescription>& described) {
    const wire::ThroughputDescription has = units(described);
    return throughput(read ? read : has.read_capacity_units,
                      write ? write : has.write_capacity_units);
}

// The GSI updates that give every existing GSI of the model its declared units.
std::vector<wire::IndexThroughput> gsi_throughput_updates(const ModelInfo& m,
                                                          const wire::TableDescription& table,
                                                          bool all) {
    std::vector<wire::IndexThroughput> updates;
    for (const auto& ix : m.indexes) {
        if (ix.kind != IndexKind::global) continue;
        const wire::IndexDescription* actual = described_gsi(table, ix.dynamo_name);
        if (actual == nullptr) continue;
        const wire::ThroughputDescription has = units(actual->provisioned_throughput);
        const bool differs = (ix.read_units && has.read_capacity_units != ix.read_units) ||
                             (ix.write_units && has.write_capacity_units != ix.write_units);
        if (!all && !differs) continue;
        updates.push_back({ix.dynamo_name, declared_or(ix.read_units, ix.write_units,
                                                       actual->provisioned_throughput)});
    }
    return updates;
}

}  // namespace

std::vector<std::string> migrate_table(const Client& client, const ModelInfo& m,
                                       const std::string& table_name, wire::TableDescription& table,
                                       const WaitActive& wait_active) {
    std::vector<std::string> changes;
    const auto apply = [&](const wire::UpdateTable& request, std::string what) {
        (void)client.call_raw(Operation::UpdateTable, wire::encode(request));
        table = wait_active();
        changes.push_back(std::move(what));
    };
    const auto update = [&] {
        wire::UpdateTable request;
        request.table_name = table_name;
        return request;
    };

    // Billing first: the units below depend on it.
    if (m.billing && (*m.billing == Billing::on_demand) != on_demand(table)) {
        const bool to_on_demand = *m.billing == Billing::on_demand;
        wire::UpdateTable request = update();
        request.billing_mode = billing_name(to_on_demand);
        if (!to_on_demand) {
            request.provisioned_throughput = throughput(m.read_units, m.write_units);
            request.gsi_updates = gsi_throughput_updates(m, table, true);
        }
        apply(request, std::string("billing ") + billing_name(on_demand(table)) + " -> " +
                           billing_name(to_on_demand));
    }
    if (!on_demand(table)) {
        const wire::ThroughputDescription has = units(table.provisioned_throughput);
        const bool table_differs = (m.read_units && has.read_capacity_units != m.read_units) ||
                                   (m.write_units && has.write_capacity_units != m.write_units);
        if (table_differs) {
            wire::UpdateTable request = update();
            const wire::ProvisionedThroughput t =
                declared_or(m.read_units, m.write_units, table.provisioned_throughput);
            request.provisioned_throughput = t;
            apply(request, "throughput " + std::to_string(t.read_capacity_units) + "/" +
                               std::to_string(t.write_capacity_units) + " (read/write units)");
        }
        if (auto gsis = gsi_throughput_updates(m, table, false); !gsis.empty()) {
            wire::UpdateTable request = update();
            request.gsi_updates = std::move(gsis);
            apply(request, "GSI throughput");
        }
    }
    for (const auto& ix : m.indexes) {
        if (ix.kind != IndexKind::global || described_gsi(table, ix.dynamo_name) != nullptr)
            continue;
        // One GSI an UpdateTable, each waited for until ACTIVE (DynamoDB's rule).
        wire::UpdateTable request = update();
        request.attribute_definitions = attribute_definitions(m);
        request.gsi_create = index_request(m, ix);
        apply(request, "created GSI '" + ix.dynamo_name + "'");
    }
    if (m.stream) {
        const std::string want(stream_view_type(*m.stream));
        const bool enabled =
            table.stream_specification && table.stream_specification->stream_enabled;
        const std::string has = enabled ? table.stream_specification->stream_view_type : "";
        if (has != want) {
            if (enabled) {  // a stream's view cannot change: end it, then start a new one
                wire::UpdateTable off = update();
                off.stream_specification = wire::StreamSpecification{false, ""};
                apply(off, "disabled the " + has + " stream");
            }
            wire::UpdateTable on = update();
            on.stream_specification = wire::StreamSpecification{true, want};
            apply(on, "enabled a " + want + " stream");
        }
    }
    if (auto d = encryption_difference(m, table)) {
        wire::UpdateTable request = update();
        request.sse_specification = sse_specification(*m.encryption);
        apply(request, "encryption: " + *d);
    }
    if (auto d = table_class_difference(m, table)) {
        wire::UpdateTable request = update();
        request.table_class = table_class_name(*m.table_class);
        apply(request, std::string("table class ") + table_class_name(*m.table_class));
    }
    if (m.deletion_protection && table.deletion_protection_enabled != *m.deletion_protection) {
        wire::UpdateTable request = update();
        request.deletion_protection_enabled = *m.deletion_protection;
        apply(request,
              std::string("deletion protection ") + (*m.deletion_protection ? "on" : "off"));
    }
    return changes;
}

namespace {

// Sends `body` as `op`; a server that does not know it (UnknownOperationException) gives nullopt.
std::optional<std::string> call_if_supported(const Client& client, Operation op, std::string body) {
    try {
        return client.call_raw(op, std::move(body));
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
    const auto described = call_if_supported(client, Operation::DescribeContinuousBackups,
                                             wire::encode(wire::TableName{table_name}));
    if (!described) {
        notes.push_back(table_name +
                        ": the server does not support continuous backups "
                        "(UnknownOperationException, as DynamoDB Local); point-in-time recovery "
                        "is not checked");
        return changes;
    }
    const bool enabled =
        wire::ContinuousBackupsDescription::decode(*described).point_in_time_recovery_status ==
        "ENABLED";
    if (enabled == *m.point_in_time_recovery) return changes;
    const std::string want = *m.point_in_time_recovery ? "on" : "off";
    if (!allowed) {
        diffs.push_back("point-in-time recovery is " + std::string(enabled ? "on" : "off") +
                        ", expected " + want);
        return changes;
    }
    (void)client.call_raw(
        Operation::UpdateContinuousBackups,
        wire::encode(wire::UpdateContinuousBackups{table_name, *m.point_in_time_recovery}));
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
    wire::ListTagsOfResource list{table_arn, ""};
    for (;;) {
        const auto answer =
            call_if_supported(client, Operation::ListTagsOfResource, wire::encode(list));
        if (!answer) {
            notes.push_back(table_arn +
                            ": the server does not support tags (UnknownOperationException, as "
                            "DynamoDB Local); tags are not checked");
            return changes;
        }
        wire::TagsPage page = wire::TagsPage::decode(*answer);
        for (auto& t : page.tags) has[std::move(t.key)] = std::move(t.value);
        if (page.next_token.empty()) break;
        list.next_token = std::move(page.next_token);
    }
    wire::TagResource tag{table_arn, {}};
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
        tag.tags.push_back({key, value});
    }
    if (tag.tags.empty()) return changes;
    (void)client.call_raw(Operation::TagResource, wire::encode(tag));
    for (const auto& t : tag.tags) changes.push_back("tagged '" + t.key + "'");
    return changes;
}

std::vector<std::string> migrate_ttl(const Client& client, const ModelInfo& m,
                                     const std::string& table_name, bool allowed,
                                     std::vector<std::string>& diffs) {
    std::vector<std::string> changes;
    if (!m.ttl) return changes;
    const std::string& attribute = m.columns[*m.ttl].dynamo_name;
    const auto described = wire::TimeToLiveDescription::decode(
        client.call_raw(Operation::DescribeTimeToLive, wire::encode(wire::TableName{table_name})));
    const std::string& state = described.time_to_live_status;
    if (state == "ENABLED" || state == "ENABLING") {
        if (!described.attribute_name.empty() && described.attribute_name != attribute) {
            diffs.push_back("TTL is on '" + described.attribute_name + "', expected '" + attribute +
                            "'");
        }
        return changes;
    }
    if (!allowed) {
        diffs.push_back("TTL is not enabled on '" + attribute + "'");
        return changes;
    }
    (void)client.call_raw(Operation::UpdateTimeToLive,
                          wire::encode(wire::UpdateTimeToLive{table_name, true, attribute}));
    changes.push_back("enabled TTL on '" + attribute + "'");
    return changes;
}

}  // namespace bloop::detail
